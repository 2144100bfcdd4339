from django import template

from privacy import selectors
from privacy.services import may_record_non_crime_duties

register = template.Library()


@register.simple_tag
def retention_reviews_waiting(user):
    """How many retention reviews wait, for a manager's dashboard (None for everyone else)."""
    return selectors.open_review_count(user)


@register.simple_tag
def may_record_non_crime(case, user) -> bool:
    return may_record_non_crime_duties(case, user)
