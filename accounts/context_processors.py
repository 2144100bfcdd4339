from django.conf import settings
from django.urls import NoReverseMatch, reverse

from accounts import roles
from accounts.middleware import second_factor_pending


def navigation_entries(user) -> list[tuple[str, str]]:
    """The service menu meant for the user's role, as (URL name, label) pairs, before routing is checked."""
    if not user or not user.is_authenticated:
        return []
    entries = [("dashboard", "Dashboard")]
    if roles.is_manager(user) or roles.is_facilitator(user) or roles.is_caseworker(user) or roles.is_referrer(user):
        entries.append(("rjcases:list", "Cases"))
    if roles.is_referrer(user) or roles.is_manager(user) or roles.is_facilitator(user):
        entries.append(("rjcases:refer", "New referral"))
    if roles.is_centre_staff(user):
        entries.append(("insights:centres", "Your centre"))
        entries.append(("insights:survey_slip", "Survey slip"))
    if roles.is_manager(user) or roles.is_facilitator(user):
        entries.append(("letters:print_run", "Letters to post"))
        entries.append(("insights:index", "Insights"))
    if roles.is_manager(user):
        entries.append(("letters:templates", "Letter wording"))
        entries.append(("rjcases:access_log", "Access log"))
    if roles.is_administrator(user):
        entries.append(("accounts:user_list", "Sign-in help"))
        entries.append(("admin:index", "Administration"))
    return entries


def service_name_for(user) -> str:
    """The RJ service's name a user's pages show: their partnership's, for someone whose partnerships share one
    service name; the installation's otherwise (signed out, the regional lead, staff of several services)."""
    if user and user.is_authenticated:
        names = user.partnership_service_names
        if len(names) == 1:
            return next(iter(names))
    return settings.SERVICE_NAME


def navigation(request) -> dict:
    """The service navigation for the signed-in user's role; each entry names its URL and label."""
    user = getattr(request, "user", None)
    base = {"service_name": service_name_for(user)}
    if not user or not user.is_authenticated:
        return {**base, "nav_items": []}
    if second_factor_pending(user):  # the menu would lead nowhere until the code is entered
        return {**base, "nav_items": [], "user_role_label": roles.role_label(user)}
    nav = []
    for name, label in navigation_entries(user):
        try:
            url = reverse(name)
        except NoReverseMatch:  # a feature not yet routed is simply not shown
            continue
        current = request.path == url
        active = current or (name != "dashboard" and request.path.startswith(url))
        nav.append({"url": url, "label": label, "active": active, "current": current})
    return {**base, "nav_items": nav, "user_role_label": roles.role_label(user)}
