"""Insights per partnership (issue 19): one partnership's figures count only its cases and its wards' recorded
incidents, exactly, with the other partnership's cases beside them; the regional lead's count both."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from insights.access import partnership_scope
from insights.selectors import Filters, Period, hotspots, load_reference
from insights.selectors.incidents import IncidentFilters, incident_hotspots
from recorded.counts import rebuild
from rjcases.models import Ward
from tests.factories import incident_data
from tests.walk import refer

pytestmark = pytest.mark.django_db


@pytest.fixture
def both(police_referrer, salford_manager, salford_ward, trafford):
    """Three Trafford referrals (two wards) and two Salford ones, all today."""
    trafford_cases = [
        refer(police_referrer),
        refer(police_referrer),
        refer(police_referrer, incident=incident_data(ward_code="TRF02")),
    ]
    salford_cases = [
        refer(salford_manager, incident=incident_data(ward_code=salford_ward.code)),
        refer(salford_manager, incident=incident_data(ward_code=salford_ward.code), strands=("religion",)),
    ]
    rebuild()
    return trafford_cases, salford_cases


def _period():
    """From before the incidents (1 October 2026, ``incident_data``) to today, when they were referred."""
    return Period(date(2026, 9, 1), timezone.localdate())


def test_each_partnerships_case_hotspots_count_its_own_cases_only(both, manager, salford_manager, regional_lead):
    for user, total, wards in (
        (manager, 3, {"TRF01": 2, "TRF02": 1}),
        (salford_manager, 2, {"SLF01": 2}),
        (regional_lead, 5, {"TRF01": 2, "TRF02": 1, "SLF01": 2}),
    ):
        scope = partnership_scope(user)
        found = hotspots(Filters(period=_period(), partnerships=scope), load_reference(scope))
        assert found.total == total
        assert {w.code: n for w, n in found.ward_totals if n} == wards


def test_each_partnerships_recorded_incident_hotspots_count_its_wards_only(both, salford_manager, manager):
    for user, total in ((manager, 3), (salford_manager, 2)):
        scope = partnership_scope(user)
        ref = load_reference(scope)
        found = incident_hotspots(IncidentFilters(period=_period(), partnerships=scope), ref)
        assert found.total == total
        assert {w.partnership_id for w in ref.wards} == set(scope)


def test_the_recorded_incident_hotspots_read_the_summary_by_the_wards_of_the_partnership_named(
    both, client, manager, salford_manager
):
    """The hotspot page's three reads of the summary name the reader's wards as a list of keys, which the index
    ``recorded_count_ward`` serves: with a subquery on the wards instead, PostgreSQL read every partnership's cells
    of the period and dropped the others' (bench/partnerships.py, bench/README.md). Given a reference of another
    scope, the filters' partnerships still decide which wards count."""
    client.force_login(manager)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("insights:hotspots"))
    assert page.status_code == 200
    reads = [query["sql"] for query in captured if 'FROM "recorded_recordedcount"' in query["sql"]]
    assert len(reads) == 3
    ours = Ward.objects.filter(partnership__in=manager.partnerships.all()).order_by("pk").values_list("pk", flat=True)
    listed = f'"recorded_recordedcount"."ward_id" IN ({", ".join(map(str, ours))})'
    assert all(listed in sql and "rjcases_ward" not in sql for sql in reads), reads
    scope = partnership_scope(salford_manager)
    found = incident_hotspots(IncidentFilters(period=_period(), partnerships=scope), load_reference(None))
    assert found.total == 2


def test_a_salford_manager_sees_no_trafford_figure_on_any_insights_page(both, client, salford_manager):
    client.force_login(salford_manager)
    for name in ("hotspots", "performance", "quarterly_return", "satisfaction"):
        page = client.get(reverse(f"insights:{name}"))
        assert page.status_code == 200, name
        assert "Trf01" not in page.text, name  # Trafford's ward (the factory names it from its code)
    csv = client.get(reverse("insights:hotspots"), {"format": "csv", "table": "ward-crime-type"})
    assert b"Trf01" not in b"".join(csv.streaming_content) if csv.streaming else b"Trf01" not in csv.content


def test_the_regional_lead_reads_every_partnerships_figures_and_no_case(both, client, regional_lead):
    client.force_login(regional_lead)
    page = client.get(reverse("insights:hotspots"))
    assert page.status_code == 200
    assert "Trf01" in page.text
    assert "Salford Central" in page.text
    for name in ("performance", "quarterly_return", "satisfaction"):
        assert client.get(reverse(f"insights:{name}")).status_code == 200
    trafford_cases, salford_cases = both
    for case in (trafford_cases[0], salford_cases[0]):
        assert client.get(reverse("rjcases:detail", args=[case.reference])).status_code == 404
