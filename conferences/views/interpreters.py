"""Interpreters booked for the planned activity: book one for a person invited, and confirm a booking. The case's
facilitators and managers only (403 for anyone else who sees the case; 404 outside what the user may see)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone

from conferences import forms, selectors, services
from conferences.models import InterpreterBooking
from conferences.views.common import case_view, editing, page
from govuk.refusals import refusals_to
from rjcases.needs import needs_interpreter


def _planned(case, pk: int):
    return get_object_or_404(case.activities.select_related("case").prefetch_related("invited"), pk=pk)


@case_view(selectors.FULL)
def interpreter_book(request, case, pk: int):
    editing(request, case)
    activity = _planned(case, pk)
    people = services.interpreter_participants(activity)
    needing = [p for p in people if needs_interpreter(p)]
    initial = {"party": needing[0].pk} if len(needing) == 1 else {}
    form = forms.InterpreterBookingForm(request.POST or None, people=people, initial=initial)
    if request.method == "POST" and form.is_valid():
        with refusals_to(form) as refusal:
            booking = services.book_interpreter(activity, request.user, **form.cleaned_data)
        if not refusal:
            messages.success(
                request,
                f"Interpreter ({booking.language}) booked for {booking.party.display_name}"
                + (" and confirmed." if booking.confirmed else ". Confirm the booking when the agency confirms it."),
            )
            return redirect("conferences:activity", case.reference)
    return page(
        request,
        case,
        "form.html",
        "Book an interpreter",
        form=form,
        back=reverse("conferences:activity", args=[case.reference]),
        button="Save the booking",
        needs_people=people,
    )


@case_view(selectors.FULL)
def interpreter_confirm(request, case, pk: int, booking_pk: int):
    editing(request, case)
    activity = _planned(case, pk)
    booking = get_object_or_404(
        InterpreterBooking.objects.select_related("party", "activity__case"), activity=activity, pk=booking_pk
    )
    form = forms.ConfirmBookingForm(
        request.POST or None,
        initial={
            "confirmed_on": timezone.localdate(),
            "registration_number": booking.registration_number,
            "cost_pence": booking.cost_pounds.removeprefix("£"),
        },
    )
    if request.method == "POST" and form.is_valid():
        with refusals_to(form) as refusal:
            services.confirm_interpreter_booking(booking, request.user, **form.cleaned_data)
        if not refusal:
            messages.success(request, f"Interpreter booking for {booking.party.display_name} confirmed.")
            return redirect("conferences:activity", case.reference)
    return page(
        request,
        case,
        "form.html",
        "Confirm the interpreter booking",
        form=form,
        back=reverse("conferences:activity", args=[case.reference]),
        button="Confirm the booking",
        intro=f"{booking.language} interpreter for {booking.party.display_name}: {booking.provider}.",
        needs_people=[booking.party],
    )
