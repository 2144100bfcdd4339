"""Send again the emails that failed (or were left queued or half-sent); safe to run twice or at once."""

from django.conf import settings
from django.core.management.base import BaseCommand

from notifications.delivery import retry_failed


class Command(BaseCommand):
    help = (
        "Try again each email that could not be sent (up to RJ_EMAIL_MAX_ATTEMPTS attempts in all), and any left "
        "queued or half-sent for 15 minutes. Prints each message and what happened; a sent email is never resent."
    )

    def handle(self, *args, **options):
        outcomes = retry_failed()
        for outcome, ids in sorted(outcomes.items()):
            for message_id in ids:
                self.stdout.write(f"message {message_id}: {outcome}")
        total = sum(len(ids) for ids in outcomes.values())
        sent = len(outcomes.get("sent", []))
        self.stdout.write(f"{total} tried, {sent} sent (at most {settings.RJ_EMAIL_MAX_ATTEMPTS} attempts each).")
