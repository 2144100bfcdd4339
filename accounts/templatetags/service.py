from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def service_name() -> str:
    """The service's name from settings, for pages rendered without context processors (the 500 page)."""
    return settings.SERVICE_NAME
