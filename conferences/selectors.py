"""Reads for the restorative work on a case: who may see how much, what a page shows, the dashboard's
reminders and the feedback figures reports need. Each runs a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet

from accounts import roles
from conferences.models import Activity, Agreement, AgreementAction, Feedback, FollowUp, WellbeingMeasure
from rjcases.models import Case, Consent, Party, moment_order
from rjcases.needs import interpreter_language_for, needs_interpreter, same_language
from rjcases.permissions import (
    can_edit_case_work,
    can_see_details,
    is_case_caseworker,
    may_see_outcome,
    may_see_party_details,
    party_name_for,
)

REMINDER_DAYS = 7

# ---------------------------------------------------------------------------------------------------
# How much of the restorative work a user may see

FULL = "full"  # everything (facilitators and managers; writes still need can_edit_case_work)
CASEWORKER = "caseworker"  # the agreement, its actions' progress, and feedback of the people they support
OUTCOME = "outcome"  # that an activity happened, and the outcome category (police, reporting centres)


def access_level(case: Case, user) -> str:
    """How much of a visible case's restorative work this user may see: FULL, CASEWORKER or OUTCOME."""
    if can_edit_case_work(case, user):
        return FULL
    if roles.is_facilitator(user) and can_see_details(case, user):
        return FULL
    if is_case_caseworker(case, user):
        return CASEWORKER
    return OUTCOME


# ---------------------------------------------------------------------------------------------------
# The case page's panel and the overview page


@dataclass
class CaseWork:
    """What the case page and the overview show of the restorative work, cut to the user's access."""

    level: str
    can_edit: bool
    activity_took_place: bool
    outcome_label: str
    activity: Activity | None = None
    agreement: Agreement | None = None
    action_counts: dict = field(default_factory=dict)
    preparation_count: int = 0
    feedback_count: int = 0
    earlier_plans: int = 0
    outcome_hidden: bool = False  # consent to share with the police withdrawn (OUTCOME level only)


def case_work(case: Case, user) -> CaseWork:
    """The restorative work on one case as this user may see it (at most four queries)."""
    level = access_level(case, user)
    activities = list(
        case.activities.select_related("lead_facilitator", "co_facilitator").order_by("-created_at", "-id")
    )
    current = next(
        (a for a in activities if a.status not in (Activity.Status.CANCELLED, Activity.Status.SUPERSEDED)), None
    )
    took_place = any(a.status == Activity.Status.TOOK_PLACE for a in activities)
    outcome_label = case.get_outcome_display() if case.outcome else ""
    if level == OUTCOME:
        if not may_see_outcome(case, user):
            # Consent to share with the police withdrawn: they see that the case is closed, nothing of how.
            return CaseWork(
                level=level, can_edit=False, activity_took_place=False, outcome_label="", outcome_hidden=True
            )
        return CaseWork(level=level, can_edit=False, activity_took_place=took_place, outcome_label=outcome_label)
    agreement = case.agreements.filter(superseded=False).order_by("-created_at", "-id").first()
    counts = {}
    if agreement is not None:
        counts = agreement.actions.aggregate(
            total=Count("id"),
            open=Count("id", filter=Q(status=AgreementAction.Status.OPEN)),
            done=Count("id", filter=Q(status=AgreementAction.Status.DONE)),
            missed=Count("id", filter=Q(status=AgreementAction.Status.MISSED)),
        )
    extra = Case.objects.filter(pk=case.pk).aggregate(
        preparation=Count("preparation_contacts", distinct=True), feedback=Count("feedback", distinct=True)
    )
    return CaseWork(
        level=level,
        can_edit=can_edit_case_work(case, user),
        activity_took_place=took_place,
        outcome_label=outcome_label,
        activity=current,
        agreement=agreement,
        action_counts=counts,
        preparation_count=extra["preparation"],
        feedback_count=extra["feedback"],
        earlier_plans=sum(1 for a in activities if a.status == Activity.Status.SUPERSEDED),
    )


# ---------------------------------------------------------------------------------------------------
# Pages


def participants(case: Case) -> list[Party]:
    return list(case.parties.select_related("supports").order_by("role", "id"))


def activities_for_page(case: Case) -> list[Activity]:
    """Every activity of the case, newest first, with the people invited and who attended."""
    return list(
        case.activities.select_related("lead_facilitator", "co_facilitator", "supersedes")
        .prefetch_related("invited", "attended", "interpreter_bookings__party", "interpreter_bookings__booked_by")
        .order_by("-created_at", "-id")
    )


