"""Interpreter bookings for the restorative activity, and the confirmation of the activity they hold back."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from conferences import services as conference_services
from conferences.models import InterpreterBooking
from letters.content import letter_facts, party_recipient
from letters.models import Letterhead, LetterKind
from rjcases import services
from rjcases.models import Case, CaseTransition
from rjcases.services import ActionRefused, TransitionRefused
from rjcases.timeline import timeline
from tests.conferences.conftest import harmed, responsible
from tests.walk import plan_activity


@pytest.fixture
def bsl_case(prep_case, facilitator):
    """A case in preparation whose person harmed uses BSL, with a conference planned inviting both people."""
    person = harmed(prep_case)
    services.update_party(person, facilitator, bsl=True)
    plan_activity(prep_case, facilitator)
    return prep_case


def book(case, user, party, **overrides):
    data = {"party": party, "provider": "Signs North Agency", "registration_number": "NRCPD 1234567"}
    data.update(overrides)
    return conference_services.book_interpreter(case.current_activity, user, **data)


def snapshot(case):
    case.refresh_from_db()
    return (case.state, CaseTransition.objects.filter(case=case).count(), case.history.count())


def test_confirming_the_activity_is_refused_naming_the_person_and_language_with_no_booking(bsl_case, facilitator):
    before = snapshot(bsl_case)
    with pytest.raises(TransitionRefused) as refused:
        services.case_schedule_activity(bsl_case, facilitator)
    assert refused.value.code == "guard"
    assert (
        "Book an interpreter (British Sign Language (BSL)) for Amina Testharmed, and confirm the booking."
        in refused.value.reasons
    )
    assert snapshot(bsl_case) == before


def test_it_is_refused_while_the_booking_is_not_confirmed(bsl_case, facilitator):
    book(bsl_case, facilitator, harmed(bsl_case))
    with pytest.raises(TransitionRefused) as refused:
        services.case_schedule_activity(bsl_case, facilitator)
    assert refused.value.reasons == [
        "Confirm the interpreter (British Sign Language (BSL)) booked for Amina Testharmed."
    ]
    assert Case.objects.get(pk=bsl_case.pk).state == Case.State.PREPARATION


def test_a_booking_in_another_language_does_not_count(bsl_case, facilitator):
    book(bsl_case, facilitator, harmed(bsl_case), language="Polish", registration_number="", confirmed=True)
    with pytest.raises(TransitionRefused) as refused:
        services.case_schedule_activity(bsl_case, facilitator)
    assert "Amina Testharmed" in refused.value.reasons[0]


def test_it_is_allowed_once_the_booking_is_confirmed(bsl_case, facilitator):
    booking = book(bsl_case, facilitator, harmed(bsl_case), cost_pence=15050)
    conference_services.confirm_interpreter_booking(booking, facilitator)
    case = services.case_schedule_activity(bsl_case, facilitator)
    assert case.state == Case.State.CONFERENCING
    booking.refresh_from_db()
    assert booking.confirmed
    assert booking.confirmed_on == timezone.localdate()
    assert booking.registration_number == "1234567"
    assert booking.cost_pounds == "£150.50"


def test_a_spoken_language_interpreter_is_needed_too(prep_case, facilitator):
    services.update_party(responsible(prep_case), facilitator, interpreter_needed=True, interpreter_language="Polish")
    plan_activity(prep_case, facilitator)
    with pytest.raises(TransitionRefused) as refused:
        services.case_schedule_activity(prep_case, facilitator)
    assert refused.value.reasons == [
        "Book an interpreter (Polish) for Kieran Testresponsible, and confirm the booking."
    ]
    book(prep_case, facilitator, responsible(prep_case), registration_number="", confirmed=True)
    assert services.case_schedule_activity(prep_case, facilitator).state == Case.State.CONFERENCING


def test_someone_not_invited_needs_no_booking(prep_case, facilitator):
    services.update_party(harmed(prep_case), facilitator, bsl=True)
    plan_activity(prep_case, facilitator, invited=[responsible(prep_case)], kind="shuttle")
    assert services.case_schedule_activity(prep_case, facilitator).state == Case.State.CONFERENCING


@pytest.mark.parametrize("number", ["NRCPD 1234567", "nrcpd1234", "12 345 678", "NRCPD: 55555"])
def test_nrcpd_numbers_of_4_to_8_digits_are_accepted(bsl_case, facilitator, number):
    booking = book(bsl_case, facilitator, harmed(bsl_case), registration_number=number)
    assert booking.registration_number.isdigit()
    assert 4 <= len(booking.registration_number) <= 8


@pytest.mark.parametrize("number", ["123", "123456789", "AB1234", "NRCPD 12-34"])
def test_other_shapes_of_nrcpd_number_are_refused_and_nothing_is_booked(bsl_case, facilitator, number):
    with pytest.raises(ValidationError) as refused:
        book(bsl_case, facilitator, harmed(bsl_case), registration_number=number)
    assert "NRCPD registration number: 4 to 8 digits" in refused.value.message_dict["registration_number"][0]
    assert not InterpreterBooking.objects.exists()


def test_a_bsl_booking_cannot_be_confirmed_without_its_nrcpd_number(bsl_case, facilitator):
    with pytest.raises(ValidationError) as refused:
        book(bsl_case, facilitator, harmed(bsl_case), registration_number="", confirmed=True)
    assert "NRCPD" in refused.value.message_dict["registration_number"][0]
    booking = book(bsl_case, facilitator, harmed(bsl_case), registration_number="")
    with pytest.raises(ValidationError):
        conference_services.confirm_interpreter_booking(booking, facilitator)
    booking.refresh_from_db()
    assert not booking.confirmed
    assert booking.history.count() == 1


@pytest.mark.parametrize("cost", [-1, "12.50", 1.5, True])
def test_a_cost_must_be_whole_non_negative_pence(bsl_case, facilitator, cost):
    with pytest.raises(ValidationError) as refused:
        book(bsl_case, facilitator, harmed(bsl_case), cost_pence=cost)
    assert "cost_pence" in refused.value.message_dict
    assert not InterpreterBooking.objects.exists()


def test_the_database_refuses_a_negative_cost_and_a_confirmation_without_a_date(bsl_case, facilitator):
    booking = book(bsl_case, facilitator, harmed(bsl_case))
    for field, value in (("cost_pence", -5), ("confirmed", True)):
        with pytest.raises(IntegrityError), transaction.atomic():
            InterpreterBooking.objects.filter(pk=booking.pk).update(**{field: value})


def test_a_booking_needs_the_person_and_who_was_booked(bsl_case, facilitator):
    with pytest.raises(ValidationError) as refused:
        book(bsl_case, facilitator, None, provider="  ")
    assert set(refused.value.message_dict) >= {"party", "provider"}
    assert not InterpreterBooking.objects.exists()


def test_only_the_case_facilitators_and_managers_may_book_or_confirm(
    bsl_case, facilitator, other_facilitator, manager, caseworker
):
    for user in (other_facilitator, caseworker):
        with pytest.raises(ActionRefused):
            book(bsl_case, user, harmed(bsl_case))
    booking = book(bsl_case, manager, harmed(bsl_case))
    with pytest.raises(ActionRefused):
        conference_services.confirm_interpreter_booking(booking, other_facilitator)
    assert InterpreterBooking.objects.get().confirmed is False


def test_bookings_are_historied_and_on_the_timeline(bsl_case, facilitator):
    booking = book(bsl_case, facilitator, harmed(bsl_case))
    conference_services.confirm_interpreter_booking(booking, facilitator, confirmed_on=timezone.localdate())
    assert [h.history_user for h in booking.history.all()] == [facilitator, facilitator]
    titles = [entry.title for entry in timeline(bsl_case, facilitator)]
    assert "Interpreter booked: British Sign Language (BSL) for Amina Testharmed" in titles
    assert "Interpreter booking confirmed: British Sign Language (BSL) for Amina Testharmed" in titles


def test_a_confirmed_date_in_the_future_is_refused(bsl_case, facilitator):
    booking = book(bsl_case, facilitator, harmed(bsl_case))
    with pytest.raises(ValidationError):
        conference_services.confirm_interpreter_booking(
            booking, facilitator, confirmed_on=timezone.localdate() + timedelta(days=1)
        )


def test_the_confirmation_letter_names_the_recipients_own_interpreter_only(bsl_case, facilitator):
    book(bsl_case, facilitator, harmed(bsl_case), confirmed=True)
    letterhead = Letterhead.current()
    to_harmed = letter_facts(
        bsl_case, LetterKind.ACTIVITY_CONFIRMATION, "", party_recipient(harmed(bsl_case)), letterhead
    )
    assert to_harmed["interpreter"] == (
        "We have booked an interpreter for you (British Sign Language (BSL)): Signs North Agency."
    )
    assert to_harmed["interpreter_language"] == "British Sign Language (BSL)"
    assert to_harmed["interpreter_provider"] == "Signs North Agency"
    case = Case.objects.get(pk=bsl_case.pk)
    other = letter_facts(case, LetterKind.ACTIVITY_CONFIRMATION, "", party_recipient(responsible(case)), letterhead)
    assert other["interpreter"] == "An interpreter will also be there for someone taking part."
    assert other["interpreter_provider"] == ""
