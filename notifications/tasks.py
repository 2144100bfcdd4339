"""Background work for notifications (Django's ``django.tasks``): sending messages whose rows have committed.

Tasks take message primary keys, never instances (arguments are serialised), and may run twice: a message
already sent is skipped (``notifications.delivery.deliver``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.tasks import task

from notifications.delivery import deliver


@task
def send_message(message_id: int) -> str:
    """Send one message; returns sent, failed or skipped."""
    return deliver(message_id)


def enqueue_messages(message_ids: Iterable[int]) -> None:
    """Queue the sending of these messages, one task each. Register it with ``transaction.on_commit``."""
    for message_id in message_ids:
        send_message.enqueue(message_id)
