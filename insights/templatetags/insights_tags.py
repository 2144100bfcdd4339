from django import template

from insights.tables import display as display_value

register = template.Library()


@register.filter
def display(value) -> str:
    """A figure as the tables show it: one decimal place for shares, a dash for "nothing to divide by"."""
    return display_value(value)


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None
