"""The dashboards as task lists: the facilitator's open cases with next step and deadline, cases new to them, risk
reviews due; the caseworker's clients by name with status, next event and outcome; the manager's caseloads and
stale cases. Every count links to the case list filtered to the same cases, and each dashboard runs the same
number of queries whatever the number of cases."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from rjcases import dashboards, selectors, services
from rjcases.models import Case, ContactAttempt, Party
from tests.factories import UserFactory
from tests.rjcases.test_query_counts import DASHBOARD_PINS, count_queries
from tests.walk import refer, to_agreement, to_assessment, to_preparation


def client_case(referrer, caseworker, **fields):
    return refer(
        referrer,
        parties=[
            services.PartyData(Party.Role.HARMED, "Zofia", "Clientowska", {"caseworker": caseworker}),
            services.PartyData(Party.Role.RESPONSIBLE, "Kieran", "Testresponsible"),
        ],
        **fields,
    )


def test_a_case_allocated_a_moment_ago_leads_the_facilitators_dashboard_with_its_next_step_and_deadline(
    client, police_referrer, manager, facilitator
):
    case = refer(police_referrer)
    services.allocate(case, manager, facilitator=facilitator)
    client.force_login(facilitator)
    page = client.get(reverse("dashboard")).content.decode()
    new_to_me = page.split('data-testid="new-to-me"')[1].split("</ul>")[0]
    assert case.reference in new_to_me
    mine = page.split('data-testid="my-open-cases"')[1].split("</ul>")[0]
    assert f"{case.reference}: Tell the person harmed about restorative justice" in mine
    assert reverse("rjcases:contact_add", args=[case.reference]) in mine
    due = case.rj_information_due_on
    assert f"Next deadline: tell the person harmed about restorative justice, {due.day} {due:%B %Y}" in mine


def test_new_to_you_lists_only_what_was_allocated_after_the_last_visit(client, police_referrer, manager, facilitator):
    seen_before = refer(police_referrer)
    services.allocate(seen_before, manager, facilitator=facilitator)
    client.force_login(facilitator)
    client.get(reverse("dashboard"))  # the visit that sees it
    client.logout()
    later = refer(police_referrer)
    services.allocate(later, manager, facilitator=facilitator)
    client.force_login(facilitator)  # a new session: "since" is the previous visit
    page = client.get(reverse("dashboard")).content.decode()
    new_to_me = page.split('data-testid="new-to-me"')[1].split("</ul>")[0]
    assert later.reference in new_to_me
    assert seen_before.reference not in new_to_me


def test_open_cases_are_sorted_by_their_next_deadline_and_a_case_in_assessment_names_its_missing_step(
    police_referrer, manager, facilitator
):
    enhanced = refer(police_referrer, enhanced_rights=True, enhanced_rights_reason="Persistently targeted")
    ordinary = refer(police_referrer)
    ordinary, enhanced = (to_assessment(case, manager, facilitator) for case in (ordinary, enhanced))
    rows, count = dashboards.my_open_cases(facilitator, timezone.localdate())
    assert count == 2
    assert [c.next_due for c in rows] == sorted(c.next_due for c in rows)
    assert rows[0].reference == enhanced.reference  # told about RJ within 1 working day comes before 5
    # Once told about RJ, the next step is the first thing missing before preparation, linked to its form.
    services.record_contact(
        ordinary,
        facilitator,
        party=ordinary.parties.get(role=Party.Role.HARMED),
        at=timezone.now(),
        method="phone",
        result="reached",
        rj_information_given=True,
    )
    rows, _ = dashboards.my_open_cases(facilitator, timezone.localdate())
    row = next(c for c in rows if c.reference == ordinary.reference)
    harmed = ordinary.parties.get(role=Party.Role.HARMED)
    assert row.next_step.text == f"Assess {harmed.display_name} (person harmed)."
    assert row.next_step.url == reverse("rjcases:assess", args=[ordinary.reference, harmed.pk])


def test_a_risk_review_due_appears_on_the_facilitators_dashboard(police_referrer, manager, facilitator):
    case = to_preparation(refer(police_referrer), manager, facilitator)
    party = case.parties.get(role=Party.Role.RESPONSIBLE)
    today = timezone.localdate()
    services.record_assessment(
        party,
        facilitator,
        assessed_on=today,
        risk_level="medium",
        mitigations="Meet at the centre",
        acknowledges_facts=True,
        accepts_responsibility=True,
        review_on=today + timedelta(days=30),
    )
    assert dashboards.risk_reviews_due(facilitator, today) == []
    later = today + timedelta(days=30)
    due = dashboards.risk_reviews_due(facilitator, later)
    assert [a.party_id for a in due] == [party.pk]
    rows, _ = dashboards.my_open_cases(facilitator, today)
    assert any(d.label == "Risk review" for d in rows[0].deadlines)


def test_the_caseworkers_dashboard_names_each_client_with_status_next_event_and_outcome(
    client, police_referrer, manager, facilitator, caseworker
):
    open_case = client_case(police_referrer, caseworker)
    closed = client_case(police_referrer, caseworker)
    services.case_decline(closed, manager, reason="Out of scope")
    client.force_login(caseworker)
    page = client.get(reverse("dashboard")).content.decode()
    cards = page.split('data-testid="caseworker-dashboard"')[1]
    assert cards.count('data-testid="client-card"') == 2
    assert "Zofia Clientowska" in cards
    assert open_case.reference in cards
    assert closed.reference in cards
    assert "Referral declined" in cards
    assert "Waiting for the RJ service to accept the referral" in cards


def test_the_managers_caseloads_count_open_cases_by_facilitator_and_link_to_the_filtered_list(
    client, police_referrer, manager, facilitator, other_facilitator
):
    to_assessment(refer(police_referrer), manager, facilitator)
    to_preparation(refer(police_referrer), manager, facilitator)
    services.allocate(refer(police_referrer), manager, facilitator=other_facilitator, co_facilitator=facilitator)
    people = {p.pk: p for p in dashboards.caseloads(manager, timezone.localdate())}
    assert people[facilitator.pk].open_count == 3
    assert people[other_facilitator.pk].open_count == 1
    by_state = {row["state"]: row["count"] for row in people[facilitator.pk].open_by_state}
    assert by_state == {"referral": 1, "assessment": 1, "preparation": 1, "conferencing": 0, "agreement": 0}
    client.force_login(manager)
    page = client.get(reverse("dashboard")).content.decode()
    link = f"{reverse('rjcases:list')}?facilitator={facilitator.pk}&amp;state=open"
    assert link in page
    listed = client.get(f"{reverse('rjcases:list')}?facilitator={facilitator.pk}&state=open")
    assert listed.context["page"].paginator.count == 3


def test_a_case_with_nothing_recorded_for_n_working_days_is_stale(client, police_referrer, manager, facilitator):
    case = to_assessment(refer(police_referrer), manager, facilitator)
    today = timezone.localdate()
    visible = Case.objects.visible_to(manager)
    assert case not in dashboards.stale_q_cases(visible, today)
    later = today + timedelta(days=40)  # more than 20 working days
    assert list(dashboards.stale_q_cases(visible, later)) == [case]


def test_a_note_written_after_the_cut_off_makes_a_case_not_stale(police_referrer, manager, facilitator):
    case = to_assessment(refer(police_referrer), manager, facilitator)
    visible = Case.objects.visible_to(manager)
    cutoff_day = dashboards.stale_cutoff(timezone.localdate() + timedelta(days=40))
    assert cutoff_day > timezone.localdate()
    services.add_note(case, facilitator, body="Still working on it")
    note = case.notes.get()
    note.created_at = timezone.now() + timedelta(days=40)  # a note "written" after the cut-off, on a test's clock
    note.save()
    assert list(dashboards.stale_q_cases(visible, timezone.localdate() + timedelta(days=40))) == []


@pytest.mark.parametrize("what", ["contact", "note", "change"])
def test_anything_recorded_after_the_cut_off_makes_a_case_not_stale_as_its_last_activity_says(
    police_referrer, manager, facilitator, what
):
    """The stale filter ("changed before the cut-off, and no move, contact or note since") says what the shown last
    activity (the latest of the four) says, on a test's clock 40 days on. (A move cannot be dated on: the
    transition log is append-only; both cases' moves are before the cut-off, and the stale one stays stale.)"""
    stale, active = (to_assessment(refer(police_referrer), manager, facilitator) for _ in range(2))
    later = timezone.localdate() + timedelta(days=40)
    after = timezone.now() + timedelta(days=40)
    if what == "contact":
        services.record_contact(
            active,
            facilitator,
            party=active.parties.get(role=Party.Role.HARMED),
            at=timezone.now(),
            method=ContactAttempt.Method.PHONE,
            result=ContactAttempt.Result.NO_ANSWER,
        )
        ContactAttempt.objects.filter(case=active).update(at=after)
    elif what == "note":
        services.add_note(active, facilitator, body="Still working on it")
        active.notes.update(created_at=after)
    else:
        Case.objects.filter(pk=active.pk).update(updated_at=after)
    visible = Case.objects.visible_to(manager)
    found = list(dashboards.stale_q_cases(visible, later))
    assert found == [stale]
    start = timezone.make_aware(datetime.combine(dashboards.stale_cutoff(later), datetime.min.time()))
    by_last_activity = dashboards.with_last_activity(visible.exclude(state=Case.State.CLOSED))
    assert list(by_last_activity.filter(last_activity__lt=start)) == found
    assert found[0].last_activity < start


