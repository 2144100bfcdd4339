import math
from base64 import b32encode
from datetime import timedelta
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import devices_for_user, match_token, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import roles, services
from accounts.forms import (
    AvailabilityForm,
    EnrolmentCodeForm,
    NewPasswordForm,
    SecondFactorResetForm,
    SecurityCodeForm,
    SignInForm,
    TokenForm,
)
from accounts.middleware import SESSION_STARTED, stamp_session
from accounts.models import User
from notifications import services as notification_services
from notifications.content import site_link
from notifications.forms import NotificationPreferenceForm

WRONG_CODE = "That code is wrong or has expired. Enter the code your app shows now."


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True
    extra_context = {"page_title": "Sign in"}

    def form_valid(self, form):
        response = super().form_valid(form)
        self.request.session.pop(SESSION_STARTED, None)  # a new sign-in starts the absolute lifetime again
        stamp_session(self.request)
        return response


def locked_out(request, original_response=None, credentials=None):
    """Axes lockout response: the sign-in page with a plain message, status 429. Which lock and how long comes
    from accounts.signin_limits; the page is the same whether or not the username belongs to an account."""
    from accounts.signin_limits import lockout_context

    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = SignInForm(request, initial={"username": username})
    context = {"form": form, "locked_out": True, "page_title": "Sign in", **lockout_context(request)}
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
    """Second step of sign-in: a code from the user's confirmed authenticator, or one of their backup codes."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not user_has_device(request.user, confirmed=True):
        return redirect("accounts:enrol")
    form = SecurityCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = _seconds_until_code_allowed(devices_for_user(request.user, confirmed=True))
        if wait:
            form.add_error("token", _throttled_message(wait))
        else:
            device = match_token(request.user, form.cleaned_data["token"])
            if isinstance(device, StaticDevice):
                otp_login(request, device)
                left = services.record_backup_code_use(request.user, device)
                stamp_session(request)  # the user's own change of factor does not end this session
                messages.warning(request, _backup_code_message(left))
                return redirect("accounts:enrol")
            if device is not None:
                otp_login(request, device)
                return redirect(_next_url(request))
            form.add_error("token", WRONG_CODE)
    context = {"form": form, "next": _next_url(request, ""), "page_title": "Enter your security code"}
    return render(request, "accounts/verify.html", context)


def _backup_code_message(left: int) -> str:
    codes = "1 backup code" if left == 1 else f"{left} backup codes"
    return (
        f"You signed in with a backup code; it cannot be used again and you have {codes} left. Your "
        "authenticator app has been removed from your account: set it up again with an enrolment code "
        "from your administrator."
    )


def enrolment_code_required() -> bool:
    """Whether setting up an authenticator needs an administrator's enrolment code: always, unless this is a
    development copy (debug on) that does not require two-factor sign-in."""
    return settings.RJ_TWO_FACTOR_REQUIRED or not settings.DEBUG


ENROLMENT_GRANTED = "rj_enrolment_granted"


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def enrol(request):
    """Set up an authenticator app: first the enrolment code from an administrator (where required), then scan
    the QR code (or type the key) and confirm with a code; the backup codes are then shown once."""
    user = request.user
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        messages.info(request, "Two-factor sign-in is already set up for your account.")
        return redirect("accounts:verify")
    if enrolment_code_required() and request.session.get(ENROLMENT_GRANTED) != user.pk:
        return _enrolment_code_step(request)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = services.start_enrolment(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = _seconds_until_code_allowed([device])
        if wait:
            form.add_error("token", _throttled_message(wait))
        elif device.verify_token(form.cleaned_data["token"]):
            backup_codes = services.confirm_enrolment(user, device)
            otp_login(request, device)
            request.session.pop(ENROLMENT_GRANTED, None)
            stamp_session(request)
            context = {"backup_codes": backup_codes, "page_title": "Two-factor sign-in is set up"}
            return render(request, "accounts/backup_codes.html", context)
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


def _enrolment_code_step(request):
    """Before any key is shown: the one-time code an administrator issued (a link fills it in)."""
    form = EnrolmentCodeForm(request.POST or None, initial={"code": request.GET.get("code", "")[:40]})
    if request.method == "POST" and form.is_valid():
        if services.redeem_enrolment_code(request.user, form.cleaned_data["code"]):
            services.start_enrolment(request.user)
            request.session[ENROLMENT_GRANTED] = request.user.pk
            return redirect("accounts:enrol")
        form.add_error(
            "code", "That enrolment code is wrong, has been used or has expired. Ask your administrator for a new one."
        )
    context = {"form": form, "page_title": "Enter your enrolment code"}
    return render(request, "accounts/enrolment_code.html", context)


# The signed-in user's own account


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    """Your account: who you are signed in as, and what the service emails you (status changes of your referrals
    can be turned off; allocations, digests and sign-in links always go to the address on your account)."""
    user = request.user
    form = NotificationPreferenceForm(
        request.POST if request.method == "POST" else None,
        initial={"referral_updates": notification_services.wants_referral_updates(user)},
    )
    if request.method == "POST" and form.is_valid():
        on = form.cleaned_data["referral_updates"]
        notification_services.set_referral_updates(user, on)
        messages.success(
            request,
            "You will be emailed when a case you referred changes status."
            if on
            else "You will not be emailed when a case you referred changes status.",
        )
        return redirect("accounts:account")
    context = {
        "form": form,
        "page_title": "Your account",
        "refers": roles.is_referrer(user),
        "is_facilitator": roles.is_facilitator(user),
    }
    return render(request, "accounts/account.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def availability(request):
    """A facilitator's next leave or availability note, shown to managers when they allocate (historied)."""
    if not roles.is_facilitator(request.user):
        raise PermissionDenied
    form = AvailabilityForm(request.POST or None, initial={"availability_note": request.user.availability_note})
    if request.method == "POST" and form.is_valid():
        services.set_availability_note(request.user, request.user, form.cleaned_data["availability_note"])
        messages.success(request, "Your availability is saved.")
        return redirect("accounts:account")
    context = {"form": form, "page_title": "Your next leave or availability"}
    return render(request, "accounts/availability.html", context, status=400 if form.errors else 200)


