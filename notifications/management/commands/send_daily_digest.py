"""Send each facilitator and caseworker their morning digest (safe to run twice: once per person per day)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from notifications.digest import queue_digests


class Command(BaseCommand):
    help = (
        "Email each facilitator and caseworker the Victims' Code deadlines of their cases due today or overdue and "
        "the agreement actions due in 7 days. Sends each person one digest a day however often it runs."
    )

    def handle(self, *args, **options):
        day = timezone.localdate()
        counts = queue_digests(day)
        self.stdout.write(
            f"Digests for {day:%Y-%m-%d}: {counts['queued']} queued, {counts['already']} already sent today, "
            f"{counts['nothing due']} with nothing due."
        )
