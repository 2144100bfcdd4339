"""Writes about accounts: the security log and the privileged acts it records.

Every privileged act (a role granted or removed, a second factor reset, an account unlocked, an organisation
changed) ends in ``record_security_event``: one append-only row saying who did what to whom, when and why.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Group
from django.db import models, transaction

from accounts.models import SecurityEvent, User


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
        record_security_event(actor, SecurityEvent.Action.ACCOUNT_UNLOCKED, subject or username or ip_address,
                              reason, username=username or "", ip_address=ip_address or "", attempts_cleared=cleared)
    return cleared