@dataclass
class InterpreterNeed:
    """One person invited to the activity who needs an interpreter, with the bookings made for them."""

    party: Party
    language: str
    bookings: list = field(default_factory=list)

    @property
    def confirmed(self) -> bool:
        return any(b.confirmed and same_language(b.language, self.language) for b in self.bookings)


def interpreter_needs(activity: Activity) -> tuple[list[InterpreterNeed], list]:
    """For the activity page: who invited needs an interpreter, each with their bookings; and the bookings for
    anyone else (booked though not needed). No query beyond those ``activities_for_page`` prefetched."""
    people = list(activity.invited.all()) or [p for p in activity.case.parties.all() if p.participating]
    bookings = list(activity.interpreter_bookings.all())
    rows = [
        InterpreterNeed(p, interpreter_language_for(p), [b for b in bookings if b.party_id == p.pk])
        for p in people
        if needs_interpreter(p)
    ]
    needed = {row.party.pk for row in rows}
    return rows, [b for b in bookings if b.party_id not in needed]


def current_of(activities: list[Activity]) -> Activity | None:
    """The activity in force among a list read newest first (as ``Case.current_activity`` picks it)."""
    return next(
        (a for a in activities if a.status not in (Activity.Status.CANCELLED, Activity.Status.SUPERSEDED)), None
    )


def name_for_viewer(case: Case, user, parties) -> None:
    """Name each person as this user may see them: a caseworker sees another person's first name (or role)
    only. The instances are changed for display and never saved."""
    for party in parties:
        if party is not None and not may_see_party_details(case, user, party):
            party.first_name, party.last_name = party_name_for(case, user, party), ""


def agreement_for_page(case: Case, user=None) -> Agreement | None:
    """The current agreement with its actions (and who does each) and its signatories; with ``user``, the people
    named as that user may see them."""
    agreement = (
        case.agreements.filter(superseded=False)
        .select_related("activity")
        .prefetch_related(
            "signatories", Prefetch("actions", queryset=AgreementAction.objects.select_related("responsible_party"))
        )
        .order_by("-created_at", "-id")
        .first()
    )
    if agreement is not None and user is not None:
        name_for_viewer(
            case, user, [*agreement.signatories.all(), *(a.responsible_party for a in agreement.actions.all())]
        )
    return agreement


def follow_ups_for_page(case: Case) -> list[FollowUp]:
    return list(case.follow_ups.select_related("party", "action", "by").order_by(*moment_order(newest_first=True)))


def feedback_consent_withdrawn(case: Case) -> set[int]:
    """The people who withdrew their consent to be contacted for feedback (and have not given it again): nobody
    asks them for feedback or wellbeing answers. One query."""
    purpose = Consent.Purpose.FEEDBACK
    withdrawn: set[int] = set()
    given: set[int] = set()
    for party_id, withdrawn_on in Consent.objects.filter(party__case=case, purpose=purpose).values_list(
        "party_id", "withdrawn_on"
    ):
        (withdrawn if withdrawn_on else given).add(party_id)
    return withdrawn - given


def feedback_for_page(case: Case, user) -> tuple[list[Party], dict[int, Feedback], dict[tuple, WellbeingMeasure]]:
    """The participants whose feedback this user may see or record, with what is recorded for them."""
    no_feedback = feedback_consent_withdrawn(case)
    people = [p for p in participants(case) if p.pk not in no_feedback]
    if access_level(case, user) == CASEWORKER:
        people = [p for p in people if p.role == Party.Role.HARMED and p.caseworker_id == user.pk]
    ids = [p.pk for p in people]
    feedback = {f.party_id: f for f in Feedback.objects.filter(case=case, party_id__in=ids)}
    wellbeing = {(m.party_id, m.stage): m for m in WellbeingMeasure.objects.filter(case=case, party_id__in=ids)}
    return people, feedback, wellbeing


# ---------------------------------------------------------------------------------------------------
# The facilitator's dashboard


@dataclass
class ActionReminders:
    today: date
    overdue: list[AgreementAction]
    due_soon: list[AgreementAction]

    def __bool__(self) -> bool:
        return bool(self.overdue or self.due_soon)

    def __len__(self) -> int:
        return len(self.overdue) + len(self.due_soon)


