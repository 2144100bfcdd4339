from django import template

from privacy import selectors
from privacy.selectors.requests import open_requests
from privacy.services import may_record_non_crime_duties

register = template.Library()


@register.simple_tag
def retention_reviews_waiting(user):
    """How many retention reviews wait, for a manager's dashboard (None for everyone else)."""
    return selectors.open_review_count(user)


@register.simple_tag
def may_record_non_crime(case, user) -> bool:
    return may_record_non_crime_duties(case, user)


@register.simple_tag
def data_protection_requests(user):
    """The open data protection requests, soonest due first, for a manager's dashboard (None for everyone else)."""
    return open_requests(user)
