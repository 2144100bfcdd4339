from rjcases.models import Case
from tests.walk import to_agreement


def test_a_case_walks_from_referral_to_agreement(referred_case, manager, facilitator):
    case = to_agreement(referred_case, manager, facilitator)
    assert case.state == Case.State.AGREEMENT
    assert list(case.transitions.values_list("name", flat=True)) == [
        "refer",
        "accept",
        "find_suitable",
        "schedule_activity",
        "record_agreement",
    ]
