"""Reads of the retention schedule and its review queue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from accounts import roles
from privacy.models import RetentionReview, RetentionRule
from privacy.schedule import OUTCOME_KINDS, add_months
from rjcases.models import Case

Kind = RetentionRule.Kind


@dataclass(frozen=True)
class Due:
    """A case whose retention date has come, under which rule, since when."""

    case_id: int
    rule: RetentionRule
    due_on: date


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _unhandled_cases() -> QuerySet[Case]:
    """Cases with no review waiting and none decided "anonymise", with the next review date of their latest keep."""
    waiting = RetentionReview.objects.filter(case=OuterRef("pk")).filter(
        Q(decision="") | Q(decision=RetentionReview.Decision.ANONYMISE)
    )
    latest_keep = (
        RetentionReview.objects.filter(case=OuterRef("pk"), decision=RetentionReview.Decision.KEEP)
        .order_by("-decided_at", "-id")
        .values("next_review_on")[:1]
    )
    return Case.objects.exclude(Exists(waiting)).annotate(next_review=Subquery(latest_keep))


def due_cases(today: date) -> list[Due]:
    """Every case whose retention date has come by ``today`` and that is not already queued or decided.

    A case falls under each rule that fits it (its outcome once closed; an anonymous report; a non-crime
    incident) and is due on the earliest of their dates; a keep decision replaces all of them by its next review
    date. Rules read from the schedule as it is today."""
    rules = {rule.kind: rule for rule in RetentionRule.objects.all()}
    base = _unhandled_cases()
    found: dict[int, Due] = {}

    def offer(case_id: int, rule: RetentionRule, due_on: date) -> None:
        if due_on <= today and (case_id not in found or due_on < found[case_id].due_on):
            found[case_id] = Due(case_id, rule, due_on)

    fresh = base.filter(next_review__isnull=True)  # type: ignore[misc]  # an annotation the stubs cannot see
    for outcome, kind in OUTCOME_KINDS.items():
        if rule := rules.get(kind):
            cutoff = add_months(today, -rule.keep_months)
            closed = fresh.filter(state=Case.State.CLOSED, outcome=outcome)
            if rule.after == RetentionRule.Event.CLOSED:
                rows = closed.filter(closed_at__lt=_start_of(cutoff + timedelta(days=1))).values_list("pk", "closed_at")
                for pk, closed_at in rows:
                    offer(pk, rule, add_months(timezone.localdate(closed_at), rule.keep_months))
            else:
                for pk, received in closed.filter(received_on__lte=cutoff).values_list("pk", "received_on"):
                    offer(pk, rule, add_months(received, rule.keep_months))
    if rule := rules.get(Kind.ANONYMOUS_REPORT):
        cutoff = add_months(today, -rule.keep_months)
        for pk, received in fresh.filter(report_kind="anonymous", received_on__lte=cutoff).values_list(
            "pk", "received_on"
        ):
            offer(pk, rule, add_months(received, rule.keep_months))
    if rule := rules.get(Kind.NON_CRIME):
        # The incident's own review date when one is set; otherwise the rule's period after it was recorded.
        cutoff = add_months(today, -rule.keep_months)
        non_crime = fresh.filter(incident__crime_type__is_crime=False).filter(
            Q(incident__nchi_review_on__lte=today) | Q(incident__nchi_review_on__isnull=True, received_on__lte=cutoff)
        )
        for pk, review_on, received in non_crime.values_list("pk", "incident__nchi_review_on", "received_on"):
            offer(pk, rule, review_on or add_months(received, rule.keep_months))
    # Kept before: due again on the next review date, under the rule of that review.
    kept = base.filter(
        next_review__lte=today
    ).annotate(  # type: ignore[misc]
        last_rule=Subquery(
            RetentionReview.objects.filter(case=OuterRef("pk"), decision=RetentionReview.Decision.KEEP)
            .order_by("-decided_at", "-id")
            .values("rule_id")[:1]
        )
    )
    by_id = {rule.pk: rule for rule in rules.values()}
    for pk, next_review, rule_id in kept.values_list("pk", "next_review", "last_rule"):
        rule = by_id.get(rule_id) or RetentionRule.objects.get(pk=rule_id)
        offer(pk, rule, next_review)
    return sorted(found.values(), key=lambda d: (d.due_on, d.case_id))


def may_review(user) -> bool:
    return roles.is_manager(user)


def reviews_for(user) -> QuerySet[RetentionReview]:
    """The reviews of the cases this user may see (managers: all of them)."""
    return RetentionReview.objects.filter(case__in=Case.objects.visible_to(user)).select_related(
        "case", "rule", "decided_by"
    )


def open_reviews(user) -> QuerySet[RetentionReview]:
    return reviews_for(user).filter(decision="").order_by("due_on", "id")


def decided_reviews(user, limit: int = 50) -> list[RetentionReview]:
    return list(reviews_for(user).exclude(decision="").order_by("-decided_at", "-id")[:limit])


def open_review_count(user) -> int | None:
    """How many reviews wait, for the managers' dashboard; None for anyone who does not review."""
    return open_reviews(user).count() if may_review(user) else None
