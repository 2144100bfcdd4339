"""Safe contact is a rule: no message left for a "do not leave messages" person; a call or visit outside their safe
times (days and times of day, stored as data: ``rjcases.safe_times``) is recorded only with the reason, which is kept.
Web form and API alike go through the service. The free-text note beside the times is shown, never read."""

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conferences import services as work
from conferences.models import FollowUp, PreparationContact
from rjcases import services
from rjcases.models import ContactAttempt, Party
from tests.api.conftest import client_for
from tests.walk import refer, to_agreement, to_assessment, to_preparation

pytestmark = pytest.mark.django_db


def last_weekday(weekday: int):
    """The most recent past day (not today) that falls on ``weekday`` (0 = Monday)."""
    day = timezone.localdate() - timedelta(days=1)
    while day.weekday() != weekday:
        day -= timedelta(days=1)
    return day


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.fixture
def case(police_referrer, manager, facilitator):
    case = to_assessment(refer(police_referrer), manager, facilitator)
    amina = case.parties.get(role=Party.Role.HARMED)
    services.update_party(
        amina,
        facilitator,
        no_messages=True,
        safe_times=WEEKDAY_EVENINGS,
        safe_contact_times="Ask for Amina: her brother may answer.",
        preferred_contact_method=Party.ContactMethod.PHONE,
    )
    return case


WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday"]
WEEKDAY_EVENINGS = {"days": WEEKDAYS, "windows": [{"from": "18:00", "to": "21:00"}]}
IN_WORDS = "Weekdays (Monday to Friday), 18:00 to 21:00"


def amina(case) -> Party:
    return case.parties.get(role=Party.Role.HARMED)


def test_it_refuses_a_message_left_for_someone_who_must_not_be_left_messages(case, facilitator):
    with pytest.raises(ValidationError) as refused:
        services.record_contact(
            case,
            facilitator,
            party=amina(case),
            at=at(last_weekday(1), 19),
            method="phone",
            result=ContactAttempt.Result.MESSAGE_LEFT,
        )
    assert "must not be left messages" in str(refused.value.message_dict["result"])
    with pytest.raises(ValidationError, match="must not be left messages"):
        services.record_contact(
            case,
            facilitator,
            party=amina(case),
            at=at(last_weekday(1), 19),
            method="text",
            result=ContactAttempt.Result.SENT,
        )
    assert not ContactAttempt.objects.filter(case=case).exists()


def test_a_call_outside_safe_times_needs_a_reason_which_is_kept(case, facilitator):
    tuesday_morning = at(last_weekday(1), 10)
    with pytest.raises(ValidationError) as refused:
        services.record_contact(
            case,
            facilitator,
            party=amina(case),
            at=tuesday_morning,
            method="phone",
            result=ContactAttempt.Result.NO_ANSWER,
        )
    message = str(refused.value.message_dict["outside_safe_times_reason"])
    assert f"Amina Testharmed's safe times are {IN_WORDS}: 10:00 on" in message
    assert "is outside them. To record this contact anyway, confirm why it was made then." in message
    assert not ContactAttempt.objects.filter(case=case).exists()

    contact = services.record_contact(
        case,
        facilitator,
        party=amina(case),
        at=tuesday_morning,
        method="phone",
        result=ContactAttempt.Result.NO_ANSWER,
        outside_safe_times_reason="Police asked us to warn her today.",
    )
    assert ContactAttempt.objects.get(pk=contact.pk).outside_safe_times_reason == "Police asked us to warn her today."


def test_a_call_within_safe_times_needs_no_reason(case, facilitator):
    contact = services.record_contact(
        case,
        facilitator,
        party=amina(case),
        at=at(last_weekday(2), 19),
        method="phone",
        result=ContactAttempt.Result.REACHED,
    )
    assert contact.outside_safe_times_reason == ""


def test_a_saturday_call_is_outside_weekday_safe_times_even_without_a_time(case, facilitator):
    with pytest.raises(ValidationError, match="Saturday"):
        services.record_contact(
            case,
            facilitator,
            party=amina(case),
            at=at(last_weekday(5), 0),
            time_known=False,
            method="visit",
            result=ContactAttempt.Result.NO_ANSWER,
        )


