"""The security log page: managers and administrators read who granted or removed a role, reset a second factor,
unlocked an account or changed an organisation. Nothing here writes; rows come from
``accounts.services.record_security_event``."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.shortcuts import render

from accounts import roles
from accounts.models import SecurityEvent

ROWS_PER_PAGE = 50


def can_read_security_log(user) -> bool:
    return roles.is_manager(user) or roles.is_administrator(user)


def security_events(action: str = "") -> QuerySet[SecurityEvent]:
    rows = SecurityEvent.objects.all()
    if action in SecurityEvent.Action.values:
        rows = rows.filter(action=action)
    return rows.order_by("-at", "-id")


@login_required
def security_log(request):
    if not can_read_security_log(request.user):
        raise PermissionDenied
    action = request.GET.get("action", "")
    page = Paginator(security_events(action), ROWS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/security_log.html",
        {
            "page_title": "Security log",
            "page": page,
            "query_string": query.urlencode(),
            "actions": SecurityEvent.Action.choices,
            "action": action,
        },
    )
