"""The case page in sections (issue 17, "the case page leads"): a summary (status, what to do next and what is
missing, key dates, the incident, the Victims' Code), the people (with the contact log and the notes), the
restorative work (assessments, consents, preparation, the activity, the agreement, follow-up), the letters and the
timeline, each at its own address under the case's reference, with the same header and sub-navigation. Each is
scoped like the case page (404 outside the user's scope), logs one read per GET, and runs a pinned number of
queries, the summary fewer than the whole page used to."""

import re
from datetime import date

import pytest
from django.urls import reverse

from conferences.models import AgreementAction
from rjcases import services
from rjcases.models import Case, HateStrand, Party, ReadAccess
from tests.walk import case_in_every_section, plan_activity, refer, to_agreement, to_conferencing, to_preparation

pytestmark = pytest.mark.django_db

SECTIONS = {  # URL name: the label of its sub-navigation item
    "detail": "Summary",
    "people": "People",
    "work": "Restorative work",
    "letters": "Letters",
    "timeline": "Timeline",
}
# The whole case page ran at most 26 queries (tests/rjcases/test_query_counts.py, 22 measured on SQLite before the
# split); the summary now needs no people's cards, contacts, notes, restorative work or letters. Then (issue 20) the
# user's roles, partnerships and second factors come with the user, and the summary's strands, duplicates and
# complaints' presence with the case (tests/rjcases/test_query_counts.py): here, with an agreement, 11 on PostgreSQL
# (10 on SQLite), the current agreement and its actions for the guards of "complete" included.
PINS = {"detail": 11, "people": 16, "work": 16, "letters": 11, "timeline": 29}


@pytest.fixture
def case(police_referrer, manager, facilitator):
    return case_in_every_section(police_referrer, manager, facilitator)


def url(name: str, case) -> str:
    return reverse(f"rjcases:{name}", args=[case.reference])


def get(client, name, case) -> str:
    response = client.get(url(name, case))
    assert response.status_code == 200, (name, response.status_code)
    return response.content.decode()


def sub_navigation(page: str) -> list[tuple[str, str, bool]]:
    """(label, href, current) of each item of the case's sub-navigation."""
    nav = page.split('data-testid="case-sections"', 1)[1].split("</nav>", 1)[0]
    return [
        (label, href, bool(current))
        for href, current, label in re.findall(
            r'<a class="moj-sub-navigation__link" href="([^"]+)"( aria-current="page")?>([^<]+)</a>', nav
        )
    ]


def test_the_summary_leads_with_status_next_steps_dates_and_the_victims_code(client, case, facilitator):
    client.force_login(facilitator)
    page = get(client, "detail", case)
    assert 'data-testid="transitions"' in page
    assert "What you can do now" in page
    assert 'data-testid="case-summary"' in page
    assert case.received_on.strftime("%-d %B %Y") in page
    assert 'data-testid="victims-code-clocks"' in page
    assert 'data-testid="incident-summary"' in page
    # The rest is in its own section, not on one long page.
    for elsewhere in ('data-testid="party-card"', 'data-testid="contact-log"', "Spoke to the person harmed",
                      'data-testid="restorative-work-panel"', 'data-testid="case-letters"'):  # fmt: skip
        assert elsewhere not in page


def test_the_people_section_shows_each_person_the_contact_log_and_the_notes(client, case, facilitator):
    client.force_login(facilitator)
    page = get(client, "people", case)
    assert page.count('data-testid="party-card"') == case.parties.count()
    for party in case.parties.all():
        assert party.display_name in page
        assert reverse("rjcases:party_detail", args=[case.reference, party.pk]) in page
    assert 'data-testid="contact-log"' in page
    assert "Left a voicemail &amp; a text." in page
    assert "Spoke to the person harmed&#x27;s sister &lt;b&gt;about&lt;/b&gt; the venue." in page  # escaped
    for link in ("party_add", "contact_add", "note_add"):
        assert reverse(f"rjcases:{link}", args=[case.reference]) in page


