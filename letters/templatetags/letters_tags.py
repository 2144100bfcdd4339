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
    letters = selectors.latest_letters_for_case(case, user)
    held = [letter for letter in letters if letter.status == letter.Status.PENDING and letter.held_for_translation]
    return {
        "letters": letters,
        "can_create": can_edit_case_work(case, user),
        # The case's flag: letters written in English for someone who needs another language, not yet released.
        "held": held,
        "translation_needed": sorted({letter.translation_needed for letter in held}),
    }
