"""Count every case into the performance page's summary tables (insights.summary; safe to run twice)."""

from django.core.management.base import BaseCommand

from insights import summary


class Command(BaseCommand):
    help = (
        "Count the measures of the performance page for every month and partnership into its summary tables, "
        "replacing the last count in one transaction. The page reads whole months from them and says when they "
        "were counted."
    )

    def handle(self, *args, **options):
        made = summary.refresh()
        self.stdout.write(
            f"Performance summary counted: {made.cases} cases, as of {made.as_of:%d %B %Y}, in {made.seconds:.1f} s."
        )