def test_the_work_section_shows_assessments_consents_and_the_restorative_work(client, case, facilitator):
    client.force_login(facilitator)
    page = get(client, "work", case)
    taking_part = case.parties.exclude(role=Party.Role.SUPPORTER)
    assert page.count('data-testid="work-card"') == taking_part.count()
    for party in taking_part:
        assert reverse("rjcases:assess", args=[case.reference, party.pk]) in page
        assert reverse("rjcases:consent_add", args=[case.reference, party.pk]) in page
    assert "Low risk" in page
    assert "To take part in restorative justice: in force since" in page
    assert 'data-testid="restorative-work-panel"' in page
    for name in ("preparation", "activity", "agreement", "monitoring", "closure", "feedback"):
        assert reverse(f"conferences:{name}", args=[case.reference]) in page
    assert "Signed" in page  # the agreement, with its actions


def test_the_letters_section_lists_the_cases_letters(client, case, facilitator):
    client.force_login(facilitator)
    page = get(client, "letters", case)
    assert 'data-testid="case-letters"' in page
    letters = list(case.letters.all())
    assert letters
    for letter in letters:
        assert reverse("letters:detail", args=[case.reference, letter.pk]) in page
    assert reverse("letters:generate", args=[case.reference]) in page


@pytest.mark.parametrize("section", list(SECTIONS))
def test_each_section_has_the_case_header_and_marks_itself_current(client, case, facilitator, section):
    client.force_login(facilitator)
    page = get(client, section, case)
    assert f'<h1 class="govuk-heading-l">{case.reference} ' in page
    items = sub_navigation(page)
    assert [label for label, _, _ in items] == [*SECTIONS.values(), "Supervision"]
    assert [(label, href) for label, href, current in items if current] == [(SECTIONS[section], url(section, case))]
    assert page.count('aria-current="page"') == 1


def test_a_referrer_has_the_summary_and_the_timeline_only(client, case, police_referrer):
    client.force_login(police_referrer)
    items = sub_navigation(get(client, "detail", case))
    assert [(label, current) for label, _, current in items] == [("Summary", True), ("Timeline", False)]
    for section in ("people", "work", "letters"):
        assert client.get(url(section, case)).status_code == 403
    refused = [url(section, case) for section in ("people", "work", "letters")]
    assert not ReadAccess.objects.filter(user=police_referrer, path__in=refused).exists()


