"""Which retention rule a case falls under, and date arithmetic in months: the schedule's domain rules."""

from __future__ import annotations

import calendar
from datetime import date

from privacy.models import RetentionRule
from rjcases.models import Case

Kind = RetentionRule.Kind
Outcome = Case.Outcome

# A closed case's rule, by its outcome.
OUTCOME_KINDS = {
    Outcome.AGREEMENT_FULFILLED: Kind.CASE_AGREEMENT,
    Outcome.AGREEMENT_PARTLY_FULFILLED: Kind.CASE_AGREEMENT,
    Outcome.AGREEMENT_BREACHED: Kind.CASE_AGREEMENT,
    Outcome.NO_AGREEMENT_NEEDED: Kind.CASE_NO_AGREEMENT,
    Outcome.NO_AGREEMENT_REACHED: Kind.CASE_NO_AGREEMENT,
    Outcome.NOT_SUITABLE: Kind.CASE_NOT_SUITABLE,
    Outcome.REFERRAL_DECLINED: Kind.REFERRAL_DECLINED,
    Outcome.WITHDRAWN: Kind.WITHDRAWN,
}
# Kinds of record in the schedule that the case review queue handles; the others (survey responses, logs,
# letters) are in the schedule for the record and for the anonymisation and housekeeping still to come.
CASE_KINDS = {*OUTCOME_KINDS.values(), Kind.ANONYMOUS_REPORT, Kind.NON_CRIME}


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months; the 31st becomes the month's last day where the month is shorter."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))
