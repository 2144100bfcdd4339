"""{% load compliance_tags %}: whether to link the Victims' Code compliance return (managers only)."""

from django import template

from accounts import roles

register = template.Library()


@register.filter
def sees_compliance_return(user) -> bool:
    return roles.is_manager(user)