@pytest.mark.parametrize("persona", ["other_facilitator", "other_police_referrer", "salford_manager", "regional_lead"])
def test_every_section_is_a_404_outside_the_users_scope(client, request, case, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    for section in SECTIONS:
        assert client.get(url(section, case)).status_code == 404, section
    assert not ReadAccess.objects.filter(user=user).exists()


def test_each_section_logs_one_read_of_the_case_per_visit(client, case, facilitator):
    client.force_login(facilitator)
    for section in ("detail", "people", "work", "letters"):
        before = ReadAccess.objects.filter(user=facilitator, case=case).count()
        get(client, section, case)
        rows = list(ReadAccess.objects.filter(user=facilitator, case=case).order_by("-id"))
        assert len(rows) == before + 1, section
        assert (rows[0].what, rows[0].path) == (ReadAccess.What.CASE, url(section, case))


def test_the_caseworker_sees_their_client_in_each_section_and_no_one_elses_details(client, case, caseworker, manager):
    harmed = case.parties.get(role=Party.Role.HARMED)
    services.update_party(harmed, manager, caseworker=caseworker)
    responsible = case.parties.get(role=Party.Role.RESPONSIBLE)
    client.force_login(caseworker)
    people = get(client, "people", case)
    assert harmed.phone in people
    assert responsible.phone not in people
    assert 'data-testid="party-card-brief"' in people
    work = get(client, "work", case)
    assert work.count('data-testid="work-card"') == 1
    assert harmed.display_name in work
    assert responsible.display_name not in work
    assert 'data-testid="case-letters"' in get(client, "letters", case)


@pytest.mark.parametrize("section", list(SECTIONS))
def test_each_sections_queries_are_pinned(client, case, facilitator, django_assert_max_num_queries, section):
    client.force_login(facilitator)
    get(client, "detail", case)  # the session's first request saves it; not counted
    with django_assert_max_num_queries(PINS[section]):
        get(client, section, case)


def test_the_summary_names_the_strands_in_their_order_and_the_possible_duplicates_newest_first(
    client, police_referrer, manager
):
    """Both are read in the case's own query (as JSON lists, sorted here): the strands in the order the reference
    data gives them, whatever their names hold; the duplicates as the case list orders cases, linked for a manager."""
    case = refer(police_referrer, strands=("race", "religion"))
    HateStrand.objects.filter(code="race").update(order=20, name='Race, "colour" & <nationality>')
    HateStrand.objects.filter(code="religion").update(order=10, name="Religion or belief")
    older, newer = refer(police_referrer), refer(police_referrer)
    Case.objects.filter(pk=older.pk).update(received_on=date(2026, 1, 5))
    Case.objects.filter(pk=newer.pk).update(received_on=date(2026, 3, 1))
    case.possible_duplicate_of.set([older, newer])
    client.force_login(manager)
    page = get(client, "detail", case)
    strands = page.split(">Strands</dt>", 1)[1].split("</dd>", 1)[0]
    assert strands.endswith("Religion or belief, Race, &quot;colour&quot; &amp; &lt;nationality&gt;")
    flag = page.split('data-testid="duplicate-flag"', 1)[1].split("</p>", 1)[0]
    links = re.findall(r'href="/cases/([^/"]+)/">([^<]+)</a>', flag)
    assert links == [(newer.reference, newer.reference), (older.reference, older.reference)]
    client.force_login(police_referrer)
    page = get(client, "detail", case)
    assert "Religion or belief" not in page
    assert 'data-testid="duplicate-flag"' not in page


def _planned_with_problems(police_referrer, manager, facilitator):
    """In preparation, an activity planned inviting someone who needs an interpreter (none booked) and someone who
    has since stopped taking part."""
    case = to_preparation(refer(police_referrer), manager, facilitator)
    harmed = case.parties.get(role=Party.Role.HARMED)
    services.update_party(harmed, facilitator, interpreter_needed=True, interpreter_language="Polish")
    plan_activity(case, facilitator)
    Party.objects.filter(role=Party.Role.RESPONSIBLE, case=case).update(participating=False)
    return case


def _agreement_resolved(police_referrer, manager, facilitator):
    case = to_agreement(refer(police_referrer), manager, facilitator)
    AgreementAction.objects.filter(agreement__case=case).update(status=AgreementAction.Status.DONE)
    return case


@pytest.mark.parametrize(
    "build",
    [
        _planned_with_problems,
        lambda r, m, f: to_conferencing(refer(r), m, f),
        lambda r, m, f: to_agreement(refer(r), m, f),
        _agreement_resolved,
    ],
    ids=["planned", "conferencing", "agreement", "actions-done"],
)
def test_the_summary_offers_what_the_transitions_service_offers_with_its_reads_held(
    client, police_referrer, manager, facilitator, build
):
    """The summary's case holds its current activity (with whom it invites) and agreement (with its actions) once
    read, for every guard (rjcases.held_reads): what it offers, and what it says is missing, is what the service
    works out on a case read afresh for every guard."""
    case = build(police_referrer, manager, facilitator)
    client.force_login(facilitator)
    shown = client.get(url("detail", case)).context["transitions"]
    expected = services.available_transitions(Case.objects.get(pk=case.pk), facilitator)
    assert [(t["name"], list(t["problems"])) for t in shown] == [(t["name"], list(t["problems"])) for t in expected]
    assert any(t["problems"] for t in shown) or case.state == "agreement"
