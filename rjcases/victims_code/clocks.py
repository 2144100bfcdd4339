"""The Victims' Code clocks of a case, as the Code counts them, and whether each applies.

Three clocks, in working days (``rjcases.clocks``: weekends and England and Wales bank holidays):

- **Told about restorative justice**: 5 working days (1 with enhanced rights) from the report to the police or
  the reporting centre (``Incident.reported_on``); from the referral date where the report date is not recorded.
- **Referral to the RJ service**: 2 working days from the report, met when the referral was received by then.
  Measured for police referrals only, and only where the report date is recorded (otherwise there is nothing
  to measure it from).
- **First contact**: the service's own standard, ``RJ_INITIAL_CONTACT_WORKING_DAYS`` from the day the service
  received the referral (the service cannot contact anyone before it has the referral).

The two contact clocks do not apply to an anonymous report, nor where no person harmed may be contacted (each
person harmed asked not to be contacted, or none is recorded): they are "not applicable", with the reason,
and never overdue. A clock still open when its case closed is "missed" if it had fallen due by then, and
"not applicable" (closed before it fell due) otherwise.

``case_clocks`` reads one case (the case page, the API); ``clocks_for`` evaluates plain facts (the compliance
return); the ``*_q`` expressions flag cases in lists and dashboards, in the database, with the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import CharField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils import formats, timezone

from rjcases import clocks
from rjcases.models import Case, Party

POLICE_ROUTE = "police"
REFERRAL_WORKING_DAYS = 2

NOT_APPLICABLE = "not_applicable"
MET, LATE, MISSED, OVERDUE, DUE_SOON, OPEN = "met", "late", "missed", "overdue", "due_soon", "open"
STATUS_LABELS = {
    NOT_APPLICABLE: "Not applicable",
    MET: "Met",
    LATE: "Late",
    MISSED: "Missed",
    OVERDUE: "Overdue",
    DUE_SOON: "Due within one working day",
    OPEN: "Not yet due",
}

ANONYMOUS_REASON = "Anonymous report: there is no one to contact."
NO_CONTACT_REASON = "The person harmed asked not to be contacted."
NO_HARMED_REASON = "No person harmed is recorded on the case."
NOT_POLICE_REASON = "Measured for police referrals only."
NO_REPORT_DATE_REASON = "The report date is not recorded, so the time to referral cannot be measured."
CLOSED_BEFORE_DUE_REASON = "The case closed before this clock fell due."


def long_date(day: date) -> str:
    return formats.date_format(day, "j F Y")


@dataclass(frozen=True)
class CaseFacts:
    """What the clocks of one case depend on; ``harmed_contactable`` is None when no person harmed is recorded."""

    route_code: str
    received_on: date
    reported_on: date | None
    enhanced_rights: bool
    anonymous: bool
    harmed_contactable: bool | None
    rj_information_due_on: date | None
    rj_information_given_on: date | None
    initial_contact_due_on: date | None
    initial_contact_on: date | None
    closed_on: date | None


@dataclass(frozen=True)
class Clock:
    key: str
    label: str
    status: str
    basis: str = ""
    reason: str = ""
    due_on: date | None = None
    done_on: date | None = None
    days_late: int | None = None  # working days past the due date (late, missed or overdue)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def applies(self) -> bool:
        return self.status != NOT_APPLICABLE

    @property
    def flagged(self) -> bool:
        """Shown as needing attention: overdue, or due within one working day."""
        return self.status in (OVERDUE, DUE_SOON)


def report_basis(facts: CaseFacts) -> str:
    if facts.reported_on:
        return f"Counted from the report on {long_date(facts.reported_on)}."
    return "Counted from the referral: report date not recorded."


def contact_not_applicable(facts: CaseFacts) -> str:
    """Why the contact clocks do not apply ("" when they do)."""
    if facts.anonymous:
        return ANONYMOUS_REASON
    if facts.harmed_contactable is None:
        return NO_HARMED_REASON
    if not facts.harmed_contactable:
        return NO_CONTACT_REASON
    return ""


def judge(key: str, label: str, basis: str, due: date, done: date | None, closed_on: date | None, today: date):
    if done is not None:
        late = clocks.working_days_between(due, done)
        return Clock(key, label, LATE if late else MET, basis, due_on=due, done_on=done, days_late=late or None)
    if closed_on is not None:
        if closed_on <= due:
            return Clock(key, label, NOT_APPLICABLE, basis, CLOSED_BEFORE_DUE_REASON, due_on=due)
        return Clock(key, label, MISSED, basis, due_on=due, days_late=clocks.working_days_between(due, closed_on))
    if today > due:
        return Clock(key, label, OVERDUE, basis, due_on=due, days_late=clocks.working_days_between(due, today))
    if due <= clocks.add_working_days(today, 1):
        return Clock(key, label, DUE_SOON, basis, due_on=due)
    return Clock(key, label, OPEN, basis, due_on=due)


def rj_information_clock(facts: CaseFacts, today: date) -> Clock:
    label = "Told about restorative justice"
    days = clocks.RJ_INFORMATION_WORKING_DAYS_ENHANCED if facts.enhanced_rights else clocks.RJ_INFORMATION_WORKING_DAYS
    rights = "enhanced rights" if facts.enhanced_rights else "no enhanced rights"
    basis = f"{days} working day{'s' if days != 1 else ''} ({rights}). {report_basis(facts)}"
    due = facts.rj_information_due_on or clocks.rj_information_due(
        facts.reported_on or facts.received_on, facts.enhanced_rights
    )
    reason = contact_not_applicable(facts)
    if reason:
        return Clock("rj_information", label, NOT_APPLICABLE, basis, reason, done_on=facts.rj_information_given_on)
    return judge("rj_information", label, basis, due, facts.rj_information_given_on, facts.closed_on, today)


def referral_clock(facts: CaseFacts, today: date) -> Clock:
    label = "Referred to the RJ service"
    basis = f"{REFERRAL_WORKING_DAYS} working days from the report; met when the referral was received by then."
    if facts.route_code != POLICE_ROUTE:
        return Clock("referral", label, NOT_APPLICABLE, basis, NOT_POLICE_REASON, done_on=facts.received_on)
    if not facts.reported_on:
        return Clock("referral", label, NOT_APPLICABLE, basis, NO_REPORT_DATE_REASON, done_on=facts.received_on)
    basis = f"{basis} {report_basis(facts)}"
    due = clocks.add_working_days(facts.reported_on, REFERRAL_WORKING_DAYS)
    return judge("referral", label, basis, due, facts.received_on, None, today)


def first_contact_clock(facts: CaseFacts, today: date) -> Clock:
    label = "First contact by the RJ service"
    days = clocks.INITIAL_CONTACT_WORKING_DAYS
    basis = f"{days} working days (the service's own standard), from the referral on {long_date(facts.received_on)}."
    due = facts.initial_contact_due_on or clocks.initial_contact_due(facts.received_on)
    reason = contact_not_applicable(facts)
    if reason:
        return Clock("first_contact", label, NOT_APPLICABLE, basis, reason, done_on=facts.initial_contact_on)
    return judge("first_contact", label, basis, due, facts.initial_contact_on, facts.closed_on, today)


def clocks_for(facts: CaseFacts, today: date | None = None) -> list[Clock]:
    today = today or timezone.localdate()
    return [rj_information_clock(facts, today), referral_clock(facts, today), first_contact_clock(facts, today)]


def facts_of(case: Case) -> CaseFacts:
    """The facts of one case (its incident and people harmed: no query when they are loaded)."""
    incident = case.incident_or_none
    if "parties" in getattr(case, "_prefetched_objects_cache", {}):
        harmed = [p.asked_not_to_be_contacted for p in case.parties.all() if p.role == Party.Role.HARMED]
    else:
        harmed = list(case.parties.filter(role=Party.Role.HARMED).values_list("asked_not_to_be_contacted", flat=True))
    return CaseFacts(
        route_code=case.route.code,
        received_on=case.received_on,
        reported_on=incident.reported_on if incident else None,
        enhanced_rights=case.enhanced_rights,
        anonymous=case.report_kind == "anonymous",
        harmed_contactable=(not all(harmed)) if harmed else None,
        rj_information_due_on=case.rj_information_due_on,
        rj_information_given_on=case.rj_information_given_on,
        initial_contact_due_on=case.initial_contact_due_on,
        initial_contact_on=case.initial_contact_on,
        closed_on=timezone.localdate(case.closed_at) if case.closed_at and case.is_closed else None,
    )


def case_clocks(case: Case, today: date | None = None) -> list[Clock]:
    return clocks_for(facts_of(case), today)


# ---------------------------------------------------------------------------------------------------
# The same rules in the database, for lists and dashboards


def contactable_q(*, per_row: bool = False) -> Q:
    """Cases whose contact clocks apply: not an anonymous report, and a person harmed who may be contacted.

    ``per_row``, for a flag in a list's select (``rjcases.selectors.with_overdue``): the same test with the
    anonymous-report condition inside the ``EXISTS``. A condition on the case inside it keeps PostgreSQL from
    turning the ``EXISTS`` into a hashed subplan, which it chose when the list's query could cover 100,000 cases
    (two sequential scans of every person, 66 to 175 ms each, for a page of 25; bench/README.md, "Partnerships:
    ten of 100,000"); the page's cases' people are then read by their index. In a filter the plain form stays
    (there the ``EXISTS`` is a semi-join)."""
    harmed = Party.objects.filter(case=OuterRef("pk"), role=Party.Role.HARMED, asked_not_to_be_contacted=False)
    if per_row:
        kind = ExpressionWrapper(OuterRef("report_kind"), output_field=CharField())
        return Q(Exists(harmed.annotate(case_report_kind=kind).exclude(case_report_kind="anonymous")))
    return ~Q(report_kind="anonymous") & Exists(harmed)


def overdue_q(today: date, *, per_row: bool = False) -> Q:
    """Open cases with a contact clock past its date and not met (and the clock applies)."""
    late = Q(rj_information_due_on__lt=today, rj_information_given_on__isnull=True) | Q(
        initial_contact_due_on__lt=today, initial_contact_on__isnull=True
    )
    return ~Q(state=Case.State.CLOSED) & late & contactable_q(per_row=per_row)


def due_soon_q(today: date, *, per_row: bool = False) -> Q:
    """Open cases with a contact clock not met, due today or on the next working day (and the clock applies)."""
    soon = clocks.add_working_days(today, 1)
    due = Q(rj_information_due_on__range=(today, soon), rj_information_given_on__isnull=True) | Q(
        initial_contact_due_on__range=(today, soon), initial_contact_on__isnull=True
    )
    return ~Q(state=Case.State.CLOSED) & due & contactable_q(per_row=per_row)


def overdue_words(case: Case, today: date | None = None) -> list[str]:
    """The case's overdue clocks, in words (the warning on the case page)."""
    return [f"{c.label}: due by {long_date(c.due_on)}." for c in case_clocks(case, today) if c.status == OVERDUE]
