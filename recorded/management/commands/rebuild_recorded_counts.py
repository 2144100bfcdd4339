"""manage.py rebuild_recorded_counts: the hotspot summary and repeat flags recomputed from the raw rows."""

from django.core.management.base import BaseCommand

from recorded import counts
from recorded.models import RecordedIncident


class Command(BaseCommand):
    help = (
        "Recompute every recorded incident's repeat flags and the hotspot summary table from the raw rows. The "
        "summary is kept exact on every write; this is the repair, and the step after a bulk load."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--from-cases",
            action="store_true",
            help="First give every case without a recorded incident its own (cases written in bulk by seed_demo).",
        )

    def handle(self, *args, from_cases, **options):
        if from_cases:
            from recorded.bulk import record_missing_cases

            self.stdout.write(f"Recorded incidents made from cases: {record_missing_cases()}")
        cells = counts.rebuild()
        self.stdout.write(f"Recorded incidents: {RecordedIncident.objects.count()}; summary cells: {cells}")
