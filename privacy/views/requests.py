"""People's data protection requests: the managers' list, opening one, its page (matches, passages, export,
extension, completion, erasure). Managers only: every page answers 404 to anyone else. Thin: scope, bind, call a
service, redirect."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from govuk.refusals import refusals_to
from privacy.forms import CompleteRequestForm, EraseRecordForm, ExtendRequestForm, SubjectRequestForm
from privacy.models import Anonymisation, SubjectRequest, SubjectRequestMatch
from privacy.selectors.export import build_export, render_export_pdf
from privacy.selectors.requests import may_handle_requests, request_partnerships, requests_for
from privacy.services import anonymise_person
from privacy.services import requests as services
from rjcases.services import log_read


def _manager_only(user) -> None:
    if not may_handle_requests(user):
        raise Http404


def _request_for(user, pk: int) -> SubjectRequest:
    _manager_only(user)
    return get_object_or_404(requests_for(user), pk=pk)


@login_required
def request_list(request):
    _manager_only(request.user)
    return render(
        request,
        "privacy/requests.html",
        {"page_title": "Data protection requests", "requests": list(requests_for(request.user).order_by("-id")[:200])},
    )


@login_required
def request_new(request):
    _manager_only(request.user)
    form = SubjectRequestForm(request.POST or None, partnerships=request_partnerships(request.user))
    if request.method == "POST" and form.is_valid():
        with refusals_to(form) as refused:
            made = services.open_request(request.user, **form.cleaned_data)
        if not refused:
            messages.success(request, f"Request opened: due {made.due_on:%d %B %Y}.")
            return redirect("privacy:request", made.pk)
    return render(request, "privacy/request_form.html", {"page_title": "Open a data protection request", "form": form})


@login_required
def request_detail(request, pk: int):
    subject = _request_for(request.user, pk)
    parties = services.confirmed_parties(subject)
    flagged = build_export(subject, parties, request.user)[1] if parties else []
    context = {
        "page_title": str(subject),
        "subject": subject,
        "matches": list(subject.matches.select_related("party__case", "decided_by").order_by("id")),
        "confirmed": parties,
        "flagged": flagged,
        "approved": set(subject.approved_passages.values_list("source", flat=True)),
        "erased": set(
            Anonymisation.objects.filter(request=subject, scope=Anonymisation.Scope.PERSON).values_list(
                "party_id", flat=True
            )
        ),
        "complete_form": CompleteRequestForm(),
        "erase_form": EraseRecordForm(),
    }
    return render(request, "privacy/request_detail.html", context)


@login_required
@require_POST
def match_decide(request, pk: int, match_pk: int):
    subject = _request_for(request.user, pk)
    match = get_object_or_404(SubjectRequestMatch, pk=match_pk, request=subject)
    with refusals_to(request=request):
        services.decide_match(match, request.user, confirmed=request.POST.get("confirmed") == "yes")
    return redirect("privacy:request", subject.pk)


@login_required
@require_POST
def find_again(request, pk: int):
    subject = _request_for(request.user, pk)
    with refusals_to(request=request) as refused:
        made = services.propose_matches(subject, request.user)
    if not refused:
        messages.info(request, f"{len(made)} more record{'s' * (len(made) != 1)} proposed.")
    return redirect("privacy:request", subject.pk)


@login_required
@require_POST
def approve_passage(request, pk: int):
    subject = _request_for(request.user, pk)
    with refusals_to(request=request):
        services.approve_passage(subject, request.user, source=request.POST.get("source", "")[:80])
    return redirect("privacy:request", subject.pk)


@login_required
def extend(request, pk: int):
    subject = _request_for(request.user, pk)
    form = ExtendRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals_to(form) as refused:
            services.extend_request(subject, request.user, **form.cleaned_data)
        if not refused:
            messages.success(request, "Due date extended.")
            return redirect("privacy:request", subject.pk)
    return render(
        request, "privacy/request_form.html", {"page_title": "Extend the due date", "form": form, "subject": subject}
    )


@login_required
@require_POST
def complete(request, pk: int):
    subject = _request_for(request.user, pk)
    form = CompleteRequestForm(request.POST)
    if form.is_valid():
        with refusals_to(form) as refused:
            services.complete_request(subject, request.user, outcome=form.cleaned_data["outcome"])
        if not refused:
            messages.success(request, "Request completed.")
            return redirect("privacy:request", subject.pk)
    for error in form.errors.get("outcome", []) + form.non_field_errors():
        messages.error(request, error)
    return redirect("privacy:request", subject.pk)


@login_required
@require_POST
def erase(request, pk: int, match_pk: int):
    subject = _request_for(request.user, pk)
    match = get_object_or_404(SubjectRequestMatch, pk=match_pk, request=subject)
    form = EraseRecordForm(request.POST)
    if form.is_valid():
        with refusals_to(form) as refused:
            anonymise_person(
                subject, match.party, request.user, reason_nothing_requires_keeping=form.cleaned_data["reason"]
            )
        if not refused:
            messages.success(request, "The record was erased.")
            return redirect("privacy:request", subject.pk)
    for error in [*form.errors.get("reason", []), *form.non_field_errors()]:
        messages.error(request, error)
    return redirect("privacy:request", subject.pk)


def _export(request, pk: int):
    subject = _request_for(request.user, pk)
    parties = services.confirmed_parties(subject)
    if not parties:
        raise Http404
    data, _ = build_export(subject, parties, request.user)
    for party in parties:
        log_read(request.user, party.case, "party", str(party.pk), request.path)
    services.record_export(subject, request.user)
    return subject, data


@login_required
def export_json(request, pk: int):
    subject, data = _export(request, pk)
    response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="subject-access-{subject.pk}.json"'
    return response


@login_required
def export_pdf(request, pk: int):
    subject, data = _export(request, pk)
    pdf = render_export_pdf(data, service_name=settings.SERVICE_NAME)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="subject-access-{subject.pk}.pdf"'
    return response
