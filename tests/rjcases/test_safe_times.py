"""Safe times are data: the days and times of day a person may be called or visited, chosen in the form (day boxes,
"from" and "to" times) or sent by the API, stored as ``Party.safe_times``, shown in words, and read by the rule
(``rjcases.safe_times``) at every call or visit. Wrong times are refused in the form, the API and the model alike.
The free-text note is kept beside them and never read. Notes written before are read once by migration 0015 with
the heuristic the service used until then, so that every existing person is checked as before."""

import importlib
from datetime import date, datetime, time, timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from rjcases import safe_times, services
from rjcases.models import ContactAttempt, Party
from tests.walk import refer, to_assessment

MIGRATION = importlib.import_module("rjcases.migrations.0015_read_safe_times_from_the_notes")
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday"]
MONDAY = date(2026, 11, 30)  # a Monday


def times(days=None, *windows) -> dict:
    data: dict = {}
    if days is not None:
        data["days"] = days
    if windows:
        data["windows"] = [{"from": a, "to": b} for a, b in windows]
    return data


# ---------------------------------------------------------------------------------------------------
# The rule, in words and in time


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({}, ""),
        (times(WEEKDAYS, ("17:00", "21:00")), "Weekdays (Monday to Friday), 17:00 to 21:00"),
        (times(["saturday", "sunday"]), "Weekends, any time"),
        (times(["tuesday", "thursday"]), "Tuesday and Thursday, any time"),
        (times(["monday", "wednesday", "friday"]), "Monday, Wednesday and Friday, any time"),
        (times(["monday", "tuesday", "wednesday"]), "Monday to Wednesday, any time"),
        (times(["sunday"]), "Sunday, any time"),
        (times(None, ("08:00", "12:00"), ("17:30", "20:00")), "Any day, 08:00 to 12:00 or 17:30 to 20:00"),
        (times(list(safe_times.DAYS), ("09:00", "17:00")), "Any day, 09:00 to 17:00"),
    ],
)
def test_safe_times_are_shown_in_words(data, words):
    assert safe_times.parse(data).in_words() == words


@pytest.mark.parametrize(
    ("day", "clock", "outside"),
    [
        (MONDAY, time(17, 0), ""),  # the first minute of the window
        (MONDAY, time(21, 0), ""),  # its last
        (MONDAY, time(16, 59), "time"),
        (MONDAY, time(21, 1), "time"),
        (MONDAY, time(10, 0), "time"),
        (MONDAY + timedelta(days=4), time(18, 0), ""),  # Friday
        (MONDAY + timedelta(days=5), time(18, 0), "day"),  # Saturday
        (MONDAY + timedelta(days=6), None, "day"),  # Sunday, time not recorded
        (MONDAY, None, ""),  # a weekday, time not recorded: only the day can be checked
    ],
)
def test_the_rule_checks_the_day_then_the_time(day, clock, outside):
    assert safe_times.parse(times(WEEKDAYS, ("17:00", "21:00"))).outside(day, clock) == outside


def test_two_windows_either_one_is_safe():
    rule = safe_times.parse(times(None, ("08:00", "12:00"), ("17:00", "21:00")))
    assert [rule.outside(MONDAY, time(h)) for h in (7, 9, 13, 18, 22)] == ["time", "", "time", "", "time"]


def test_no_safe_times_recorded_checks_nothing():
    assert not safe_times.parse({}).recorded
    assert safe_times.parse({}).outside(MONDAY, time(3)) == ""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"days": ["mondays"]}, "day names"),
        ({"days": ["monday", "monday"]}, "each once"),
        ({"days": "monday"}, "day names"),
        ({"windows": [{"from": "21:00", "to": "17:00"}]}, "end must be after its start (21:00)"),
        ({"windows": [{"from": "9", "to": "17:00"}]}, "like 17:30"),
        ({"windows": [{"from": "25:00", "to": "26:00"}]}, "like 17:30"),
        ({"windows": [{"from": "09:00"}]}, '{"from": "HH:MM", "to": "HH:MM"}'),
        ({"windows": [{"from": "08:00", "to": "09:00"}] * 3}, "at most 2"),
        ({"evenings": True}, '{"days": [...]'),
        (["monday"], '{"days": [...]'),
    ],
)
def test_wrong_safe_times_are_refused_with_a_clear_message(data, message):
    with pytest.raises(ValidationError, match=message.replace("[", r"\[").replace("(", r"\(").replace(")", r"\)")):
        safe_times.parse(data)


