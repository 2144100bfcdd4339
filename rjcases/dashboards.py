"""The dashboards' task lists: what each person should do next, read in a fixed number of queries whatever the
number of cases (``rjcases.selectors.dashboard`` gathers them by role).

- A facilitator: their open cases, each with its next step and next deadline, soonest first; the cases allocated
  to them since their last visit; risk reviews due.
- A caseworker: each client by name, with their case's status, next event and outcome.
- A manager: the caseload of each facilitator (open, by status, overdue), stale cases (no recorded activity in
  ``RJ_STALE_WORKING_DAYS`` working days), supervision reviews due.

Every figure comes with the case list's filter that shows the same cases (``rjcases.selectors.filter_cases``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import (
    BooleanField,
    Count,
    DateField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models import Case as Choose
from django.db.models.functions import Coalesce, Greatest, Least
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from conferences.models import Activity, AgreementAction
from rjcases import clocks, guards
from rjcases.models import Assessment, Case, CaseTransition, Consent, ContactAttempt, Note, Party, Supervision
from rjcases.victims_code import clocks as code_clocks

STALE_WORKING_DAYS = getattr(settings, "RJ_STALE_WORKING_DAYS", 20)
MY_CASES_SHOWN = 50
RISK_REVIEW_DAYS_AHEAD = 7
NEW_TO_YOU_FIRST_VISIT_DAYS = 7
FAR = date(9999, 12, 31)
FAR_MOMENT = datetime(1900, 1, 1, tzinfo=timezone.get_fixed_timezone(0))


# ---------------------------------------------------------------------------------------------------
# What every worklist row reads in the database


def current_assessments() -> QuerySet:
    """Each party's newest assessment (the one the guards read)."""
    newest = Assessment.objects.filter(party=OuterRef("party")).order_by("-assessed_on", "-id").values("pk")[:1]
    return Assessment.objects.filter(pk=Subquery(newest))


def _first(queryset: QuerySet, field: str, output) -> Subquery:
    return Subquery(queryset.order_by(field).values(field)[:1], output_field=output)


def with_deadlines(cases: QuerySet) -> QuerySet:
    """Annotate each case with its upcoming dates (one subquery each) and ``next_due``, the soonest of them."""
    flag = ExpressionWrapper(code_clocks.contactable_q(), output_field=BooleanField())
    open_actions = AgreementAction.objects.filter(
        agreement__case=OuterRef("pk"), agreement__superseded=False, status=AgreementAction.Status.OPEN
    )
    planned = Activity.objects.filter(case=OuterRef("pk"), status=Activity.Status.PLANNED)
    reviews = current_assessments().filter(party__case=OuterRef("pk"), review_on__isnull=False)
    cases = cases.annotate(
        contactable=flag,
        next_action_due=_first(open_actions, "due_on", DateField()),
        next_activity_at=_first(planned.filter(scheduled_for__isnull=False), "scheduled_for", DateTimeField()),
        has_planned_activity=Exists(planned),
        next_risk_review=_first(reviews, "review_on", DateField()),
    )
    # The Victims' Code dates count only while unmet and while the clocks apply (code_clocks.overdue_q's rule).
    rj_due = Coalesce(
        _when_unmet("rj_information_due_on", "rj_information_given_on"), Value(FAR), output_field=DateField()
    )
    contact_due = Coalesce(
        _when_unmet("initial_contact_due_on", "initial_contact_on"), Value(FAR), output_field=DateField()
    )
    return cases.annotate(
        next_due=Least(
            rj_due,
            contact_due,
            Coalesce("next_action_due", Value(FAR), output_field=DateField()),
            Coalesce("next_risk_review", Value(FAR), output_field=DateField()),
            output_field=DateField(),
        )
    )


def _when_unmet(due: str, met: str):
    applies = code_clocks.contactable_q() & Q(**{f"{met}__isnull": True})
    return Choose(When(applies, then=F(due)), default=None, output_field=DateField())


@dataclass(frozen=True)
class Deadline:
    label: str
    due_on: date
    today: date

    @property
    def overdue(self) -> bool:
        return self.due_on < self.today

    @property
    def days_late(self) -> int:
        return clocks.working_days_between(self.due_on, self.today)

    @property
    def due_soon(self) -> bool:
        return not self.overdue and self.due_on <= clocks.add_working_days(self.today, 1)


