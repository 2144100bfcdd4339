"""Unknown times are unknown: a contact, follow-up or incident with a day but no time is stored as that day with
``time_known`` false, shown "1 October 2026, time not recorded", and sorted after the day's timed entries."""

import importlib
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from conferences.forms import FollowUpForm
from govuk.templatetags.govuk import when
from rjcases import selectors, services
from rjcases.forms import ReferralForm
from rjcases.models import ContactAttempt, Party, ReferralRoute
from tests.api.conftest import referral_body
from tests.factories import reference
from tests.govuk.dates import date_parts
from tests.walk import refer, to_assessment

pytestmark = pytest.mark.django_db


DAY = date(2026, 10, 1)


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.fixture
def case(referred_case, manager, facilitator):
    return to_assessment(referred_case, manager, facilitator)


@pytest.fixture
def harmed(case):
    return case.parties.get(role=Party.Role.HARMED)


def contact(case, harmed, facilitator, moment, *, time_known=True, notes=""):
    return services.record_contact(
        case, facilitator, party=harmed, at=moment, method="letter", result="sent", notes=notes, time_known=time_known
    )


def test_a_date_and_time_reads_as_both_and_a_date_alone_says_the_time_was_not_recorded():
    assert when(at(14, 30)) == "1 October 2026, 14:30"
    assert when(at(0), False) == "1 October 2026, time not recorded"
    assert when(at(0)) == "1 October 2026, 00:00"  # a contact really at midnight is still midnight


def test_a_contact_logged_without_a_time_is_stored_as_its_day_with_the_time_unknown(client, case, harmed, facilitator):
    client.force_login(facilitator)
    response = client.post(
        reverse("rjcases:contact_add", args=[case.reference]),
        {"party": harmed.pk, **date_parts("on", DAY), "at": "", "method": "letter", "result": "sent"},
    )
    assert response.status_code == 302
    logged = ContactAttempt.objects.get()
    assert logged.time_known is False
    assert timezone.localtime(logged.at).date() == DAY
    page = client.get(reverse("rjcases:people", args=[case.reference])).content.decode()  # the contact log
    assert "1 October 2026, time not recorded" in page
    assert "1 Oct 2026, 00:00" not in page
    assert "1 October 2026, 00:00" not in page


def test_a_contact_logged_with_a_time_keeps_it(client, case, harmed, facilitator):
    client.force_login(facilitator)
    client.post(
        reverse("rjcases:contact_add", args=[case.reference]),
        {"party": harmed.pk, **date_parts("on", DAY), "at": "14:30", "method": "letter", "result": "sent"},
    )
    logged = ContactAttempt.objects.get()
    assert logged.time_known is True
    page = client.get(reverse("rjcases:people", args=[case.reference])).content.decode()  # the contact log
    assert "1 October 2026, 14:30" in page
    assert "time not recorded" not in page


def test_the_timeline_puts_a_day_s_untimed_entries_after_its_timed_ones(case, harmed, facilitator):
    contact(case, harmed, facilitator, at(0), time_known=False, notes="untimed")
    contact(case, harmed, facilitator, at(23, 0), notes="late evening")
    contact(case, harmed, facilitator, at(9, 0), notes="morning")
    contact(case, harmed, facilitator, at(8, 0, date(2026, 10, 2)), notes="next day")
    contact(case, harmed, facilitator, at(18, 0, date(2026, 9, 30)), notes="day before")

    def order(**kwargs):
        entries = selectors.timeline(case, facilitator, kinds={"contact"}, **kwargs)
        return [entry.lines[-1] for entry in entries]

    assert order() == ["day before", "morning", "late evening", "untimed", "next day"]
    assert order(newest_first=True) == ["next day", "untimed", "late evening", "morning", "day before"]
    entry = next(e for e in selectors.timeline(case, facilitator, kinds={"contact"}) if e.lines[-1] == "untimed")
    assert entry.time_known is False


def test_the_timeline_page_shows_the_day_only(client, case, harmed, facilitator):
    contact(case, harmed, facilitator, at(0), time_known=False)
    client.force_login(facilitator)
    page = client.get(reverse("rjcases:timeline", args=[case.reference])).content.decode()
    assert "1 October 2026, time not recorded" in page
    assert 'datetime="2026-10-01"' in page


