"""Queue the cases whose retention date has come for a manager's review (daily; safe to run twice), and anonymise
any case decided "anonymise" that is not yet (a decision recorded before anonymisation was built, or one whose
anonymisation failed)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from privacy.services import queue_retention_reviews
from privacy.services.anonymise import anonymise_decided


class Command(BaseCommand):
    help = (
        "Queue every case whose retention date has come (the retention schedule) for a manager's review; a case "
        "already queued or decided is not queued again. Prints each case queued (reference and rule only)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="The day to count from, YYYY-MM-DD (default: today).")

    def handle(self, *args, **options):
        try:
            today = date.fromisoformat(options["today"]) if options["today"] else None
        except ValueError:
            raise CommandError(f"--today takes a date as YYYY-MM-DD, not {options['today']!r}.") from None
        made = queue_retention_reviews(today)
        for review in made:
            state = "anonymised (rule)" if review.decision else "queued for review"
            self.stdout.write(f"{review.case.reference}: {state}, due {review.due_on}, rule {review.rule.kind}")
        self.stdout.write(f"{len(made)} case(s) queued.")
        done = anonymise_decided()
        for record in done:
            self.stdout.write(f"{record.case.reference}: anonymised (decided {record.review.decided_at:%Y-%m-%d})")
        if done:
            self.stdout.write(f"{len(done)} decided case(s) anonymised.")
