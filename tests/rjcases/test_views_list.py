"""The case list (filters, search, overdue, pages), the dashboard by role and the read access log."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from rjcases import services
from rjcases.models import Case, Party, ReadAccess
from tests.factories import incident_data
from tests.walk import refer, to_assessment


def references(response) -> list[str]:
    assert response.status_code == 200
    table = response.content.decode().split('data-testid="case-table"', 1)
    return re.findall(r">(RJ-\d{4}-\d{5})</a>", table[1]) if len(table) == 2 else []


@pytest.fixture
def cases(police_referrer, other_police_referrer, manager, facilitator):
    """Four cases: two of our force (one allocated), one of another force, one long overdue."""
    ours = refer(police_referrer, strands=("race",), incident=incident_data(crime_reference="06/111111/26"))
    allocated = to_assessment(
        refer(
            police_referrer,
            strands=("religion",),
            incident=incident_data(ward_code="TRF02"),
            parties=[services.PartyData(Party.Role.HARMED, "Zofia", "Kowalska", {})],
        ),
        manager,
        facilitator,
    )
    theirs = refer(
        manager,
        route_code="housing",
        referring_organisation=other_police_referrer.organisation,
        strands=("disability",),
        parties=[services.PartyData(Party.Role.RESPONSIBLE, "Dan", "Other", {})],
    )
    overdue = refer(
        manager,
        route_code="self-referral",
        received_on=timezone.localdate() - timedelta(days=40),
        parties=[services.PartyData(Party.Role.HARMED, "Olu", "Late", {})],
    )
    return {"ours": ours, "allocated": allocated, "theirs": theirs, "overdue": overdue}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["ours", "allocated", "theirs", "overdue"]),
        ("?state=assessment", ["allocated"]),
        ("?route=housing", ["theirs"]),
        ("?strand=religion", ["allocated"]),
        ("?ward=TRF02", ["allocated"]),
        ("?facilitator=none", ["ours", "theirs", "overdue"]),
        ("?overdue=on", ["overdue"]),
        ("?q=Kowalska", ["allocated"]),
        ("?q=zofia+kowal", ["allocated"]),
        ("?q=06/111111", ["ours"]),
    ],
)
def test_manager_filters_and_searches(client, manager, cases, query, expected):
    client.force_login(manager)
    found = references(client.get(reverse("rjcases:list") + query))
    assert sorted(found) == sorted(cases[name].reference for name in expected)


def test_filter_by_facilitator(client, manager, facilitator, cases):
    client.force_login(manager)
    found = references(client.get(reverse("rjcases:list") + f"?facilitator={facilitator.pk}"))
    assert found == [cases["allocated"].reference]


def test_search_by_reference(client, manager, cases):
    client.force_login(manager)
    assert references(client.get(reverse("rjcases:list") + f"?q={cases['theirs'].reference}")) == [
        cases["theirs"].reference
    ]


def test_overdue_cases_carry_a_tag(client, manager, cases):
    client.force_login(manager)
    html = client.get(reverse("rjcases:list")).content.decode()
    row = html.split(cases["overdue"].reference + "</a>", 1)[1].split("</tr>", 1)[0]
    assert "Overdue" in row
    other_row = html.split(cases["ours"].reference + "</a>", 1)[1].split("</tr>", 1)[0]
    assert "Overdue" not in other_row


def test_a_closed_case_is_not_overdue(client, manager, cases):
    services.case_decline(cases["overdue"], manager, reason="Out of scope")
    client.force_login(manager)
    assert references(client.get(reverse("rjcases:list") + "?overdue=on")) == []


def test_police_list_their_forces_referrals_only_and_cannot_search_names(client, police_referrer, cases):
    client.force_login(police_referrer)
    found = references(client.get(reverse("rjcases:list")))
    assert sorted(found) == sorted([cases["ours"].reference, cases["allocated"].reference])
    assert references(client.get(reverse("rjcases:list") + "?q=Kowalska")) == []
    html = client.get(reverse("rjcases:list")).content.decode()
    assert 'name="ward"' not in html
    assert 'name="facilitator"' not in html


def test_the_facilitator_lists_their_cases_and_the_unallocated_queue(client, facilitator, other_facilitator, cases):
    client.force_login(other_facilitator)
    found = references(client.get(reverse("rjcases:list")))
    assert cases["allocated"].reference not in found
    assert cases["ours"].reference in found
    client.force_login(facilitator)
    assert cases["allocated"].reference in references(client.get(reverse("rjcases:list")))


def test_the_list_is_paged(client, manager, police_referrer):
    for _ in range(27):
        refer(police_referrer)
    client.force_login(manager)
    first = references(client.get(reverse("rjcases:list")))
    second = references(client.get(reverse("rjcases:list") + "?page=2"))
    assert len(first) == 25
    assert len(second) == 2
    assert not set(first) & set(second)
    assert "27 cases" in client.get(reverse("rjcases:list")).content.decode()


def test_bad_filter_values_are_ignored_not_fatal(client, manager, cases):
    client.force_login(manager)
    assert client.get(reverse("rjcases:list") + "?state=nonsense&ward=nowhere&page=99").status_code == 200


# Dashboard


def test_the_managers_dashboard(client, manager, cases):
    client.force_login(manager)
    html = client.get(reverse("dashboard")).content.decode()
    section = html.split('data-testid="manager-dashboard"', 1)[1]
    assert cases["ours"].reference in section
    assert cases["overdue"].reference in section
    assert re.search(r'data-testid="unallocated-count">3<', section)
    assert re.search(r'data-testid="overdue-count">1<', section)


def test_the_facilitators_dashboard(client, facilitator, cases):
    client.force_login(facilitator)
    html = client.get(reverse("dashboard")).content.decode()
    section = html.split('data-testid="facilitator-dashboard"', 1)[1]
    assert cases["ours"].reference in section  # the queue
    assert 'data-testid="manager-dashboard"' not in html


def test_the_police_dashboard_shows_their_referrals_and_statuses_only(client, police_referrer, cases):
    client.force_login(police_referrer)
    html = client.get(reverse("dashboard")).content.decode()
    section = html.split('data-testid="referrer-dashboard"', 1)[1]
    assert cases["ours"].reference in section
    assert cases["allocated"].reference in section
    assert cases["theirs"].reference not in html
    assert "Assessment" in section
    assert "Kowalska" not in html


def test_the_caseworkers_dashboard_lists_the_people_they_support(client, caseworker, manager, cases):
    services.update_party(cases["allocated"].parties.get(), manager, caseworker=caseworker)
    client.force_login(caseworker)
    html = client.get(reverse("dashboard")).content.decode()
    section = html.split('data-testid="caseworker-dashboard"', 1)[1]
    assert cases["allocated"].reference in section
    assert cases["ours"].reference not in html


def test_the_dashboard_leaves_room_for_conference_reminders(client, manager, cases, settings, tmp_path):
    reminders = tmp_path / "conferences"
    reminders.mkdir()
    (reminders / "_dashboard_reminders.html").write_text('<p data-testid="reminders">Actions due</p>')
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    client.force_login(manager)
    assert 'data-testid="reminders"' in client.get(reverse("dashboard")).content.decode()


# The read access log


def test_every_read_is_logged_and_the_manager_can_filter_the_log(client, manager, facilitator, cases):
    case = cases["allocated"]
    party = case.parties.get()
    client.force_login(facilitator)
    client.get(reverse("rjcases:detail", args=[case.reference]))
    client.get(reverse("rjcases:party_detail", args=[case.reference, party.pk]))
    client.get(reverse("rjcases:timeline", args=[case.reference]))
    rows = ReadAccess.objects.filter(user=facilitator).order_by("id")
    assert [(r.what, r.case_id) for r in rows] == [("case", case.pk), ("party", case.pk), ("timeline", case.pk)]
    assert rows[1].object_id == str(party.pk)
    client.force_login(manager)
    client.get(reverse("rjcases:detail", args=[cases["ours"].reference]))
    html = client.get(reverse("rjcases:access_log") + f"?case={case.reference}").content.decode()
    assert html.count('<tr class="govuk-table__row">') == 1 + 3  # header + the facilitator's three reads
    html = client.get(reverse("rjcases:access_log") + f"?user={manager.pk}").content.decode()
    assert cases["ours"].reference in html
    assert case.reference not in html


def test_the_access_log_is_for_managers_only(client, facilitator, police_referrer):
    for user in (facilitator, police_referrer):
        client.force_login(user)
        assert client.get(reverse("rjcases:access_log")).status_code == 403


def test_a_page_that_fails_to_find_a_case_logs_nothing(client, other_police_referrer, cases):
    client.force_login(other_police_referrer)
    assert client.get(reverse("rjcases:detail", args=[cases["ours"].reference])).status_code == 404
    assert not ReadAccess.objects.filter(user=other_police_referrer).exists()
    assert Case.objects.count() == 4


def test_a_list_of_4000_pages_links_a_handful_of_them(monkeypatch, client, manager, police_referrer):
    """The paginator is told the list has 100,000 cases (4,000 pages) without making them: the page links the
    first and last pages and two after the current one, never one link per page. (Deep pages are in
    tests/govuk/test_pagination.py: here a deep page would have no rows to show.)"""
    from govuk.pagination import CappedPaginator

    refer(police_referrer)
    monkeypatch.setattr(CappedPaginator, "_capped_count", (100_000, False))
    client.force_login(manager)
    html = client.get(reverse("rjcases:list")).content.decode()
    assert "100,000 cases" in html
    assert html.count('aria-label="Page ') == 4  # 1 (current), 2, 3, ..., 4000
    assert 'aria-label="Page 1" aria-current="page"' in html
    assert 'aria-label="Page 4000"' in html
    assert 'aria-label="Page 4"' not in html
    assert html.count("govuk-pagination__item--ellipsis") == 1


def test_a_list_longer_than_the_cap_says_more_than_and_counts_no_further(monkeypatch, client, manager, police_referrer):
    for _ in range(3):
        refer(police_referrer)
    monkeypatch.setattr("govuk.pagination.CAP", 2)
    client.force_login(manager)
    response = client.get(reverse("rjcases:list"))
    assert "More than 2 cases. The pages show the newest 2" in response.content.decode()
    assert len(references(response)) == 2
    assert response.context["page"].paginator.count == 2
