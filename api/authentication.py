"""Signing in to the API: ``Authorization: Bearer <token>`` (or ``Token <token>``) with a per-user API token."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from rest_framework import authentication, exceptions

from api.models import ApiToken, hash_token

KEYWORDS = ("bearer", "token")
# The last-used time is written at most this often per token, not on every call.
LAST_USED_PRECISION = timedelta(minutes=1)


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """Finds the token by its hash; a revoked token, or the token of a deactivated user, is refused (401)."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode("latin-1").lower() not in KEYWORDS:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Send the header as 'Authorization: Bearer <token>'.")
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("The API token is not valid.")
        token = ApiToken.objects.select_related("user").filter(token_hash=hash_token(raw)).first()
        if token is None:
            raise exceptions.AuthenticationFailed("The API token is not valid.")
        if not token.is_active:
            raise exceptions.AuthenticationFailed("This API token has been revoked.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("The account this API token belongs to is deactivated.")
        if token.user.is_demo and not settings.DEBUG:
            # Demo users never sign in where debug is off, by the API no more than by the sign-in page.
            raise exceptions.AuthenticationFailed("The API token is not valid.")
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
            # ApiToken keeps no field history, so a direct update is safe and avoids a race on save().
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.user, token

    def authenticate_header(self, request) -> str:
        # Makes DRF answer 401 (with this challenge) rather than 403 when no valid token was sent.
        return 'Bearer realm="api"'
