"""Case supervision: a manager records it (date, discussion, decisions, next review); the case's facilitators read
it; nobody else finds it; it is historied and on the timeline of those who may see it; a review due is listed on
the managers' dashboard."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from rjcases import dashboards, services
from rjcases.exceptions import ActionRefused
from rjcases.models import Party, Supervision
from tests.walk import refer, to_assessment


@pytest.fixture
def supervised_case(police_referrer, manager, facilitator, caseworker):
    case = refer(
        police_referrer,
        parties=[
            services.PartyData(Party.Role.HARMED, "Zofia", "Clientowska", {"caseworker": caseworker}),
            services.PartyData(Party.Role.RESPONSIBLE, "Kieran", "Testresponsible"),
        ],
    )
    return to_assessment(case, manager, facilitator)


def form_data(day, **extra):
    return {
        "held_on-day": day.day,
        "held_on-month": day.month,
        "held_on-year": day.year,
        "discussion": "The risk to the person harmed; whether to meet at the library.",
        "decisions": "Two facilitators at every meeting.",
        **extra,
    }


def test_a_manager_records_a_supervision_with_its_history_and_timeline_entry(client, supervised_case, manager):
    today = timezone.localdate()
    review = today + timedelta(days=28)
    client.force_login(manager)
    url = reverse("rjcases:supervision", args=[supervised_case.reference])
    response = client.post(
        url,
        form_data(
            today,
            **{
                "next_review_on-day": review.day,
                "next_review_on-month": review.month,
                "next_review_on-year": review.year,
            },
        ),
    )
    assert response.status_code == 302
    record = Supervision.objects.get(case=supervised_case)
    assert (record.supervisor, record.held_on, record.next_review_on) == (manager, today, review)
    assert record.history.get().history_change_reason == "supervision recorded"
    page = client.get(url).content.decode()
    assert "Two facilitators at every meeting." in page
    timeline = client.get(reverse("rjcases:timeline", args=[supervised_case.reference])).content.decode()
    assert "Case supervised: next review" in timeline


def test_the_cases_facilitator_reads_it_but_cannot_record_one(client, supervised_case, manager, facilitator):
    services.record_supervision(supervised_case, manager, held_on=timezone.localdate(), discussion="Venue")
    client.force_login(facilitator)
    url = reverse("rjcases:supervision", args=[supervised_case.reference])
    page = client.get(url).content.decode()
    assert 'data-testid="supervision-record"' in page
    assert "Record a supervision" not in page
    assert client.post(url, form_data(timezone.localdate())).status_code == 403
    assert Supervision.objects.count() == 1
    with pytest.raises(ActionRefused):
        services.record_supervision(supervised_case, facilitator, held_on=timezone.localdate(), discussion="x")


@pytest.mark.parametrize("persona", ["caseworker", "police_referrer", "other_facilitator"])
def test_nobody_else_finds_the_page_or_its_timeline_entries(client, request, supervised_case, manager, persona):
    services.record_supervision(supervised_case, manager, held_on=timezone.localdate(), discussion="Venue")
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("rjcases:supervision", args=[supervised_case.reference])).status_code == 404
    timeline = client.get(reverse("rjcases:timeline", args=[supervised_case.reference]))
    assert "supervis" not in timeline.content.decode().lower()
    detail = client.get(reverse("rjcases:detail", args=[supervised_case.reference]))
    assert reverse("rjcases:supervision", args=[supervised_case.reference]) not in detail.content.decode()


def test_bad_input_says_what_is_wrong_and_records_nothing(client, supervised_case, manager):
    client.force_login(manager)
    url = reverse("rjcases:supervision", args=[supervised_case.reference])
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(url, form_data(tomorrow, discussion=""))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter what was discussed" in page
    assert "Date of the supervision must be today or in the past" in page
    assert not Supervision.objects.exists()


def test_a_supervision_review_due_is_listed_on_the_managers_dashboard(client, supervised_case, manager):
    today = timezone.localdate()
    services.record_supervision(
        supervised_case, manager, held_on=today, discussion="Venue", next_review_on=today + timedelta(days=3)
    )
    assert [s.case_id for s in dashboards.supervision_reviews_due(manager, today)] == [supervised_case.pk]
    assert dashboards.supervision_reviews_due(manager, today - timedelta(days=30)) == []
    client.force_login(manager)
    page = client.get(reverse("dashboard")).content.decode()
    assert reverse("rjcases:supervision", args=[supervised_case.reference]) in page.split("supervision-reviews")[1]


def test_allocation_shows_each_facilitators_caseload_and_availability(
    client, police_referrer, manager, facilitator, other_facilitator
):
    from accounts.services import set_availability_note

    to_assessment(refer(police_referrer), manager, facilitator)
    set_availability_note(other_facilitator, other_facilitator, "On leave 14 to 18 December")
    assert other_facilitator.history.first().availability_note == "On leave 14 to 18 December"
    case = refer(police_referrer)
    client.force_login(manager)
    page = client.get(reverse("rjcases:allocate", args=[case.reference])).content.decode()
    assert "Fay Facilitator: 1 open case<" in page
    assert "Otto Otherfac: 0 open cases; On leave 14 to 18 December" in page


def test_a_facilitator_sets_their_availability_on_their_account(client, facilitator, caseworker):
    client.force_login(facilitator)
    response = client.post(
        reverse("accounts:availability"), {"availability_note": " Part-time: Mondays to Wednesdays "}
    )
    assert response.status_code == 302
    facilitator.refresh_from_db()
    assert facilitator.availability_note == "Part-time: Mondays to Wednesdays"
    assert facilitator.history.first().history_change_reason == "availability changed"
    assert "Part-time: Mondays to Wednesdays" in client.get(reverse("accounts:account")).content.decode()
    client.force_login(caseworker)
    assert client.get(reverse("accounts:availability")).status_code == 403