@dataclass(frozen=True)
class NextStep:
    text: str
    url: str = ""


def deadlines_of(case: Case, today: date) -> list[Deadline]:
    """The case's upcoming dates, soonest first (from ``with_deadlines``'s annotations: no query)."""
    found = []
    if case.contactable and case.rj_information_given_on is None and case.rj_information_due_on:
        found.append(Deadline("Tell the person harmed about restorative justice", case.rj_information_due_on, today))
    if case.contactable and case.initial_contact_on is None and case.initial_contact_due_on:
        found.append(Deadline("First contact", case.initial_contact_due_on, today))
    if case.next_action_due:
        found.append(Deadline("Agreement action due", case.next_action_due, today))
    if case.next_risk_review:
        found.append(Deadline("Risk review", case.next_risk_review, today))
    if case.next_activity_at:
        found.append(Deadline("Restorative activity", timezone.localdate(case.next_activity_at), today))
    return sorted(found, key=lambda d: d.due_on)


def next_step(case: Case) -> NextStep:
    """What the facilitator does next on the case, with the page to do it on (no query: the case's people, their
    assessments and consents are prefetched)."""
    ref = case.reference
    if case.contactable and case.rj_information_given_on is None and case.rj_information_due_on:
        return NextStep("Tell the person harmed about restorative justice", reverse("rjcases:contact_add", args=[ref]))
    if case.contactable and case.initial_contact_on is None and case.initial_contact_due_on:
        return NextStep("Make first contact", reverse("rjcases:contact_add", args=[ref]))
    if case.state == Case.State.REFERRAL:
        return NextStep("A manager accepts the referral", reverse("rjcases:detail", args=[ref]))
    if case.state == Case.State.ASSESSMENT:
        for problem in guards.ready_for_preparation.problems(case):
            fix = getattr(problem, "fix", None)
            if fix and fix[0] not in ("rjcases:sign_off", "rjcases:allocate"):
                return NextStep(str(problem), reverse(fix[0], args=[ref, *fix[1]]))
            return NextStep(str(problem), reverse("rjcases:detail", args=[ref]))
        return NextStep("Find the case suitable, or not", reverse("rjcases:detail", args=[ref]))
    if case.state == Case.State.PREPARATION:
        if case.has_planned_activity:
            return NextStep("Confirm the planned activity", reverse("conferences:activity", args=[ref]))
        return NextStep("Plan the restorative activity", reverse("conferences:activity_plan", args=[ref]))
    if case.state == Case.State.CONFERENCING:
        return NextStep("Record that the activity took place", reverse("conferences:activity", args=[ref]))
    return NextStep("Follow up the agreement's actions", reverse("conferences:monitoring", args=[ref]))


def _worklist_rows(cases: QuerySet, today: date) -> list[Case]:
    """The rows of a ``with_deadlines`` queryset, each with its deadlines and next step (three more queries: the
    people, their assessments and consents)."""
    cases = cases.select_related("route").prefetch_related(
        Prefetch(
            "parties",
            queryset=Party.objects.prefetch_related(
                "assessments", Prefetch("consents", queryset=Consent.objects.order_by())
            ),
        )
    )
    rows = list(cases)
    for case in rows:
        case.deadlines = deadlines_of(case, today)
        case.next_deadline = case.deadlines[0] if case.deadlines else None
        case.next_step = next_step(case)
    return rows


def flag_clocks(cases: list[Case], today: date) -> list[Case]:
    """Give each case ``flagged_clocks``: its Victims' Code clocks overdue or due within a working day, each saying
    which and by how much (no query when the cases' incident and people are loaded: ``ATTENTION_LOADS``)."""
    for case in cases:
        case.flagged_clocks = [c for c in code_clocks.case_clocks(case, today) if c.flagged]
    return cases


ATTENTION_LOADS = ("parties",)


# ---------------------------------------------------------------------------------------------------
# A facilitator


def mine(user) -> QuerySet:
    return Case.objects.visible_to(user).filter(Q(facilitator=user) | Q(co_facilitator=user))


