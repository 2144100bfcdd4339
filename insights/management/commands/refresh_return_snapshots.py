"""Count the quarterly returns into their snapshots (insights.snapshots; safe to run twice)."""

from django.core.management.base import BaseCommand

from insights import snapshots


class Command(BaseCommand):
    help = (
        "Count the quarterly monitoring return and the Victims' Code compliance return for the last complete "
        "quarter and the current one, for each partnership and for every partnership, replacing the last count "
        "in one transaction. The pages, CSVs and PDFs read them and say when they were counted."
    )

    def handle(self, *args, **options):
        made = snapshots.refresh()
        self.stdout.write(
            f"Return snapshots counted: {made.snapshots} returns, as of {made.as_of:%d %B %Y}, in {made.seconds:.1f} s."
        )
