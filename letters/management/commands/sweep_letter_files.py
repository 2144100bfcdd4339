"""python manage.py sweep_letter_files [--older-than-hours 24] [--delete]

Lists (or with --delete, deletes) letter files that no letter points at: left behind when the process writing
a letter's file stopped after storing it but before its row was updated. Safe to run from cron: a file younger than
--older-than-hours is left alone (its transaction may still be in progress), and a letter's own file is
never touched.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from letters.files import delete_orphaned_letter_files, orphaned_letter_files


class Command(BaseCommand):
    help = "List, or with --delete remove, stored letter files that no letter points at."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-hours",
            type=float,
            default=24.0,
            help="Only files last modified longer ago than this (default 24).",
        )
        parser.add_argument("--delete", action="store_true", help="Delete them (default: only list them).")

    def handle(self, *args, older_than_hours, delete, **options):
        if older_than_hours < 0:
            raise CommandError("--older-than-hours cannot be negative.")
        age = timedelta(hours=older_than_hours)
        paths = delete_orphaned_letter_files(age) if delete else orphaned_letter_files(age)
        for path in paths:
            self.stdout.write(path)
        verb = "Deleted" if delete else "Found (not deleted; add --delete)"
        self.stdout.write(self.style.SUCCESS(f"{verb}: {len(paths)} letter file(s) that no letter points at."))
