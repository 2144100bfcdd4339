import math
from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import devices_for_user, match_token, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.forms import SignInForm, TokenForm

WRONG_CODE = "That code is wrong or has expired. Enter the code your app shows now."


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True
    extra_context = {"page_title": "Sign in"}


def locked_out(request, original_response=None, credentials=None):
    """Axes lockout response: the sign-in page with a plain message, status 429."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = SignInForm(request, initial={"username": username})
    context = {"form": form, "locked_out": True, "cooloff_minutes": minutes, "page_title": "Sign in"}
    return render(request, "accounts/login.html", context, status=429)


def _next_url(request, default: str = "dashboard") -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def _seconds_until_code_allowed(devices) -> int:
    """0 if any of the devices accepts a code now; otherwise the seconds until one will (django-otp throttling)."""
    waits = []
    for device in devices:
        allowed, data = device.verify_is_allowed()
        if allowed:
            return 0
        locked_until = (data or {}).get("locked_until")
        if locked_until is None:
            continue
        waits.append(max(1, math.ceil((locked_until - timezone.now()).total_seconds())))
    return min(waits) if waits else 0


def _throttled_message(seconds: int) -> str:
    unit = "second" if seconds == 1 else "seconds"
    return f"Too many wrong codes in a row. Wait {seconds} {unit}, then enter the code your app shows."


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """Second step of sign-in: a code from the user's confirmed authenticator."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not user_has_device(request.user, confirmed=True):
        return redirect("accounts:enrol")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = _seconds_until_code_allowed(devices_for_user(request.user, confirmed=True))
        if wait:
            form.add_error("token", _throttled_message(wait))
        else:
            device = match_token(request.user, form.cleaned_data["token"])
            if device is not None:
                otp_login(request, device)
                return redirect(_next_url(request))
            form.add_error("token", WRONG_CODE)
    context = {"form": form, "next": _next_url(request, ""), "page_title": "Enter your security code"}
    return render(request, "accounts/verify.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def enrol(request):
    """Set up an authenticator app: scan the QR code (or type the key), then confirm with a code."""
    if user_has_device(request.user, confirmed=True):
        messages.info(request, "Two-factor sign-in is already set up for your account.")
        return redirect("accounts:verify")
    # The same unconfirmed device is kept across visits, so the QR code does not change under the user.
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, confirmed=False, name="Authenticator app")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = _seconds_until_code_allowed([device])
        if wait:
            form.add_error("token", _throttled_message(wait))
        elif device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(
                request, "Two-factor sign-in is set up. You will be asked for a code each time you sign in."
            )
            return redirect("dashboard")
        else:
            form.add_error("token", "That code did not match. Check the time on your phone and try the code shown now.")
    # segno writes the SVG itself from the provisioning URL; nothing the user typed goes into it unescaped.
    qr_svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, omitsize=True, svgclass="rj-qr__code", title="QR code to scan with your authenticator app"
    )
    qr_svg = qr_svg.replace("<svg ", '<svg role="img" focusable="false" ', 1)
    secret = b32encode(device.bin_key).decode()
    spaced = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    context = {"form": form, "qr_svg": mark_safe(qr_svg), "secret": spaced, "page_title": "Set up two-factor sign-in"}  # noqa: S308
    return render(request, "accounts/enrol.html", context)


class SignOutView(auth_views.LogoutView):
    """Sign out (POST only, as Django requires), back to the sign-in page."""


def csrf_failure(request, reason: str = ""):
    """A form sent from a stale page (CSRF check failed): the service's own 403 page, saying what to do."""
    return render(request, "errors/csrf.html", {"page_title": "This form has expired"}, status=403)