def my_open_cases(user, today: date) -> tuple[list[Case], int]:
    """The facilitator's open cases, soonest deadline first (those without one last), and how many there are."""
    open_cases = mine(user).exclude(state=Case.State.CLOSED)
    shown = with_deadlines(open_cases).order_by("next_due", "received_on", "id")[:MY_CASES_SHOWN]
    return _worklist_rows(shown, today), open_cases.count()


def new_to_me(user, since: datetime | None, today: date) -> list[Case]:
    """Cases allocated to this facilitator since their last visit (the last week's on a first visit)."""
    since = since or timezone.now() - timedelta(days=NEW_TO_YOU_FIRST_VISIT_DAYS)
    cases = mine(user).filter(facilitator=user, allocated_at__gt=since).exclude(state=Case.State.CLOSED)
    return list(cases.select_related("route").order_by("-allocated_at", "-id")[:20])


def risk_reviews_due(user, today: date) -> list[Assessment]:
    """Current assessments on the facilitator's open cases whose risk review is due (or within a week)."""
    return list(
        current_assessments()
        .filter(
            party__case__in=mine(user).exclude(state=Case.State.CLOSED),
            review_on__lte=today + timedelta(days=RISK_REVIEW_DAYS_AHEAD),
        )
        .select_related("party__case")
        .order_by("review_on", "id")[:20]
    )


def facilitator_worklist(user, today: date, since: datetime | None) -> dict:
    rows, count = my_open_cases(user, today)
    return {
        "my_open_cases": rows,
        "my_open_count": count,
        "new_to_me": new_to_me(user, since, today),
        "risk_reviews": risk_reviews_due(user, today),
        "today": today,
    }


# ---------------------------------------------------------------------------------------------------
# A caseworker


def my_clients(user, today: date, limit: int = 30) -> list[Party]:
    """Each person harmed this caseworker supports, with their case (its status, next event and outcome)."""
    planned = Activity.objects.filter(case=OuterRef("case"), status=Activity.Status.PLANNED)
    open_actions = AgreementAction.objects.filter(
        agreement__case=OuterRef("case"), agreement__superseded=False, status=AgreementAction.Status.OPEN
    )
    clients = (
        Party.objects.filter(role=Party.Role.HARMED, caseworker=user, case__in=Case.objects.visible_to(user))
        .select_related("case")
        .annotate(
            next_activity_at=_first(planned.filter(scheduled_for__isnull=False), "scheduled_for", DateTimeField()),
            next_action_due=_first(open_actions, "due_on", DateField()),
        )
        .order_by("-case__received_on", "last_name", "first_name", "id")[:limit]
    )
    rows = list(clients)
    for party in rows:
        party.next_event = _next_event(party)
    return rows


def _next_event(party: Party) -> str:
    case = party.case
    if case.is_closed:
        return "Closed " + (code_clocks.long_date(timezone.localdate(case.closed_at)) if case.closed_at else "")
    if party.next_activity_at:
        return f"Restorative activity on {code_clocks.long_date(timezone.localdate(party.next_activity_at))}"
    if party.next_action_due:
        return f"Agreement action due by {code_clocks.long_date(party.next_action_due)}"
    return {
        Case.State.REFERRAL: "Waiting for the RJ service to accept the referral",
        Case.State.ASSESSMENT: "Being assessed by the facilitator",
        Case.State.PREPARATION: "Preparing for the restorative activity",
        Case.State.CONFERENCING: "The restorative activity is being arranged",
        Case.State.AGREEMENT: "The agreement is being monitored",
    }.get(case.state, "")


# ---------------------------------------------------------------------------------------------------
# A manager


def stale_cutoff(today: date, working_days: int | None = None) -> date:
    """The day ``working_days`` working days before ``today``: an open case with nothing recorded since is stale."""
    remaining, day = working_days if working_days is not None else STALE_WORKING_DAYS, today
    while remaining > 0:
        day -= timedelta(days=1)
        if clocks.is_working_day(day):
            remaining -= 1
    return day


