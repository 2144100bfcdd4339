"""Rate limits: per API token for signed-in calls, per client address for the rest. Over the limit is a 429.

The counts live in Django's cache (the default per-process memory cache unless CACHES says otherwise).
The rates are read on every call, from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (``RJ_API_RATE``).
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from accounts.client_ip import client_ip_address
from api.models import ApiToken


class _SettingsRateThrottle(SimpleRateThrottle):
    def get_rate(self):
        # DRF reads the rates once at import; reading them here lets settings (and tests) change them.
        return settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get(self.scope)


class TokenRateThrottle(_SettingsRateThrottle):
    """Counts the calls made with each API token."""

    scope = "token"

    def get_cache_key(self, request, view):
        token = request.auth
        if not isinstance(token, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.pk}


class AnonymousRateThrottle(_SettingsRateThrottle):
    """Counts calls made without a token (the schema and the docs page) by client address."""

    scope = "anonymous"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            return None
        # The same trusted-proxy rule as sign-in lockout: X-Forwarded-For only from the proxies we have.
        ident = client_ip_address(request._request) or "unknown"
        return self.cache_format % {"scope": self.scope, "ident": ident}
