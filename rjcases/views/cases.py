"""The dashboard, the case list, referral, what hangs off the case page (timeline, people's pages, allocation,
contacts), the moves, and the read access log. The case page's sections are ``sections``; the notes' pages
``notes``; the referral's question pages ``referral``."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts import roles
from accounts import services as account_services
from govuk.pagination import CappedPaginator
from govuk.refusals import refusals_to
from rjcases import forms, selectors, services
from rjcases.models import ReadAccess
from rjcases.permissions import (
    can_edit_case_work,
    can_see_details,
    is_case_manager,
    may_record_for_party,
    may_see_party_details,
    withdrawn_by_allowed,
)
from rjcases.views.common import detail_url, people_url, require

CASES_PER_PAGE = 25
LOG_ROWS_PER_PAGE = 50


# ---------------------------------------------------------------------------------------------------
# Dashboard and list


DASHBOARD_SINCE = "dashboard_since"


def dashboard_visit_since(request):
    """When this person opened their dashboard before this session (None: never). Read once a session, so the
    cases new to them stay listed while they work, and are gone at their next sign-in."""
    if DASHBOARD_SINCE not in request.session:
        before = account_services.mark_dashboard_seen(request.user)
        request.session[DASHBOARD_SINCE] = before.isoformat() if before else ""
    stored = request.session[DASHBOARD_SINCE]
    return datetime.fromisoformat(stored) if stored else None


@login_required
def dashboard(request):
    """The page after sign-in: what needs this user's attention, by role."""
    context = {
        "page_title": "Dashboard",
        "role": roles.primary_role(request.user),
        **selectors.dashboard(request.user, since=dashboard_visit_since(request)),
    }
    return render(request, "rjcases/dashboard.html", context)


@login_required
def case_list(request):
    detailed = selectors.sees_details_in_lists(request.user)
    form = forms.CaseFilterForm(request.GET or None, detailed=detailed, user=request.user)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    cases = selectors.filter_cases(request.user, filters)
    page = CappedPaginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page_title": "Cases",
        "form": form,
        "page": page,
        "detailed": detailed,
        "query_string": query.urlencode(),
        "filtered": bool(filters and any(filters.values())),
    }
    return render(request, "rjcases/case_list.html", context)


# ---------------------------------------------------------------------------------------------------
# Referral


@login_required
def refer_choose_route(request):
    routes = services.routes_for(request.user)
    require(bool(routes))
    if len(routes) == 1:
        # Nothing to choose: straight to the one route's first page (its pages' back link then skips this one).
        return redirect("rjcases:refer_route", route_code=routes[0].code)
    items = [{"route": route, "description": forms.ROUTE_DESCRIPTIONS.get(route.code, "")} for route in routes]
    return render(request, "rjcases/refer_routes.html", {"page_title": "Make a referral", "routes": items})


# ---------------------------------------------------------------------------------------------------
# The case page and what hangs off it


@login_required
def timeline(request, reference: str):
    case = selectors.get_case_for_user(request.user, reference, detailed=False)
    services.log_read(request.user, case, ReadAccess.What.TIMELINE, case.pk, request.path)
    form = forms.TimelineFilterForm(request.GET or None)
    detailed = can_see_details(case, request.user)
    entries = selectors.timeline(case, request.user, form.kinds(), newest_first=form.newest_first())
    context = {
        "page_title": f"Timeline of case {case.reference}",
        "case": case,
        "entries": entries,
        "form": form,
        "detailed": detailed,
    }
    return render(request, "rjcases/timeline.html", context)


