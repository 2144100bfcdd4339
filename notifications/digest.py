"""The morning digest: each facilitator and caseworker is sent, once a day, the Victims' Code deadlines of their
own cases due that day or overdue and the agreement actions due within seven days. ``send_daily_digest`` runs
it; a second run on the same day sends nobody a second digest (one row per person per day, held by a unique
constraint), and a person with nothing due is sent nothing."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction

from notifications.models import Message
from notifications.selectors import digest_items, digest_recipients
from notifications.services import digest_message
from notifications.tasks import enqueue_messages


def queue_digests(day: date) -> dict[str, int]:
    """Write and queue the digests of ``day``; returns how many were queued, already sent today, or empty."""
    counts = {"queued": 0, "already": 0, "nothing due": 0}
    already = set(Message.objects.filter(kind=Message.Kind.DIGEST, digest_day=day).values_list("user_id", flat=True))
    queued = []
    for user in digest_recipients():
        if user.pk in already:
            counts["already"] += 1
            continue
        items = digest_items(user, day)
        if not items:
            counts["nothing due"] += 1
            continue
        try:
            with transaction.atomic():
                queued.append(digest_message(user, day, items).pk)
        except IntegrityError:  # another run wrote this person's digest just now
            counts["already"] += 1
            continue
        counts["queued"] += 1
    enqueue_messages(queued)
    return counts
