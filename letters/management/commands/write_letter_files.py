"""python manage.py write_letter_files [--failed-only] [--older-than-minutes N] [--letter ID ...]

Writes the files of letters whose file is still pending or could not be written (the retry for the task that
writes them after a move commits), and prints what it did with each: the case reference, the letter's id, kind
and version, never the recipient's name. Safe to run again and from cron: a letter whose file is written is
skipped. The scheduler runs it hourly with --older-than-minutes 10, leaving letters just made to their own task.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from letters.files import FAILED, letters_without_files, write_letter_file
from letters.models import Letter


class Command(BaseCommand):
    help = "Write the files of letters whose file is pending or could not be written."

    def add_arguments(self, parser):
        parser.add_argument("--failed-only", action="store_true", help="Only letters whose file could not be written.")
        parser.add_argument(
            "--letter",
            type=int,
            action="append",
            default=[],
            metavar="ID",
            help="Only this letter (may be given more than once).",
        )
        parser.add_argument(
            "--older-than-minutes",
            type=float,
            default=0.0,
            metavar="N",
            help="Only letters made more than N minutes ago (default 0: all).",
        )

    def handle(self, *args, failed_only, letter, older_than_minutes, **options):
        if older_than_minutes < 0:
            raise CommandError("--older-than-minutes cannot be negative.")
        letters = letters_without_files()
        if older_than_minutes:
            letters = letters.filter(generated_at__lte=timezone.now() - timedelta(minutes=older_than_minutes))
        if failed_only:
            letters = letters.filter(file_status=Letter.FileStatus.FAILED)
        if letter:
            letters = letters.filter(pk__in=letter)
        counts = {}
        for found in letters:
            outcome = write_letter_file(found.pk)
            counts[outcome] = counts.get(outcome, 0) + 1
            what = f"{found.get_kind_display()}, version {found.version}"
            line = f"{found.case.reference} letter {found.pk} ({what}): {outcome}"
            if outcome == FAILED:
                found.refresh_from_db(fields=["file_error"])
                self.stdout.write(self.style.ERROR(f"{line}: {found.file_error}"))
            else:
                self.stdout.write(line)
        summary = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items())) or "no letter needed it"
        style = self.style.ERROR if counts.get(FAILED) else self.style.SUCCESS
        self.stdout.write(style(f"Letter files: {summary}."))
