"""Every insights page runs a fixed number of queries: the same with 5 cases as with 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conferences import services as conference_services
from insights.models import CentreSurveyResponse
from letters.models import Letter
from rjcases import services
from rjcases.models import HateStrand, Party
from tests.factories import days_ago
from tests.insights.conftest import make_case
from tests.walk import to_assessment

pytestmark = pytest.mark.django_db

HAS_LETTER_LANGUAGE = int(any(f.name == "language" for f in Letter._meta.concrete_fields))
WARDS = ["TRF01", "TRF02", "TRF03", "TRF04", "TRF05"]
CRIMES = ["public-order", "violence", "criminal-damage"]
STRAND_SETS = [("race",), ("religion",), ("race", "disability"), ("sexual-orientation",)]


def build(n, police_referrer, centre_staff, manager, facilitator, centre):
    for i in range(n):
        received = days_ago(5 + (i * 7) % 330)
        if i % 4 == 3:
            case = make_case(
                centre_staff,
                ward=WARDS[i % 5],
                crime=CRIMES[i % 3],
                strands=STRAND_SETS[i % 4],
                received_on=received,
                route="reporting-centre",
                reporting_centre=centre_staff.organisation,
                report_kind="assisted",
                consents_to_police=True,
            )
        else:
            case = make_case(
                police_referrer,
                ward=WARDS[i % 5],
                crime=CRIMES[i % 3],
                strands=STRAND_SETS[i % 4],
                received_on=received,
            )
        if i % 5 == 1:
            to_assessment(case, manager, facilitator)
        elif i % 5 == 2:
            case = services.case_decline(case, manager, reason="Out of scope")
            conference_services.record_feedback(
                case,
                manager,
                party=case.parties.get(role=Party.Role.HARMED),
                satisfied=i % 2 == 0,
                would_recommend=True,
                felt="better",
            )
        CentreSurveyResponse.objects.create(
            centre=centre,
            via="staff",
            submitted_on=received,
            satisfaction="satisfied",
            treated_with_respect="yes",
            knew_what_next="yes",
            would_recommend="yes",
            comments=f"Comment {i}",
        )


# Each count is the page's own queries beyond what the insights index page runs (the request's session, the user
# with their organisation (the header's), their roles, two-factor devices and partnerships with their service names,
# which every figure's partnership scope then reuses (issue 19), in the user's own query since issue 20, and the
# session save: measured, as they differ by backend): the reference data (5) and the page's aggregates. A download
# renders no page but pays the same overhead: the organisation comes with the user.
PAGES = {
    # name: (persona, url name, query, queries beyond the index page's)
    # The hotspot page reads the recorded-incident summary: the period's cells, its months, the previous year.
    "hotspots": ("manager", "hotspots", {}, 5 + 3),
    "hotspots-strand": ("manager", "hotspots", {"strand": "race"}, 5 + 3),
    "hotspots-csv": ("police_referrer", "hotspots", {"format": "csv", "table": "ward-crime-type"}, 5 + 3),
    # The performance page counted from the case records (no summary yet): 8, and 1 looking for the hourly summary
    # (insights.summary); the manager's facilitator choices 1. From the summary: test_performance_summary.py.
    "performance-manager": ("manager", "performance", {}, 5 + 1 + 1 + 8),
    "performance-facilitator": ("facilitator", "performance", {}, 5 + 1 + 8),
    # 11, and 3 for the communication needs (insights.selectors.needs; one more once letters record a language),
    # and 1 looking for the hourly snapshot (insights.snapshots; from the snapshot: test_return_snapshots.py).
    "return": ("manager", "quarterly_return", {}, 1 + 5 + 14 + HAS_LETTER_LANGUAGE),
    "return-csv": ("manager", "quarterly_return", {"format": "csv"}, 1 + 5 + 14 + HAS_LETTER_LANGUAGE),
    "return-pdf": ("manager", "quarterly_return", {"format": "pdf"}, 1 + 5 + 14 + HAS_LETTER_LANGUAGE),
    "satisfaction": ("facilitator", "satisfaction", {}, 5 + 3),
    "centres": ("manager", "centres", {}, 5),
    "centre": ("centre_staff", "centre", {}, 7),
}


def overhead(client) -> int:
    """The queries of the index page, which runs none of its own. Asked twice: the first request after signing in
    saves the session (then at most once a minute, accounts.middleware), which the pages counted do not pay."""
    client.get(reverse("insights:index"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("insights:index")).status_code == 200
    return len(queries)


def page_queries(client, url, query) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, query)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("cases", [5, 50])
def test_a_fixed_number_of_queries(client, request, cases, police_referrer, centre_staff, manager, facilitator, centre):
    """Each page's count is exact, the same at 5 cases as at 50 (the cases are built once for every page: the
    building is most of the test's time)."""
    from insights.services import create_survey_link

    build(cases, police_referrer, centre_staff, manager, facilitator, centre)
    wrong = {}
    for page, (persona, name, query, expected) in PAGES.items():
        if query.get("strand"):
            query = {**query, "strand": str(HateStrand.objects.get(code=query["strand"]).pk)}
        url = reverse(f"insights:{name}", args=[centre.pk] if name == "centre" else [])
        client.force_login(request.getfixturevalue(persona))
        expected += overhead(client)
        if (ran := page_queries(client, url, query)) != expected:
            wrong[page] = f"{ran} queries, expected {expected}"
    client.logout()
    _, token = create_survey_link(centre, centre_staff)
    # The link, and the survey's BSL video (letters.bsl).
    if (ran := page_queries(client, reverse("insights:survey", args=[token]), {})) != 2:
        wrong["public survey"] = f"{ran} queries, expected 2"
    assert not wrong, wrong


def test_the_counts_are_real_at_fifty(client, police_referrer, centre_staff, manager, facilitator, centre):
    build(50, police_referrer, centre_staff, manager, facilitator, centre)
    client.force_login(manager)
    result = client.get(reverse("insights:hotspots")).context["result"]
    assert result.total == 50
    assert result.strand_links == 50 + 12  # every fourth case (i % 4 == 2) carries two strands
    sources = {key: n for key, _label, n in result.sources}
    assert (sources["rj"], sources["centre"]) == (38, 12)  # every RJ referral and centre report is a recorded incident
    assert sum(sources.values()) == 50
