"""Moving a case to another partnership: a manager of both, with a reason (``rjcases.services.partnerships``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from govuk.refusals import refusals_to
from rjcases import selectors
from rjcases.forms.partnerships import MovePartnershipForm
from rjcases.services.partnerships import may_move, move_to_partnership
from rjcases.views.common import detail_url, require


@login_required
@require_http_methods(["GET", "POST"])
def move_partnership(request, reference: str):
    case = selectors.get_case_for_user(request.user, reference, detailed=False)
    require(may_move(case, request.user))
    form = MovePartnershipForm(request.POST or None, case=case, user=request.user)
    if request.method == "POST" and form.is_valid():
        with refusals_to(form):
            case = move_to_partnership(
                case, request.user, ward=form.cleaned_data["ward"], reason=form.cleaned_data["reason"]
            )
        if not form.errors:
            messages.success(request, f"Case {case.reference} moved to {case.partnership.name}.")
            # The manager may still see it (a manager of both); the page is theirs to open.
            return redirect(detail_url(case))
    return render(
        request,
        "rjcases/form_page.html",
        {
            "page_title": f"Move case {case.reference} to another partnership",
            "case": case,
            "form": form,
            "heading": f"Move the case from {case.partnership.name} to another partnership",
            "submit": "Move the case",
        },
    )