# ---------------------------------------------------------------------------------------------------
# Chosen in the form, sent by the API, refused in the model


@pytest.fixture
def case(police_referrer, manager, facilitator):
    return to_assessment(refer(police_referrer), manager, facilitator)


def amina(case) -> Party:
    return case.parties.get(role=Party.Role.HARMED)


def edit_form(party, **changes) -> dict:
    form = {
        "role": party.role,
        "first_name": party.first_name,
        "last_name": party.last_name,
        "address": party.address,
        "phone": party.phone,
        "email": party.email,
        "language": party.language,
        "participating": "on",
    }
    form.update(changes)
    return form


@pytest.mark.django_db
def test_the_facilitator_chooses_days_and_times_in_the_form_and_they_are_stored_as_data(client, case, facilitator):
    party = amina(case)
    client.force_login(facilitator)
    url = reverse("rjcases:party_edit", args=[case.reference, party.pk])
    assert "Days it is safe to call or visit them" in client.get(url).content.decode()
    response = client.post(
        url,
        edit_form(
            party,
            safe_days=["monday", "wednesday"],
            safe_from="18:00",
            safe_to="20:30",
            safe_contact_times="Ask for Amina: her brother may answer.",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    party.refresh_from_db()
    assert party.safe_times == times(["monday", "wednesday"], ("18:00", "20:30"))
    assert party.safe_contact_times == "Ask for Amina: her brother may answer."
    page = client.get(reverse("rjcases:party_detail", args=[case.reference, party.pk])).content.decode()
    assert "Safe times: Monday and Wednesday, 18:00 to 20:30" in page
    # The form opens with the choice made, and an unchanged form keeps it.
    again = client.get(url).content.decode()
    assert 'value="monday" checked' in again
    assert 'value="18:00"' in again


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"safe_from": "21:00", "safe_to": "18:00"}, "safe_to", "must be after 21:00"),
        ({"safe_from": "18:00"}, "safe_to", "Enter the time it is safe to"),
        ({"safe_to_2": "18:00"}, "safe_from_2", "Enter the time it is safe from"),
        ({"safe_from": "6pm", "safe_to": "9pm"}, "safe_from", "like 17:30"),
        ({"safe_days": ["someday"]}, "safe_days", "Select a valid choice"),
    ],
)
def test_wrong_times_in_the_form_are_refused_and_nothing_changes(client, case, facilitator, changes, field, message):
    party = amina(case)
    before = (Party.objects.filter(pk=party.pk).values().get(), party.history.count())
    client.force_login(facilitator)
    response = client.post(reverse("rjcases:party_edit", args=[case.reference, party.pk]), edit_form(party, **changes))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert (Party.objects.filter(pk=party.pk).values().get(), party.history.count()) == before


@pytest.mark.django_db
def test_the_api_takes_and_gives_safe_times_as_data(api_client, case, facilitator):
    party = amina(case)
    url = f"/api/v1/cases/{case.reference}/parties/{party.pk}/"
    api = api_client(facilitator)
    sent = times(WEEKDAYS, ("17:00", "21:00"))
    response = api.patch(url, {"safe_times": sent}, format="json")
    assert response.status_code == 200
    assert response.json()["safe_times"] == sent
    party.refresh_from_db()
    assert party.safe_times == sent
    before = party.history.count()
    refused = api.patch(url, {"safe_times": {"windows": [{"from": "21:00", "to": "17:00"}]}}, format="json")
    assert refused.status_code == 422
    assert "end must be after its start" in refused.json()["error"]["fields"]["safe_times"][0]
    party.refresh_from_db()
    assert (party.safe_times, party.history.count()) == (sent, before)


@pytest.mark.django_db
def test_the_model_refuses_wrong_safe_times_too(case, facilitator):
    with pytest.raises(ValidationError) as refused:
        services.update_party(amina(case), facilitator, safe_times={"days": ["funday"]})
    assert "safe_times" in refused.value.message_dict