def action_reminders(user, today: date | None = None) -> ActionReminders:
    """Open actions of the agreements on this facilitator's (or co-facilitator's) cases that are
    overdue, or due within the next seven days. One query."""
    from django.utils import timezone

    today = today or timezone.localdate()
    if not roles.is_facilitator(user):
        return ActionReminders(today=today, overdue=[], due_soon=[])
    actions = list(
        AgreementAction.objects.filter(
            Q(agreement__case__facilitator=user) | Q(agreement__case__co_facilitator=user),
            status=AgreementAction.Status.OPEN,
            agreement__superseded=False,
            agreement__case__state=Case.State.AGREEMENT,
            due_on__lte=today + timedelta(days=REMINDER_DAYS),
        )
        .select_related("agreement__case", "responsible_party")
        .order_by("due_on", "id")
    )
    return ActionReminders(
        today=today,
        overdue=[a for a in actions if a.due_on < today],
        due_soon=[a for a in actions if a.due_on >= today],
    )


# ---------------------------------------------------------------------------------------------------
# Feedback figures for reports


def _share(count: int, of: int) -> float | None:
    return count / of if of else None


def feedback_figures(queryset_or_filters: QuerySet | dict | None = None) -> dict:
    """Counts and shares of participants' feedback, computed in the database in one query.

    ``queryset_or_filters`` picks the feedback counted: a ``Feedback`` queryset, a ``Case`` queryset
    (their feedback), a dict of ``Feedback`` filters (e.g. ``{"case__closed_at__year": 2026}``), or
    None for all.

    Definitions, for each figure (satisfied, would recommend, felt better, felt worse, felt safe, felt
    heard):
    - ``count``: feedback records whose answer to that question is yes (for felt better: "better";
      for felt worse: "worse");
    - ``of`` (the denominator): feedback records that were given (not refused) AND have an answer to
      that question. Refusals and unanswered questions are left out, so a share is of those who
      answered;
    - ``share``: count / of, or None when no one answered.
    Also returned: ``records`` (all feedback records, refusals included), ``refused`` and ``given``.
    """
    if queryset_or_filters is None:
        feedback = Feedback.objects.all()
    elif isinstance(queryset_or_filters, dict):
        feedback = Feedback.objects.filter(**queryset_or_filters)
    elif queryset_or_filters.model is Case:
        feedback = Feedback.objects.filter(case__in=queryset_or_filters.values("pk"))
    elif queryset_or_filters.model is Feedback:
        feedback = queryset_or_filters
    else:
        raise TypeError("feedback_figures takes a Feedback or Case queryset, a dict of filters or None.")
    given = Q(refused=False)
    # Aggregate names must not clash with the model's field names, hence the n_ prefix.
    row = feedback.order_by().aggregate(
        n_records=Count("id"),
        n_refused=Count("id", filter=Q(refused=True)),
        n_given=Count("id", filter=given),
        n_satisfied=Count("id", filter=given & Q(satisfied=True)),
        n_satisfied_of=Count("id", filter=given & Q(satisfied__isnull=False)),
        n_would_recommend=Count("id", filter=given & Q(would_recommend=True)),
        n_would_recommend_of=Count("id", filter=given & Q(would_recommend__isnull=False)),
        n_felt_better=Count("id", filter=given & Q(felt=Feedback.Felt.BETTER)),
        n_felt_worse=Count("id", filter=given & Q(felt=Feedback.Felt.WORSE)),
        n_felt_of=Count("id", filter=given & ~Q(felt="")),
        n_felt_safe=Count("id", filter=given & Q(felt_safe=True)),
        n_felt_safe_of=Count("id", filter=given & Q(felt_safe__isnull=False)),
        n_felt_heard=Count("id", filter=given & Q(felt_heard=True)),
        n_felt_heard_of=Count("id", filter=given & Q(felt_heard__isnull=False)),
    )
    figures = {"records": row["n_records"], "refused": row["n_refused"], "given": row["n_given"]}
    for name, of in (
        ("satisfied", "satisfied_of"),
        ("would_recommend", "would_recommend_of"),
        ("felt_better", "felt_of"),
        ("felt_worse", "felt_of"),
        ("felt_safe", "felt_safe_of"),
        ("felt_heard", "felt_heard_of"),
    ):
        count, total = row[f"n_{name}"], row[f"n_{of}"]
        figures[name] = {"count": count, "of": total, "share": _share(count, total)}
    return figures