def test_the_case_page_lists_untimed_contacts_after_the_day_s_timed_ones(case, harmed, facilitator):
    contact(case, harmed, facilitator, at(0), time_known=False, notes="untimed")
    contact(case, harmed, facilitator, at(9, 0), notes="morning")
    newest_first = [c.notes for c in selectors.contacts_for_user(case, facilitator)]
    assert newest_first == ["untimed", "morning"]
    assert [c.notes for c in ContactAttempt.objects.all()] == ["morning", "untimed"]


def test_an_incident_without_a_time_is_a_day_with_the_time_not_recorded(police_referrer, client, manager):
    form = ReferralForm(
        {**date_parts("occurred_on", DAY), "occurred_at": ""},
        route=reference(ReferralRoute, "police"),
        user=police_referrer,
    )
    form.is_valid()
    form.cleaned_data.update(ward=None, crime_type=None, perceived_by="victim", summary="x")
    data = form.incident_data()
    assert data["occurred_time_known"] is False
    assert timezone.localtime(data["occurred_from"]).date() == DAY

    from tests.factories import incident_data

    case = refer(police_referrer, incident=incident_data(occurred_from=at(0), occurred_time_known=False))
    client.force_login(manager)
    page = client.get(reverse("rjcases:detail", args=[case.reference])).content.decode()
    assert "1 October 2026, time not recorded" in page


def test_an_incident_with_a_time_keeps_it(police_referrer):
    form = ReferralForm(
        {**date_parts("occurred_on", DAY), "occurred_at": "21:30"},
        route=reference(ReferralRoute, "police"),
        user=police_referrer,
    )
    form.is_valid()
    form.cleaned_data.update(ward=None, crime_type=None, perceived_by="victim", summary="x")
    assert form.incident_data()["occurred_time_known"] is True


def test_a_follow_up_without_a_time_is_not_given_a_made_up_one(case):
    form = FollowUpForm({**date_parts("on", DAY), "at_time": "", "method": "phone", "notes": "Checked in"}, case=case)
    assert form.is_valid(), form.errors
    assert form.time_known() is False
    assert timezone.localtime(form.at()).time() == time(0, 0)
    timed = FollowUpForm(
        {**date_parts("on", DAY), "at_time": "15:10", "method": "phone", "notes": "Checked in"}, case=case
    )
    assert timed.is_valid(), timed.errors
    assert timed.time_known() is True
    assert timezone.localtime(timed.at()).time() == time(15, 10)


# ---------------------------------------------------------------------------------------------------
# The API


def test_the_api_takes_a_contact_date_alone_as_a_day_without_a_time(api_client, case, harmed, facilitator):
    client = api_client(facilitator)
    path = f"/api/v1/cases/{case.reference}/contacts/"
    untimed = client.post(
        path, {"party": harmed.pk, "at": "2026-10-01", "method": "letter", "result": "sent"}, format="json"
    )
    assert untimed.status_code == 201, untimed.content
    assert untimed.json()["time_known"] is False
    timed = client.post(
        path,
        {"party": harmed.pk, "at": "2026-10-01T10:15:00+01:00", "method": "letter", "result": "sent"},
        format="json",
    )
    assert timed.status_code == 201, timed.content
    assert timed.json()["time_known"] is True
    assert sorted(ContactAttempt.objects.values_list("time_known", flat=True)) == [False, True]


def test_the_api_takes_an_incident_date_alone_as_a_day_without_a_time(api_client, reference_data, police_referrer):
    body = referral_body()
    body["incident"]["occurred_from"] = "2026-10-01"
    response = api_client(police_referrer).post("/api/v1/referrals/", body, format="json")
    assert response.status_code == 201, response.content
    from rjcases.models import Incident

    incident = Incident.objects.get()
    assert incident.occurred_time_known is False
    assert timezone.localtime(incident.occurred_from).date() == DAY


# ---------------------------------------------------------------------------------------------------
# Existing data


def test_the_migration_marks_only_service_time_midnights_as_unknown():
    migration = importlib.import_module("rjcases.migrations.0005_bounded_text_and_unknown_times")
    london = ZoneInfo("Europe/London")
    rows = [
        (1, datetime(2026, 7, 1, 0, 0, tzinfo=london)),  # midnight in London (23:00 UTC the day before)
        (2, datetime(2026, 7, 1, 0, 0, tzinfo=ZoneInfo("UTC"))),  # 01:00 in London: a real time
        (3, datetime(2026, 12, 1, 0, 0, tzinfo=ZoneInfo("UTC"))),  # midnight in London in winter
        (4, datetime(2026, 12, 1, 0, 0, 30, tzinfo=london)),  # half a minute past: a time someone gave
    ]
    assert migration._midnight_ids(rows, london) == [1, 3]