def with_last_activity(cases: QuerySet) -> QuerySet:
    """Annotate ``last_activity``: the latest of the case's own change, its last move, contact attempt and note."""

    def latest(model, field: str, lookup: str = "case"):
        rows = model.objects.filter(**{lookup: OuterRef("pk")}).order_by(f"-{field}").values(field)[:1]
        return Coalesce(Subquery(rows, output_field=DateTimeField()), Value(FAR_MOMENT), output_field=DateTimeField())

    return cases.annotate(
        last_activity=Greatest(
            F("updated_at"),
            latest(CaseTransition, "at"),
            latest(ContactAttempt, "at"),
            latest(Note, "created_at"),
            output_field=DateTimeField(),
        )
    )


def stale_q_cases(cases: QuerySet, today: date) -> QuerySet:
    """The open cases whose last activity (``with_last_activity``) is before the cutoff, annotated with it. The
    filter says the same as ``last_activity < start`` as "changed before it, and no move, contact or note since",
    so that PostgreSQL can answer it from the few recent rows (anti-joins) instead of working out every open
    case's latest of each."""
    cutoff = stale_cutoff(today)
    start = timezone.make_aware(datetime.combine(cutoff, datetime.min.time()))

    def since(model, field: str):
        return Exists(model.objects.filter(case=OuterRef("pk"), **{f"{field}__gte": start}))

    quiet = (
        cases.exclude(state=Case.State.CLOSED)
        .filter(updated_at__lt=start)
        .exclude(since(CaseTransition, "at"))
        .exclude(since(ContactAttempt, "at"))
        .exclude(since(Note, "created_at"))
    )
    return with_last_activity(quiet)


def caseloads(user, today: date) -> list:
    """Each active facilitator of the manager's partnerships with their open cases there (as facilitator or
    co-facilitator), by status, and overdue; five queries whatever the number of cases."""
    from accounts.models import User

    people = list(
        User.objects.filter(
            is_active=True, groups__name=roles.FACILITATOR, partnerships__in=sorted(roles.partnership_ids(user))
        )
        .distinct()
        .order_by("last_name", "first_name")
    )
    open_cases = Case.objects.visible_to(user).exclude(state=Case.State.CLOSED)
    by_state: dict[int, dict[str, int]] = {p.pk: {} for p in people}
    overdue: dict[int, int] = {p.pk: 0 for p in people}
    for field in ("facilitator", "co_facilitator"):
        for pk, state, n in (
            open_cases.filter(**{f"{field}__isnull": False})
            .values_list(field, "state")
            .annotate(n=Count("id"))
            .order_by()
        ):
            if pk in by_state:
                by_state[pk][state] = by_state[pk].get(state, 0) + n
    late = open_cases.filter(code_clocks.overdue_q(today))
    for pk, n in late.values_list("facilitator").annotate(n=Count("id")).order_by():
        if pk in overdue:
            overdue[pk] += n
    for pk, n in late.values_list("co_facilitator").annotate(n=Count("id")).order_by():
        if pk in overdue:
            overdue[pk] += n
    for person in people:
        person.open_by_state = [
            {"state": value, "label": label, "count": by_state[person.pk].get(value, 0)}
            for value, label in Case.State.choices
            if value != Case.State.CLOSED
        ]
        person.open_count = sum(by_state[person.pk].values())
        person.overdue_count = overdue[person.pk]
    return people


def supervision_reviews_due(user, today: date) -> list[Supervision]:
    """Each open case's latest supervision whose next review is due (or within a week), of the cases the manager
    may see."""
    latest = Supervision.objects.filter(case=OuterRef("case")).order_by("-held_on", "-id").values("pk")[:1]
    return list(
        Supervision.objects.filter(pk=Subquery(latest))
        .filter(next_review_on__lte=today + timedelta(days=RISK_REVIEW_DAYS_AHEAD))
        .filter(case__in=Case.objects.visible_to(user).exclude(state=Case.State.CLOSED))
        .select_related("case")
        .order_by("next_review_on", "id")[:20]
    )


def manager_worklist(user, today: date) -> dict:
    stale = stale_q_cases(Case.objects.visible_to(user), today)
    return {
        "caseloads": caseloads(user, today),
        "stale_cases": list(stale.select_related("facilitator").order_by("last_activity", "id")[:20]),
        "stale_count": stale.count(),
        "stale_working_days": STALE_WORKING_DAYS,
        "supervision_reviews": supervision_reviews_due(user, today),
    }
