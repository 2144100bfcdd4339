"""What every log line says of the request it was written in: its id, the signed-in user's id and the route.

Two middlewares fill it in, kept in context variables (one set per thread or task, so gunicorn's threads do
not mix them up) that ``config.logging_json`` reads when it writes a line:

- ``RequestIdMiddleware``, outermost but the health checks: the request id, taken from the ``X-Request-ID``
  header only when a trusted proxy sets it (``DJANGO_PROXY_COUNT`` > 0), else made here; it is returned in the
  response's ``X-Request-ID``. When the response is done it writes the access line (logger ``rj.access``): the
  method, the route, the status and the time taken. Never the path's query string, nor any body.
- ``RequestUserRouteMiddleware``, after authentication: the user's id (never their username or name) and the
  route, the URL pattern's name (``rjcases:case_detail``), not the raw path.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from contextvars import ContextVar

from django.conf import settings
from django.core.signals import request_finished

request_id: ContextVar[str | None] = ContextVar("rj_request_id", default=None)
user_id: ContextVar[int | None] = ContextVar("rj_user_id", default=None)
route: ContextVar[str | None] = ContextVar("rj_route", default=None)

access_log = logging.getLogger("rj.access")

# What a proxy's request id may look like: a UUID, or any short token of letters, digits and -_.:
# Anything else (too long, spaces, quotes, line breaks) is replaced by our own, so nobody writes into the log.
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
HEADER = "X-Request-ID"


def new_request_id() -> str:
    return uuid.uuid4().hex


def request_id_for(request) -> str:
    """The proxy's ``X-Request-ID`` when a proxy is trusted and the value is well formed; else a new one."""
    if getattr(settings, "RJ_PROXY_COUNT", 0) > 0:
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        if _REQUEST_ID.fullmatch(given):
            return given
    return new_request_id()


def current() -> dict:
    """The request's id, user id and route, for a log line (None outside a request)."""
    return {"request_id": request_id.get(), "user_id": user_id.get(), "route": route.get()}


class RequestIdMiddleware:
    """Sets the request id for the request's log lines, returns it in ``X-Request-ID``, writes the access line."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        rid = request_id_for(request)
        request.request_id = rid
        # Set here, cleared when the response is closed (``clear`` on request_finished): Django's own line about
        # a 404 or a 500 is written after the middleware has returned, and must carry the request's id too.
        request_id.set(rid)
        user_id.set(None)
        route.set(None)
        response = self.get_response(request)
        response[HEADER] = rid
        access_log.info(
            "%s %s %s",
            request.method,
            route.get() or "-",
            response.status_code,
            extra={
                "fields": {
                    "method": request.method,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                }
            },
        )
        return response


def clear(**kwargs) -> None:
    """``request_finished`` receiver (connected below): lines written after the request name no request."""
    request_id.set(None)
    user_id.set(None)
    route.set(None)


request_finished.connect(clear, dispatch_uid="rj-request-context-clear")


def _route_name(request) -> str | None:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    return match.view_name or match.route or None


class RequestUserRouteMiddleware:
    """After authentication: the user's id and the URL pattern's name, for the rest of the request's lines."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # The user may have signed in or out during the request: the access line names who it ended as.
        self._set_user(request)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        self._set_user(request)
        route.set(_route_name(request))

    @staticmethod
    def _set_user(request) -> None:
        user = getattr(request, "user", None)
        user_id.set(user.pk if user is not None and user.is_authenticated else None)
