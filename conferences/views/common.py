"""What the restorative work pages share: the case loaded with the user's level of access to its work, the
edit check, the read log, the page with its sub-navigation."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from conferences import selectors
from rjcases import services as case_services
from rjcases.models import Case, ReadAccess
from rjcases.permissions import can_edit_case_work


def case_view(*levels: str):
    """Load the case named in the URL from the user's visible cases (else 404) and require one of
    ``levels`` of access to its restorative work (else 403). The view receives the case."""

    def decorate(view):
        @login_required
        @wraps(view)
        def wrapped(request, reference, *args, **kwargs):
            case = get_object_or_404(
                Case.objects.visible_to(request.user).select_related("facilitator", "co_facilitator"),
                reference=reference,
            )
            level = selectors.access_level(case, request.user)
            if levels and level not in levels:
                raise PermissionDenied
            request.access_level = level
            return view(request, case, *args, **kwargs)

        return wrapped

    return decorate


def editing(request, case: Case) -> None:
    """Writes are for the case's facilitators and managers: a clear 403 before any form is shown."""
    if not can_edit_case_work(case, request.user):
        raise PermissionDenied


def log_read(request, case: Case) -> None:
    case_services.log_read(request.user, case, ReadAccess.What.CASE, path=request.path)


def page(request, case: Case, template: str, title: str, **context):
    context.update(
        case=case,
        page_title=f"{title} – {case.reference}",
        title=title,
        level=request.access_level,
        can_edit=can_edit_case_work(case, request.user),
        subnav=subnav(request, case),
    )
    return render(request, f"conferences/{template}", context)


SUBNAV = [
    ("overview", "Restorative work", (selectors.FULL, selectors.CASEWORKER, selectors.OUTCOME)),
    ("preparation", "Preparation", (selectors.FULL,)),
    ("activity", "Activity", (selectors.FULL,)),
    ("agreement", "Agreement", (selectors.FULL, selectors.CASEWORKER)),
    ("monitoring", "Monitoring", (selectors.FULL,)),
    ("closure", "Closure", (selectors.FULL,)),
    ("feedback", "Feedback", (selectors.FULL, selectors.CASEWORKER)),
]


def subnav(request, case: Case) -> list[dict]:
    items = []
    for name, label, levels in SUBNAV:
        if request.access_level in levels:
            url = reverse(f"conferences:{name}", args=[case.reference])
            items.append({"url": url, "label": label, "active": request.path == url})
    return items