@pytest.mark.django_db
def test_the_note_is_never_read_as_times(case, facilitator):
    """Before, "mornings only" in the note asked for a reason at 19:00; now only the chosen times count."""
    party = amina(case)
    services.update_party(party, facilitator, safe_contact_times="Mornings only", safe_times={})
    evening = timezone.make_aware(datetime.combine(MONDAY - timedelta(days=7), time(19)))
    contact = services.record_contact(
        case, facilitator, party=party, at=evening, method=ContactAttempt.Method.PHONE, result="no_answer"
    )
    assert contact.outside_safe_times_reason == ""


# ---------------------------------------------------------------------------------------------------
# Existing notes: read once, checked as before


NOTES = [
    "Weekday evenings after 6pm",
    "Weekdays after 5pm",
    "Mornings only",
    "Not at weekends",
    "Tuesdays and Thursdays",
    "Lunchtimes only",
    "9am to 5pm",
    "Between 10 and 2 on weekdays",
    "Before 9am or after 6pm",
    "Evenings, not Fridays",
    "Saturday mornings",
    "after 7",
]
NOT_READ = ["Any time", "anytime", "ask her sister first", "", "Only via her caseworker"]


def _old_rule_outside(text: str, day: date, clock: time | None) -> bool:
    days, windows = MIGRATION.parse_safe_times(text)
    if days is not None and day.weekday() not in days:
        return True
    return clock is not None and windows is not None and not any(a <= clock <= b for a, b in windows)


@pytest.mark.parametrize("text", NOTES)
def test_the_migration_keeps_every_answer_the_old_heuristic_gave(text):
    data = MIGRATION.as_data(text)
    assert data is not None
    assert data["read_from_note"] is True
    rule = safe_times.parse(data)
    moments = [(MONDAY + timedelta(days=d), time(h, m)) for d in range(7) for h in range(24) for m in (0, 30, 59)]
    moments += [(MONDAY + timedelta(days=d), None) for d in range(7)]
    different = [
        (day, clock) for day, clock in moments if bool(rule.outside(day, clock)) != _old_rule_outside(text, day, clock)
    ]
    assert different == []


@pytest.mark.parametrize("text", NOT_READ)
def test_a_note_the_old_heuristic_could_not_read_stays_a_note_only(text):
    assert MIGRATION.as_data(text) is None


def test_the_migration_reads_the_examples_as_a_person_would():
    assert MIGRATION.as_data("Weekday evenings after 6pm") == {
        "days": WEEKDAYS,
        "windows": [{"from": "17:00", "to": "23:59"}],
        "read_from_note": True,
    }
    assert MIGRATION.as_data("Tuesdays and Thursdays") == {"days": ["tuesday", "thursday"], "read_from_note": True}
    assert MIGRATION.as_data("Before 9am or after 6pm") == {
        "windows": [{"from": "00:00", "to": "09:00"}, {"from": "18:00", "to": "23:59"}],
        "read_from_note": True,
    }


@pytest.mark.django_db
def test_the_migration_writes_the_times_with_a_history_row_and_the_page_asks_to_check_them(client, case, facilitator):
    party = amina(case)
    other = case.parties.get(role=Party.Role.RESPONSIBLE)
    Party.objects.filter(pk=party.pk).update(safe_contact_times="Weekday evenings after 6pm")  # as the code before
    Party.objects.filter(pk=other.pk).update(safe_contact_times="ask her sister first")

    MIGRATION.read_safe_times(apps, None)

    party.refresh_from_db()
    assert safe_times.parse(party.safe_times).in_words() == "Weekdays (Monday to Friday), 17:00 to 23:59"
    assert party.safe_contact_times == "Weekday evenings after 6pm"
    assert party.history.latest().history_change_reason == MIGRATION.REASON
    other.refresh_from_db()
    assert other.safe_times == {}
    client.force_login(facilitator)
    page = client.get(reverse("rjcases:contact_add", args=[case.reference])).content.decode()
    assert "Safe times: Weekdays (Monday to Friday), 17:00 to 23:59" in page
    assert "Read from the note: check them" in page
    saturday = timezone.make_aware(datetime.combine(MONDAY - timedelta(days=2), time(19)))
    with pytest.raises(ValidationError, match="Saturday"):
        services.record_contact(case, facilitator, party=party, at=saturday, method="phone", result="no_answer")

    MIGRATION.forget_safe_times(apps, None)
    party.refresh_from_db()
    assert party.safe_times == {}
