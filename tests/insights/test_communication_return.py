"""The quarterly return's communication-needs lines (M): people with each need on the quarter's referrals, the
interpreters booked (by language, with their cost) and the letters sent by format and by language."""

import pytest
from django.utils import timezone

from insights import selectors
from letters import services as letter_services
from letters.models import Letter
from rjcases import services
from rjcases.models import Party
from tests.letters.conftest import files_written, party_data
from tests.walk import book_interpreters, plan_activity, refer, to_assessment, to_preparation

pytestmark = pytest.mark.django_db


def this_quarter() -> tuple[int, int]:
    today = timezone.localdate()
    return today.year, (today.month - 1) // 3 + 1


def lines_of_this_quarter() -> dict[str, object]:
    _period, lines = selectors.quarterly_return(*this_quarter(), selectors.load_reference())
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


@pytest.mark.letter_files
def test_letters_sent_are_counted_by_format_and_by_language(police_referrer, manager, facilitator):
    case = refer(
        police_referrer,
        parties=[
            party_data(Party.Role.HARMED, language="Cymraeg"),
            party_data(Party.Role.RESPONSIBLE, large_print=True),
        ],
    )
    with files_written():
        case = to_assessment(case, manager, facilitator)
    letters = list(case.letters.all())
    harmed = case.parties.get(role=Party.Role.HARMED)
    to_harmed = [letter for letter in letters if letter.party_id == harmed.pk]
    assert to_harmed
    assert {letter.language for letter in to_harmed} == {"cy"}
    large = [letter for letter in letters if letter.format == "large_print"]
    assert large
    before = lines_of_this_quarter()
    assert before["M4"] == 0
    assert not any(code.startswith("M5.") for code in before)

    assert letter_services.mark_sent(facilitator, letters) == (len(letters), 0)
    assert set(case.letters.values_list("status", flat=True)) == {Letter.Status.SENT}
    found = lines_of_this_quarter()
    assert found["M4"] == len(letters)
    assert [found[f"M4.{i}"] for i in range(1, 4)] == [len(letters) - len(large), len(large), 0]
    # Letters sent in each language, by the language's name: Welsh to the person harmed, English to the others.
    by_language = {
        line.measure: line.value
        for line in selectors.quarterly_return(*this_quarter(), selectors.load_reference())[1]
        if line.code.startswith("M5.")
    }
    assert by_language == {
        "Letters sent in: English": len(letters) - len(to_harmed),
        "Letters sent in: Welsh": len(to_harmed),
    }
