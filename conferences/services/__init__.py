"""Writes for the restorative work on a case: preparation and the activity (``work``), the agreement and
monitoring (``agreement``), feedback and wellbeing (``feedback``), on the shared checks (``checks``). One function
per write; each checks permission on the server, runs in one transaction and records who made the change. Moves
of the case itself (confirm, cancel, record the agreement, close) are ``rjcases.services`` transitions, which read
what these functions record."""

from conferences.services.agreement import (
    FOLLOW_UP_MESSAGES,
    add_action,
    mark_action_done,
    mark_action_missed,
    record_follow_up,
    remove_action,
    save_agreement,
)
from conferences.services.checks import STATE_WORDS
from conferences.services.feedback import (
    CURRENT_WELLBEING_VERSION,
    FEEDBACK_WORDING_VERSION,
    WELLBEING_QUESTIONS,
    WELLBEING_SCALE,
    record_feedback,
    record_wellbeing,
    validate_wellbeing_answers,
)
from conferences.services.interpreters import book_interpreter, confirm_interpreter_booking, interpreter_participants
from conferences.services.work import (
    CALL_OR_VISIT,
    add_preparation_contact,
    plan_activity,
    record_activity_took_place,
    reschedule_activity,
    venue_home_problems,
)

__all__ = [
    "CALL_OR_VISIT",
    "CURRENT_WELLBEING_VERSION",
    "FEEDBACK_WORDING_VERSION",
    "FOLLOW_UP_MESSAGES",
    "STATE_WORDS",
    "WELLBEING_QUESTIONS",
    "WELLBEING_SCALE",
    "add_action",
    "add_preparation_contact",
    "book_interpreter",
    "confirm_interpreter_booking",
    "interpreter_participants",
    "mark_action_done",
    "mark_action_missed",
    "plan_activity",
    "record_activity_took_place",
    "record_feedback",
    "record_follow_up",
    "record_wellbeing",
    "remove_action",
    "reschedule_activity",
    "save_agreement",
    "validate_wellbeing_answers",
    "venue_home_problems",
]
