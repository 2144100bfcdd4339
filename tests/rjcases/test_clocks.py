"""Victims' Code clocks in working days: weekends and England and Wales bank holidays, no network."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from rjcases import clocks, services
from rjcases.models import Case
from rjcases.victims_code.clocks import case_clocks
from tests.walk import refer


def clock_status(case, today):
    return case_clocks(Case.objects.get(pk=case.pk), today)[0].status


def test_a_weekend_is_skipped():
    # Friday 6 November 2026 + 1 working day is Monday 9 November.
    assert clocks.add_working_days(date(2026, 11, 6), 1) == date(2026, 11, 9)


def test_christmas_and_boxing_day_substitutes_are_skipped():
    # 2026: Christmas Day is a Friday, Boxing Day's substitute is Monday 28 December.
    assert not clocks.is_working_day(date(2026, 12, 25))
    assert not clocks.is_working_day(date(2026, 12, 28))
    assert clocks.add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)


def test_five_working_days_across_easter_2026():
    # Good Friday 3 April and Easter Monday 6 April 2026 are bank holidays in England and Wales.
    assert clocks.add_working_days(date(2026, 4, 1), 5) == date(2026, 4, 10)


def test_working_days_between_counts_only_working_days():
    assert clocks.working_days_between(date(2026, 11, 6), date(2026, 11, 13)) == 5
    assert clocks.working_days_between(date(2026, 11, 13), date(2026, 11, 6)) == 0


def test_rj_information_is_due_in_five_working_days_or_one_with_enhanced_rights():
    assert clocks.rj_information_due(date(2026, 11, 20), enhanced=False) == date(2026, 11, 27)
    assert clocks.rj_information_due(date(2026, 11, 20), enhanced=True) == date(2026, 11, 23)


def test_dates_past_the_bank_holiday_data_are_flagged():
    assert not clocks.beyond_known_holidays(date(2026, 11, 24))
    assert clocks.beyond_known_holidays(date(clocks.last_known_holiday().year + 1, 1, 2))


@pytest.mark.django_db
def test_a_referral_gets_its_due_dates(police_referrer):
    case = refer(
        police_referrer,
        received_on=date(2026, 11, 20),
        enhanced_rights=True,
        enhanced_rights_reason="Persistently targeted",
    )
    assert case.rj_information_due_on == date(2026, 11, 23)
    assert case.initial_contact_due_on == clocks.add_working_days(date(2026, 11, 20), 10)


@pytest.mark.django_db
def test_the_clock_is_met_by_a_contact_that_gives_rj_information(police_referrer, manager, facilitator):
    case = refer(police_referrer, received_on=date(2026, 11, 2))
    case = services.allocate(case, manager, facilitator=facilitator)
    assert clock_status(case, date(2026, 11, 24)) == "overdue"
    harmed = case.parties.get(role="harmed")
    when = timezone.make_aware(datetime(2026, 11, 5, 10, 0))
    services.record_contact(
        case, facilitator, party=harmed, at=when, method="phone", result="reached", rj_information_given=True
    )
    case = Case.objects.get(pk=case.pk)
    assert case.rj_information_given_on == date(2026, 11, 5)
    assert case.initial_contact_on == date(2026, 11, 5)
    assert clock_status(case, date(2026, 11, 24)) == "met"


@pytest.mark.django_db
def test_a_contact_with_no_answer_does_not_meet_the_initial_contact_clock(police_referrer, manager, facilitator):
    case = services.allocate(refer(police_referrer), manager, facilitator=facilitator)
    services.record_contact(case, facilitator, party=None, at=timezone.now(), method="phone", result="no_answer")
    assert Case.objects.get(pk=case.pk).initial_contact_on is None
