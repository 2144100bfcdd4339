"""The restorative work's overview, preparation and the activity (plan, reschedule, confirm, cancel, took place)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from conferences import forms, selectors, services
from conferences.models import Activity
from conferences.views.common import case_view, editing, log_read, page
from govuk.refusals import refusals_to
from rjcases import services as case_services
from rjcases.models import Case

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
    planned = current is not None and current.status == Activity.Status.PLANNED
    interpreters, other_bookings = selectors.interpreter_needs(current) if planned else ([], [])
    return page(
        request,
        case,
        "activity.html",
        "Restorative activity",
        current=current,
        earlier=[a for a in activities if a is not current],
        schedule_problems=problems,
        interpreters=interpreters,
        other_bookings=other_bookings,
        can_book=planned and case.state in (Case.State.PREPARATION, Case.State.CONFERENCING),
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