# ---------------------------------------------------------------------------------------------------
# Administrators: sign-in help for other users


def _administrator_only(request) -> None:
    if not roles.is_administrator(request.user):
        raise PermissionDenied
    if enrolment_code_required() and not request.user.is_verified():
        raise PermissionDenied  # the two-factor middleware sends them to verify first; this is the server's check


def _users_managed_by(actor):
    """The users an administrator helps to sign in: those of their partnerships and those of none (a superuser:
    everyone). Another partnership's user is a 404."""
    if actor.is_superuser:
        return User.objects.all()
    own = Q(partnerships__in=roles.partnership_ids(actor)) | Q(partnerships__isnull=True)
    return User.objects.filter(own).distinct()


def _managed_user(request, pk: int) -> User:
    _administrator_only(request)
    user = get_object_or_404(_users_managed_by(request.user), pk=pk)
    if not roles.may_manage_sign_in(request.user, user):
        raise PermissionDenied
    return user


@never_cache
@login_required
@require_http_methods(["GET"])
def user_list(request):
    """Administrators: everyone who signs in, with a link to the sign-in help for each."""
    _administrator_only(request)
    users = _users_managed_by(request.user).select_related("organisation").order_by("username")
    return render(request, "accounts/user_list.html", {"users": users, "page_title": "Sign-in help"})


@never_cache
@login_required
@require_http_methods(["GET"])
def user_sign_in(request, pk: int):
    """Administrators: one user's second factor, and the three things an administrator can do about signing in."""
    user = _managed_user(request, pk)
    return _user_sign_in_page(request, user, SecondFactorResetForm())


def _user_sign_in_page(request, user, reset_form, status: int = 200):
    context = {
        "subject": user,
        "has_authenticator": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        "backup_codes_left": StaticToken.objects.filter(device__user=user, device__confirmed=True).count(),
        "open_enrolment_codes": user.enrolment_codes.filter(used_at__isnull=True, expires_at__gt=timezone.now()),
        "reset_form": reset_form,
        "page_title": f"Sign-in help for {user.get_username()}",
    }
    return render(request, "accounts/user_sign_in.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["POST"])
def issue_enrolment_code(request, pk: int):
    """Administrators: a one-time enrolment code and link for the user, shown on this page, and emailed to the
    user's own address where their account has one."""
    user = _managed_user(request, pk)
    code = services.issue_enrolment_code(request.user, user)
    path = f"{reverse('accounts:enrol')}?{urlencode({'code': code})}"
    # Emailed too, to the address on their account, with the configured site address (never the request's Host).
    expires_at = timezone.now() + timedelta(hours=services.ENROLMENT_CODE_HOURS)
    emailed = notification_services.sign_in_link_message(user, "enrolment", site_link(path), expires_at)
    context = {
        "subject": user,
        "code": code,
        "link": request.build_absolute_uri(path),
        "kind": "enrolment",
        "hours": services.ENROLMENT_CODE_HOURS,
        "emailed": emailed is not None,
        "page_title": f"Enrolment code for {user.get_username()}",
    }
    return render(request, "accounts/issued_link.html", context)


@never_cache
@login_required
@require_http_methods(["POST"])
def issue_password_reset_link(request, pk: int):
    """Administrators: a password-reset link for the user, shown on this page, and emailed to the user's own
    address where their account has one."""
    user = _managed_user(request, pk)
    path = services.issue_password_reset_path(request.user, user)
    hours = settings.PASSWORD_RESET_TIMEOUT // 3600
    expires_at = timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    emailed = notification_services.sign_in_link_message(user, "password_reset", site_link(path), expires_at)
    context = {
        "subject": user,
        "link": request.build_absolute_uri(path),
        "kind": "password",
        "hours": hours,
        "emailed": emailed is not None,
        "page_title": f"Password reset link for {user.get_username()}",
    }
    return render(request, "accounts/issued_link.html", context)


@never_cache
@login_required
@require_http_methods(["POST"])
def reset_second_factor(request, pk: int):
    """Administrators: remove the user's authenticator and backup codes, with a reason for the security log."""
    user = _managed_user(request, pk)
    form = SecondFactorResetForm(request.POST)
    if not form.is_valid():
        return _user_sign_in_page(request, user, form, status=400)
    removed = services.reset_second_factor(request.user, user, form.cleaned_data["reason"])
    messages.success(
        request,
        f"{user.get_username()}'s second factor is reset ({removed} removed). Their sessions "
        "have ended; issue them an enrolment code to set up an authenticator again.",
    )
    return redirect("accounts:user_sign_in", pk=user.pk)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's own: a new password from an administrator-issued link (by email once the service sends it)."""

    template_name = "accounts/password_reset_confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")
    extra_context = {"page_title": "Choose a new password"}


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
    extra_context = {"page_title": "Your password has been changed"}


class SignOutView(auth_views.LogoutView):
    """Sign out (POST only, as Django requires), back to the sign-in page."""


def csrf_failure(request, reason: str = ""):
    """A form sent from a stale page (CSRF check failed): the service's own 403 page, saying what to do."""
    return render(request, "errors/csrf.html", {"page_title": "This form has expired"}, status=403)