@login_required
def party_detail(request, reference: str, party_id: int):
    case = selectors.get_case_for_user(request.user, reference)
    party = selectors.get_party(case, party_id)
    # A caseworker opens their own client's page only: another person on the case is not theirs to see.
    require(may_see_party_details(case, request.user, party))
    services.log_read(request.user, case, ReadAccess.What.PARTY, party.pk, request.path)
    context = {
        "page_title": f"{party.display_name}, case {case.reference}",
        "case": case,
        "party": party,
        "can_edit": can_edit_case_work(case, request.user),
        "can_consent": may_record_for_party(case, request.user, party),
        "is_manager": is_case_manager(case, request.user),
    }
    return render(request, "rjcases/party_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def allocate(request, reference: str):
    case = selectors.get_case_for_user(request.user, reference, detailed=False)
    require(is_case_manager(case, request.user))
    initial = {"facilitator": case.facilitator_id, "co_facilitator": case.co_facilitator_id}
    form = forms.AllocationForm(request.POST or None, initial=initial, case=case)
    if request.method == "POST" and form.is_valid():
        with refusals_to(form):
            case = services.allocate(
                case,
                request.user,
                facilitator=form.cleaned_data["facilitator"],
                co_facilitator=form.cleaned_data["co_facilitator"],
            )
        if not form.errors:
            messages.success(request, f"Case {case.reference} allocated to {case.facilitator.get_full_name()}.")
            return redirect(detail_url(case))
    return render(
        request,
        "rjcases/form_page.html",
        {
            "page_title": f"Allocate case {case.reference}",
            "case": case,
            "form": form,
            "heading": "Allocate the case",
            "submit": "Allocate",
        },
    )


@login_required
@require_POST
def duplicate_reviewed(request, reference: str):
    case = selectors.get_case_for_user(request.user, reference, detailed=False)
    require(is_case_manager(case, request.user))
    form = forms.DuplicateReviewForm(request.POST)
    if form.is_valid():
        services.mark_duplicate_reviewed(case, request.user, note=form.cleaned_data["note"])
        messages.success(request, "Marked as reviewed: the possible duplicate flag is cleared.")
    else:
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
    return redirect(detail_url(case))


@login_required
@require_http_methods(["GET", "POST"])
def contact_add(request, reference: str):
    case = selectors.get_case_for_user(request.user, reference)
    require(can_edit_case_work(case, request.user))
    form = forms.ContactForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals_to(form):
            services.record_contact(
                case,
                request.user,
                party=data["party"],
                at=data["when"],
                method=data["method"],
                result=data["result"],
                rj_information_given=data["rj_information_given"],
                notes=data["notes"].strip(),
                time_known=data["time_known"],
                outside_safe_times_reason=data["outside_safe_times_reason"],
            )
        if not form.errors:
            messages.success(request, "Contact attempt logged.")
            return redirect(people_url(case, "contacts"))
    return render(
        request,
        "rjcases/contact_form.html",
        {
            "page_title": f"Log a contact attempt, case {case.reference}",
            "case": case,
            "form": form,
            "heading": "Log a contact attempt",
            "submit": "Log the contact",
            "people": list(case.parties.all()),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def transition(request, reference: str, name: str):
    """Take one transition: the page shows what it needs; the service decides."""
    if name not in services.TRANSITIONS:
        raise Http404("No such transition.")
    case = selectors.get_case_for_user(request.user, reference)
    spec = services.TRANSITIONS[name]
    # The state the user saw when they opened the form: if the case has moved since, say so first.
    seen_state = request.POST.get("seen_state") if request.method == "POST" else None
    if seen_state is not None and seen_state != case.state:
        messages.error(request, services.CHANGED_BY_SOMEONE_ELSE)
        return redirect(detail_url(case))
    method = getattr(case, name)
    possible_now = method._django_fsm.has_transition(case.state)
    if possible_now and not services.may_take(case, request.user, name):
        raise PermissionDenied("This is not yours to do on this case.")
    if not possible_now:
        messages.error(request, f"A case in {case.get_state_display().lower()} cannot be moved with '{spec.label}'.")
        return redirect(detail_url(case))
    form = forms.TransitionForm(
        request.POST or None,
        spec=spec,
        initial={"seen_state": case.state},
        withdrawn_by=withdrawn_by_allowed(case, request.user),
    )
    problems = services.guard_problems(case, name)
    if request.method == "POST" and form.is_valid():
        # A missing or wrong input goes on its field; any other refusal is a message on the case page.
        with refusals_to(form, request=request) as refusal:
            case = services.take_transition(case, request.user, name, **form.inputs())
        if not refusal:
            messages.success(request, f"{spec.done}. The case is now in {case.get_state_display().lower()}.")
        if not form.errors:
            return redirect(detail_url(case))
    return render(
        request,
        "rjcases/transition.html",
        {
            "page_title": f"{spec.label}, case {case.reference}",
            "case": case,
            "form": form,
            "spec": spec,
            "problems": problems,
        },
    )


# ---------------------------------------------------------------------------------------------------
# The read access log


@login_required
def access_log(request):
    require(roles.is_manager(request.user))
    form = forms.AccessLogFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    page = CappedPaginator(selectors.access_log(filters, request.user), LOG_ROWS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "rjcases/access_log.html",
        {"page_title": "Read access log", "form": form, "page": page, "query_string": query.urlencode()},
    )
