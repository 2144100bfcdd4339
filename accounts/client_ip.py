"""The client's IP address, correct behind the reverse proxies the deployment says it has.

django-axes locks sign-in per username and IP address. Behind a proxy every request arrives from the
proxy's address, so without this all users would share one IP and lock each other out. Each trusted proxy
appends the address it received the request from to X-Forwarded-For, so with N proxies the client is the
N-th entry from the right; entries further left were sent by the client and cannot be trusted.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _as_ip(value: str) -> str | None:
    """The address in an X-Forwarded-For entry ("203.0.113.7", "203.0.113.7:5123", "[2001:db8::1]:443")."""
    value = value.strip()
    if value.startswith("[") and "]" in value:
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip_address(request: HttpRequest) -> str | None:
    """The client's address: from X-Forwarded-For when ``RJ_PROXY_COUNT`` proxies are trusted, else REMOTE_ADDR."""
    remote = request.META.get("REMOTE_ADDR")
    proxies = getattr(settings, "RJ_PROXY_COUNT", 0)
    if not proxies:
        return remote
    forwarded = [entry for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()]
    if len(forwarded) < proxies:
        # The request did not pass through the expected proxies: use the address it came from.
        return remote
    return _as_ip(forwarded[-proxies]) or remote
