"""Email the reporting-centre survey link to each person who reported and agreed to it (safe to run twice)."""

from django.core.management.base import BaseCommand

from insights.services import email_survey_links


class Command(BaseCommand):
    help = (
        "Email the centre satisfaction survey link to each person who reported at a reporting centre and agreed "
        "to it when the report was recorded. Each is sent one link, once, however often this runs."
    )

    def handle(self, *args, **options):
        outcomes = email_survey_links()
        for outcome, references in sorted(outcomes.items()):
            for reference in references:
                self.stdout.write(f"{reference}: {outcome}")
        self.stdout.write(f"{len(outcomes.get('queued', []))} survey emails queued.")
