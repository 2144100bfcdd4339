"""Bounded input: every free-text field has a limit (``rjcases.limits``) that the web forms, the API and the database
each refuse one character past, with the GOV.UK message and nothing changed; phone numbers and emails are checked."""

from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.urls import reverse

from conferences.models import PreparationContact
from insights.models import ReportingCentre
from letters.models import LetterTemplate
from rjcases import limits, services
from rjcases.forms import PartyForm, ReferralForm
from rjcases.models import Case, ContactAttempt, Incident, Note, Party, ReferralRoute
from tests.api.conftest import referral_body
from tests.factories import reference
from tests.walk import refer, to_assessment

pytestmark = pytest.mark.django_db


BOUNDED_APPS = ("rjcases", "conferences", "letters", "insights")
# Text the service writes itself, never typed by a person: no limit is needed.
# Written by the service, never typed: the folded name is derived from the (bounded) first and last names.
SYSTEM_TEXT = {("letters", "Letter", "file_error"), ("rjcases", "Party", "search_name")}


@pytest.fixture
def case(referred_case, manager, facilitator):
    return to_assessment(referred_case, manager, facilitator)


@pytest.fixture
def harmed(case):
    return case.parties.get(role=Party.Role.HARMED)


def url(name, case, *args):
    return reverse(f"rjcases:{name}", args=[case.reference, *args])


# ---------------------------------------------------------------------------------------------------
# Every text field has a limit, and the database holds it


def _typed_text_fields():
    for app in BOUNDED_APPS:
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical"):
                continue
            for field in model._meta.fields:
                if isinstance(field, models.TextField) and (app, model.__name__, field.name) not in SYSTEM_TEXT:
                    yield model, field


def test_every_text_field_has_a_limit_and_a_database_check():
    unbounded = []
    for model, field in _typed_text_fields():
        checks = {c.name for c in model._meta.constraints if isinstance(c, models.CheckConstraint)}
        if not field.max_length or not any(name.endswith(f"_{field.name}_length") for name in checks):
            unbounded.append(f"{model.__name__}.{field.name}")
    assert unbounded == []


def test_names_and_short_text_have_the_documented_limits():
    assert Party._meta.get_field("first_name").max_length == limits.NAME == 100
    assert Party._meta.get_field("last_name").max_length == limits.NAME
    assert Party._meta.get_field("address").max_length == limits.ADDRESS == 500
    assert Incident._meta.get_field("summary").max_length == limits.SUMMARY == 5_000
    assert Note._meta.get_field("body").max_length == limits.NOTE == 10_000
    assert Incident._meta.get_field("place").max_length == limits.SHORT == 200


def _rows(case, harmed, facilitator, reporting_centre):
    prep = PreparationContact.objects.create(
        case=case, party=harmed, held_on=date(2026, 10, 2), method="phone", by=facilitator
    )
    centre = ReportingCentre.objects.create(
        organisation=reporting_centre, name="Centre", address="1 Road", opening_times="Mondays"
    )
    template = LetterTemplate.objects.first()  # the wording the letters migration ships
    note = Note.objects.create(case=case, author=facilitator, body="A note")
    return [
        (Note, note.pk, "body", limits.NOTE),
        (Incident, case.incident.pk, "summary", limits.SUMMARY),
        (Party, harmed.pk, "address", limits.ADDRESS),
        (Case, case.pk, "closure_summary", limits.SUMMARY),
        (PreparationContact, prep.pk, "notes", limits.NOTE),
        (ReportingCentre, centre.pk, "opening_times", limits.ADDRESS),
        (LetterTemplate, template.pk, "body", limits.NOTE),
    ]


def test_the_database_refuses_one_character_too_many(case, harmed, facilitator, reporting_centre):
    # QuerySet.update goes past every form, serializer and full_clean: only the database's check is left.
    for model, pk, field, limit in _rows(case, harmed, facilitator, reporting_centre):
        before = model.objects.values_list(field, flat=True).get(pk=pk)
        with pytest.raises(IntegrityError), transaction.atomic():
            model.objects.filter(pk=pk).update(**{field: "é" * (limit + 1)})
        assert model.objects.values_list(field, flat=True).get(pk=pk) == before, model
        # The limit counts characters, not bytes: exactly the limit of two-byte characters is kept.
        model.objects.filter(pk=pk).update(**{field: "é" * limit})


def test_full_clean_names_the_field_that_is_too_long(case, facilitator):
    note = Note(case=case, author=facilitator, body="x" * (limits.NOTE + 1))
    with pytest.raises(ValidationError) as raised:
        note.full_clean()
    assert raised.value.messages == ["Body must be 10,000 characters or fewer"]


