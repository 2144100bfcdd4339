"""A non-crime hate incident's recording duties: set on the case (manager or facilitator), shown on the case,
checked, counted in the quarterly return, and its review date drives the retention queue."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from insights.selectors.common import quarter_period
from insights.selectors.non_crime import non_crime_lines
from privacy import services
from rjcases.exceptions import ActionRefused, Refused
from tests.factories import incident_data
from tests.walk import refer, to_assessment


@pytest.fixture
def non_crime(police_referrer, manager, facilitator):
    case = refer(police_referrer, incident=incident_data(crime_code="nchi"))
    return to_assessment(case, manager, facilitator)


def form(**overrides):
    today = timezone.localdate()
    data = {
        "threshold_met": "yes",
        "threshold_reason": "Hostility on the grounds of race was perceived by the person harmed.",
        "person_told": "yes",
        "person_told_on-day": today.day,
        "person_told_on-month": today.month,
        "person_told_on-year": today.year,
        "review_on-day": today.day,
        "review_on-month": today.month,
        "review_on-year": today.year + 1,
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_the_facilitator_records_the_duties_and_the_case_shows_them(non_crime, facilitator, client):
    client.force_login(facilitator)
    url = reverse("privacy:non_crime_record", args=[non_crime.reference])
    assert client.get(url).status_code == 200
    response = client.post(url, form())
    assert response.status_code == 302
    incident = non_crime.incident
    incident.refresh_from_db()
    today = timezone.localdate()
    assert (incident.nchi_threshold_met, incident.nchi_person_told, incident.nchi_person_told_on) == (True, True, today)
    assert incident.nchi_review_on == today.replace(year=today.year + 1)
    assert incident.history.first().history_change_reason == "non-crime hate incident record"
    page = client.get(reverse("rjcases:detail", args=[non_crime.reference])).content.decode()
    assert 'data-testid="non-crime-record"' in page
    assert "Hostility on the grounds of race was perceived" in page
    assert f"Yes, on {today:%-d %B %Y}" in page
    assert "Change the non-crime hate incident record" in page


@pytest.mark.django_db
def test_a_told_person_needs_a_date_and_a_decision_needs_its_reason(non_crime, facilitator, client):
    client.force_login(facilitator)
    url = reverse("privacy:non_crime_record", args=[non_crime.reference])
    versions = non_crime.incident.history.count()
    response = client.post(
        url,
        form(threshold_reason="", **{"person_told_on-day": "", "person_told_on-month": "", "person_told_on-year": ""}),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter why the recording threshold was, or was not, met" in body
    assert "Enter the date the person was told" in body
    non_crime.incident.refresh_from_db()
    assert non_crime.incident.nchi_threshold_met is None
    assert non_crime.incident.history.count() == versions


@pytest.mark.django_db
def test_only_the_cases_manager_or_facilitator_records_it(non_crime, police_referrer, other_facilitator, client):
    url = reverse("privacy:non_crime_record", args=[non_crime.reference])
    client.force_login(police_referrer)
    assert client.get(url).status_code == 403
    with pytest.raises(ActionRefused):
        services.record_non_crime_duties(
            non_crime.incident,
            police_referrer,
            threshold_met=True,
            threshold_reason="x",
            person_told=None,
            person_told_on=None,
            review_on=None,
        )
    client.force_login(other_facilitator)
    assert client.get(url).status_code == 404  # an allocated case of someone else's is out of their scope


@pytest.mark.django_db
def test_a_crime_has_no_non_crime_record(police_referrer, manager, client):
    case = refer(police_referrer)
    client.force_login(manager)
    assert client.get(reverse("privacy:non_crime_record", args=[case.reference])).status_code == 404
    with pytest.raises(Refused, match="recorded as a crime"):
        services.record_non_crime_duties(
            case.incident,
            manager,
            threshold_met=None,
            threshold_reason="",
            person_told=None,
            person_told_on=None,
            review_on=None,
        )
    assert (
        'data-testid="non-crime-record"'
        not in client.get(reverse("rjcases:detail", args=[case.reference])).content.decode()
    )


@pytest.mark.django_db
def test_the_quarterly_return_counts_them(non_crime, police_referrer, manager):
    refer(police_referrer)  # a crime: not counted
    today = timezone.localdate()
    services.record_non_crime_duties(
        non_crime.incident,
        manager,
        threshold_met=True,
        threshold_reason="Perceived hostility",
        person_told=True,
        person_told_on=today,
        review_on=today,
    )
    period = quarter_period(today.year, (today.month - 1) // 3 + 1)
    lines = {code: value for code, _section, _measure, value, _definition in non_crime_lines(period)}
    assert lines == {"N1": 1, "N2": 1, "N3": 0, "N4": 0, "N5": 1, "N6": 1}


@pytest.mark.django_db
def test_its_review_date_queues_it_for_a_retention_review(non_crime, manager):
    from privacy.services import queue_retention_reviews

    today = timezone.localdate()
    services.record_non_crime_duties(
        non_crime.incident,
        manager,
        threshold_met=False,
        threshold_reason="No hostility perceived",
        person_told=False,
        person_told_on=None,
        review_on=today + timedelta(days=30),
    )
    assert queue_retention_reviews(today) == []
    [review] = queue_retention_reviews(today + timedelta(days=30))
    assert (review.case, review.rule.kind, review.due_on) == (non_crime, "non_crime", today + timedelta(days=30))
