"""The Victims' Code compliance return: for each right the service is responsible for, per quarter, how many
clocks were due, met in time, late (with the median working days late), not yet due, and not applicable.

Unlike the other insights, the clocks are judged in Python, one case at a time, by the very rules the case page
shows (``rjcases.victims_code.clocks``): which clock applies, from which date, with enhanced rights and bank
holidays, is casework logic the return must not restate in SQL (two statements of it would drift). The rows are
read in two queries (the quarter's referrals, the quarter's complaints) whatever their number.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef
from django.utils import timezone

from insights.selectors.common import Period, in_partnerships, quarter_period
from rjcases import clocks as working_days
from rjcases.models import Case, Complaint, Party
from rjcases.services.complaints import acknowledge_working_days, response_working_days
from rjcases.victims_code import clocks
from rjcases.victims_code.clocks import CaseFacts, Clock

LATE_STATUSES = (clocks.LATE, clocks.MISSED, clocks.OVERDUE)
PENDING_STATUSES = (clocks.DUE_SOON, clocks.OPEN)


@dataclass(frozen=True)
class ComplianceLine:
    key: str
    measure: str
    due: int
    met: int
    late: int
    median_days_late: float | None
    pending: int
    not_applicable: int
    definition: str

    @property
    def met_share(self) -> float | None:
        return round(100 * self.met / self.due, 1) if self.due else None


COUNTING = (
    "Counted in the quarter: a case's clocks in the quarter its referral was received; a complaint's in the "
    "quarter it was received. Due: the clocks that apply and whose date has come (met, or past it). Met in time: "
    "done on or before the due date. Late: done after it, still not done after it, or not done when the case "
    "closed after it; days late are working days after the due date (to the day it was done, the case closed, "
    "or today). Not yet due: applies, not done, due after today. Not applicable: the clock does not apply to "
    "the case, for the reason its case page shows (anonymous report, the person harmed asked not to be "
    "contacted or none is recorded, not a police referral, no report date, or the case closed before it fell "
    "due). Working days leave out weekends and England and Wales bank holidays."
)


def definitions() -> dict[str, str]:
    return {
        "rj_information": (
            f"The person harmed told about restorative justice within {working_days.RJ_INFORMATION_WORKING_DAYS} "
            f"working days of the report to the police or the reporting centre "
            f"({working_days.RJ_INFORMATION_WORKING_DAYS_ENHANCED} with enhanced rights); from the referral date "
            "where the report date is not recorded."
        ),
        "referral": (
            f"Police referrals received by the service within {clocks.REFERRAL_WORKING_DAYS} working days of the "
            "report. Only police referrals with a recorded report date can be measured."
        ),
        "first_contact": (
            f"First contact with the person harmed within {working_days.INITIAL_CONTACT_WORKING_DAYS} working days "
            "of the referral: the service's own standard."
        ),
        "complaint_acknowledged": (
            "Complaints (Right 12) acknowledged by the deadline set when they were received "
            f"(now {acknowledge_working_days()} working days)."
        ),
        "complaint_responded": (
            "Complaints (Right 12) answered, with an outcome, by the deadline set when they were received "
            f"(now {response_working_days()} working days)."
        ),
    }


MEASURES = {
    "rj_information": "Told about restorative justice",
    "referral": "Police referral within 2 working days of the report",
    "first_contact": "First contact by the service",
    "complaint_acknowledged": "Complaint acknowledged in time",
    "complaint_responded": "Complaint answered in time",
}


def _line(key: str, found: list[Clock]) -> ComplianceLine:
    late = [c for c in found if c.status in LATE_STATUSES]
    met = sum(c.status == clocks.MET for c in found)
    return ComplianceLine(
        key=key,
        measure=MEASURES[key],
        due=met + len(late),
        met=met,
        late=len(late),
        median_days_late=statistics.median(c.days_late or 0 for c in late) if late else None,
        pending=sum(c.status in PENDING_STATUSES for c in found),
        not_applicable=sum(c.status == clocks.NOT_APPLICABLE for c in found),
        definition=definitions()[key],
    )


def _case_facts(period: Period, partnerships: tuple[int, ...] | None) -> list[CaseFacts]:
    harmed = Party.objects.filter(case=OuterRef("pk"), role=Party.Role.HARMED)
    rows = (
        in_partnerships(
            Case.objects.filter(received_on__range=(period.start, period.end)), "partnership_id", partnerships
        )
        .annotate(has_harmed=Exists(harmed), contactable=Exists(harmed.filter(asked_not_to_be_contacted=False)))
        .values(
            "route__code",
            "received_on",
            "incident__reported_on",
            "enhanced_rights",
            "report_kind",
            "has_harmed",
            "contactable",
            "rj_information_due_on",
            "rj_information_given_on",
            "initial_contact_due_on",
            "initial_contact_on",
            "state",
            "closed_at",
        )
        .order_by()
    )
    return [
        CaseFacts(
            route_code=row["route__code"],
            received_on=row["received_on"],
            reported_on=row["incident__reported_on"],
            enhanced_rights=row["enhanced_rights"],
            anonymous=row["report_kind"] == "anonymous",
            harmed_contactable=row["contactable"] if row["has_harmed"] else None,
            rj_information_due_on=row["rj_information_due_on"],
            rj_information_given_on=row["rj_information_given_on"],
            initial_contact_due_on=row["initial_contact_due_on"],
            initial_contact_on=row["initial_contact_on"],
            closed_on=timezone.localdate(row["closed_at"])
            if row["closed_at"] and row["state"] == Case.State.CLOSED
            else None,
        )
        for row in rows
    ]


def compliance_return(
    year: int, quarter: int, today: date | None = None, partnerships: tuple[int, ...] | None = None
) -> tuple[Period, list[ComplianceLine]]:
    """The return for one quarter, a line per right, of these partnerships' cases and complaints (every
    partnership's where None: ``insights.access.partnership_scope``). Two queries."""
    today = today or timezone.localdate()
    period = quarter_period(year, quarter)
    by_key: dict[str, list[Clock]] = {key: [] for key in MEASURES}
    for facts in _case_facts(period, partnerships):
        for clock in clocks.clocks_for(facts, today):
            by_key[clock.key].append(clock)
    complaints = in_partnerships(
        Complaint.objects.filter(received_on__range=(period.start, period.end)), "case__partnership_id", partnerships
    ).values_list("acknowledge_due_on", "acknowledged_on", "respond_due_on", "responded_on")
    for ack_due, ack_on, respond_due, respond_on in complaints.order_by():
        by_key["complaint_acknowledged"].append(clocks.judge("ack", "", "", ack_due, ack_on, None, today))
        by_key["complaint_responded"].append(clocks.judge("resp", "", "", respond_due, respond_on, None, today))
    return period, [_line(key, found) for key, found in by_key.items()]
