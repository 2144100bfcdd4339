"""Writes for the case domain, each with its permission check on the server.

- ``transitions``: the state machine's one service, ``take_transition``, and a named function per move.
- ``intake``: a new referral from any route.
- ``casework``: everything else a case collects without changing its state;
- ``notes``: case notes, and which caseworkers each is shared with.

The names most callers need are importable from here.
"""

from rjcases.exceptions import CHANGED_BY_SOMEONE_ELSE, ActionRefused, TransitionRefused
from rjcases.services.casework import (
    add_party,
    allocate,
    check_may_stop_taking_part,
    consent_withdrawal_notice,
    log_read,
    mark_duplicate_reviewed,
    record_assessment,
    record_consent,
    record_contact,
    record_no_longer_taking_part,
    sign_off_assessment,
    stop_taking_part_problem,
    update_party,
    withdraw_consent,
)
from rjcases.services.intake import (
    PartyData,
    create_referral,
    find_possible_duplicates,
    may_refer_by,
    next_reference,
    routes_for,
)
from rjcases.services.notes import add_note, note_caseworkers, share_note, sharing_choices, sharing_history
from rjcases.services.transitions import (
    CONCLUDE_OUTCOMES,
    FIELD_LABELS,
    TRANSITIONS,
    TransitionSpec,
    available_transitions,
    case_accept,
    case_cancel_activity,
    case_complete,
    case_conclude,
    case_decline,
    case_find_suitable,
    case_find_unsuitable,
    case_record_agreement,
    case_reopen,
    case_schedule_activity,
    case_withdraw,
    completion_outcome,
    guard_problems,
    may_take,
    take_transition,
)

__all__ = [
    "ActionRefused",
    "CHANGED_BY_SOMEONE_ELSE",
    "check_may_stop_taking_part",
    "consent_withdrawal_notice",
    "record_no_longer_taking_part",
    "stop_taking_part_problem",
    "CONCLUDE_OUTCOMES",
    "FIELD_LABELS",
    "PartyData",
    "TRANSITIONS",
    "TransitionRefused",
    "TransitionSpec",
    "add_note",
    "note_caseworkers",
    "share_note",
    "sharing_choices",
    "sharing_history",
    "add_party",
    "allocate",
    "available_transitions",
    "case_accept",
    "case_cancel_activity",
    "case_complete",
    "case_conclude",
    "case_decline",
    "case_find_suitable",
    "case_find_unsuitable",
    "case_record_agreement",
    "case_reopen",
    "case_schedule_activity",
    "case_withdraw",
    "completion_outcome",
    "create_referral",
    "find_possible_duplicates",
    "guard_problems",
    "log_read",
    "mark_duplicate_reviewed",
    "may_refer_by",
    "may_take",
    "next_reference",
    "record_assessment",
    "record_consent",
    "record_contact",
    "routes_for",
    "sign_off_assessment",
    "take_transition",
    "update_party",
    "withdraw_consent",
]
