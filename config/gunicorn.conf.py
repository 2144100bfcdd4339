"""gunicorn's configuration for the production server (``make serve``; docs/deploy.md).

Every value can be set from the environment (the names below; gunicorn's own ``GUNICORN_CMD_ARGS`` also works).
Threaded workers (``gthread``): a request mostly waits on PostgreSQL, so a few threads per process serve more
requests than more processes would, in less memory. The application writes its own access line per request
(``rj.access``, a JSON line with the request id, the user id, the route, the status and the time; never the
path's query string), so gunicorn's own access log stays off; gunicorn's other lines (start, stop, a worker
timed out) are JSON lines on standard output too.

Nothing is loaded before the workers fork (no ``preload_app``): no database connection is ever shared between
processes.
"""

import multiprocessing
import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from config.logging_json import logging_config  # noqa: E402

wsgi_app = "config.wsgi:application"
chdir = str(BASE_DIR)

# Where to listen: GUNICORN_BIND ("0.0.0.0:8000", "unix:/run/rj.sock"), else PORT on every interface of this host.
bind = [os.environ.get("GUNICORN_BIND") or f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"]

# Processes (WEB_CONCURRENCY, gunicorn's usual name) and threads per process.
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() + 1)
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

# A request running longer than this is killed with its worker (the worker is restarted); a stop or restart
# (SIGTERM, SIGHUP) gives requests in flight this long to finish.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))

# Each worker is replaced after this many requests (with jitter, so they do not all restart at once): a slow
# leak never grows without end. 0 turns it off.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))

# Requests larger than this never reach Django (Django's own limits apply below it).
limit_request_line = 8190
limit_request_fields = 100

accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
logconfig_dict = logging_config(level=os.environ.get("DJANGO_LOG_LEVEL", "WARNING"))

# The proxy in front (DJANGO_PROXY_COUNT) is trusted by Django, which reads X-Forwarded-For and X-Forwarded-Proto
# itself; gunicorn passes the headers through untouched.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proc_name = "rjcases-web"

# gunicorn's control socket (gunicornc) is one fixed path per user: two servers on one host would fight over it,
# and nothing here uses it. GUNICORN_CONTROL_SOCKET names a path to have one.
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET")
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
