"""The restorative work pages: scoping (404 outside a user's cases, 403 beyond their access), the forms
calling the services, refusals shown clearly, escaping, and pinned query counts."""

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from conferences import services as conference_services
from conferences.models import Activity, AgreementAction, Feedback, FollowUp, WellbeingMeasure
from rjcases import services
from rjcases.models import Case
from tests.conferences.conftest import harmed, responsible
from tests.govuk.dates import date_parts
from tests.walk import hold_activity, refer, to_agreement

READ_PAGES = ["overview", "preparation", "activity", "agreement", "monitoring", "closure", "feedback"]
FULL_ONLY = [
    "preparation",
    "activity",
    "monitoring",
    "closure",
    "preparation_add",
    "activity_plan",
    "activity_cancel",
    "agreement_edit",
    "action_add",
    "follow_up_add",
]


def url(name, case, *args):
    return reverse(f"conferences:{name}", args=[case.reference, *args])


def signed_in(client, user):
    client.force_login(user)
    return client


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


# ---------------------------------------------------------------------------------------------------
# Scoping


@pytest.mark.parametrize("name", READ_PAGES + FULL_ONLY)
def test_a_facilitator_of_another_case_gets_404(client, agreement_case, other_facilitator, name):
    assert signed_in(client, other_facilitator).get(url(name, agreement_case)).status_code == 404


@pytest.mark.parametrize("name", READ_PAGES)
def test_a_police_referrer_of_another_force_gets_404(client, agreement_case, other_police_referrer, name):
    assert signed_in(client, other_police_referrer).get(url(name, agreement_case)).status_code == 404


@pytest.mark.parametrize("name", [n for n in READ_PAGES + FULL_ONLY if n != "overview"])
def test_the_referring_police_officer_gets_403_beyond_the_overview(client, agreement_case, police_referrer, name):
    assert signed_in(client, police_referrer).get(url(name, agreement_case)).status_code == 403


def test_posts_by_outsiders_change_nothing(client, agreement_case, other_facilitator, police_referrer):
    action = agreement_case.current_agreement.actions.first()
    for user, status in ((other_facilitator, 404), (police_referrer, 403)):
        response = signed_in(client, user).post(
            url("action_done", agreement_case, action.pk),
            {**date_parts("resolved_on", timezone.localdate()), "evidence_note": "x", "told_method": "phone"},
        )
        assert response.status_code == status
        response = signed_in(client, user).post(url("closure", agreement_case), {"summary": "x"})
        assert response.status_code == status
    action.refresh_from_db()
    assert action.status == AgreementAction.Status.OPEN
    assert not FollowUp.objects.exists()


def test_signed_out_users_are_sent_to_sign_in(client, agreement_case):
    response = client.get(url("agreement", agreement_case))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_police_see_only_that_an_activity_happened_and_the_outcome(
    client, agreement_case, police_referrer, facilitator
):
    for action in agreement_case.current_agreement.actions.all():
        conference_services.mark_action_done(
            action, facilitator, resolved_on=timezone.localdate(), evidence_note="Secret evidence", told_method="phone"
        )
    case = services.case_complete(agreement_case, facilitator, summary="Private closure summary")
    response = signed_in(client, police_referrer).get(url("overview", case))
    body = response.content.decode()
    assert response.status_code == 200
    assert "An activity took place" in body
    assert "Agreement fulfilled" in body
    for secret in (
        "Both parties spoke",
        "Action 1",
        "Secret evidence",
        "Private closure summary",
        "Amina",
        "Kieran",
        "Community room",
        "Face-to-face",
    ):
        assert secret not in body


def test_a_caseworker_sees_the_agreement_read_only(client, agreement_case, facilitator, caseworker):
    services.update_party(harmed(agreement_case), facilitator, caseworker=caseworker)
    client = signed_in(client, caseworker)
    response = client.get(url("agreement", agreement_case))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Action 1" in body
    assert "Action 2" in body
    assert "Mark done" not in body
    assert "Remove" not in body
    assert "Add an action" not in body
    for name in ("activity", "preparation", "monitoring", "closure", "action_add"):
        assert client.get(url(name, agreement_case)).status_code == 403


def test_a_caseworker_of_another_person_harmed_gets_404(client, agreement_case, caseworker):
    assert signed_in(client, caseworker).get(url("agreement", agreement_case)).status_code == 404


# ---------------------------------------------------------------------------------------------------
# Planning and confirming through the pages


