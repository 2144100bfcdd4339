"""manage.py rebuild_recorded_counts: the repair of the hotspot summary from the raw rows, and (--from-cases) the
step after the demo's bulk writer, which makes cases without their recorded incidents."""

from io import StringIO

import pytest
from django.core.management import call_command

from recorded.models import RecordedCount, RecordedIncident
from tests.recorded.test_counts import assert_summary_is_exact
from tests.walk import refer

pytestmark = pytest.mark.django_db


def test_the_command_rebuilds_a_damaged_summary_exactly(police_reference, police_referrer):
    for _ in range(3):
        refer(police_referrer)
    assert_summary_is_exact()
    RecordedCount.objects.all().delete()
    RecordedCount.objects.create(
        basis="occurred",
        grain="day",
        day="2026-01-05",
        ward_id=1,
        crime_type_id=1,
        source="police",
        strand_id=1,
        incidents=99,
    )  # a cell no row supports
    out = StringIO()
    call_command("rebuild_recorded_counts", stdout=out)
    assert_summary_is_exact()
    assert "Recorded incidents: 3; summary cells: " in out.getvalue()


def test_from_cases_first_records_the_cases_that_have_no_recorded_incident(police_reference, police_referrer):
    cases = [refer(police_referrer) for _ in range(2)]
    RecordedIncident.objects.filter(case=cases[0]).delete()  # as the bulk writer leaves a case
    out = StringIO()
    call_command("rebuild_recorded_counts", "--from-cases", stdout=out)
    assert "Recorded incidents made from cases: 1" in out.getvalue()
    assert RecordedIncident.objects.filter(case=cases[0]).count() == 1
    assert_summary_is_exact()
    call_command("rebuild_recorded_counts", "--from-cases", stdout=(again := StringIO()))  # safe to run twice
    assert "Recorded incidents made from cases: 0" in again.getvalue()
    assert RecordedIncident.objects.count() == 2