def test_the_contact_form_shows_the_rules_and_asks_for_the_reason(client, case, facilitator):
    client.force_login(facilitator)
    url = reverse("rjcases:contact_add", args=[case.reference])
    page = client.get(url).content.decode()
    assert f"Safe times: {IN_WORDS}" in page
    assert "About when to contact them: Ask for Amina: her brother may answer." in page
    assert "Do not leave messages" in page
    day = last_weekday(1)
    form = {
        "party": amina(case).pk,
        "on-day": day.day,
        "on-month": day.month,
        "on-year": day.year,
        "at": "10:00",
        "method": "phone",
        "result": "no_answer",
        "notes": "",
    }

    refused = client.post(url, form)
    assert refused.status_code == 200
    assert "outside them" in refused.content.decode()
    assert not ContactAttempt.objects.filter(case=case).exists()

    accepted = client.post(url, {**form, "outside_safe_times_reason": "She asked us to ring this morning."})
    assert accepted.status_code == 302
    assert ContactAttempt.objects.get(case=case).outside_safe_times_reason == "She asked us to ring this morning."


def test_the_api_goes_through_the_same_rules(case, facilitator):
    api = client_for(facilitator)
    url = reverse("api:contacts", args=[case.reference])
    body = {
        "party": amina(case).pk,
        "at": at(last_weekday(1), 10).isoformat(),
        "method": "phone",
        "result": "message_left",
    }
    assert api.post(url, body, format="json").status_code == 422
    body["result"] = "no_answer"
    refused = api.post(url, body, format="json")
    assert refused.status_code == 422
    assert IN_WORDS in refused.json()["error"]["fields"]["outside_safe_times_reason"][0]
    assert not ContactAttempt.objects.filter(case=case).exists()
    accepted = api.post(url, {**body, "outside_safe_times_reason": "Urgent safety warning"}, format="json")
    assert accepted.status_code == 201, accepted.json()
    assert accepted.json()["outside_safe_times_reason"] == "Urgent safety warning"


def test_preparation_meetings_and_follow_ups_keep_to_safe_times(police_referrer, manager, facilitator):
    case = to_preparation(refer(police_referrer), manager, facilitator)
    person = amina(case)
    services.update_party(
        person,
        facilitator,
        no_messages=True,
        safe_times={"days": WEEKDAYS, "windows": [{"from": "17:00", "to": "22:00"}]},
    )
    saturday = last_weekday(5)
    with pytest.raises(ValidationError, match="Saturday"):
        work.add_preparation_contact(case, facilitator, party=person, held_on=saturday, method="in_person")
    meeting = work.add_preparation_contact(
        case,
        facilitator,
        party=person,
        held_on=saturday,
        method="in_person",
        outside_safe_times_reason="Only day the venue was free",
    )
    assert PreparationContact.objects.get(pk=meeting.pk).outside_safe_times_reason == "Only day the venue was free"


def test_follow_ups_keep_to_the_rules(police_referrer, manager, facilitator):
    case = to_agreement(refer(police_referrer), manager, facilitator)
    person = amina(case)
    services.update_party(
        person,
        facilitator,
        no_messages=True,
        safe_times={"days": WEEKDAYS, "windows": [{"from": "17:00", "to": "22:00"}]},
    )
    with pytest.raises(ValidationError, match="must not be left messages"):
        work.record_follow_up(
            case, facilitator, party=person, at=at(last_weekday(1), 18), method="text", notes="Texted to check in"
        )
    with pytest.raises(ValidationError, match="outside them"):
        work.record_follow_up(
            case, facilitator, party=person, at=at(last_weekday(1), 9), method="phone", notes="Rang to check in"
        )
    follow_up = work.record_follow_up(
        case,
        facilitator,
        party=person,
        at=at(last_weekday(1), 9),
        method="phone",
        notes="Rang to check in",
        outside_safe_times_reason="She asked for a morning call",
    )
    assert FollowUp.objects.get(pk=follow_up.pk).outside_safe_times_reason == "She asked for a morning call"
