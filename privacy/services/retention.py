"""Every write of the retention schedule's queue (its decisions call the anonymisation) and of a non-crime hate
incident's recording duties.

Each checks its permission on the server and says what it refuses; nothing changes when it refuses."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import roles
from privacy.models import RetentionReview, RetentionRule
from privacy.selectors import due_cases
from privacy.services.anonymise import anonymise_case
from rjcases.exceptions import ActionRefused, Refused
from rjcases.models import Incident
from rjcases.permissions import is_case_facilitator, is_case_manager

ALREADY_DECIDED = "This review has already been decided. Reload the queue to see its decision."


def queue_retention_reviews(today: date | None = None) -> list[RetentionReview]:
    """Queue each case whose retention date has come (the daily job). Safe to run any number of times: a case
    already queued or decided "anonymise" is not queued again, and one kept is queued again on its next review
    date. A rule whose ``then`` is "anonymise" records that decision itself (by the rule, no one's name); every
    other rule leaves the decision to a manager."""
    today = today or timezone.localdate()
    made = []
    with transaction.atomic():
        # One job at a time: a second run waits here, then finds the first run's reviews.
        list(RetentionRule.objects.select_for_update().order_by("pk"))
        for due in due_cases(today):
            review = RetentionReview(case_id=due.case_id, rule=due.rule, due_on=due.due_on, queued_on=today)
            if due.rule.then == RetentionRule.Then.ANONYMISE:
                review.decision = RetentionReview.Decision.ANONYMISE
                review.decided_at = timezone.now()
                review.reason = f"The retention schedule says to anonymise: {due.rule}"[:5000]
            review._change_reason = "queued by the retention schedule"  # type: ignore[attr-defined]
            review.save()
            if review.decision == RetentionReview.Decision.ANONYMISE:
                anonymise_case(review)  # the rule is the recorded basis
            made.append(review)
    return made


def _open_review_for(review: RetentionReview, user) -> RetentionReview:
    if not (roles.is_manager(user) and roles.in_partnership(user, review.case.partnership_id)):
        raise ActionRefused("Only a manager of the case's partnership decides its retention review.")
    locked = RetentionReview.objects.select_for_update().get(pk=review.pk)
    if not locked.is_open:
        raise Refused(ALREADY_DECIDED)
    return locked


def decide_keep(review: RetentionReview, user, *, reason: str, next_review_on: date | None) -> RetentionReview:
    """Keep the case: why, and when to look again (the case is queued again on that day)."""
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = "Enter why the case is to be kept"
    if next_review_on is None:
        errors["next_review_on"] = "Enter the date of the next review"
    elif next_review_on <= timezone.localdate():
        errors["next_review_on"] = "The next review must be a date in the future"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _open_review_for(review, user)
        locked.decision = RetentionReview.Decision.KEEP
        locked.reason, locked.next_review_on = reason.strip(), next_review_on
        locked.decided_by, locked.decided_at = user, timezone.now()
        locked._history_user = user  # type: ignore[attr-defined]
        locked._change_reason = "kept"  # type: ignore[attr-defined]
        locked.save()
    return locked


def decide_anonymise(review: RetentionReview, user, *, reason: str) -> RetentionReview:
    """Anonymise the case: the decision is recorded, then the case anonymised in the same transaction
    (``privacy.services.anonymise.anonymise_case``, which acts on these decisions and on nothing else)."""
    if not (reason or "").strip():
        raise ValidationError({"reason": "Enter why the case is to be anonymised"})
    with transaction.atomic():
        locked = _open_review_for(review, user)
        locked.decision = RetentionReview.Decision.ANONYMISE
        locked.reason, locked.next_review_on = reason.strip(), None
        locked.decided_by, locked.decided_at = user, timezone.now()
        locked._history_user = user  # type: ignore[attr-defined]
        locked._change_reason = "anonymised"  # type: ignore[attr-defined]
        locked.save()
        anonymise_case(locked, user)
    return locked


def may_record_non_crime_duties(case, user) -> bool:
    return is_case_manager(case, user) or is_case_facilitator(case, user)


def record_non_crime_duties(
    incident: Incident,
    user,
    *,
    threshold_met: bool | None,
    threshold_reason: str,
    person_told: bool | None,
    person_told_on: date | None,
    review_on: date | None,
) -> Incident:
    """Record a non-crime hate incident's threshold decision, whether the person recorded was told, and its review
    date (Home Office code of practice): the case's manager or facilitator, for an incident that is not a crime."""
    if not may_record_non_crime_duties(incident.case, user):
        raise ActionRefused("Only a manager or the case's facilitator records this.")
    if incident.crime_type.is_crime:
        raise Refused("This incident is recorded as a crime: a non-crime hate incident's record does not apply.")
    errors = {}
    if threshold_met is not None and not (threshold_reason or "").strip():
        errors["threshold_reason"] = "Enter why the recording threshold was, or was not, met"
    if person_told and person_told_on is None:
        errors["person_told_on"] = "Enter the date the person was told"
    if not person_told and person_told_on is not None:
        errors["person_told_on"] = "Leave the date empty unless the person has been told"
    if person_told_on and person_told_on > timezone.localdate():
        errors["person_told_on"] = "The date the person was told must be today or in the past"
    if errors:
        raise ValidationError(errors)
    incident.nchi_threshold_met = threshold_met
    incident.nchi_threshold_reason = (threshold_reason or "").strip()
    incident.nchi_person_told = person_told
    incident.nchi_person_told_on = person_told_on
    incident.nchi_review_on = review_on
    incident._history_user = user  # type: ignore[attr-defined]
    incident._change_reason = "non-crime hate incident record"  # type: ignore[attr-defined]
    incident.save(
        update_fields=[
            "nchi_threshold_met",
            "nchi_threshold_reason",
            "nchi_person_told",
            "nchi_person_told_on",
            "nchi_review_on",
        ]
    )
    return incident
