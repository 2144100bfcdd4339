"""Pages for the restorative work on a case. Each starts from a case the user may see (404 outside it),
checks how much of the work they may see (403 beyond it), binds a form, calls a service and turns
its refusal into a clear message."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from conferences import forms, selectors, services
from conferences.models import Activity, AgreementAction, WellbeingMeasure
from govuk.refusals import refusals_to
from rjcases import services as case_services
from rjcases.models import Case, Party, ReadAccess
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


# ---------------------------------------------------------------------------------------------------
# Overview


@case_view()
def overview(request, case):
    work = selectors.case_work(case, request.user)
    if work.level != selectors.OUTCOME:
        log_read(request, case)
    return page(request, case, "overview.html", "Restorative work", work=work)


# ---------------------------------------------------------------------------------------------------
# Preparation


@case_view(selectors.FULL)
def preparation(request, case):
    log_read(request, case)
    contacts = case.preparation_contacts.select_related("party", "by").order_by("-held_on", "-id")
    return page(
        request,
        case,
        "preparation.html",
        "Preparation",
        contacts=contacts,
        open_for_contacts=case.state in (Case.State.PREPARATION, Case.State.CONFERENCING),
    )


@case_view(selectors.FULL)
def preparation_add(request, case):
    editing(request, case)
    form = forms.PreparationContactForm(request.POST or None, case=case, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals_to(form) as refusal:
            services.add_preparation_contact(case, request.user, **data)
        if not refusal:
            messages.success(request, f"Preparation contact with {data['party'].display_name} recorded.")
            return redirect("conferences:preparation", case.reference)
    return page(
        request,
        case,
        "form.html",
        "Record a preparation contact",
        form=form,
        back=reverse("conferences:preparation", args=[case.reference]),
        button="Save the contact",
        safe_contact_people=list(case.parties.all()),
    )


# ---------------------------------------------------------------------------------------------------
# The activity


@case_view(selectors.FULL)
def activity(request, case):
    log_read(request, case)
    activities = selectors.activities_for_page(case)
    current = selectors.current_of(activities)
    problems = case_services.guard_problems(case, "schedule_activity") if case.state == Case.State.PREPARATION else []
    return page(
        request,
        case,
        "activity.html",
        "Restorative activity",
        current=current,
        earlier=[a for a in activities if a is not current],
        schedule_problems=problems,
        note_form=forms.NoteForm(),
        can_plan=case.state == Case.State.PREPARATION
        and (current is None or current.status != Activity.Status.PLANNED),
        can_confirm=case.state == Case.State.PREPARATION
        and current is not None
        and current.status == Activity.Status.PLANNED,
        can_reschedule=case.state in (Case.State.PREPARATION, Case.State.CONFERENCING)
        and current is not None
        and current.status == Activity.Status.PLANNED,
        can_record=case.state == Case.State.CONFERENCING
        and current is not None
        and current.status == Activity.Status.PLANNED,
        can_cancel=case.state == Case.State.CONFERENCING
        and current is not None
        and current.status == Activity.Status.PLANNED,
    )


@case_view(selectors.FULL)
def activity_plan(request, case):
    editing(request, case)
    initial = {
        "lead_facilitator": case.facilitator_id,
        "co_facilitator": case.co_facilitator_id,
        "duration_minutes": 90,
        "invited": [p.pk for p in case.parties.filter(participating=True)],
    }
    form = forms.ActivityPlanForm(request.POST or None, case=case, initial=initial)
    if request.method == "POST" and form.is_valid():
        with refusals_to(form) as refusal:
            services.plan_activity(case, request.user, **form.plan())
        if not refusal:
            messages.success(request, "Activity planned. Confirm it when the participants have agreed the date.")
            return redirect("conferences:activity", case.reference)
    return page(
        request,
        case,
        "form.html",
        "Plan the restorative activity",
        form=form,
        back=reverse("conferences:activity", args=[case.reference]),
        button="Save the plan",
    )


@case_view(selectors.FULL)
def activity_reschedule(request, case, pk: int):
    editing(request, case)
    planned = get_object_or_404(case.activities.prefetch_related("invited"), pk=pk)
    form = forms.RescheduleForm(request.POST or None, case=case, initial=forms.ActivityPlanForm.initial_from(planned))
    if request.method == "POST" and form.is_valid():
        with refusals_to(form) as refusal:
            services.reschedule_activity(planned, request.user, reason=form.cleaned_data["reason"], **form.plan())
        if not refusal:
            messages.success(request, "Activity rescheduled. The earlier plan stays on the record.")
            return redirect("conferences:activity", case.reference)
    return page(
        request,
        case,
        "form.html",
        "Reschedule the activity",
        form=form,
        back=reverse("conferences:activity", args=[case.reference]),
        button="Save the new plan",
    )


@require_POST
@case_view(selectors.FULL)
def activity_confirm(request, case):
    editing(request, case)
    form = forms.NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    with refusals_to(request=request) as refusal:
        case_services.case_schedule_activity(case, request.user, note=note)
    if not refusal:
        messages.success(request, "Activity confirmed. The case is now in conferencing.")
    return redirect("conferences:activity", case.reference)


@case_view(selectors.FULL)
def activity_cancel(request, case):
    editing(request, case)
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals_to(form) as refusal:
            case_services.case_cancel_activity(case, request.user, reason=form.cleaned_data["reason"])
        if not refusal:
            messages.success(request, "Activity cancelled. The case is back in preparation.")
            return redirect("conferences:activity", case.reference)
    return page(
        request,
        case,
        "form.html",
        "Cancel the activity",
        form=form,
        back=reverse("conferences:activity", args=[case.reference]),
        button="Cancel the activity",
        warning="The case goes back to preparation. The cancelled plan stays on the record.",
    )


@case_view(selectors.FULL)
def activity_took_place(request, case, pk: int):
    editing(request, case)
    held = get_object_or_404(case.activities.prefetch_related("invited"), pk=pk)
    form = forms.TookPlaceForm(
        request.POST or None,
        case=case,
        initial={"took_place_on": timezone.localdate(), "attended": [p.pk for p in held.invited.all()]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals_to(form) as refusal:
            services.record_activity_took_place(
                held,
                request.user,
                took_place_on=data["took_place_on"],
                attended=list(data["attended"]),
                summary=data["summary"],
                agreement_reached=forms.yes_no(data["agreement_reached"]),
                others_attended=data["others_attended"],
            )
        if not refusal:
            if data["agreement_reached"] == "yes":
                messages.success(request, "Recorded. Now record the agreement and its actions.")
                return redirect("conferences:agreement", case.reference)
            messages.success(request, "Recorded. Close the case without an agreement when ready.")
            return redirect("conferences:closure", case.reference)
    return page(
        request,
        case,
        "form.html",
        "Record that the activity took place",
        form=form,
        back=reverse("conferences:activity", args=[case.reference]),
        button="Save",
        intro=f"{held.get_kind_display()}, planned for {timezone.localtime(held.scheduled_for):%-d %B %Y at %H:%M}."
        if held.scheduled_for
        else "",
    )


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
