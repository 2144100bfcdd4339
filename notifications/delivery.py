"""Sending one message: what the task in ``notifications.tasks`` and ``retry_failed_messages`` run.

Idempotent and safe against two senders: a message is claimed by one conditional UPDATE (queued or failed to
sending, one attempt more), so of two runs only one sends it; a sent message is never sent again. The email is
sent outside any transaction (a slow mail server holds no lock). A sender killed mid-send leaves the message
"sending"; after ``STALE_AFTER`` the retry command takes it up again.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.utils import timezone

from notifications.models import Message

logger = logging.getLogger(__name__)

SENT, FAILED, SKIPPED = "sent", "failed", "skipped"
STALE_AFTER = timedelta(minutes=15)
WIPED = "(This message carried a sign-in link; its text is not kept.)"


def _address(message: Message) -> str:
    if message.user_id:
        return message.user.email if message.user.is_active else ""
    return message.party.email if message.party_id else ""


def _error_text(exc: Exception, address: str) -> str:
    """What went wrong, for the record: never the address itself."""
    text = f"{type(exc).__name__}: {exc}"
    if address:
        text = text.replace(address, "<recipient>")
    return text[: Message._meta.get_field("error").max_length]


def _finish(message: Message, status: str, error: str = "") -> None:
    fields = {"status": status, "error": error}
    if status == Message.Status.SENT:
        fields["sent_at"] = timezone.now()
    if message.secret and (status == Message.Status.SENT or error.startswith("Expired")):
        fields.update(body_text=WIPED, body_html="")
    Message.objects.filter(pk=message.pk).update(**fields)


def deliver(message_id: int) -> str:
    """Send message ``message_id`` unless it is sent already (or being sent); returns sent, failed or skipped."""
    now = timezone.now()
    claimed = Message.objects.filter(pk=message_id, status__in=[Message.Status.QUEUED, Message.Status.FAILED]).update(
        status=Message.Status.SENDING, attempts=F("attempts") + 1, last_attempt_at=now
    )
    if not claimed:
        return SKIPPED
    message = Message.objects.select_related("user", "party").get(pk=message_id)
    if message.expires_at is not None and message.expires_at <= now:
        _finish(message, Message.Status.FAILED, "Expired before it could be sent.")
        return FAILED
    address = _address(message)
    if not address:
        _finish(message, Message.Status.FAILED, "No email address.")
        return FAILED
    email = EmailMultiAlternatives(message.subject, message.body_text, settings.DEFAULT_FROM_EMAIL, [address])
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    try:
        email.send()
    except Exception as exc:  # noqa: BLE001 - any failure of the mail server is recorded, then retried
        logger.warning("Message %s (%s) not sent: %s", message.pk, message.kind, type(exc).__name__)
        _finish(message, Message.Status.FAILED, _error_text(exc, address))
        return FAILED
    _finish(message, Message.Status.SENT)
    return SENT


def due_for_retry(now=None):
    """Messages to try again: failed ones with attempts left, and queued or sending ones left behind (a task
    that never ran, a sender that stopped) for longer than ``STALE_AFTER``."""
    now = now or timezone.now()
    stale = now - STALE_AFTER
    return Message.objects.filter(
        Q(status=Message.Status.FAILED, attempts__lt=settings.RJ_EMAIL_MAX_ATTEMPTS)
        | Q(status=Message.Status.QUEUED, queued_at__lt=stale)
        | Q(status=Message.Status.SENDING, last_attempt_at__lt=stale)
    ).order_by("queued_at", "id")


def retry_failed(now=None) -> dict[str, list[int]]:
    """Try each message due for retry once more; returns the ids by outcome. Safe to run twice (or at once)."""
    outcomes: dict[str, list[int]] = {}
    for message in due_for_retry(now).only("pk", "status"):
        if message.status == Message.Status.SENDING:
            # A sender stopped part-way: whether that email left is unknown; it is sent again.
            Message.objects.filter(pk=message.pk, status=Message.Status.SENDING).update(
                status=Message.Status.FAILED, error="Interrupted while sending."
            )
        outcomes.setdefault(deliver(message.pk), []).append(message.pk)
    return outcomes
