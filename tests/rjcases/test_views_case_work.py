"""The forms on a case: allocation, people, assessment and sign-off, consent and its withdrawal, notes and
the contact log. Good input saves through the service and redirects; bad input gets a clear message and
changes nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from rjcases import services
from rjcases.models import Assessment, Case, Consent, ContactAttempt, Note, Party, ReadAccess
from tests.govuk.dates import date_parts
from tests.walk import to_assessment

TODAY = timezone.localdate


@pytest.fixture
def case(referred_case, manager, facilitator):
    return to_assessment(referred_case, manager, facilitator)


@pytest.fixture
def harmed(case):
    return case.parties.get(role=Party.Role.HARMED)


@pytest.fixture
def responsible(case):
    return case.parties.get(role=Party.Role.RESPONSIBLE)


def url(name, case, *args):
    return reverse(f"rjcases:{name}", args=[case.reference, *args])


def error_messages(response) -> str:
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert 'class="govuk-error-summary"' in html
    return html


# Allocation


def test_a_manager_allocates_a_facilitator_and_co_facilitator(
    client, referred_case, manager, facilitator, other_facilitator
):
    client.force_login(manager)
    response = client.post(
        url("allocate", referred_case), {"facilitator": facilitator.pk, "co_facilitator": other_facilitator.pk}
    )
    assert response.status_code == 302
    referred_case.refresh_from_db()
    assert (referred_case.facilitator, referred_case.co_facilitator) == (facilitator, other_facilitator)
    assert referred_case.history.first().history_user == manager


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"facilitator": ""}, "Choose a facilitator"),
        ({"facilitator": "same", "co_facilitator": "same"}, "The co-facilitator must be someone other than"),
        ({"facilitator": "police"}, "Select a valid choice"),
    ],
)
def test_bad_allocation_is_refused_and_changes_nothing(
    client, referred_case, manager, facilitator, police_referrer, data, message
):
    people = {"same": facilitator.pk, "police": police_referrer.pk, "": ""}
    client.force_login(manager)
    response = client.post(url("allocate", referred_case), {k: people[v] for k, v in data.items()})
    assert message in error_messages(response)
    referred_case.refresh_from_db()
    assert referred_case.facilitator is None


# People


def test_adding_a_supporter(client, case, harmed, facilitator):
    client.force_login(facilitator)
    response = client.post(
        url("party_add", case),
        {
            "role": "supporter",
            "supports": harmed.pk,
            "first_name": "Sam",
            "last_name": "Supporter",
            "phone": "07700 900999",
            "postcode": "m33 7xx",
            "language": "English",
            "participating": "on",
        },
    )
    assert response.status_code == 302
    supporter = case.parties.get(first_name="Sam")
    assert supporter.supports == harmed
    assert supporter.postcode == "M33 7XX"
    assert supporter.history.first().history_user == facilitator


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"role": "supporter"}, "Select who this person supports"),
        ({"role": ""}, "Select the person&#x27;s role in the case"),
        ({"first_name": ""}, "Enter the person&#x27;s first name"),
        ({"email": "nope"}, "Enter an email address like name@example.org"),
        ({"postcode": "XYZ"}, "Enter a real UK postcode"),
        ({"caseworker": "facilitator"}, "Select a valid choice"),
    ],
)
def test_bad_person_details_are_refused(client, case, facilitator, data, message):
    client.force_login(facilitator)
    form = {"role": "harmed", "first_name": "Nia", "last_name": "New", "language": "English", **data}
    if form.get("caseworker") == "facilitator":
        form["caseworker"] = facilitator.pk
    before = case.parties.count()
    response = client.post(url("party_add", case), form)
    assert message in error_messages(response)
    assert case.parties.count() == before


def test_changing_a_persons_details_keeps_the_old_ones_in_history(client, case, harmed, facilitator, caseworker):
    client.force_login(facilitator)
    response = client.post(
        url("party_edit", case, harmed.pk),
        {
            "role": "harmed",
            "first_name": "Amina",
            "last_name": "Testharmed",
            "phone": "07700 111111",
            "language": "Somali",
            "interpreter_needed": "on",
            "interpreter_language": "Somali",
            "participating": "on",
            "caseworker": caseworker.pk,
        },
    )
    assert response.status_code == 302
    harmed.refresh_from_db()
    assert (harmed.phone, harmed.language, harmed.caseworker) == ("07700 111111", "Somali", caseworker)
    assert harmed.history.order_by("history_id").first().phone == "07700 900001"


def test_a_caseworker_for_the_person_responsible_is_refused(client, case, responsible, facilitator, caseworker):
    client.force_login(facilitator)
    response = client.post(
        url("party_edit", case, responsible.pk),
        {
            "role": "responsible",
            "first_name": "Kieran",
            "language": "English",
            "caseworker": caseworker.pk,
            "participating": "on",
        },
    )
    assert "Only a person harmed has a victim service caseworker" in error_messages(response)
    responsible.refresh_from_db()
    assert responsible.caseworker is None


def test_opening_a_persons_details_is_logged(client, case, harmed, caseworker, manager):
    services.update_party(harmed, manager, caseworker=caseworker)
    client.force_login(caseworker)
    assert client.get(url("party_detail", case, harmed.pk)).status_code == 200
    assert ReadAccess.objects.filter(user=caseworker, what="party", object_id=str(harmed.pk)).count() == 1


def test_a_person_of_another_case_is_not_found(client, case, facilitator, police_referrer):
    from tests.walk import refer

    other = refer(police_referrer).parties.first()
    client.force_login(facilitator)
    assert client.get(url("party_detail", case, other.pk)).status_code == 404
    assert client.get(url("party_edit", case, other.pk)).status_code == 404


# Assessment and sign-off


def good_assessment(**overrides) -> dict:
    data = {
        **date_parts("assessed_on", TODAY()),
        "acknowledges_facts": "yes",
        "accepts_responsibility": "yes",
        "willing": "yes",
        "risk_level": "high",
        "risk_factors": "Lives on the same street",
        "mitigations": "Meet at a neutral venue",
    }
    data.update(overrides)
    return data


def test_recording_an_assessment_then_the_managers_sign_off(client, case, responsible, facilitator, manager):
    client.force_login(facilitator)
    response = client.post(url("assess", case, responsible.pk), good_assessment())
    assert response.status_code == 302
    assessment = responsible.assessments.get()
    assert (assessment.risk_level, assessment.acknowledges_facts, assessment.assessor) == ("high", True, facilitator)
    assert response["Location"] == url("detail", case)  # back to the summary, whose missing steps it fixes
    page = client.get(url("work", case)).content.decode()  # each person's assessment is in the restorative work
    assert "Needs sign-off" in page
    client.force_login(manager)
    assert 'data-testid="sign-off-list"' in client.get(reverse("dashboard")).content.decode()
    response = client.post(url("sign_off", case, assessment.pk), {"note": "Two facilitators present."})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.signed_off_by == manager
    assert assessment.signed_off_at
    assert 'data-testid="sign-off-list"' not in client.get(reverse("dashboard")).content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"risk_level": ""}, "Select the risk level"),
        ({"mitigations": ""}, "Enter how the risks will be reduced"),
        ({"acknowledges_facts": ""}, "Select yes if they acknowledge the basic facts"),
        ({**date_parts("assessed_on", TODAY() + timedelta(days=3))}, "must be today or in the past"),
        ({"assessed_on-day": "x"}, "Enter date of the assessment as numbers"),
    ],
)
def test_bad_assessment_input_is_refused(client, case, responsible, facilitator, overrides, message):
    client.force_login(facilitator)
    response = client.post(url("assess", case, responsible.pk), good_assessment(**overrides))
    assert message in error_messages(response)
    assert not Assessment.objects.exists()


def test_the_person_harmed_is_not_asked_to_take_responsibility(client, case, harmed, facilitator):
    client.force_login(facilitator)
    page = client.get(url("assess", case, harmed.pk)).content.decode()
    assert "accept responsibility" not in page
    response = client.post(url("assess", case, harmed.pk), good_assessment(risk_level="low", mitigations=""))
    assert response.status_code == 302
    assert harmed.assessments.get().accepts_responsibility is None


def test_a_sign_off_needs_a_note_and_happens_once(client, case, responsible, facilitator, manager):
    assessment = services.record_assessment(
        responsible,
        facilitator,
        assessed_on=TODAY(),
        risk_level="high",
        willing=True,
        acknowledges_facts=True,
        accepts_responsibility=True,
    )
    client.force_login(manager)
    response = client.post(url("sign_off", case, assessment.pk), {"note": ""})
    assert "Enter a sign-off note" in error_messages(response)
    assessment.refresh_from_db()
    assert assessment.signed_off_at is None
    client.post(url("sign_off", case, assessment.pk), {"note": "Fine"})
    assessment.refresh_from_db()
    first = assessment.signed_off_at
    response = client.post(url("sign_off", case, assessment.pk), {"note": "Again"})
    assert "already signed off" in error_messages(response)
    assessment.refresh_from_db()
    assert assessment.signed_off_at == first
    assert assessment.sign_off_note == "Fine"


# Consent


def test_recording_and_withdrawing_consent_keeps_the_record(client, case, harmed, facilitator):
    client.force_login(facilitator)
    response = client.post(
        url("consent_add", case, harmed.pk),
        {
            "purposes": ["participate"],
            **date_parts("given_on", TODAY()),
            "method": "signed_form",
            "wording_version": "2026-1",
        },
    )
    assert response.status_code == 302
    consent = harmed.consents.get()
    assert consent.recorded_by == facilitator
    assert consent.is_active
    response = client.post(
        url("consent_withdraw", case, consent.pk),
        {**date_parts("withdrawn_on", TODAY()), "reason": "No longer wants to meet"},
    )
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_on == TODAY()
    assert consent.withdrawal_reason == "No longer wants to meet"
    assert Consent.objects.filter(pk=consent.pk).exists()
    page = client.get(url("party_detail", case, harmed.pk)).content.decode()
    assert "Withdrawn" in page
    assert "No longer wants to meet" in page
    # a second withdrawal of the same consent is refused
    response = client.post(
        url("consent_withdraw", case, consent.pk), {**date_parts("withdrawn_on", TODAY()), "reason": "Again"}
    )
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawal_reason == "No longer wants to meet"


def test_a_caseworker_records_consent_for_the_person_they_support(client, case, harmed, manager, caseworker):
    services.update_party(harmed, manager, caseworker=caseworker)
    client.force_login(caseworker)
    response = client.post(
        url("consent_add", case, harmed.pk),
        {"purposes": ["feedback"], **date_parts("given_on", TODAY()), "method": "email", "wording_version": "2026-1"},
    )
    assert response.status_code == 302
    assert harmed.consents.get().recorded_by == caseworker


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"method": ""}, "Select how consent was given"),
        ({"given_on-day": "", "given_on-month": "", "given_on-year": ""}, "Enter the date consent was given"),
        ({"wording_version": ""}, "Enter the version of the wording shown"),
    ],
)
def test_bad_consent_input_is_refused(client, case, harmed, facilitator, data, message):
    client.force_login(facilitator)
    form = {
        "purposes": ["participate"],
        **date_parts("given_on", TODAY()),
        "method": "signed_form",
        "wording_version": "2026-1",
        **data,
    }
    response = client.post(url("consent_add", case, harmed.pk), form)
    assert message in error_messages(response)
    assert not Consent.objects.exists()


def test_a_withdrawal_needs_a_reason(client, case, harmed, facilitator):
    consent = services.record_consent(
        harmed, facilitator, purpose="participate", given_on=TODAY(), method="signed_form"
    )
    client.force_login(facilitator)
    response = client.post(url("consent_withdraw", case, consent.pk), {**date_parts("withdrawn_on", TODAY())})
    assert "Enter why consent was withdrawn" in error_messages(response)
    consent.refresh_from_db()
    assert consent.is_active


# Notes and contacts


def test_adding_a_note(client, case, facilitator):
    client.force_login(facilitator)
    response = client.post(url("note_add", case), {"body": "  Spoke to the housing officer.  "})
    assert response.status_code == 302
    note = Note.objects.get()
    assert (note.body, note.author) == ("Spoke to the housing officer.", facilitator)
    assert response["Location"] == url("people", case) + "#notes"
    assert "Spoke to the housing officer." in client.get(url("people", case)).content.decode()


def test_an_empty_note_is_refused(client, case, facilitator):
    client.force_login(facilitator)
    assert "Enter the note" in error_messages(client.post(url("note_add", case), {"body": "   "}))
    assert not Note.objects.exists()


def test_logging_contact_meets_the_victims_code_clocks(client, case, harmed, facilitator):
    client.force_login(facilitator)
    yesterday = TODAY() - timedelta(days=1)
    response = client.post(
        url("contact_add", case),
        {
            "party": harmed.pk,
            **date_parts("on", yesterday),
            "at": "14:30",
            "method": "phone",
            "result": "reached",
            "rj_information_given": "on",
            "notes": "Happy to hear more",
        },
    )
    assert response.status_code == 302
    contact = ContactAttempt.objects.get()
    assert timezone.localtime(contact.at).hour == 14
    case.refresh_from_db()
    assert case.initial_contact_on == yesterday
    assert case.rj_information_given_on == yesterday
    page = client.get(url("people", case)).content.decode()  # the contact log is with the people
    assert 'data-testid="contact-log"' in page
    assert "Happy to hear more" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"result": ""}, "Select the result"),
        ({"method": ""}, "Select how you tried to make contact"),
        ({"at": "9pm"}, "Enter the time like 14:30"),
        ({"on-day": "40"}, "Date of the contact must be a real date"),
    ],
)
def test_bad_contact_input_is_refused(client, case, harmed, facilitator, data, message):
    client.force_login(facilitator)
    form = {
        "party": harmed.pk,
        **date_parts("on", TODAY() - timedelta(days=1)),
        "at": "10:00",
        "method": "phone",
        "result": "no_answer",
        **data,
    }
    assert message in error_messages(client.post(url("contact_add", case), form))
    assert not ContactAttempt.objects.exists()
    case.refresh_from_db()
    assert case.initial_contact_on is None


def test_a_contact_in_the_future_is_refused(client, case, harmed, facilitator):
    client.force_login(facilitator)
    form = {"party": harmed.pk, **date_parts("on", TODAY()), "at": "23:59", "method": "phone", "result": "reached"}
    if timezone.localtime().hour == 23:
        pytest.skip("too close to midnight to make a time in the future today")
    response = client.post(url("contact_add", case), form)
    assert "The time of the contact must be in the past" in error_messages(response)
    assert not ContactAttempt.objects.exists()


def test_the_case_page_shows_people_needs_and_clocks(client, case, harmed, facilitator, manager):
    services.update_party(
        harmed, manager, interpreter_needed=True, interpreter_language="British Sign Language", no_messages=True
    )
    client.force_login(facilitator)
    people = client.get(url("people", case)).content.decode()  # the case page's people section
    assert "Interpreter: British Sign Language" in people
    assert "Do not leave messages" in people
    page = client.get(url("detail", case)).content.decode()  # the summary, with the Victims' Code clocks
    clocks = page[page.index('data-testid="victims-code-clocks"') :]
    assert "Due by" in clocks
    assert "Not yet" in clocks  # the RJ information is not given yet: its clock is open
    assert Case.objects.get(pk=case.pk).state == "assessment"
