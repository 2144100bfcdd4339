"""manage.py import_recorded_incidents FILE.csv [--skip-invalid]: the police's recorded hate crimes and incidents."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from recorded import layout
from recorded.models import ImportRun
from recorded.services import import_police_records


class Command(BaseCommand):
    help = (
        "Import police-recorded hate crimes and non-crime hate incidents from a CSV file laid out as docs/import.md "
        "says. Matched by crime reference: a record already held is updated, never duplicated. Any rejected row "
        "stops the whole import unless --skip-invalid is given; rejected rows are listed with their line and reason."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV file")
        parser.add_argument(
            "--skip-invalid", action="store_true", help="Import the valid rows and list the rejected ones."
        )

    def handle(self, *args, file, skip_invalid, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        try:
            rows = layout.read_csv(path.read_bytes())
        except layout.LayoutError as error:
            raise CommandError(f"{path.name}: {error} Nothing imported.")
        report = import_police_records(rows, via=ImportRun.Via.COMMAND, name=path.name, skip_invalid=skip_invalid)
        for reject in report.rejects:
            reference = f" ({reject.crime_reference})" if reject.crime_reference else ""
            self.stderr.write(f"line {reject.line}{reference}: {reject.reason}")
        if not report.imported:
            raise CommandError(report.message + " (--skip-invalid imports the valid rows only.)")
        self.stdout.write(report.message)
