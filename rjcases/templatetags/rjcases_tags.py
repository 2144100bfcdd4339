"""Filters for the case pages: a person's safe times in words, and their communication needs in sight."""

from django import template

from rjcases import safe_times
from rjcases.needs import needs_of
from rjcases.permissions import can_see_details, may_see_party_details

register = template.Library()


@register.filter
def safe_times_in_words(party) -> str:
    """In words, for example "Weekdays (Monday to Friday), 17:00 to 21:00"; "" when none are recorded."""
    return safe_times.of(party).in_words()


@register.filter
def safe_times_read_from_note(party) -> bool:
    """Whether the times were read from the free-text note by migration 0010 and not yet checked by a person."""
    return safe_times.of(party).read_from_note


@register.filter
def communication_needs(party) -> list:
    """The person's communication needs (``rjcases.needs.needs_of``), for ``rjcases/includes/needs_flag.html``."""
    return needs_of(party)


@register.inclusion_tag("rjcases/includes/case_needs.html")
def needs_in_sight(case, user, people=None) -> dict:
    """Everyone on the case (or among ``people``) with a communication need whose details this user may see, each
    with the one flag every page shows (``rjcases/includes/needs_flag.html``)."""
    if not can_see_details(case, user):
        return {"people": []}  # referrers see no one's details: not even a query
    parties = list(people) if people else list(case.parties.all())
    return {"people": [p for p in parties if needs_of(p) and may_see_party_details(case, user, p)]}
