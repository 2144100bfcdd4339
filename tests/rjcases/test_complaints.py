"""Complaints (Victims' Code Right 12): deadlines in working days as configured, who may record and respond,
the case page, the manager's dashboard and the timeline."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from rjcases import selectors
from rjcases.exceptions import ActionRefused
from rjcases.models import Complaint
from rjcases.services import complaints as services
from tests.walk import refer


@pytest.fixture
def allocated_case(police_referrer, manager, facilitator):
    from rjcases.services import allocate

    return allocate(refer(police_referrer), manager, facilitator=facilitator)


def record(case, user, received_on=date(2025, 12, 17)):
    return services.record_complaint(
        case, user, complainant="harmed", about="Nobody called me back <b>for weeks</b>", received_on=received_on
    )


@pytest.mark.django_db
def test_deadlines_are_working_days_from_receipt_across_christmas(allocated_case, facilitator):
    complaint = record(allocated_case, facilitator)
    # Wednesday 17 December 2025; 25, 26 December and 1 January are bank holidays.
    assert complaint.acknowledge_due_on == date(2025, 12, 24)  # 18, 19, 22, 23, 24
    assert complaint.respond_due_on == date(2026, 1, 19)  # 20 working days
    assert complaint.history.get().history_user == facilitator


@pytest.mark.django_db
def test_the_partnership_sets_the_deadlines(allocated_case, facilitator, settings):
    settings.RJ_COMPLAINT_ACKNOWLEDGE_WORKING_DAYS = 2
    settings.RJ_COMPLAINT_RESPONSE_WORKING_DAYS = 10
    complaint = record(allocated_case, facilitator, received_on=date(2026, 4, 2))
    assert complaint.acknowledge_due_on == date(2026, 4, 8)  # Good Friday and Easter Monday skipped
    assert complaint.respond_due_on == date(2026, 4, 20)


@pytest.mark.django_db
def test_facilitators_record_and_acknowledge_managers_respond(allocated_case, facilitator, manager):
    complaint = record(allocated_case, facilitator)
    complaint = services.acknowledge_complaint(complaint, facilitator, acknowledged_on=date(2025, 12, 29))
    with pytest.raises(ActionRefused):
        services.respond_to_complaint(
            complaint, facilitator, responded_on=date(2026, 1, 5), response="Apology", outcome="upheld"
        )
    complaint = services.respond_to_complaint(
        complaint, manager, responded_on=date(2026, 1, 5), response="Apology given", outcome="upheld"
    )
    assert (complaint.acknowledged_on, complaint.responded_on, complaint.outcome) == (
        date(2025, 12, 29),
        date(2026, 1, 5),
        "upheld",
    )
    assert complaint.history.count() == 3


@pytest.mark.django_db
def test_others_cannot_record_and_bad_input_changes_nothing(
    allocated_case, police_referrer, other_facilitator, caseworker, manager
):
    for user in (police_referrer, other_facilitator, caseworker):
        with pytest.raises(ActionRefused):
            record(allocated_case, user)
    with pytest.raises(ValidationError):
        services.record_complaint(
            allocated_case, manager, complainant="harmed", about=" ", received_on=date(2026, 1, 5)
        )
    with pytest.raises(ValidationError):
        services.record_complaint(allocated_case, manager, complainant="mayor", about="x", received_on=date(2026, 1, 5))
    assert not Complaint.objects.exists()
    complaint = record(allocated_case, manager)
    with pytest.raises(ValidationError):
        services.acknowledge_complaint(complaint, manager, acknowledged_on=date(2025, 12, 1))  # before receipt
    with pytest.raises(ValidationError):
        services.respond_to_complaint(complaint, manager, responded_on=date(2026, 1, 5), response="", outcome="upheld")
    complaint.refresh_from_db()
    assert (complaint.acknowledged_on, complaint.responded_on, complaint.history.count()) == (None, None, 1)


@pytest.mark.django_db
def test_a_response_without_an_acknowledgement_acknowledges_it(allocated_case, manager):
    complaint = record(allocated_case, manager)
    complaint = services.respond_to_complaint(
        complaint, manager, responded_on=date(2026, 1, 20), response="Not upheld", outcome="not_upheld"
    )
    assert complaint.acknowledged_on == date(2026, 1, 20)


@pytest.mark.django_db
def test_on_the_case_page_the_timeline_and_the_managers_dashboard(
    client, allocated_case, facilitator, manager, django_assert_max_num_queries
):
    record(allocated_case, facilitator)
    titles = [e.title for e in selectors.timeline(allocated_case, manager)]
    assert "Complaint recorded" in titles
    client.force_login(manager)
    page = client.get(reverse("rjcases:detail", args=[allocated_case.reference])).content.decode()
    assert "Nobody called me back &lt;b&gt;for weeks&lt;/b&gt;" in page
    assert "Record the response" in page
    with django_assert_max_num_queries(40):
        dashboard = client.get(reverse("dashboard")).content.decode()
    assert 'data-testid="open-complaints-count">1<' in dashboard
    assert allocated_case.reference in dashboard


@pytest.mark.django_db
def test_the_web_pages_record_and_refuse(
    client, allocated_case, facilitator, other_facilitator, police_referrer, manager
):
    url = reverse("rjcases:complaint_add", args=[allocated_case.reference])
    data = {
        "complainant": "referrer",
        "about": "Slow",
        "received_on-day": "5",
        "received_on-month": "1",
        "received_on-year": "2026",
    }
    client.force_login(other_facilitator)
    assert client.post(url, data).status_code == 404  # not their case: they cannot see it
    client.force_login(police_referrer)
    assert client.post(url, data).status_code == 403  # they see its status, not its work
    client.force_login(facilitator)
    assert client.post(url, data).status_code == 302
    complaint = Complaint.objects.get()
    respond = reverse("rjcases:complaint_respond", args=[allocated_case.reference, complaint.pk])
    assert client.get(respond).status_code == 403
    client.force_login(manager)
    answer = {
        "responded_on-day": "6",
        "responded_on-month": "1",
        "responded_on-year": "2026",
        "outcome": "partly_upheld",
        "response": "Sorry",
    }
    assert client.post(respond, answer).status_code == 302
    assert Complaint.objects.get().outcome == "partly_upheld"
