"""Writes for participants' feedback and the versioned wellbeing measure."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from conferences.models import Activity, Feedback, WellbeingMeasure
from conferences.services.checks import case_parties, lock_case, not_in_future, require_state
from rjcases.exceptions import ActionRefused
from rjcases.models import Case, Party
from rjcases.permissions import can_edit_case_work, is_case_caseworker
from rjcases.services.casework import save_with_history

# ---------------------------------------------------------------------------------------------------
# Wellbeing questions: fixed wording, versioned. A new wording is a new version; old answers keep theirs.

WELLBEING_SCALE: tuple[tuple[int, str], ...] = (
    (1, "Strongly disagree"),
    (2, "Disagree"),
    (3, "Neither agree nor disagree"),
    (4, "Agree"),
    (5, "Strongly agree"),
)

WELLBEING_QUESTIONS: dict[str, list[tuple[str, str]]] = {
    "2026-1": [
        ("safe", "I feel safe where I live and in the places I go."),
        ("daily_life", "I can get on with my daily life the way I want to."),
        ("calm", "I feel calm when I think about what happened."),
        ("supported", "I feel supported by the people around me."),
        ("hopeful", "I feel hopeful about the future."),
    ]
}
CURRENT_WELLBEING_VERSION = "2026-1"
FEEDBACK_WORDING_VERSION = "2026-1"


# ---------------------------------------------------------------------------------------------------
# Feedback and wellbeing


def _check_participant_work(case: Case, user, party: Party) -> None:
    """The case's facilitators and managers; a caseworker for a person harmed they support."""
    if can_edit_case_work(case, user):
        return
    if party.role == Party.Role.HARMED and party.caseworker_id == user.pk and is_case_caseworker(case, user):
        return
    raise ActionRefused("You cannot record this person's feedback.")


def record_feedback(
    case: Case,
    user,
    *,
    party: Party,
    refused: bool = False,
    satisfied: bool | None = None,
    would_recommend: bool | None = None,
    felt: str = "",
    felt_safe: bool | None = None,
    felt_heard: bool | None = None,
    comments: str = "",
    recorded_on: date | None = None,
) -> Feedback:
    """Record a participant's feedback at closure, or that they declined to give it. Not for a person who withdrew
    their consent to be contacted for feedback."""
    from conferences.selectors import feedback_consent_withdrawn

    _check_participant_work(case, user, party)
    case_parties(case, [party], "party")
    if party.pk in feedback_consent_withdrawn(case):
        raise ValidationError(f"{party.display_name} withdrew consent to be contacted for feedback.")
    recorded_on = recorded_on or timezone.localdate()
    not_in_future(recorded_on, "recorded_on", "date")
    answers = {
        "satisfied": satisfied,
        "would_recommend": would_recommend,
        "felt_safe": felt_safe,
        "felt_heard": felt_heard,
    }
    if felt and felt not in Feedback.Felt.values:
        raise ValidationError({"felt": "Choose better, the same or worse."})
    if refused:
        if any(v is not None for v in answers.values()) or felt or comments.strip():
            raise ValidationError(
                "A person who declined to give feedback has no answers: clear them, or untick 'declined'."
            )
    elif all(v is None for v in answers.values()) and not felt and not comments.strip():
        raise ValidationError("Answer at least one question, or record that they declined to give feedback.")
    with transaction.atomic():
        locked = lock_case(case)
        require_state(locked, [Case.State.CLOSED], "record feedback")
        if Feedback.objects.filter(case=locked, party=party).exists():
            raise ValidationError(f"Feedback from {party.display_name} is already recorded.")
        feedback = Feedback(
            case=locked,
            party=party,
            wording_version=FEEDBACK_WORDING_VERSION,
            refused=refused,
            felt=felt,
            comments=comments.strip(),
            recorded_on=recorded_on,
            recorded_by=user,
            **answers,
        )
        try:
            with transaction.atomic():
                save_with_history(feedback, user, "feedback declined" if refused else "feedback recorded")
        except IntegrityError as exc:
            raise ValidationError(f"Feedback from {party.display_name} is already recorded.") from exc
    return feedback


def validate_wellbeing_answers(answers: dict, version: str) -> dict[str, int]:
    """The answers as {question key: 1..5}, one for each question of the version; anything else is refused."""
    if version not in WELLBEING_QUESTIONS:
        raise ValidationError({"wording_version": f"There is no wellbeing wording called {version!r}."})
    keys = [key for key, _text in WELLBEING_QUESTIONS[version]]
    unknown = set(answers) - set(keys)
    if unknown:
        raise ValidationError(f"Unknown wellbeing questions: {', '.join(sorted(unknown))}.")
    clean, errors = {}, {}
    for key in keys:
        value = answers.get(key)
        try:
            number = int(value)
        except (TypeError, ValueError):
            errors[key] = "Choose an answer from 1 to 5."
            continue
        if isinstance(value, bool) or str(value).strip() != str(number) or not 1 <= number <= 5:
            errors[key] = "Choose an answer from 1 to 5."
            continue
        clean[key] = number
    if errors:
        raise ValidationError(errors)
    return clean


def record_wellbeing(
    case: Case,
    user,
    *,
    party: Party,
    stage: str,
    answers: dict,
    wording_version: str = CURRENT_WELLBEING_VERSION,
    recorded_on: date | None = None,
) -> WellbeingMeasure:
    """Record a participant's wellbeing measure: before the activity takes place, or after closure."""
    _check_participant_work(case, user, party)
    case_parties(case, [party], "party")
    if stage not in WellbeingMeasure.Stage.values:
        raise ValidationError({"stage": "Choose before the activity or after closure."})
    clean = validate_wellbeing_answers(answers, wording_version)
    recorded_on = recorded_on or timezone.localdate()
    not_in_future(recorded_on, "recorded_on", "date")
    with transaction.atomic():
        locked = lock_case(case)
        if stage == WellbeingMeasure.Stage.BEFORE:
            require_state(
                locked,
                [Case.State.ASSESSMENT, Case.State.PREPARATION, Case.State.CONFERENCING],
                "record the wellbeing measure before the activity",
            )
            current = locked.current_activity
            if current is not None and current.status == Activity.Status.TOOK_PLACE:
                raise ValidationError("The activity has already taken place: record the measure after closure.")
        else:
            require_state(locked, [Case.State.CLOSED], "record the wellbeing measure after closure")
        if WellbeingMeasure.objects.filter(case=locked, party=party, stage=stage).exists():
            raise ValidationError(f"This wellbeing measure for {party.display_name} is already recorded.")
        measure = WellbeingMeasure(
            case=locked,
            party=party,
            stage=stage,
            wording_version=wording_version,
            answers=clean,
            recorded_on=recorded_on,
            recorded_by=user,
        )
        save_with_history(measure, user, f"wellbeing {stage}")
    return measure
