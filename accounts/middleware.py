from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

# Paths a signed-in but not yet verified user may still reach.
_OPEN_PREFIXES = ("/accounts/", "/static/", "/accessibility/", "/survey/")


def second_factor_pending(user) -> bool:
    """True while a signed-in user must still enter a code (or set up an app) before using the service."""
    if not user.is_authenticated:
        return False
    is_verified = getattr(user, "is_verified", None)  # set by django_otp's OTPMiddleware
    if is_verified is not None and is_verified():
        return False
    return settings.RJ_TWO_FACTOR_REQUIRED or has_confirmed_device(user)


def has_confirmed_device(user) -> bool:
    """Whether the user has set up an authenticator; asked once per request (the user object is per request)."""
    if "_rj_has_confirmed_device" not in user.__dict__:
        user.__dict__["_rj_has_confirmed_device"] = user_has_device(user, confirmed=True)
    return user.__dict__["_rj_has_confirmed_device"]


class TwoFactorRequiredMiddleware:
    """Sends a signed-in user who has not passed the second factor to verify (or to enrol, where required).

    A user with a confirmed device is always asked for a code. Without one, production settings send
    them to enrolment; development settings (``RJ_TWO_FACTOR_REQUIRED`` off) let demo users through.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified() and not request.path.startswith(_OPEN_PREFIXES):
            if has_confirmed_device(user):
                return redirect(f"{reverse('accounts:verify')}?{urlencode({'next': request.get_full_path()})}")
            if settings.RJ_TWO_FACTOR_REQUIRED:
                return redirect("accounts:enrol")
        return self.get_response(request)
