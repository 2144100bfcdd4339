"""The people in a case: adding and editing them, their assessments and sign-off, their consents, and the
record that a person no longer takes part."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from govuk.refusals import refusals_to
from rjcases import forms, selectors, services
from rjcases.models import Party
from rjcases.permissions import can_edit_case_work, is_case_manager, may_record_for_party
from rjcases.views.common import detail_url, people_url, require


@login_required
@require_http_methods(["GET", "POST"])
def party_add(request, reference: str):
    case = selectors.get_case_for_user(request.user, reference)
    require(can_edit_case_work(case, request.user))
    form = forms.PartyForm(request.POST or None, case=case, instance=Party(case=case))
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        with refusals_to(form):
            party = services.add_party(
                case,
                request.user,
                role=form.cleaned_data["role"],
                first_name=fields.pop("first_name"),
                last_name=fields.pop("last_name"),
                **fields,
            )
        if not form.errors:
            messages.success(request, f"{party.display_name} added to the case.")
            return redirect(detail_url(case))
    return render(
        request,
        "rjcases/party_form.html",
        {
            "page_title": f"Add a person to case {case.reference}",
            "case": case,
            "form": form,
            "heading": "Add a person to the case",
            "submit": "Add the person",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def party_edit(request, reference: str, party_id: int):
    case = selectors.get_case_for_user(request.user, reference)
    party = selectors.get_party(case, party_id)
    require(can_edit_case_work(case, request.user))
    form = forms.PartyForm(request.POST or None, case=case, instance=party)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        fields["role"] = form.cleaned_data["role"]
        with refusals_to(form):
            services.update_party(party, request.user, **fields)
        if not form.errors:
            messages.success(request, f"{party.display_name}'s details saved.")
            return redirect(reverse("rjcases:party_detail", args=[case.reference, party.pk]))
    return render(
        request,
        "rjcases/party_form.html",
        {
            "page_title": f"Change details, case {case.reference}",
            "case": case,
            "form": form,
            "party": party,
            "heading": f"Change {party.display_name}'s details",
            "submit": "Save the changes",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assess(request, reference: str, party_id: int):
    case = selectors.get_case_for_user(request.user, reference)
    party = selectors.get_party(case, party_id)
    require(can_edit_case_work(case, request.user))
    form = forms.AssessmentForm(request.POST or None, party=party)
    if request.method == "POST" and form.is_valid():
        with refusals_to(form):
            assessment = services.record_assessment(party, request.user, **form.service_fields())
        if not form.errors:
            message = f"Assessment of {party.display_name} recorded."
            if assessment.risk_level == assessment.RiskLevel.HIGH:
                message += " The high risk needs a manager's sign-off."
            messages.success(request, message)
            return redirect(detail_url(case))
    return render(
        request,
        "rjcases/form_page.html",
        {
            "page_title": f"Assess {party.display_name}, case {case.reference}",
            "case": case,
            "form": form,
            "heading": f"Suitability and risk assessment: {party.display_name}",
            "caption": party.get_role_display(),
            "submit": "Save the assessment",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def sign_off(request, reference: str, assessment_id: int):
    case = selectors.get_case_for_user(request.user, reference)
    assessment = next((a for p in case.parties.all() for a in p.assessments.all() if a.pk == assessment_id), None)
    if assessment is None:
        raise Http404("No such assessment on this case.")
    require(is_case_manager(case, request.user))
    form = forms.SignOffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals_to(form):
            services.sign_off_assessment(assessment, request.user, note=form.cleaned_data["note"].strip())
        if not form.errors:
            messages.success(request, f"High risk signed off for {assessment.party.display_name}.")
            return redirect(detail_url(case))
    return render(
        request,
        "rjcases/sign_off.html",
        {
            "page_title": f"Sign off a high risk, case {case.reference}",
            "case": case,
            "form": form,
            "assessment": assessment,
            "party": assessment.party,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent_add(request, reference: str, party_id: int):
    case = selectors.get_case_for_user(request.user, reference)
    party = selectors.get_party(case, party_id)
    require(may_record_for_party(case, request.user, party))
    form = forms.ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals_to(form):
            recorded = services.record_consents(
                party,
                request.user,
                purposes=data["purposes"],
                given_on=data["given_on"],
                method=data["method"],
                wording_version=data["wording_version"].strip(),
                wording_shown=data["wording_shown"].strip(),
            )
        if not form.errors:
            purposes = "; ".join(consent.get_purpose_display().lower() for consent in recorded)
            messages.success(request, f"Consent recorded for {party.display_name}: {purposes}.")
            return redirect(detail_url(case))
    return render(
        request,
        "rjcases/form_page.html",
        {
            "page_title": f"Record consent, case {case.reference}",
            "case": case,
            "form": form,
            "heading": f"Record consent: {party.display_name}",
            "caption": party.get_role_display(),
            "intro": "Consent must be written, informed and freely given. It can be withdrawn at any time.",
            "submit": "Record consent",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent_withdraw(request, reference: str, consent_id: int):
    case = selectors.get_case_for_user(request.user, reference)
    consent = next((c for p in case.parties.all() for c in p.consents.all() if c.pk == consent_id), None)
    if consent is None:
        raise Http404("No such consent on this case.")
    require(may_record_for_party(case, request.user, consent.party))
    if consent.withdrawn_on:
        messages.error(request, "This consent was already withdrawn.")
        return redirect(detail_url(case))
    form = forms.ConsentWithdrawalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals_to(form):
            services.withdraw_consent(
                consent,
                request.user,
                withdrawn_on=form.cleaned_data["withdrawn_on"],
                reason=form.cleaned_data["reason"],
            )
        if not form.errors:
            messages.success(
                request,
                f"Withdrawal of consent recorded for {consent.party.display_name}. "
                "If this ends their part in the process, record the case's withdrawal too.",
            )
            return redirect(detail_url(case))
    return render(
        request,
        "rjcases/form_page.html",
        {
            "page_title": f"Withdraw consent, case {case.reference}",
            "case": case,
            "form": form,
            "heading": f"Record a withdrawal of consent: {consent.party.display_name}",
            "caption": consent.get_purpose_display(),
            "intro": "The consent stays on the record with the date and reason of its withdrawal.",
            "submit": "Record the withdrawal",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def no_longer_taking_part(request, reference: str, party_id: int):
    """Record that a person no longer takes part (where the process can go on without them)."""
    case = selectors.get_case_for_user(request.user, reference)
    party = selectors.get_party(case, party_id)
    require(can_edit_case_work(case, request.user))
    form = forms.NoLongerTakingPartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals_to(form, field="reason"):
            services.record_no_longer_taking_part(party, request.user, form.cleaned_data["reason"])
        if not form.errors:
            messages.success(request, f"Recorded: {party.display_name} no longer takes part.")
            return redirect(people_url(case, "people"))
    return render(
        request,
        "rjcases/no_longer_taking_part.html",
        {
            "page_title": f"No longer taking part, case {case.reference}",
            "case": case,
            "form": form,
            "party": party,
            "problem": services.stop_taking_part_problem(party),
            "notice": services.consent_withdrawal_notice(party),
            "heading": f"Record that {party.display_name} no longer takes part",
            "caption": party.get_role_display(),
            "submit": "Record it",
        },
    )