@pytest.mark.postgres
def test_postgresql_holds_the_checks_too(case, harmed, facilitator, reporting_centre):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: run with DATABASE_URL set to a PostgreSQL database")
    test_the_database_refuses_one_character_too_many(case, harmed, facilitator, reporting_centre)
    with connection.cursor() as cursor:
        cursor.execute("SELECT conname FROM pg_constraint WHERE contype = 'c' AND conname = 'note_body_length'")
        assert cursor.fetchone() == ("note_body_length",)


# ---------------------------------------------------------------------------------------------------
# Web forms


def test_a_note_one_character_too_long_is_refused_with_the_govuk_message(client, case, facilitator):
    client.force_login(facilitator)
    response = client.post(url("note_add", case), {"body": "x" * (limits.NOTE + 1)})
    assert response.status_code == 200
    assert "Note must be 10,000 characters or fewer" in response.content.decode()
    assert not Note.objects.exists()
    assert client.post(url("note_add", case), {"body": "x" * limits.NOTE}).status_code == 302
    assert len(Note.objects.get().body) == limits.NOTE


def test_the_text_box_has_no_browser_maxlength_that_would_cut_a_paste_short(client, case, facilitator):
    client.force_login(facilitator)
    page = client.get(url("note_add", case)).content.decode()
    assert 'name="body"' in page
    assert "maxlength" not in page


def test_a_contact_note_too_long_is_refused_and_nothing_is_logged(client, case, harmed, facilitator):
    client.force_login(facilitator)
    form = {
        "party": harmed.pk,
        "on-day": "1",
        "on-month": "10",
        "on-year": "2026",
        "at": "10:00",
        "method": "letter",
        "result": "sent",
        "notes": "x" * (limits.NOTE + 1),
    }
    response = client.post(url("contact_add", case), form)
    assert "Notes must be 10,000 characters or fewer" in response.content.decode()
    assert not ContactAttempt.objects.exists()


def _referral_form(user, **data):
    route = reference(ReferralRoute, "police")
    return ReferralForm(data, route=route, user=user)


@pytest.mark.parametrize(
    ("field", "limit", "message"),
    [
        ("summary", limits.SUMMARY, "What happened must be 5,000 characters or fewer"),
        ("place", limits.SHORT, "Place must be 200 characters or fewer"),
        ("referrer_name", limits.SHORT, "Referrer's name must be 200 characters or fewer"),
    ],
)
def test_the_referral_form_refuses_text_past_its_limit(police_referrer, field, limit, message):
    assert _referral_form(police_referrer, **{field: "x" * (limit + 1)}).errors[field] == [message]
    assert field not in _referral_form(police_referrer, **{field: "x" * limit}).errors


def test_a_transition_reason_past_its_limit_is_refused_on_the_page(client, referred_case, manager):
    client.force_login(manager)
    response = client.post(
        url("transition", referred_case, "decline"), {"seen_state": "referral", "reason": "x" * (limits.SUMMARY + 1)}
    )
    assert "Reason must be 5,000 characters or fewer" in response.content.decode()
    referred_case.refresh_from_db()
    assert referred_case.state == Case.State.REFERRAL
    assert not referred_case.transitions.filter(name="decline").exists()


# ---------------------------------------------------------------------------------------------------
# The API


def test_the_api_refuses_a_note_too_long_with_its_json_error(api_client, case, facilitator):
    response = api_client(facilitator).post(
        f"/api/v1/cases/{case.reference}/notes/", {"body": "x" * (limits.NOTE + 1)}, format="json"
    )
    assert response.status_code == 422
    assert "10000" in response.json()["error"]["fields"]["body"][0].replace(",", "")
    assert not Note.objects.exists()


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("incident", "summary"), "x" * (limits.SUMMARY + 1)),
        (("incident", "place"), "x" * (limits.SHORT + 1)),
        (("parties", 0, "first_name"), "x" * (limits.NAME + 1)),
        (("parties", 0, "address"), "x" * (limits.ADDRESS + 1)),
        (("parties", 0, "phone"), "<script>"),
    ],
)
def test_the_api_refuses_a_referral_with_text_past_its_limit(api_client, reference_data, police_referrer, path, value):
    body = referral_body()
    target = body
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    response = api_client(police_referrer).post("/api/v1/referrals/", body, format="json")
    assert response.status_code == 422, response.content
    assert response.json()["error"]["code"]
    assert any(name.startswith(path[0]) for name in response.json()["error"]["fields"])
    assert not Case.objects.exists()


def test_the_api_refuses_a_transition_reason_past_its_limit(api_client, referred_case, manager):
    response = api_client(manager).post(
        f"/api/v1/cases/{referred_case.reference}/transitions/decline/",
        {"reason": "x" * (limits.SUMMARY + 1)},
        format="json",
    )
    assert response.status_code == 422, response.content
    assert "5000 characters" in response.json()["error"]["fields"]["reason"][0]
    referred_case.refresh_from_db()
    assert referred_case.state == Case.State.REFERRAL


