"""The Victims' Code parts of the case page and the manager's dashboard: {% load victims_code %}."""

from __future__ import annotations

from django import template
from django.utils import timezone

from accounts import roles
from rjcases.clocks import beyond_known_holidays
from rjcases.models import Complaint
from rjcases.permissions import can_edit_case_work
from rjcases.services.complaints import may_respond_to_complaint
from rjcases.victims_code.clocks import case_clocks

register = template.Library()

CLOCK_TAGS = {
    "met": "govuk-tag--green",
    "late": "govuk-tag--orange",
    "missed": "govuk-tag--red",
    "overdue": "govuk-tag--red",
    "due_soon": "govuk-tag--yellow",
    "open": "govuk-tag--blue",
    "not_applicable": "govuk-tag--grey",
}


@register.filter
def clock_tag(status: str) -> str:
    return CLOCK_TAGS.get(status, "govuk-tag--grey")


@register.inclusion_tag("rjcases/victims_code/_case_section.html")
def victims_code_section(case, user):
    """The case's report, enhanced rights, clocks (each with its basis) and complaints. Two queries; one on the
    case page's summary when the case has no complaint (its query says so: ``has_complaints``)."""
    today = timezone.localdate()
    complaints = list(case.complaints.all()) if getattr(case, "has_complaints", True) else []
    found = case_clocks(case, today)
    return {
        "case": case,
        "incident": case.incident_or_none,
        "clocks": found,
        "beyond_holidays": any(c.due_on and beyond_known_holidays(c.due_on) for c in found),
        "complaints": complaints,
        "today": today,
        "may_change": can_edit_case_work(case, user),
        "may_respond": may_respond_to_complaint(case, user),
    }


@register.inclusion_tag("rjcases/victims_code/_dashboard_complaints.html")
def open_complaints(user, limit: int = 20):
    """Complaints not yet answered, soonest deadline first (managers' dashboard). Two queries."""
    if not roles.is_manager(user):
        return {"shown": False}
    rows = Complaint.objects.visible_to(user).open().select_related("case").order_by("respond_due_on", "id")
    return {"shown": True, "complaints": list(rows[:limit]), "count": rows.count(), "today": timezone.localdate()}
