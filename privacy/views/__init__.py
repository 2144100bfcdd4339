"""The managers' retention review queue, its decisions, and a case's non-crime hate incident record (people's requests:
``privacy.views.requests``). Thin: scope,
bind, call a service, redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from govuk.refusals import refusals_to
from privacy import selectors, services
from privacy.forms import NonCrimeDutiesForm, ReviewDecisionForm
from privacy.models import RetentionReview, RetentionRule
from rjcases.models import Case


def privacy_notice(request):
    """The privacy notice: public (it is for the people whose data the service holds), with the retention
    schedule as it stands."""
    return render(
        request,
        "pages/privacy_notice.html",
        {"page_title": "Privacy notice", "rules": list(RetentionRule.objects.order_by("kind"))},
    )


@login_required
def review_queue(request):
    if not selectors.may_review(request.user):
        raise PermissionDenied
    return render(
        request,
        "privacy/review_queue.html",
        {
            "page_title": "Retention reviews",
            "waiting": list(selectors.open_reviews(request.user)),
            "decided": selectors.decided_reviews(request.user),
        },
    )


@login_required
def decide(request, pk: int):
    if not selectors.may_review(request.user):
        raise PermissionDenied
    review = get_object_or_404(selectors.reviews_for(request.user), pk=pk)
    if not review.is_open:
        messages.info(request, services.ALREADY_DECIDED)
        return redirect("privacy:reviews")
    form = ReviewDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals_to(form) as refused:
            if data["decision"] == RetentionReview.Decision.KEEP:
                services.decide_keep(review, request.user, reason=data["reason"], next_review_on=data["next_review_on"])
                messages.success(request, f"{review.case.reference} kept until its next review.")
            else:
                services.decide_anonymise(review, request.user, reason=data["reason"])
                messages.success(request, f"{review.case.reference} was anonymised.")
        if not refused:
            return redirect("privacy:reviews")
    return render(
        request,
        "privacy/decide.html",
        {"page_title": f"Retention review of {review.case}", "review": review, "form": form},
    )


@login_required
def non_crime_record(request, reference: str):
    case = get_object_or_404(
        Case.objects.visible_to(request.user).select_related("incident__crime_type"), reference=reference
    )
    incident = case.incident_or_none
    if incident is None or incident.crime_type.is_crime:
        raise Http404
    if not services.may_record_non_crime_duties(case, request.user):
        raise PermissionDenied
    form = NonCrimeDutiesForm(request.POST or None, initial=NonCrimeDutiesForm.initial_for(incident))
    if request.method == "POST" and form.is_valid():
        with refusals_to(form) as refused:
            services.record_non_crime_duties(incident, request.user, **form.cleaned_values())
        if not refused:
            messages.success(request, "Non-crime hate incident record saved.")
            return redirect("rjcases:detail", case.reference)
    return render(
        request,
        "rjcases/form_page.html",
        {
            "page_title": "Non-crime hate incident record",
            "case": case,
            "form": form,
            "heading": "Non-crime hate incident record",
            "intro": "Record whether the recording threshold was met and why, whether the person recorded has been "
            "told, and when this record is next reviewed (Home Office code of practice).",
            "submit": "Save",
        },
    )
