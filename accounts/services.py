"""Writes about accounts: the security log and the privileged acts it records.

Every privileged act (a role granted or removed, a second factor reset, an account unlocked, an organisation
changed) ends in ``record_security_event``: one append-only row saying who did what to whom, when and why.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import EnrolmentCode, SecurityEvent, User


@dataclass(frozen=True)
class _Acting:
    actor: Any
    reason: str


# Who is acting, for role changes recorded from the ``user.groups`` relation (accounts.signals), which has no
# way to say it: set by the services below and by the admin around the forms it saves.
_acting: ContextVar[_Acting | None] = ContextVar("accounts_security_acting", default=None)


@contextmanager
def acting_as(actor, reason: str = "") -> Iterator[None]:
    """Attribute the role changes made inside the block to ``actor``, with ``reason``."""
    token = _acting.set(_Acting(actor, reason))
    try:
        yield
    finally:
        _acting.reset(token)


def current_actor() -> tuple[Any, str]:
    """The user acting now and their reason: from ``acting_as``, else the signed-in user of the request being
    served (simple-history's middleware keeps it), else nobody (a command or the shell)."""
    acting = _acting.get()
    if acting is not None:
        return acting.actor, acting.reason
    from simple_history.models import HistoricalRecords

    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user, ""
    return None, ""


def record_security_event(actor, action: str, subject=None, reason: str = "", **details) -> SecurityEvent:
    """Append one row to the security log. ``subject`` is whom or what it was done to (a user, an organisation,
    or nothing); ``details`` are stored as JSON (keep them to names, ids and short strings)."""
    if action not in SecurityEvent.Action.values:
        raise ValueError(f"Unknown security event {action!r}.")
    actor = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    event = SecurityEvent(action=action, reason=reason or "", details=details)
    if actor is not None:
        event.actor = actor
        event.actor_name = actor.get_username()[:150]
    if subject is not None:
        if isinstance(subject, User):
            event.subject_user = subject
            event.subject_name = subject.get_username()[:200]
        elif isinstance(subject, models.Model):
            event.subject_name = str(subject)[:200]
        else:
            event.subject_name = str(subject)[:200]
        if isinstance(subject, models.Model):
            event.subject_type = subject._meta.label_lower
            event.subject_id = str(subject.pk or "")
    event.save()
    return event


def grant_role(actor, user: User, role: str, reason: str = "") -> None:
    """Give ``user`` the role (group) ``role``; recorded in the security log (by accounts.signals)."""
    group = Group.objects.get(name=role)
    with transaction.atomic(), acting_as(actor, reason):
        user.groups.add(group)
    user.__dict__.pop("_role_names", None)


def remove_role(actor, user: User, role: str, reason: str = "") -> None:
    """Take the role ``role`` from ``user``; recorded in the security log (by accounts.signals)."""
    group = Group.objects.get(name=role)
    with transaction.atomic(), acting_as(actor, reason):
        user.groups.remove(group)
    user.__dict__.pop("_role_names", None)


def unlock_account(actor, *, username: str | None = None, ip_address: str | None = None, reason: str = "") -> int:
    """End a sign-in lockout (django-axes) for a username, an address or both; recorded. Returns the number of
    attempt records cleared (the access and failure logs are kept)."""
    from axes.utils import reset

    if not username and not ip_address:
        raise ValueError("Say which username or address to unlock.")
    with transaction.atomic():
        cleared = reset(ip=ip_address or None, username=username or None)
        subject = User.objects.filter(username=username).first() if username else None
        record_security_event(
            actor,
            SecurityEvent.Action.ACCOUNT_UNLOCKED,
            subject or username or ip_address,
            reason,
            username=username or "",
            ip_address=ip_address or "",
            attempts_cleared=cleared,
        )
    return cleared


# ---------------------------------------------------------------------------------------------------
# Second factor: enrolment codes, backup codes, resets; password-reset links


ENROLMENT_CODE_HOURS = 72
BACKUP_CODE_COUNT = 10
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud or typed from a note


class SignInRecoveryRefused(PermissionError):
    """The acting user may not change how this user signs in (the message says why)."""


def _check_may_manage(actor, user: User) -> None:
    from accounts import roles

    if not roles.may_manage_sign_in(actor, user):
        raise SignInRecoveryRefused(
            "You cannot do this for your own account: ask another administrator."
            if actor is not None and actor.pk == user.pk
            else "Only an administrator can change how someone else signs in."
        )


def normalise_enrolment_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _hash_code(code: str) -> str:
    # The code is random (80 bits), so a plain hash is enough: nothing to guess from a stolen table.
    return hashlib.sha256(normalise_enrolment_code(code).encode()).hexdigest()


def issue_enrolment_code(actor, user: User, *, on_the_server: bool = False) -> str:
    """A new one-time code letting ``user`` set up an authenticator app within 72 hours; recorded. The code is
    returned once and only its hash is kept. Earlier unused codes of the user stop working. ``on_the_server``
    (the management command, for the first administrator) issues it with nobody acting."""
    if on_the_server:
        actor = None
    else:
        _check_may_manage(actor, user)
    code = "-".join("".join(secrets.choice(_CODE_ALPHABET) for _ in range(4)) for _ in range(4))
    now = timezone.now()
    with transaction.atomic():
        EnrolmentCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
        EnrolmentCode.objects.create(
            user=user,
            token_hash=_hash_code(code),
            issued_by=actor,
            issued_at=now,
            expires_at=now + timedelta(hours=ENROLMENT_CODE_HOURS),
        )
        record_security_event(actor, SecurityEvent.Action.ENROLMENT_CODE_ISSUED, user)
    return code


def redeem_enrolment_code(user: User, code: str) -> bool:
    """Use up ``user``'s enrolment code: True once for a code issued to them, unused and unexpired; else False."""
    now = timezone.now()
    # One conditional UPDATE: of two requests racing with the same code, only one changes the row.
    used = EnrolmentCode.objects.filter(
        user=user, token_hash=_hash_code(code), used_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    return used == 1


def start_enrolment(user: User) -> TOTPDevice:
    """A fresh unconfirmed authenticator for ``user``; any earlier unconfirmed one (whose key may have been
    seen before the enrolment code was given) is removed."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, confirmed=False, name="Authenticator app")


def confirm_enrolment(user: User, device: TOTPDevice) -> list[str]:
    """Confirm the authenticator the user has just proved and issue new backup codes, returned once."""
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        StaticDevice.objects.filter(user=user).delete()
        backup = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
        codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=backup, token=code) for code in codes)
    return codes


def record_backup_code_use(user: User, device: StaticDevice) -> int:
    """After a backup code is accepted (django-otp has already deleted it): recorded, and the authenticator app
    is removed, as it is presumed lost. The user must then set one up again, with an enrolment code from an
    administrator: a backup code alone never lets anyone enrol an app. Returns the backup codes left."""
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=user).delete()[0]
        left = StaticToken.objects.filter(device=device).count()
        record_security_event(
            user,
            SecurityEvent.Action.BACKUP_CODE_USED,
            user,
            "",
            backup_codes_left=left,
            authenticators_removed=removed,
        )
    return left


def reset_second_factor(actor, user: User, reason: str) -> int:
    """Remove every second factor of ``user`` (authenticator apps and backup codes), with the administrator's
    reason; recorded. Their sessions end at their next request (accounts.middleware) and they must enrol again
    with an enrolment code. Returns the number of devices removed."""
    _check_may_manage(actor, user)
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("Say why the second factor is being reset.")
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=user).delete()[1].get(TOTPDevice._meta.label, 0)
        removed += StaticDevice.objects.filter(user=user).delete()[1].get(StaticDevice._meta.label, 0)
        record_security_event(actor, SecurityEvent.Action.SECOND_FACTOR_RESET, user, reason, devices_removed=removed)
    return removed


def issue_password_reset_path(actor, user: User) -> str:
    """The path of a password-reset page for ``user`` (Django's token: it stops working once the password
    changes or they sign in, and after PASSWORD_RESET_TIMEOUT); recorded. The administrator's page shows it and
    emails it to the user's own address (``accounts.views.issue_password_reset_link``)."""
    _check_may_manage(actor, user)
    record_security_event(actor, SecurityEvent.Action.PASSWORD_RESET_LINK_ISSUED, user)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})


# ---------------------------------------------------------------------------------------------------
# The staff profile: availability, and the dashboard's bookmark


def mark_dashboard_seen(user: User) -> Any:
    """Record that ``user`` opened their dashboard now; return when they had opened it before (None: never).

    ``dashboard_seen_at`` is a bookmark left out of the profile's history (``accounts.apps``), so a plain update
    loses nothing and writes no history row on every visit."""
    before = User.objects.filter(pk=user.pk).values_list("dashboard_seen_at", flat=True).first()
    User.objects.filter(pk=user.pk).update(dashboard_seen_at=timezone.now())
    return before


def set_availability_note(actor, user: User, note: str) -> User:
    """Set a facilitator's next leave or availability note: by themselves or a manager; historied."""
    from accounts import roles

    if actor.pk != user.pk and not roles.is_manager(actor):
        raise PermissionError("Only the person themselves or a manager can change their availability.")
    user.availability_note = note.strip()[:200]
    user._history_user = actor  # type: ignore[attr-defined]
    user._change_reason = "availability changed"  # type: ignore[attr-defined]
    user.save(update_fields=["availability_note"])
    return user
