from django import template

from letters import selectors
from rjcases.permissions import can_edit_case_work, can_see_details

register = template.Library()


@register.simple_tag
def case_letters_panel(case, user) -> dict | None:
    """The case page's letters panel: newest version of each letter, or nothing for users who may not see
    the case's details (police referrers never see party letters)."""
    if case is None or user is None or not user.is_authenticated or not can_see_details(case, user):
        return None
    return {"letters": selectors.latest_letters_for_case(case, user), "can_create": can_edit_case_work(case, user)}