def plan_post(case, **overrides):
    data = {
        "kind": "direct_conference",
        **date_parts("scheduled_date", timezone.localdate() + timedelta(days=7)),
        "scheduled_time": "14:30",
        "duration_minutes": "90",
        "venue": "Community room, Stretford library",
        "lead_facilitator": str(case.facilitator_id),
        "invited": [str(p.pk) for p in case.parties.all()],
    }
    data.update(overrides)
    return data


def test_planning_a_venue_at_a_partys_home_shows_the_reason_and_saves_nothing(client, prep_case, facilitator):
    response = signed_in(client, facilitator).post(
        url("activity_plan", prep_case), plan_post(prep_case, venue="1 Harmed Street")
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "The venue is the home address of Amina Testharmed (person harmed)." in body
    assert 'href="#id_venue"' in body
    assert not prep_case.activities.exists()


def test_planning_then_confirming_moves_the_case_to_conferencing(client, prep_case, facilitator):
    client = signed_in(client, facilitator)
    response = client.post(url("activity_plan", prep_case), plan_post(prep_case))
    assert response.status_code == 302
    activity = prep_case.activities.get()
    assert timezone.localtime(activity.scheduled_for).strftime("%H:%M") == "14:30"
    assert activity.history.first().history_user == facilitator
    page = client.get(url("activity", prep_case)).content.decode()
    assert "Confirm the planned activity" in page
    response = client.post(url("activity_confirm", prep_case), {"note": "All agreed"}, follow=True)
    prep_case.refresh_from_db()
    assert prep_case.state == Case.State.CONFERENCING
    assert "Activity confirmed. The case is now in conferencing." in messages_of(response)


def test_confirming_with_no_plan_shows_the_guards_reason(client, prep_case, facilitator):
    response = signed_in(client, facilitator).post(url("activity_confirm", prep_case), follow=True)
    assert "Plan a restorative activity (type, date, and place or method) first." in messages_of(response)
    prep_case.refresh_from_db()
    assert prep_case.state == Case.State.PREPARATION


def test_rescheduling_through_the_page_keeps_the_earlier_plan(client, conferencing_case, facilitator):
    first = conferencing_case.current_activity
    client = signed_in(client, facilitator)
    response = client.post(
        url("activity_reschedule", conferencing_case, first.pk),
        plan_post(conferencing_case, scheduled_time="10:00", reason="Room double-booked"),
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == Activity.Status.SUPERSEDED
    page = client.get(url("activity", conferencing_case)).content.decode()
    assert "Earlier plans" in page
    assert "– rescheduled" in page


def test_cancelling_through_the_page_goes_back_to_preparation(client, conferencing_case, facilitator):
    response = signed_in(client, facilitator).post(url("activity_cancel", conferencing_case), {"reason": "Ill"})
    assert response.status_code == 302
    conferencing_case.refresh_from_db()
    assert conferencing_case.state == Case.State.PREPARATION
    assert Activity.objects.get().status == Activity.Status.CANCELLED


def test_user_text_is_escaped(client, conferencing_case, facilitator):
    client = signed_in(client, facilitator)
    activity = conferencing_case.current_activity
    client.post(
        url("activity_took_place", conferencing_case, activity.pk),
        {
            **date_parts("took_place_on", timezone.localdate()),
            "attended": [str(p.pk) for p in conferencing_case.parties.all()],
            "summary": "<script>alert(1)</script> & co",
            "agreement_reached": "yes",
        },
    )
    body = client.get(url("activity", conferencing_case)).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in body


# ---------------------------------------------------------------------------------------------------
# The agreement, monitoring and closure through the pages


def test_the_agreement_pages_draft_and_record_an_agreement(client, held_case, facilitator):
    client = signed_in(client, facilitator)
    response = client.post(
        url("agreement_edit", held_case),
        {**date_parts("signed_on", timezone.localdate()), "signatories": [str(p.pk) for p in held_case.parties.all()]},
    )
    assert response.status_code == 302
    response = client.post(url("agreement_confirm", held_case), follow=True)
    assert "Add at least one action to the agreement." in messages_of(response)
    response = client.post(
        url("action_add", held_case),
        {
            "kind": "apology",
            "responsible_party": str(responsible(held_case).pk),
            "what": "Write a letter of apology",
            **date_parts("due_on", timezone.localdate() + timedelta(days=14)),
            "how_checked": "Facilitator reads it",
        },
    )
    assert response.status_code == 302
    response = client.post(
        url("action_add", held_case),
        {"kind": "apology", "what": "", "due_on-day": "31", "due_on-month": "2", "due_on-year": "2027"},
    )
    assert response.status_code == 200
    assert "Done by must be a real date" in response.content.decode()
    assert (
        "Choose who will do it, or name them." in response.content.decode()
        or "Enter what will be done" in response.content.decode()
    )
    response = client.post(url("agreement_confirm", held_case), {"note": "Signed"})
    assert response.status_code == 302
    held_case.refresh_from_db()
    assert held_case.state == Case.State.AGREEMENT
    assert held_case.current_agreement.actions.get().what == "Write a letter of apology"


def test_marking_done_and_missed_and_completing_through_the_pages(client, agreement_case, facilitator):
    client = signed_in(client, facilitator)
    first, second = agreement_case.current_agreement.actions.order_by("id")
    today = date_parts("resolved_on", timezone.localdate())
    assert (
        client.post(
            url("action_done", agreement_case, first.pk),
            {**today, "evidence_note": "Letter received", "told_method": "phone"},
        ).status_code
        == 302
    )
    closure = client.get(url("closure", agreement_case)).content.decode()
    assert "The case cannot be closed yet. Mark every action done or missed first (1 still open: Action 2)." in closure
    assert (
        client.post(
            url("action_missed", agreement_case, second.pk), {**today, "evidence_note": "Did not go"}
        ).status_code
        == 302
    )
    closure = client.get(url("closure", agreement_case)).content.decode()
    assert "Agreement partly fulfilled" in closure
    response = client.post(url("closure", agreement_case), {"summary": "One of two actions done."}, follow=True)
    agreement_case.refresh_from_db()
    assert agreement_case.state == Case.State.CLOSED
    assert agreement_case.outcome == Case.Outcome.AGREEMENT_PARTLY_FULFILLED
    assert "Case closed: agreement partly fulfilled." in messages_of(response)
    monitoring = client.get(url("monitoring", agreement_case)).content.decode()
    assert "Told the person harmed the action is done: Action 1" in monitoring


def test_concluding_without_an_agreement_through_the_page(client, conferencing_case, facilitator):
    hold_activity(conferencing_case, facilitator, agreement_reached=False)
    client = signed_in(client, facilitator)
    response = client.post(url("closure", conferencing_case), {"outcome": "bogus", "summary": "x"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    response = client.post(url("closure", conferencing_case), {"outcome": "no_agreement_needed", "summary": "Heard"})
    assert response.status_code == 302
    conferencing_case.refresh_from_db()
    assert conferencing_case.outcome == Case.Outcome.NO_AGREEMENT_NEEDED


def test_feedback_and_wellbeing_through_the_pages(client, conferencing_case, facilitator):
    client = signed_in(client, facilitator)
    person = harmed(conferencing_case)
    answers = {"safe": "2", "daily_life": "3", "calm": "2", "supported": "4", "hopeful": "3"}
    assert client.post(url("wellbeing_record", conferencing_case, person.pk, "before"), answers).status_code == 302
    response = client.post(url("wellbeing_record", conferencing_case, person.pk, "before"), {**answers, "safe": "9"})
    assert response.status_code == 200
    assert WellbeingMeasure.objects.get().answers == {k: int(v) for k, v in answers.items()}
    hold_activity(conferencing_case, facilitator, agreement_reached=False)
    services.case_conclude(conferencing_case, facilitator, outcome=Case.Outcome.NO_AGREEMENT_NEEDED)
    response = client.post(
        url("feedback_record", conferencing_case, person.pk),
        {
            "refused": "no",
            "satisfied": "yes",
            "would_recommend": "yes",
            "felt": "better",
            "felt_safe": "yes",
            "felt_heard": "",
            "comments": "Glad I did it",
        },
    )
    assert response.status_code == 302
    response = client.post(
        url("feedback_record", conferencing_case, responsible(conferencing_case).pk), {"refused": "yes"}
    )
    assert response.status_code == 302
    given = Feedback.objects.get(party=person)
    assert (given.satisfied, given.felt, given.felt_heard) == (True, "better", None)
    assert Feedback.objects.get(party=responsible(conferencing_case)).refused is True
    page = client.get(url("feedback", conferencing_case)).content.decode()
    assert "Declined" in page
    assert "Glad I did it" in page
    assert client.get(url("wellbeing_record", conferencing_case, person.pk, "sometime")).status_code == 404


# ---------------------------------------------------------------------------------------------------
# The case page's panel and the dashboard's reminders


def render_panel(case, user):
    request = RequestFactory().get("/")
    request.user = user
    return Template('{% include "conferences/_case_panel.html" %}').render(
        Context({"case": case, "user": user, "can_see_details": False, "request": request})
    )


def test_the_case_panel_shows_referrers_only_the_outcome_category(agreement_case, police_referrer, facilitator):
    police = render_panel(agreement_case, police_referrer)
    assert "An activity took place" in police
    assert "Not closed yet" in police
    assert "Action" not in police
    assert "Face-to-face" not in police
    assert "/agreement/" not in police
    mine = render_panel(agreement_case, facilitator)
    for name in ("preparation", "activity", "agreement", "monitoring", "closure", "feedback"):
        assert url(name, agreement_case) in mine
    assert "2 actions (0 done, 0 missed, 2 open)" in " ".join(mine.split())


def test_the_dashboard_reminders_include_renders_overdue_and_due_soon(agreement_case, facilitator):
    from conferences.selectors import action_reminders

    first, second = agreement_case.current_agreement.actions.order_by("id")
    AgreementAction.objects.filter(pk=first.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    AgreementAction.objects.filter(pk=second.pk).update(due_on=timezone.localdate() + timedelta(days=2))
    html = Template('{% include "conferences/_dashboard_reminders.html" with reminders=reminders %}').render(
        Context({"reminders": action_reminders(facilitator)})
    )
    assert "Overdue" in html
    assert "Due soon" in html
    assert html.count(url("monitoring", agreement_case)) == 2
    # Included with only the user in the context (as the dashboard does), it reads the same reminders.
    plain = Template('{% include "conferences/_dashboard_reminders.html" %}').render(Context({"user": facilitator}))
    assert plain.count(url("monitoring", agreement_case)) == 2
    assert (
        Template('{% include "conferences/_dashboard_reminders.html" with reminders=reminders %}')
        .render(Context({"reminders": action_reminders(facilitator, today=timezone.localdate() - timedelta(days=30))}))
        .strip()
        == ""
    )


# ---------------------------------------------------------------------------------------------------
# Query counts


@pytest.mark.parametrize(
    ("name", "limit"),
    [
        # About nine of these are the sign-in, two-factor and layout queries every page makes.
        ("overview", 18),
        ("preparation", 15),
        ("activity", 17),
        ("agreement", 18),
        ("monitoring", 18),
        ("closure", 18),
        ("feedback", 17),
    ],
)
def test_page_query_counts_are_pinned(client, agreement_case, facilitator, django_assert_max_num_queries, name, limit):
    for _ in range(3):
        conference_services.record_follow_up(
            agreement_case,
            facilitator,
            party=harmed(agreement_case),
            at=timezone.now(),
            method="phone",
            notes="Checked in",
        )
    client = signed_in(client, facilitator)
    client.get(url(name, agreement_case))  # warm the session and the content types
    with django_assert_max_num_queries(limit):
        assert client.get(url(name, agreement_case)).status_code == 200


def count_queries(client, path) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return len(queries)


def test_the_activity_page_does_not_grow_with_earlier_plans(client, conferencing_case, facilitator):
    client = signed_in(client, facilitator)
    one_plan = count_queries(client, url("activity", conferencing_case))
    for hour in (9, 10, 11):
        current = conferencing_case.current_activity
        conference_services.reschedule_activity(
            current,
            facilitator,
            kind=current.kind,
            scheduled_for=current.scheduled_for + timedelta(hours=hour),
            venue=current.venue,
            invited=list(conferencing_case.parties.all()),
            reason=f"Change {hour}",
        )
    assert count_queries(client, url("activity", conferencing_case)) == one_plan


@pytest.mark.parametrize("name", ["agreement", "monitoring", "closure", "overview"])
def test_the_agreement_pages_do_not_grow_with_actions_and_follow_ups(
    client, police_referrer, manager, facilitator, name
):
    small = to_agreement(refer(police_referrer), manager, facilitator, actions=1)
    large = to_agreement(refer(police_referrer), manager, facilitator, actions=5)
    for _ in range(4):
        conference_services.record_follow_up(
            large, facilitator, party=harmed(large), at=timezone.now(), method="phone", notes="Checked in"
        )
    client = signed_in(client, facilitator)
    assert count_queries(client, url(name, large)) == count_queries(client, url(name, small))


def test_reporting_centre_staff_see_only_the_outcome_of_their_centres_referral(
    client, centre_staff, manager, facilitator
):
    case = to_agreement(refer(centre_staff, route_code="reporting-centre"), manager, facilitator, actions=1)
    client = signed_in(client, centre_staff)
    body = client.get(url("overview", case)).content.decode()
    assert "An activity took place" in body
    assert "Action 1" not in body
    assert "Amina" not in body
    for name in ("activity", "agreement", "monitoring", "feedback"):
        assert client.get(url(name, case)).status_code == 403
