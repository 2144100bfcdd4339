"""Sign-in limits that hold against password spraying, on top of django-axes' own.

Three locks, each checked before a password is tried and each recorded in the security log when it starts:

- **username and address** (axes' own): ``AXES_FAILURE_LIMIT`` failures (5) of one username from one address lock
  that pair for ``AXES_COOLOFF_TIME`` (15 minutes);
- **address**: ``RJ_SIGNIN_ADDRESS_LIMIT`` failures (20) from one address, whatever the usernames, within
  ``RJ_SIGNIN_ADDRESS_WINDOW`` (15 minutes) lock the address for as long again: one password tried against
  thirty usernames stops at the twentieth;
- **username**: ``RJ_SIGNIN_USERNAME_LIMIT`` failures (10) of one username, from any addresses, within
  ``RJ_SIGNIN_USERNAME_WINDOW`` (24 hours) lock the username for as long again. Its owner ends the lock by
  changing the password (an administrator's reset link), as an administrator can by unlocking it.

Every count is a count of axes' ``AccessFailureLog`` rows and every lock a row of the security log
(``SecurityEvent``), so all processes sharing the database share the limits; nothing depends on a cache. A lock
ends when its cool-off passes, or when a later ``account_unlocked`` (an administrator, ``services.unlock_account``)
or ``signin_lock_ended`` (a password change, ``PasswordChangeEndsLock``) row names the same username or address;
failures before the latest of these rows no longer count. Failures of usernames that do not exist count and lock
exactly as those of real accounts, so nothing the page says tells whether a username exists.

The handler is axes' database handler (``AXES_HANDLER``) with the two further locks added; it needs
``AXES_ENABLE_ACCESS_FAILURE_LOG = True``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessFailureLog
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.utils import timezone

from accounts.models import SecurityEvent, User

ADDRESS = "address"
USERNAME = "username"
USERNAME_AND_ADDRESS = "username_and_address"


@dataclass(frozen=True)
class SignInLock:
    """A lock in force: which kind, and when it ends (unless ended sooner)."""

    scope: str
    until: datetime
    length: timedelta


def _limit_and_window(scope: str) -> tuple[int, timedelta]:
    if scope == ADDRESS:
        return settings.RJ_SIGNIN_ADDRESS_LIMIT, settings.RJ_SIGNIN_ADDRESS_WINDOW
    return settings.RJ_SIGNIN_USERNAME_LIMIT, settings.RJ_SIGNIN_USERNAME_WINDOW


def _events_about(scope: str, key: str) -> Q:
    """Security log rows that start or end a lock of this address or username."""
    if scope == ADDRESS:
        return Q(action=SecurityEvent.Action.SIGNIN_LOCKED, details__scope=ADDRESS, details__ip_address=key) | Q(
            action=SecurityEvent.Action.ACCOUNT_UNLOCKED, details__ip_address=key
        )
    return Q(action=SecurityEvent.Action.SIGNIN_LOCKED, details__scope=USERNAME, details__username=key) | Q(
        action__in=[SecurityEvent.Action.ACCOUNT_UNLOCKED, SecurityEvent.Action.SIGNIN_LOCK_ENDED],
        details__username=key,
    )


def _latest_event(scope: str, key: str, now: datetime) -> SecurityEvent | None:
    _, window = _limit_and_window(scope)
    return (
        SecurityEvent.objects.filter(_events_about(scope, key), at__gt=now - window)
        .order_by("-at", "-id")
        .only("action", "at")
        .first()
    )


def _lock_in_force(scope: str, key: str | None, now: datetime) -> SignInLock | None:
    if not key:
        return None
    latest = _latest_event(scope, key, now)
    if latest is None or latest.action != SecurityEvent.Action.SIGNIN_LOCKED:
        return None
    _, window = _limit_and_window(scope)
    return SignInLock(scope, latest.at + window, window)


def _failures(scope: str, key: str, now: datetime) -> int:
    """Failures counted towards a new lock: within the window, and since the last lock or unlock."""
    _, window = _limit_and_window(scope)
    since = now - window
    latest = _latest_event(scope, key, now)
    if latest is not None:
        since = max(since, latest.at)
    rows = AccessFailureLog.objects.filter(attempt_time__gt=since)
    rows = rows.filter(ip_address=key) if scope == ADDRESS else rows.filter(username=key)
    return rows.count()


def current_lock(ip_address: str | None, username: str | None) -> SignInLock | None:
    """The longest-lasting address or username lock in force for this attempt, or None."""
    now = timezone.now()
    locks = [
        lock
        for lock in (_lock_in_force(ADDRESS, ip_address, now), _lock_in_force(USERNAME, username, now))
        if lock is not None
    ]
    return max(locks, key=lambda lock: lock.until, default=None)


def _record_lock(
    scope: str, *, ip_address: str | None, username: str | None, failures: int, length: timedelta
) -> SignInLock:
    from accounts.services import record_security_event

    now = timezone.now()
    minutes = int(length.total_seconds() // 60)
    if scope == ADDRESS:
        subject = ip_address
        reason = f"{failures} failed sign-ins from this address, whatever the usernames, within {minutes} minutes."
    elif scope == USERNAME:
        subject = User.objects.filter(username=username).first() or username
        reason = f"{failures} failed sign-ins of this username, from any addresses, within {minutes} minutes."
    else:
        subject = User.objects.filter(username=username).first() or username
        reason = f"{failures} failed sign-ins of this username from one address."
    record_security_event(
        None,
        SecurityEvent.Action.SIGNIN_LOCKED,
        subject,
        reason,
        scope=scope,
        username=username or "",
        ip_address=ip_address or "",
        failures=failures,
        locked_minutes=minutes,
    )
    return SignInLock(scope, now + length, length)


class SignInLimitsHandler(AxesDatabaseHandler):
    """axes' database handler, with the address and username locks (see the module docstring)."""

    def __init__(self):
        super().__init__()
        if not settings.AXES_ENABLE_ACCESS_FAILURE_LOG:
            raise ImproperlyConfigured(
                "accounts.signin_limits counts AccessFailureLog rows: set AXES_ENABLE_ACCESS_FAILURE_LOG = True."
            )

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        lock = current_lock(request.axes_ip_address, get_client_username(request, credentials))
        if lock is not None:
            request.rj_signin_lock = lock
            return True
        return False

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        refused_while_locked = request is not None and getattr(request, "axes_locked_out", False)
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or refused_while_locked or self.is_whitelisted(request, credentials):
            # A refusal during a lock is not a new failure (axes records nothing for it either).
            return
        ip_address = request.axes_ip_address
        username = get_client_username(request, credentials)
        if request.axes_locked_out:
            _record_lock(
                USERNAME_AND_ADDRESS,
                ip_address=ip_address,
                username=username,
                failures=request.axes_failures_since_start or 0,
                length=settings.AXES_COOLOFF_TIME,
            )
        now = timezone.now()
        locks = []
        for scope, key in ((ADDRESS, ip_address), (USERNAME, username)):
            limit, window = _limit_and_window(scope)
            if key and (failures := _failures(scope, key, now)) >= limit:
                locks.append(
                    _record_lock(scope, ip_address=ip_address, username=username, failures=failures, length=window)
                )
        if locks:
            request.rj_signin_lock = max(locks, key=lambda lock: lock.until)
            request.axes_locked_out = True
            request.axes_credentials = credentials


