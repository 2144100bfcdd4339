"""Participants' feedback at closure, the wellbeing measure, and the feedback figures reports use."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conferences import selectors
from conferences import services as conference_services
from conferences.models import Feedback, WellbeingMeasure
from rjcases import services
from rjcases.models import Case, Party
from rjcases.services import ActionRefused
from tests.conferences.conftest import harmed, responsible
from tests.walk import hold_activity, refer, to_conferencing

ANSWERS = {"safe": 4, "daily_life": 3, "calm": 2, "supported": 5, "hopeful": 1}


@pytest.fixture
def closed_case(conferencing_case, facilitator):
    hold_activity(conferencing_case, facilitator, agreement_reached=False)
    return services.case_conclude(
        conferencing_case, facilitator, outcome=Case.Outcome.NO_AGREEMENT_NEEDED, summary="Both spoke."
    )


def test_feedback_is_recorded_at_closure_for_each_participant(closed_case, facilitator):
    given = conference_services.record_feedback(
        closed_case,
        facilitator,
        party=harmed(closed_case),
        satisfied=True,
        would_recommend=True,
        felt="better",
        felt_safe=True,
        felt_heard=False,
        comments="I was listened to <mostly>",
    )
    declined = conference_services.record_feedback(
        closed_case, facilitator, party=responsible(closed_case), refused=True
    )
    given.refresh_from_db()
    assert (given.satisfied, given.felt, given.felt_heard, given.wording_version) == (True, "better", False, "2026-1")
    assert declined.refused is True
    assert declined.satisfied is None
    assert declined.felt == ""
    assert given.history.first().history_user == facilitator


def test_a_refusal_carries_no_answers_and_feedback_needs_an_answer(closed_case, facilitator):
    with pytest.raises(ValidationError, match="declined to give feedback has no answers"):
        conference_services.record_feedback(
            closed_case, facilitator, party=harmed(closed_case), refused=True, satisfied=True
        )
    with pytest.raises(ValidationError, match="Answer at least one question"):
        conference_services.record_feedback(closed_case, facilitator, party=harmed(closed_case))
    assert not Feedback.objects.exists()


def test_feedback_is_recorded_once_per_participant_and_only_after_closure(closed_case, conferencing_case, facilitator):
    conference_services.record_feedback(closed_case, facilitator, party=harmed(closed_case), satisfied=True)
    with pytest.raises(ValidationError, match="already recorded"):
        conference_services.record_feedback(closed_case, facilitator, party=harmed(closed_case), refused=True)
    assert Feedback.objects.count() == 1


def test_feedback_before_closure_is_refused(conferencing_case, facilitator):
    with pytest.raises(ValidationError, match="only when the case is closed; this case is in conferencing"):
        conference_services.record_feedback(
            conferencing_case, facilitator, party=harmed(conferencing_case), satisfied=True
        )


def test_a_caseworker_records_feedback_only_for_the_person_harmed_they_support(
    closed_case, facilitator, caseworker, other_facilitator
):
    services.update_party(harmed(closed_case), facilitator, caseworker=caseworker)
    with pytest.raises(ActionRefused):
        conference_services.record_feedback(closed_case, caseworker, party=responsible(closed_case), refused=True)
    with pytest.raises(ActionRefused):
        conference_services.record_feedback(closed_case, other_facilitator, party=harmed(closed_case), refused=True)
    feedback = conference_services.record_feedback(closed_case, caseworker, party=harmed(closed_case), satisfied=True)
    assert feedback.recorded_by == caseworker


def test_wellbeing_before_the_activity_and_after_closure(police_referrer, manager, facilitator):
    case = to_conferencing(refer(police_referrer), manager, facilitator)
    before = conference_services.record_wellbeing(
        case, facilitator, party=harmed(case), stage="before", answers={k: str(v) for k, v in ANSWERS.items()}
    )
    assert before.answers == ANSWERS
    assert before.wording_version == "2026-1"
    hold_activity(case, facilitator)
    with pytest.raises(ValidationError, match="already taken place"):
        conference_services.record_wellbeing(
            case, facilitator, party=responsible(case), stage="before", answers=ANSWERS
        )
    with pytest.raises(ValidationError, match="only when the case is closed; this case is in conferencing"):
        conference_services.record_wellbeing(case, facilitator, party=harmed(case), stage="after", answers=ANSWERS)
    case = services.case_conclude(case, facilitator, outcome=Case.Outcome.NO_AGREEMENT_REACHED)
    after = conference_services.record_wellbeing(case, facilitator, party=harmed(case), stage="after", answers=ANSWERS)
    assert after.stage == WellbeingMeasure.Stage.AFTER
    with pytest.raises(ValidationError, match="already recorded"):
        conference_services.record_wellbeing(case, facilitator, party=harmed(case), stage="after", answers=ANSWERS)


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({**ANSWERS, "safe": 6}, "from 1 to 5"),
        ({**ANSWERS, "safe": 0}, "from 1 to 5"),
        ({**ANSWERS, "safe": "4.5"}, "from 1 to 5"),
        ({**ANSWERS, "safe": True}, "from 1 to 5"),
        ({k: v for k, v in ANSWERS.items() if k != "calm"}, "from 1 to 5"),
        ({**ANSWERS, "mood": 3}, "Unknown wellbeing questions: mood"),
    ],
)
def test_wellbeing_answers_are_validated(answers, message):
    with pytest.raises(ValidationError, match=message):
        conference_services.validate_wellbeing_answers(answers, "2026-1")


def test_an_unknown_wording_version_is_refused():
    with pytest.raises(ValidationError, match="no wellbeing wording"):
        conference_services.validate_wellbeing_answers(ANSWERS, "1999-1")


def test_the_wellbeing_questions_are_five_with_fixed_keys():
    assert [key for key, _ in conference_services.WELLBEING_QUESTIONS["2026-1"]] == list(ANSWERS)


# ---------------------------------------------------------------------------------------------------
# Figures, on hand-built data


def hand_built_feedback(police_referrer, facilitator, rows):
    """One case per call with a party per row; each row is the Feedback fields for that party."""
    # A referral names someone; the person responsible here has no feedback, so the figures are the rows'.
    case = refer(police_referrer, parties=[services.PartyData(Party.Role.RESPONSIBLE, "Kieran", "Testresponsible")])
    for i, fields in enumerate(rows):
        party = Party.objects.create(case=case, role=Party.Role.HARMED, first_name=f"P{i}")
        Feedback.objects.create(
            case=case, party=party, recorded_by=facilitator, recorded_on=timezone.localdate(), **fields
        )
    return case


def test_feedback_figures_count_and_share_exactly(police_referrer, facilitator):
    first = hand_built_feedback(
        police_referrer,
        facilitator,
        [
            {"satisfied": True, "would_recommend": True, "felt": "better"},
            {"satisfied": True, "would_recommend": False, "felt": "same"},
            {"satisfied": False, "would_recommend": None, "felt": "worse"},
            {"satisfied": None, "would_recommend": True, "felt": ""},
            {"refused": True},
        ],
    )
    hand_built_feedback(
        police_referrer,
        facilitator,
        [
            {"satisfied": True, "would_recommend": True, "felt": "better", "felt_safe": True, "felt_heard": True},
            {"refused": True},
        ],
    )
    with CaptureQueriesContext(connection) as queries:
        figures = selectors.feedback_figures()
    assert len(queries) == 1
    assert figures["records"] == 7
    assert figures["refused"] == 2
    assert figures["given"] == 5
    assert figures["satisfied"] == {"count": 3, "of": 4, "share": 0.75}
    assert figures["would_recommend"] == {"count": 3, "of": 4, "share": 0.75}
    assert figures["felt_better"] == {"count": 2, "of": 4, "share": 0.5}
    assert figures["felt_worse"] == {"count": 1, "of": 4, "share": 0.25}
    assert figures["felt_safe"] == {"count": 1, "of": 1, "share": 1.0}

    only_first = selectors.feedback_figures(Case.objects.filter(pk=first.pk))
    assert only_first["satisfied"] == {"count": 2, "of": 3, "share": 2 / 3}
    assert only_first["felt_better"] == {"count": 1, "of": 3, "share": 1 / 3}
    assert selectors.feedback_figures({"case": first}) == only_first
    assert selectors.feedback_figures(Feedback.objects.filter(case=first)) == only_first


def test_feedback_figures_with_no_answers_have_no_share(police_referrer, facilitator):
    hand_built_feedback(police_referrer, facilitator, [{"refused": True}])
    figures = selectors.feedback_figures()
    assert figures["given"] == 0
    assert figures["satisfied"] == {"count": 0, "of": 0, "share": None}
