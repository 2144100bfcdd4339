import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Cast, Concat
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.functional import LazyObject, empty
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.backends import DEVICES_READ
from accounts.models import Partnership

# Paths a signed-in but not yet verified user may still reach: signing in and out, the second factor, the password
# reset, and the public pages (the survey a reporting centre hands out lives under /insights/survey/).
_OPEN_PREFIXES = (
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/two-factor/",
    "/accounts/password-reset/",
    "/static/",
    "/accessibility/",
    "/privacy-notice/",
    "/insights/survey/",
)

SESSION_STARTED = "rj_session_started"
SESSION_CREDENTIALS = "rj_session_credentials"
SESSION_TOUCHED = "rj_session_touched"
# The idle expiry is pushed on by saving the session; saving it at most this often (seconds) instead of on every
# request keeps the idle limit within a minute of SESSION_COOKIE_AGE and spares most requests a write.
SESSION_TOUCH_EVERY = 60


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
    cache = _unwrapped(user).__dict__
    if "_rj_has_confirmed_device" not in cache:
        cache["_rj_has_confirmed_device"] = user_has_device(user, confirmed=True)
    return cache["_rj_has_confirmed_device"]


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


def _unwrapped(user):
    """The user object itself, not ``request.user``'s lazy wrappers (whose ``__dict__`` is their own). There are two:
    django-otp's OTPMiddleware wraps the authentication middleware's lazy user in a lazy object of its own."""
    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user


def credentials_fingerprint(user) -> str:
    """A keyed hash of what a session was granted on: the password, the roles and superuser and staff flags, and
    the confirmed second factors. Any change to one of them changes it."""
    cache = _unwrapped(user).__dict__
    # The session's user was read with them (accounts.backends): taken once, so a fingerprint after a change of
    # factor in the same request reads the devices afresh.
    devices = cache.pop(DEVICES_READ, None)
    if devices is None:
        devices = _read_devices(user, cache)
    parts = [
        user.password,
        ",".join(sorted(user.role_names)),
        str(user.is_superuser),
        str(user.is_staff),
        ",".join(f"{kind}:{pk}" for kind, pk in devices),
    ]
    return salted_hmac("accounts.session-credentials", "|".join(parts), algorithm="sha256").hexdigest()


def _read_devices(user, cache: dict) -> list[tuple[str, int]]:
    """The user's confirmed second factors, and (unless already read) their roles and partnerships, in one query."""
    as_text = Cast("pk", models.CharField())
    parts = [
        TOTPDevice.objects.filter(user=user, confirmed=True).annotate(kind=Value("totp"), item=as_text),
        StaticDevice.objects.filter(user=user, confirmed=True).annotate(kind=Value("static"), item=as_text),
    ]
    read_roles = "_role_names" not in cache
    if read_roles:
        parts.append(Group.objects.filter(user=user).annotate(kind=Value("role"), item=F("name")))
    # And the user's partnerships with their services' names, which the header of every page shows.
    read_partnerships = "_partnership_ids" not in cache
    if read_partnerships:
        named = Concat(as_text, Value(":"), F("service_name"), output_field=models.CharField())
        parts.append(Partnership.objects.filter(members=user).annotate(kind=Value("partnership"), item=named))
    first, *rest = [part.values_list("kind", "item").order_by() for part in parts]
    found = list(first.union(*rest, all=True))
    if read_roles:
        cache["_role_names"] = frozenset(key for kind, key in found if kind == "role")
    if read_partnerships:
        pairs = (item.split(":", 1) for kind, item in found if kind == "partnership")
        cache["_partnership_ids"] = {int(pk): service_name for pk, service_name in pairs}
    devices = sorted((kind, int(key)) for kind, key in found if kind in ("totp", "static"))
    # Saves the two-factor middleware asking again.
    cache["_rj_has_confirmed_device"] = bool(devices)
    return devices


def stamp_session(request) -> None:
    """Record in the session what it now stands on: after sign-in, and after the user's own change of factor."""
    request.session.setdefault(SESSION_STARTED, time.time())
    request.session[SESSION_CREDENTIALS] = credentials_fingerprint(request.user)


class SessionLimitsMiddleware:
    """Ends a session RJ_SESSION_ABSOLUTE_HOURS after sign-in, however active (the idle limit is the session
    cookie's age), and at once when the user's roles, password or second factors change."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(SESSION_STARTED)
            if started is None:
                stamp_session(request)  # a session opened without the sign-in page (e.g. before this check)
            elif time.time() - started > settings.RJ_SESSION_ABSOLUTE_HOURS * 3600 or request.session.get(
                SESSION_CREDENTIALS
            ) != credentials_fingerprint(request.user):
                logout(request)
        response = self.get_response(request)
        # Just signed in. Only a session sign-in: an API request authenticated by its token has no session to stamp.
        if SESSION_KEY in request.session and SESSION_STARTED not in request.session:
            stamp_session(request)
        touch_session(request)
        return response


def touch_session(request) -> None:
    """Mark a signed-in session changed (so SessionMiddleware saves it, pushing its expiry on) when it was last
    saved a minute ago or more. Sessions are not saved on every request (``SESSION_SAVE_EVERY_REQUEST`` is off):
    a session idle for SESSION_COOKIE_AGE ends within a minute of it, and most requests write nothing."""
    session = request.session
    if SESSION_KEY not in session:
        return
    now = time.time()
    if now - session.get(SESSION_TOUCHED, 0) >= SESSION_TOUCH_EVERY:
        session[SESSION_TOUCHED] = now