def end_username_lock(user: User, reason: str) -> bool:
    """End a username lock in force for ``user`` (their password was changed); recorded. False if none was."""
    from accounts.services import current_actor, record_security_event

    username = user.get_username()
    if _lock_in_force(USERNAME, username, timezone.now()) is None:
        return False
    actor, _ = current_actor()
    record_security_event(actor, SecurityEvent.Action.SIGNIN_LOCK_ENDED, user, reason, username=username)
    return True


class PasswordChangeEndsLock:
    """Not a rule for passwords: Django tells every entry of ``AUTH_PASSWORD_VALIDATORS`` when a user's password
    has been changed and saved (``password_changed``), by any route (the reset link, the admin, a command), and
    that ends the lock on the username. Whoever can set the password owns the account, so an attacker who
    locked it cannot keep its owner out."""

    def validate(self, password, user=None) -> None:
        return None

    def password_changed(self, password, user=None) -> None:
        if user is not None and user.pk is not None:
            end_username_lock(user, "The account's password was changed.")

    def get_help_text(self) -> str:
        return "A new password also ends any lock on signing in with your username after failed attempts."


def describe(length: timedelta) -> str:
    """'15 minutes', '24 hours', '1 hour'."""
    minutes = int(length.total_seconds() // 60)
    if minutes % 60 == 0 and minutes >= 60:
        hours = minutes // 60
        return "1 hour" if hours == 1 else f"{hours} hours"
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def lockout_context(request) -> dict:
    """What the sign-in page says about the lock refusing this request: how long, and how it can end sooner.
    The same for every username, whether or not an account has it."""
    lock: SignInLock | None = getattr(request, "rj_signin_lock", None)
    length = lock.length if lock is not None else settings.AXES_COOLOFF_TIME
    return {"cooloff": describe(length), "username_lock": lock is not None and lock.scope == USERNAME}