# ---------------------------------------------------------------------------------------------------
# Phone numbers and emails


@pytest.mark.parametrize(
    "number",
    [
        "0161 496 0000",
        "07700 900982",
        "07700900982",
        "(0161) 496-0000",
        "+44 7700 900982",
        "0044 161 496 0000",
        "+33 1 23 45 67 89",
        "+1 (415) 555-0100",
        "+353 1 234 5678",
        "0800 123456",
    ],
)
def test_uk_and_international_phone_numbers_are_accepted(number):
    assert limits.is_phone(number)


@pytest.mark.parametrize(
    "text",
    [
        "<script>",
        "<script>alert(1)</script>",
        "phone me",
        "12345",
        "0161 496",
        "+44 0161 496 0000x",
        "07700 900982 ext 2",
        "+0 123 456 789",
        "0" * 20,
        "+44 12",
    ],
)
def test_anything_else_is_not_a_phone_number(text):
    assert not limits.is_phone(text)


def _party_form(**data):
    return PartyForm(
        {"role": "harmed", "first_name": "Amina", "age_band": "unknown", "language": "English", **data}, case=None
    )


def test_the_person_form_refuses_a_script_as_a_phone_number():
    form = _party_form(phone="<script>")
    assert form.errors["phone"] == [limits.PHONE_MESSAGE]
    assert "phone" not in _party_form(phone="+44 7700 900982").errors


def test_the_person_form_refuses_an_email_that_is_not_one():
    form = _party_form(email="amina at example")
    assert "email" in form.errors
    assert "phone" not in form.errors


def test_a_person_s_phone_is_checked_by_the_model_as_well(harmed):
    harmed.phone = "<script>"
    with pytest.raises(ValidationError) as raised:
        harmed.full_clean()
    assert raised.value.message_dict["phone"] == [limits.PHONE_MESSAGE]


def test_the_referrer_s_contact_is_a_phone_number_or_an_email(police_referrer):
    assert "referrer_contact" in _referral_form(police_referrer, referrer_contact="<script>").errors
    for contact in ("0161 496 0000", "officer@example.police.uk"):
        assert "referrer_contact" not in _referral_form(police_referrer, referrer_contact=contact).errors


def test_the_api_refuses_a_script_as_a_person_s_phone(api_client, case, facilitator):
    response = api_client(facilitator).post(
        f"/api/v1/cases/{case.reference}/parties/",
        {"role": "supporter", "first_name": "Sam", "phone": "<script>"},
        format="json",
    )
    assert response.status_code == 422, response.content
    assert "phone" in response.json()["error"]["fields"]
    assert not case.parties.filter(first_name="Sam").exists()


def test_services_keep_limits_for_callers_that_skip_the_forms(case, facilitator):
    with pytest.raises((IntegrityError, ValidationError)), transaction.atomic():
        services.add_note(case, facilitator, body="x" * (limits.NOTE + 1))
    assert not Note.objects.exists()


# ---------------------------------------------------------------------------------------------------
# Long text: a preview on the case's people section (where notes are), the whole on its own page


def test_a_long_note_is_previewed_on_the_case_page_and_read_in_full_on_its_own(client, case, facilitator):
    body = "Start of the note. " + "word " * 200 + "THE VERY END"
    note = services.add_note(case, facilitator, body=body)
    client.force_login(facilitator)
    page = client.get(url("people", case)).content.decode()
    assert "Start of the note." in page
    assert "THE VERY END" not in page
    full_url = url("note_detail", case, note.pk)
    assert f'href="{full_url}"' in page
    assert "Read the full note" in page
    full = client.get(full_url).content.decode()
    assert "Start of the note." in full
    assert "THE VERY END" in full


def test_a_short_note_has_no_link_to_a_page_of_its_own(client, case, facilitator):
    services.add_note(case, facilitator, body="Short and complete.")
    client.force_login(facilitator)
    page = client.get(url("people", case)).content.decode()
    assert "Short and complete." in page
    assert "Read the full note" not in page


def test_the_full_note_page_is_scoped_like_the_case_page(client, case, facilitator, other_facilitator, police_referrer):
    note = services.add_note(case, facilitator, body="x" * 700)
    client.force_login(other_facilitator)
    assert client.get(url("note_detail", case, note.pk)).status_code == 404
    other_case = refer(police_referrer)
    client.force_login(facilitator)
    assert client.get(reverse("rjcases:note_detail", args=[other_case.reference, note.pk])).status_code == 404
