"""The list, case, person and timeline pages and the dashboard run a fixed number of queries, whatever the
number of cases, parties or transitions: the same with one as with many, and never more than the pin."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from rjcases import services
from rjcases.models import Consent, ContactAttempt, Party
from tests.walk import assess_and_consent, refer, to_assessment, to_preparation

# The pins: raise one only with a reason (a new section on the page), never for a per-row query.
# detail 22 -> 25: the complaints section (Victims' Code, Right 12), whom each note is shared with, and on
# PostgreSQL the read-access log's chain lock (audit); timeline 29 -> 31: the emails on the timeline and the
# chain lock; dashboard 21 -> 22: the complaints due; 22 -> 23: the open data protection requests (managers).
# The timeline: +2 for the communication needs in its header (the case's people) and interpreter bookings' history.
# detail 26 -> 18: the case page in sections (issue 17): the summary shows no people, contacts, notes, restorative
# work or letters, which are the sections "people", "work" and "letters" (tests/rjcases/test_case_sections.py).
# detail 15 -> 9 (issue 20: 9 on PostgreSQL, 8 on SQLite; were 13 and 12): the user's roles, partnerships and second
# factors in the user's own query (accounts.backends), so every page -1; the summary's strands, possible duplicates
# and whether there is a complaint in the case's query; its guards' current activity and agreement read once
# (rjcases.held_reads; in the later states at most 2 more, tests/rjcases/test_case_sections.py).
MAX_QUERIES = {
    "list": 14,
    "detail": 9,
    "people": 16,
    "work": 16,
    "letters": 11,
    "timeline": 29,
    "party": 13,
    "dashboard": 19,
}


@pytest.fixture(autouse=True)
def _session_touched_once(monkeypatch):
    """A session is saved at most once a minute (accounts.middleware.touch_session): here only by the first request
    after signing in, which ``sign_in`` makes before anything is counted, however slow the machine."""
    monkeypatch.setattr("accounts.middleware.SESSION_TOUCH_EVERY", 10**6)


def sign_in(client, user) -> None:
    client.force_login(user)
    assert client.get(reverse("dashboard")).status_code == 200


# Each role's dashboard as a task list (tests/rjcases/test_dashboards.py; "dashboard" above is the referrer's): the
# facilitator's open cases with their deadlines and next steps (the people, assessments and consents behind the
# next step), new allocations and risk reviews; the caseworker's clients; the manager's caseloads (the facilitators,
# their open cases by status and overdue, as facilitator and co-facilitator), stale cases and supervision reviews.
DASHBOARD_PINS = {"facilitator": 23, "caseworker": 10, "manager": 30, "police_referrer": 18}


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def busy_case(referrer, manager, facilitator, *, extra_parties: int, rounds: int):
    """A case with many people (each assessed, consented, contacted), notes and transitions."""
    case = refer(referrer)
    case = to_assessment(case, manager, facilitator)
    for i in range(extra_parties):
        services.add_party(
            case,
            facilitator,
            role=Party.Role.HARMED if i % 2 else Party.Role.RESPONSIBLE,
            first_name=f"Extra{i}",
            last_name="Person",
            phone=f"07700 9001{i:02d}",
            caseworker=None,
        )
    assess_and_consent(case, facilitator)
    case = services.case_find_suitable(case, facilitator)
    for i in range(rounds):  # each round: withdrawn, then reopened (two more transitions)
        case = services.case_reopen(
            services.case_withdraw(case, facilitator, withdrawn_by="service", reason=f"Round {i}"),
            manager,
            reason="Back again",
        )
    for party in case.parties.all():
        services.update_party(party, facilitator, language="Polish")
        services.record_contact(
            case,
            facilitator,
            party=party,
            at=timezone.now() - timedelta(hours=1),
            method=ContactAttempt.Method.PHONE,
            result=ContactAttempt.Result.REACHED,
        )
        consent = party.consents.first()
        services.withdraw_consent(consent, facilitator, withdrawn_on=timezone.localdate(), reason="Changed mind")
        services.record_consent(
            party,
            facilitator,
            purpose=Consent.Purpose.FEEDBACK,
            given_on=timezone.localdate(),
            method=Consent.Method.EMAIL,
        )
    for i in range(extra_parties):
        services.add_note(case, facilitator, body=f"Note {i}")
    return case


@pytest.fixture
def one_case(police_referrer, manager, facilitator):
    case = busy_case(police_referrer, manager, facilitator, extra_parties=0, rounds=1)
    refer(police_referrer)  # and one possible duplicate of it, so every dashboard list has a row
    return case


@pytest.fixture
def many_cases(police_referrer, manager, facilitator):
    case = busy_case(police_referrer, manager, facilitator, extra_parties=6, rounds=6)
    for _ in range(30):  # more than a page of the list
        to_preparation(refer(police_referrer, strands=("race", "religion")), manager, facilitator)
    return case


def _pages(case):
    party = case.parties.order_by("id").first()
    return {
        "list": reverse("rjcases:list"),
        "detail": reverse("rjcases:detail", args=[case.reference]),
        "people": reverse("rjcases:people", args=[case.reference]),
        "work": reverse("rjcases:work", args=[case.reference]),
        "letters": reverse("rjcases:letters", args=[case.reference]),
        "timeline": reverse("rjcases:timeline", args=[case.reference]),
        "party": reverse("rjcases:party_detail", args=[case.reference, party.pk]),
        "dashboard": reverse("dashboard"),
    }


PAGES_FOR = {
    "manager": ["list", "detail", "people", "work", "letters", "timeline", "party", "dashboard"],
    "facilitator": ["list", "detail", "people", "work", "letters", "timeline", "party", "dashboard"],
    "police_referrer": ["list", "detail", "timeline", "dashboard"],
}


def test_query_counts_do_not_grow_with_cases_parties_or_transitions_and_stay_under_the_pins(
    db, request, client, one_case
):
    """Every persona's pages count the same queries on one quiet case (alone in the database) as on a busy one
    among thirty others, and no more than the pin. The data is built once for all three personas: building it
    is most of the test's time."""

    def counts(case, persona):
        sign_in(client, request.getfixturevalue(persona))
        return {page: count_queries(client, url) for page, url in _pages(case).items() if page in PAGES_FOR[persona]}

    small = {persona: counts(one_case, persona) for persona in PAGES_FOR}
    many_cases = request.getfixturevalue("many_cases")
    assert many_cases.parties.count() == 8
    assert many_cases.transitions.count() > 10
    problems = []
    for persona in PAGES_FOR:
        big = counts(many_cases, persona)
        if big != small[persona]:
            problems.append(f"{persona}: one case {small[persona]}, many {big}")
        pins = {**MAX_QUERIES, "dashboard": DASHBOARD_PINS[persona]}
        too_many = {page: n for page, n in big.items() if n > pins[page]}
        if too_many:
            problems.append(f"{persona}: above the pin {MAX_QUERIES}: {too_many}")
    assert not problems, "\n".join(problems)


def test_filtered_and_searched_list_runs_a_fixed_number_of_queries(client, manager, many_cases):
    """Each choice filter costs one query to check its value; the rows themselves cost nothing more."""
    sign_in(client, manager)
    url = reverse("rjcases:list") + "?state=preparation&strand=race&ward=TRF01&route=police&q=Test"
    first_page = count_queries(client, url)
    second_page = count_queries(client, url + "&page=2")
    assert first_page == second_page
    assert first_page <= MAX_QUERIES["list"] + 3
