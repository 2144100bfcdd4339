from django.conf import settings
from django.urls import reverse

from accounts import roles


def navigation(request) -> dict:
    """The service navigation for the signed-in user's role; each entry names its URL and label."""
    user = getattr(request, "user", None)
    base = {"service_name": settings.SERVICE_NAME}
    if not user or not user.is_authenticated:
        return {**base, "nav_items": []}
    items = [("dashboard", "Dashboard")]
    if roles.is_manager(user) or roles.is_facilitator(user) or roles.is_caseworker(user) or roles.is_referrer(user):
        items.append(("rjcases:list", "Cases"))
    if roles.is_referrer(user) or roles.is_manager(user) or roles.is_facilitator(user):
        items.append(("rjcases:refer", "New referral"))
    if roles.is_manager(user):
        items.append(("rjcases:access_log", "Access log"))
    if roles.is_administrator(user):
        items.append(("admin:index", "Administration"))
    nav = []
    for name, label in items:
        try:
            url = reverse(name)
        except Exception:  # a feature not yet routed is simply not shown
            continue
        active = request.path == url if name == "dashboard" else request.path.startswith(url)
        nav.append({"url": url, "label": label, "active": active})
    return {**base, "nav_items": nav, "user_role_label": roles.role_label(user)}
