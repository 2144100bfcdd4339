"""The Victims' Code pages of a case: the report date, enhanced rights, complaints (record, acknowledge, respond).

Each starts from a case the user may see (404 outside it); the services check who may write (403 otherwise).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from govuk.refusals import refusals_to
from rjcases import selectors
from rjcases.forms import victims_code as forms
from rjcases.models import Case, Complaint
from rjcases.permissions import can_edit_case_work
from rjcases.services import complaints as complaint_services
from rjcases.services import victims_code as services


def _code_url(case: Case) -> str:
    return reverse("rjcases:detail", args=[case.reference]) + "#victims-code"


def _case_for_work(request, reference: str) -> Case:
    case = selectors.get_case_for_user(request.user, reference, detailed=False)
    if not can_edit_case_work(case, request.user):
        raise PermissionDenied
    return case


def _page(request, case: Case, form, heading: str, submit: str, intro: str = ""):
    context = {"page_title": f"{heading}, case {case.reference}", "case": case, "form": form}
    context.update(heading=heading, submit=submit, intro=intro, caption="Victims' Code")
    return render(request, "rjcases/form_page.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def report(request, reference: str):
    case = _case_for_work(request, reference)
    incident = case.incident_or_none
    if incident is None:
        raise PermissionDenied
    initial = {"reported_on": incident.reported_on, "reported_by": incident.reported_by}
    form = forms.ReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with refusals_to(form):
            services.record_report(
                case,
                request.user,
                reported_on=form.cleaned_data["reported_on"],
                reported_by=form.cleaned_data["reported_by"],
            )
        if not form.errors:
            messages.success(request, "Report recorded. The Victims' Code deadlines have been recalculated.")
            return redirect(_code_url(case))
    return _page(request, case, form, "When it was reported", "Save")


@login_required
@require_http_methods(["GET", "POST"])
def enhanced_rights(request, reference: str):
    case = _case_for_work(request, reference)
    form = forms.EnhancedRightsForm(request.POST or None, initial={"enhanced": not case.enhanced_rights})
    if request.method == "POST" and form.is_valid():
        with refusals_to(form):
            services.change_enhanced_rights(
                case, request.user, enhanced=form.cleaned_data["enhanced"], reason=form.cleaned_data["reason"]
            )
        if not form.errors:
            messages.success(request, "Enhanced rights changed. The deadline to tell them about RJ was recalculated.")
            return redirect(_code_url(case))
    now = "is entitled" if case.enhanced_rights else "is not entitled"
    intro = f"The person harmed {now} to enhanced rights now."
    return _page(request, case, form, "Change enhanced rights", "Change enhanced rights", intro)


@login_required
@require_http_methods(["GET", "POST"])
def complaint_add(request, reference: str):
    case = _case_for_work(request, reference)
    form = forms.ComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals_to(form):
            complaint_services.record_complaint(case, request.user, **form.cleaned_data)
        if not form.errors:
            messages.success(request, "Complaint recorded.")
            return redirect(_code_url(case))
    days = complaint_services.acknowledge_working_days(), complaint_services.response_working_days()
    intro = f"It must be acknowledged within {days[0]} working days and answered within {days[1]}."
    return _page(request, case, form, "Record a complaint", "Record the complaint", intro)


def _complaint(request, reference: str, complaint_id: int) -> Complaint:
    case = selectors.get_case_for_user(request.user, reference, detailed=False)
    return get_object_or_404(Complaint.objects.select_related("case"), pk=complaint_id, case=case)


@login_required
@require_http_methods(["GET", "POST"])
def complaint_acknowledge(request, reference: str, complaint_id: int):
    complaint = _complaint(request, reference, complaint_id)
    if not complaint_services.may_record_complaint(complaint.case, request.user):
        raise PermissionDenied
    form = forms.AcknowledgementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals_to(form):
            complaint_services.acknowledge_complaint(complaint, request.user, **form.cleaned_data)
        if not form.errors:
            messages.success(request, "Acknowledgement recorded.")
            return redirect(_code_url(complaint.case))
    intro = f"Acknowledgement due by {complaint.acknowledge_due_on:%-d %B %Y}."
    return _page(request, complaint.case, form, "Acknowledge a complaint", "Save", intro)


@login_required
@require_http_methods(["GET", "POST"])
def complaint_respond(request, reference: str, complaint_id: int):
    complaint = _complaint(request, reference, complaint_id)
    if not complaint_services.may_respond_to_complaint(complaint.case, request.user):
        raise PermissionDenied
    form = forms.ResponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals_to(form):
            complaint_services.respond_to_complaint(complaint, request.user, **form.cleaned_data)
        if not form.errors:
            messages.success(request, "Response recorded.")
            return redirect(_code_url(complaint.case))
    intro = f"Response due by {complaint.respond_due_on:%-d %B %Y}."
    return _page(request, complaint.case, form, "Respond to a complaint", "Save the response", intro)
