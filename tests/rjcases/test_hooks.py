"""The letters a move calls for are written by ``take_transition`` itself; only demo seeding turns them off."""

import pytest

from letters.models import Letter
from rjcases import services
from tests.walk import refer

pytestmark = pytest.mark.django_db


def test_a_move_writes_its_letters(police_referrer, manager, facilitator):
    case = refer(police_referrer)
    services.allocate(case, manager, facilitator=facilitator)
    services.take_transition(case, manager, "accept")
    assert Letter.objects.filter(case=case, transition__name="accept").exists()


def test_a_move_taken_without_letters_writes_none(police_referrer, manager, facilitator):
    case = refer(police_referrer)
    services.allocate(case, manager, facilitator=facilitator)
    services.take_transition(case, manager, "accept", letters=False)
    assert not Letter.objects.filter(case=case).exists()
