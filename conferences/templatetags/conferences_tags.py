"""The case page's restorative work panel, and small display helpers for the restorative work pages."""

from django import template

from conferences import selectors

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


@register.filter
def party_names(parties) -> str:
    return ", ".join(p.display_name for p in parties) or "No one"


@register.filter
def action_who(action) -> str:
    if action.responsible_party_id:
        return action.responsible_party.display_name
    return action.who


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
