"""The case page's restorative work panel, and small display helpers for the restorative work pages."""

from django import template
from django.utils.html import format_html

from conferences import selectors
from rjcases.guards import long_date, withdrawn_participation
from rjcases.permissions import may_see_outcome

register = template.Library()

TAG_CLASSES = {
    "planned": "govuk-tag--blue",
    "superseded": "govuk-tag--grey",
    "cancelled": "govuk-tag--red",
    "took_place": "govuk-tag--green",
    "open": "govuk-tag--blue",
    "done": "govuk-tag--green",
    "missed": "govuk-tag--red",
}


@register.filter
def status_tag(status: str) -> str:
    """The GOV.UK tag colour class for an activity's or an action's status."""
    return TAG_CLASSES.get(status, "govuk-tag--grey")


@register.simple_tag
def activity_status(activity, case) -> str:
    """The activity's status tag: a planned activity the facilitator has confirmed (the case is in conferencing) is
    "Confirmed", not "Planned"."""
    if activity.status == "planned" and case.state == "conferencing":
        return format_html(
            '<strong class="govuk-tag {}" data-testid="activity-status">{}</strong>',
            "govuk-tag--turquoise",
            "Confirmed",
        )
    return format_html(
        '<strong class="govuk-tag {}" data-testid="activity-status">{}</strong>',
        status_tag(activity.status),
        activity.get_status_display(),
    )


@register.filter
def party_names(parties) -> str:
    return ", ".join(p.display_name for p in parties) or "No one"


@register.filter
def action_who(action) -> str:
    if action.responsible_party_id:
        return action.responsible_party.display_name
    return action.who


@register.filter
def consent_withdrawn_on(party):
    """The date this person withdrew consent to take part, while that withdrawal is in force; else None."""
    return withdrawn_participation(party)


@register.filter
def invited_not_taking_part(activity) -> list[str]:
    """Who a planned activity invites that has withdrawn consent to take part or no longer takes part, in words."""
    flagged = []
    for party in activity.invited.all():
        withdrawn = withdrawn_participation(party) if party.participating else None
        if withdrawn is not None:
            flagged.append(f"{party.display_name}, who withdrew consent to take part on {long_date(withdrawn)}")
        elif not party.participating:
            flagged.append(f"{party.display_name}, who no longer takes part")
    return flagged


@register.simple_tag(takes_context=True)
def outcome_seen(context, case) -> str:
    """The case's outcome category as the signed-in user may see it: "" where consent to share with the police
    was withdrawn and the user sees the case's status only (``rjcases.permissions.may_see_outcome``)."""
    user = context.get("user") or context["request"].user
    if not case.outcome or not may_see_outcome(case, user):
        return ""
    return case.get_outcome_display()


@register.inclusion_tag("conferences/_panel_body.html", takes_context=True)
def restorative_work_panel(context, case):
    """The restorative work on ``case`` as the signed-in user may see it (a fixed number of queries)."""
    user = context.get("user") or context["request"].user
    return {"case": case, "work": selectors.case_work(case, user), "user": user}


@register.inclusion_tag("conferences/_reminders_table.html", takes_context=True)
def dashboard_action_reminders(context, reminders=None):
    """The dashboard's reminders: those the view passed, or else this user's (one query for a facilitator)."""
    if not isinstance(reminders, selectors.ActionReminders):
        user = context.get("user") or context["request"].user
        reminders = selectors.action_reminders(user)
    return {"reminders": reminders}
