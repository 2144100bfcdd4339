"""Case supervision: the page where a manager records supervising a case, and its record. Only managers and the
case's own facilitators see it; for anyone else there is no such page (404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts import roles
from govuk.refusals import refusals_to
from rjcases import selectors, services
from rjcases.forms.supervision import SupervisionForm
from rjcases.models import Supervision
from rjcases.permissions import may_see_supervision
from rjcases.views.common import require


@login_required
@require_http_methods(["GET", "POST"])
def supervision(request, reference: str):
    case = selectors.get_case_for_user(request.user, reference, detailed=False)
    if not may_see_supervision(case, request.user):
        raise Http404("No such page for this case.")
    is_manager = roles.is_manager(request.user)
    form = SupervisionForm(request.POST or None) if is_manager else None
    if request.method == "POST":
        require(is_manager)
        if form.is_valid():
            data = form.cleaned_data
            with refusals_to(form):
                services.record_supervision(
                    case,
                    request.user,
                    held_on=data["held_on"],
                    discussion=data["discussion"],
                    decisions=data["decisions"],
                    next_review_on=data["next_review_on"],
                )
            if not form.errors:
                messages.success(request, "Supervision recorded.")
                return redirect(reverse("rjcases:supervision", args=[case.reference]))
    records = Supervision.objects.visible_to(request.user).filter(case=case).select_related("supervisor")
    context = {
        "page_title": f"Supervision, case {case.reference}",
        "case": case,
        "records": list(records),
        "form": form,
    }
    return render(request, "rjcases/supervision.html", context, status=400 if form and form.errors else 200)
