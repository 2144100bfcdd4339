"""Cases at each stage of the restorative work, reached by walking the real services."""

import pytest

from rjcases import services
from tests.walk import hold_activity, plan_activity, to_agreement, to_preparation


@pytest.fixture
def prep_case(referred_case, manager, facilitator):
    """A case in preparation, allocated to ``facilitator``, with no activity planned."""
    return to_preparation(referred_case, manager, facilitator)


@pytest.fixture
def conferencing_case(prep_case, facilitator):
    """A case in conferencing with a face-to-face conference planned and confirmed."""
    plan_activity(prep_case, facilitator)
    return services.case_schedule_activity(prep_case, facilitator)


@pytest.fixture
def held_case(conferencing_case, facilitator):
    """A case in conferencing whose activity took place and reached an agreement (no agreement drafted yet)."""
    hold_activity(conferencing_case, facilitator, agreement_reached=True)
    return conferencing_case


@pytest.fixture
def agreement_case(referred_case, manager, facilitator):
    """A case in agreement (monitoring) with two open actions."""
    return to_agreement(referred_case, manager, facilitator, actions=2)


def harmed(case):
    return case.parties.get(role="harmed")


def responsible(case):
    return case.parties.get(role="responsible")