def test_stale_filter_on_the_case_list_matches_the_dashboard_count(client, police_referrer, manager, facilitator):
    to_assessment(refer(police_referrer), manager, facilitator)
    client.force_login(manager)
    listed = client.get(reverse("rjcases:list") + "?stale=on")
    assert listed.status_code == 200
    assert listed.context["page"].paginator.count == selectors.dashboard(manager)["stale_count"] == 0


def _many_dashboard_cases(police_referrer, manager, facilitator, caseworker, n):
    for i in range(n):
        case = client_case(police_referrer, caseworker)
        if i % 3 == 0:
            to_assessment(case, manager, facilitator)
        elif i % 3 == 1:
            to_agreement(case, manager, facilitator)
        else:
            services.allocate(case, manager, facilitator=facilitator)


@pytest.mark.parametrize("persona", ["facilitator", "caseworker", "manager"])
def test_each_dashboard_runs_the_same_queries_with_one_case_as_with_many(
    client, request, persona, police_referrer, manager, facilitator, caseworker
):
    UserFactory(username="fac3", first_name="Third", last_name="Facilitator", role=roles.FACILITATOR)
    # Two cases to start with (one the possible duplicate of the other), so that every list has a row.
    _many_dashboard_cases(police_referrer, manager, facilitator, caseworker, 2)
    user = request.getfixturevalue(persona)
    client.force_login(user)
    client.get(reverse("dashboard"))  # the session's first visit records it; count the next
    small = count_queries(client, reverse("dashboard"))
    _many_dashboard_cases(police_referrer, manager, facilitator, caseworker, 6)
    big = count_queries(client, reverse("dashboard"))
    assert small == big
    assert big <= DASHBOARD_PINS[persona], big
