"""The case page, in sections: the summary (status, what to do next and what is missing, key dates, the incident,
the Victims' Code), the people (with the contact log and the notes), the restorative work (assessments and consents,
then preparation, the activity, the agreement and follow-up) and the letters. The timeline is ``cases.timeline``.

Every section loads its case with ``selectors.get_case_for_user`` (404 outside the user's scope, the same rule as
every case page), writes one row of the read access log per GET, and shows the case's header with the sections'
sub-navigation (``rjcases/includes/case_header.html``). The people, the work and the letters are for those who may
see the case's details (``can_see_details``); a referrer, who sees status, dates and outcome only, is refused them
(403) and their sub-navigation does not offer them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from rjcases import forms, selectors, services
from rjcases.models import Case, Party, ReadAccess
from rjcases.permissions import can_edit_case_work, can_see_details, is_case_manager, sees_whole_case
from rjcases.services.partnerships import may_move
from rjcases.views.common import may_record_consent, require


def _open(
    request, reference: str, *, detailed_only: bool, people: bool = True, summary: bool = False
) -> tuple[Case, bool]:
    """The case (404 outside the user's scope) and whether they see its details; one read access row. ``people``
    loads the case's people with their assessments and consents (the summary's guards read them too); ``summary``
    the incident's strands, the possible duplicates and whether there is a complaint in the case's own query, and
    holds the case's current activity and agreement for its guards (``selectors.get_case_for_user``)."""
    case = selectors.get_case_for_user(request.user, reference, detailed=people, summary=summary)
    detailed = can_see_details(case, request.user)
    if detailed_only:
        require(detailed)
    services.log_read(request.user, case, ReadAccess.What.CASE, case.pk, request.path)
    return case, detailed


def _render(request, case: Case, section: str, title: str, context: dict):
    context.update({"page_title": f"{title}, case {case.reference}", "case": case, "section": section})
    return render(request, f"rjcases/case_{section}.html", context)


@login_required
def case_detail(request, reference: str):
    """The summary: what the case is, where it stands and what to do next."""
    case, detailed = _open(request, reference, detailed_only=False, summary=True)
    context = {
        "detailed": detailed,
        "transitions": services.available_transitions(case, request.user),
        "overdue": selectors.overdue_clocks(case),
    }
    if detailed:
        is_manager = is_case_manager(case, request.user)
        whole = sees_whole_case(case, request.user)
        context.update(
            {
                "whole_case": whole,
                "incident": case.incident_or_none if whole else None,
                "strands": selectors.strand_names(case),
                "duplicates": selectors.duplicate_references(case) if whole and not case.duplicate_reviewed else [],
                "duplicate_form": forms.DuplicateReviewForm(auto_id="id_duplicate_%s"),
                "can_edit": can_edit_case_work(case, request.user),
                "is_manager": is_manager,
                "can_allocate": is_manager,
                "can_move": may_move(case, request.user),
            }
        )
    # The summary keeps its old title: "Case <reference>" is what a bookmark or a screen reader's history shows.
    context.update({"page_title": f"Case {case.reference}", "case": case, "section": "summary"})
    return render(request, "rjcases/case_detail.html", context)


@login_required
def case_people(request, reference: str):
    """The people on the case (as this user may see each), the contact log and the notes."""
    case, detailed = _open(request, reference, detailed_only=True)
    context = {
        "detailed": detailed,
        "whole_case": sees_whole_case(case, request.user),
        "parties": selectors.parties_for_user(case, request.user),
        "contacts": selectors.contacts_for_user(case, request.user),
        "notes": selectors.notes_for_user(case, request.user),
        "can_edit": can_edit_case_work(case, request.user),
    }
    return _render(request, case, "people", "People", context)


@login_required
def case_work(request, reference: str):
    """Each person's assessment and consents, then the restorative work: preparation, the activity, the agreement,
    follow-up, closure and feedback."""
    case, detailed = _open(request, reference, detailed_only=True)
    parties = [p for p in selectors.parties_for_user(case, request.user) if p.role != Party.Role.SUPPORTER]
    context = {
        "detailed": detailed,
        "parties": parties,
        "can_edit": can_edit_case_work(case, request.user),
        "can_consent": may_record_consent(case, request.user),
        "is_manager": is_case_manager(case, request.user),
    }
    return _render(request, case, "work", "Restorative work", context)


@login_required
def case_letters(request, reference: str):
    """The latest version of each letter on the case, and the letters held for translation."""
    case, detailed = _open(request, reference, detailed_only=True, people=False)
    return _render(request, case, "letters", "Letters", {"detailed": detailed})
