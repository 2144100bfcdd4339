"""The quarterly return's communication-needs lines (M): people with each need on the quarter's referrals, the
interpreters booked (by language, with their cost) and the letters sent by format."""

import pytest
from django.utils import timezone

from insights import selectors
from rjcases import services
from rjcases.models import Party
from tests.walk import book_interpreters, plan_activity, refer, to_preparation

pytestmark = pytest.mark.django_db


def lines_of_this_quarter() -> dict[str, object]:
    today = timezone.localdate()
    _period, lines = selectors.quarterly_return(today.year, (today.month - 1) // 3 + 1, selectors.load_reference())
    return {line.code: line.value for line in lines}


def test_people_with_each_need_and_the_interpreters_booked_are_counted(police_referrer, manager, facilitator):
    case = refer(police_referrer)
    harmed = case.parties.get(role=Party.Role.HARMED)
    responsible = case.parties.get(role=Party.Role.RESPONSIBLE)
    services.update_party(harmed, manager, bsl=True, large_print=True)
    services.update_party(
        responsible, manager, interpreter_needed=True, interpreter_language="Polish", language="Polish"
    )
    refer(police_referrer)  # two more people, with no needs
    case = to_preparation(case, manager, facilitator)
    plan_activity(case, facilitator)
    book_interpreters(case, facilitator)  # £120 each, confirmed today

    found = lines_of_this_quarter()
    assert found["M1"] == 2
    assert [found[f"M1.{i}"] for i in range(1, 7)] == [1, 2, 1, 1, 0, 0]  # BSL, interpreter, language, large print
    assert found["M2"] == 2
    assert {found["M2.1"], found["M2.2"]} == {1}
    assert found["M3"] == 240.0
    assert found["M4"] == 0
    assert [found[f"M4.{i}"] for i in range(1, 4)] == [0, 0, 0]


def test_an_unconfirmed_booking_is_not_counted(police_referrer, manager, facilitator):
    case = refer(police_referrer)
    services.update_party(case.parties.get(role=Party.Role.HARMED), manager, bsl=True)
    case = to_preparation(case, manager, facilitator)
    plan_activity(case, facilitator)
    book_interpreters(case, facilitator, confirmed=False)
    found = lines_of_this_quarter()
    assert (found["M2"], found["M3"]) == (0, 0.0)
