"""Filters for the case pages: a person's safe times in words."""

from django import template

from rjcases import safe_times

register = template.Library()


@register.filter
def safe_times_in_words(party) -> str:
    """In words, for example "Weekdays (Monday to Friday), 17:00 to 21:00"; "" when none are recorded."""
    return safe_times.of(party).in_words()


@register.filter
def safe_times_read_from_note(party) -> bool:
    """Whether the times were read from the free-text note by migration 0010 and not yet checked by a person."""
    return safe_times.of(party).read_from_note
