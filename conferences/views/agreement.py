"""The outcome agreement and its actions, monitoring and follow-up, closure, and feedback and wellbeing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from conferences import forms, selectors, services
from conferences.models import Activity, AgreementAction, WellbeingMeasure
from conferences.views.common import case_view, editing, log_read, page
from govuk.refusals import refusals_to
from rjcases import services as case_services
from rjcases.models import Case, Party

# ---------------------------------------------------------------------------------------------------
# The agreement


@case_view(selectors.FULL, selectors.CASEWORKER)
def agreement(request, case):
    log_read(request, case)
    current = selectors.agreement_for_page(case, request.user)
    activity_now = case.current_activity
    drafting = (
        request.access_level == selectors.FULL
        and case.state == Case.State.CONFERENCING
        and activity_now is not None
        and activity_now.status == Activity.Status.TOOK_PLACE
        and activity_now.agreement_reached is not False
    )
    if current is not None and drafting and current.activity_id != activity_now.pk:
        current = None
    problems = case_services.guard_problems(case, "record_agreement") if drafting else []
    return page(
        request,
        case,
        "agreement.html",
        "Outcome agreement",
        agreement=current,
        drafting=drafting,
        record_problems=problems,
        note_form=forms.NoteForm(),
    )


@case_view(selectors.FULL)
def agreement_edit(request, case):
    editing(request, case)
    current = case.current_agreement
    initial = {
        "signed_on": timezone.localdate(),
        "signatories": [p.pk for p in case.parties.filter(participating=True)],
    }
    if current is not None:
        initial = {
            "signed_on": current.signed_on,
            "signatories": [p.pk for p in current.signatories.all()],
            "notes": current.notes,
        }
    form = forms.AgreementForm(request.POST or None, case=case, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals_to(form) as refusal:
            services.save_agreement(
                case,
                request.user,
                signed_on=data["signed_on"],
                signatories=list(data["signatories"]),
                notes=data["notes"],
            )
        if not refusal:
            messages.success(request, "Agreement saved. Add its actions.")
            return redirect("conferences:agreement", case.reference)
    return page(
        request,
        case,
        "form.html",
        "Who signed the agreement",
        form=form,
        back=reverse("conferences:agreement", args=[case.reference]),
        button="Save",
    )


@case_view(selectors.FULL)
def action_add(request, case):
    editing(request, case)
    form = forms.ActionForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals_to(form) as refusal:
            services.add_action(case, request.user, **data)
        if not refusal:
            messages.success(request, f"Action added: {data['what']}")
            if "add_another" in request.POST:
                return redirect("conferences:action_add", case.reference)
            return redirect("conferences:agreement", case.reference)
    return page(
        request,
        case,
        "form.html",
        "Add an action to the agreement",
        form=form,
        back=reverse("conferences:agreement", args=[case.reference]),
        button="Save the action",
        second_button=("add_another", "Save and add another"),
    )


@require_POST
@case_view(selectors.FULL)
def action_remove(request, case, pk: int):
    editing(request, case)
    action = get_object_or_404(AgreementAction.objects.select_related("agreement__case"), pk=pk, agreement__case=case)
    with refusals_to(request=request) as refusal:
        services.remove_action(action, request.user)
    if not refusal:
        messages.success(request, f"Action removed: {action.what}")
    return redirect("conferences:agreement", case.reference)


@require_POST
@case_view(selectors.FULL)
def agreement_confirm(request, case):
    editing(request, case)
    form = forms.NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    with refusals_to(request=request) as refusal:
        case_services.case_record_agreement(case, request.user, note=note)
    if refusal:
        return redirect("conferences:agreement", case.reference)
    messages.success(request, "Agreement recorded. Monitoring has started.")
    return redirect("conferences:monitoring", case.reference)


# ---------------------------------------------------------------------------------------------------
# Monitoring


@case_view(selectors.FULL)
def monitoring(request, case):
    log_read(request, case)
    current = selectors.agreement_for_page(case)
    return page(
        request,
        case,
        "monitoring.html",
        "Monitoring",
        agreement=current,
        follow_ups=selectors.follow_ups_for_page(case),
        today=timezone.localdate(),
        monitoring_open=case.state == Case.State.AGREEMENT,
    )


@case_view(selectors.FULL)
def follow_up_add(request, case):
    editing(request, case)
    form = forms.FollowUpForm(request.POST or None, case=case, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals_to(form) as refusal:
            services.record_follow_up(
                case,
                request.user,
                party=data["party"],
                at=form.at(),
                time_known=form.time_known(),
                method=data["method"],
                notes=data["notes"],
                outside_safe_times_reason=data["outside_safe_times_reason"],
            )
        if not refusal:
            messages.success(request, "Follow-up contact recorded.")
            return redirect("conferences:monitoring", case.reference)
    return page(
        request,
        case,
        "form.html",
        "Record a follow-up contact",
        form=form,
        back=reverse("conferences:monitoring", args=[case.reference]),
        button="Save",
        safe_contact_people=list(case.parties.all()),
    )


def _action_of(case: Case, pk: int) -> AgreementAction:
    return get_object_or_404(
        AgreementAction.objects.select_related("agreement__case", "responsible_party"), pk=pk, agreement__case=case
    )


@case_view(selectors.FULL)
def action_done(request, case, pk: int):
    editing(request, case)
    action = _action_of(case, pk)
    form = forms.ActionDoneForm(request.POST or None, initial={"resolved_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        with refusals_to(form) as refusal:
            services.mark_action_done(action, request.user, **form.cleaned_data)
        if not refusal:
            messages.success(request, f"Marked done: {action.what}. Telling the person harmed is recorded.")
            return redirect("conferences:monitoring", case.reference)
    return page(
        request,
        case,
        "form.html",
        "Mark an action done",
        form=form,
        intro=f"Action: {action.what}",
        back=reverse("conferences:monitoring", args=[case.reference]),
        button="Mark done",
    )


@case_view(selectors.FULL)
def action_missed(request, case, pk: int):
    editing(request, case)
    action = _action_of(case, pk)
    form = forms.ActionMissedForm(request.POST or None, initial={"resolved_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        with refusals_to(form) as refusal:
            services.mark_action_missed(action, request.user, **form.cleaned_data)
        if not refusal:
            messages.success(request, f"Marked missed: {action.what}")
            return redirect("conferences:monitoring", case.reference)
    return page(
        request,
        case,
        "form.html",
        "Mark an action missed",
        form=form,
        intro=f"Action: {action.what}",
        back=reverse("conferences:monitoring", args=[case.reference]),
        button="Mark missed",
    )


# ---------------------------------------------------------------------------------------------------
# Closure


@case_view(selectors.FULL)
def closure(request, case):
    if request.method == "POST":
        editing(request, case)
    mode = {Case.State.CONFERENCING: "conclude", Case.State.AGREEMENT: "complete"}.get(case.state)
    form_class = {"conclude": forms.ConcludeForm, "complete": forms.CompleteForm}.get(mode)
    form = form_class(request.POST or None) if form_class else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            with refusals_to(form) as refusal:
                if mode == "conclude":
                    case_services.case_conclude(case, request.user, outcome=data["outcome"], summary=data["summary"])
                else:
                    case_services.case_complete(case, request.user, summary=data["summary"])
            if not refusal:
                case.refresh_from_db()
                messages.success(request, f"Case closed: {case.get_outcome_display().lower()}.")
                return redirect("conferences:feedback", case.reference)
    problems = case_services.guard_problems(case, mode) if mode else []
    derived = None
    current = None
    if mode == "complete":
        current = selectors.agreement_for_page(case)
        if current is not None and not problems:
            derived = Case.Outcome(case_services.completion_outcome(case)).label
    return page(
        request,
        case,
        "closure.html",
        "Outcome and closure",
        form=form,
        mode=mode,
        problems=problems,
        derived=derived,
        agreement=current,
    )


# ---------------------------------------------------------------------------------------------------
# Feedback and wellbeing


@case_view(selectors.FULL, selectors.CASEWORKER)
def feedback(request, case):
    log_read(request, case)
    people, given, wellbeing = selectors.feedback_for_page(case, request.user)
    rows = [
        {
            "party": p,
            "feedback": given.get(p.pk),
            "before": wellbeing.get((p.pk, WellbeingMeasure.Stage.BEFORE)),
            "after": wellbeing.get((p.pk, WellbeingMeasure.Stage.AFTER)),
        }
        for p in people
    ]
    before_open = case.state in (Case.State.ASSESSMENT, Case.State.PREPARATION, Case.State.CONFERENCING)
    return page(
        request,
        case,
        "feedback.html",
        "Participants' feedback",
        rows=rows,
        closed=case.is_closed,
        before_open=before_open,
        questions=services.WELLBEING_QUESTIONS,
    )


def _participant(request, case: Case, party_pk: int) -> Party:
    """A person whose feedback and wellbeing this user records: 404 if no such person on the case, 403 if they
    are someone else's (a caseworker records their own client's only)."""
    people, _given, _wellbeing = selectors.feedback_for_page(case, request.user)
    for person in people:
        if person.pk == party_pk:
            return person
    if case.parties.filter(pk=party_pk).exists():
        raise PermissionDenied
    raise Http404


@case_view(selectors.FULL, selectors.CASEWORKER)
def feedback_record(request, case, party_pk: int):
    party = _participant(request, case, party_pk)
    form = forms.FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals_to(form) as refusal:
            services.record_feedback(case, request.user, party=party, **form.answers())
        if not refusal:
            messages.success(request, f"Feedback from {party.display_name} recorded.")
            return redirect("conferences:feedback", case.reference)
    return page(
        request,
        case,
        "form.html",
        f"Feedback from {party.display_name}",
        form=form,
        button="Save the feedback",
        back=reverse("conferences:feedback", args=[case.reference]),
    )


@case_view(selectors.FULL, selectors.CASEWORKER)
def wellbeing_record(request, case, party_pk: int, stage: str):
    if stage not in WellbeingMeasure.Stage.values:
        raise Http404
    party = _participant(request, case, party_pk)
    form = forms.WellbeingForm(request.POST or None, version=services.CURRENT_WELLBEING_VERSION)
    if request.method == "POST" and form.is_valid():
        with refusals_to(form) as refusal:
            services.record_wellbeing(case, request.user, party=party, stage=stage, answers=form.answers())
        if not refusal:
            messages.success(request, f"Wellbeing measure for {party.display_name} recorded.")
            return redirect("conferences:feedback", case.reference)
    label = WellbeingMeasure.Stage(stage).label.lower()
    return page(
        request,
        case,
        "form.html",
        f"Wellbeing of {party.display_name}, {label}",
        form=form,
        back=reverse("conferences:feedback", args=[case.reference]),
        button="Save the answers",
        intro="Read each statement to them as written, and record how much they agree (1 to 5).",
    )
