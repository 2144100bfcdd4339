"""The case notes' pages: adding a note (and choosing which of the case's caseworkers may read it), reading one in
full, and changing whom it is shared with. Each starts from a case the user may see (404 outside it)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from govuk.refusals import refusals_to
from rjcases import forms, selectors, services
from rjcases.models import Note, ReadAccess
from rjcases.permissions import can_edit_case_work, can_see_details
from rjcases.views.common import people_url, require


@login_required
@require_http_methods(["GET", "POST"])
def note_add(request, reference: str):
    case = selectors.get_case_for_user(request.user, reference, detailed=False)
    require(can_see_details(case, request.user))
    # Only the case's facilitators and managers choose who may read it; a caseworker's own note is for RJ staff.
    caseworkers = services.note_caseworkers(case) if can_edit_case_work(case, request.user) else None
    form = forms.NoteForm(request.POST or None, caseworkers=caseworkers)
    if request.method == "POST" and form.is_valid():
        with refusals_to(form):
            services.add_note(
                case, request.user, body=form.cleaned_data["body"], shared_with=form.cleaned_data.get("shared_with", ())
            )
        if not form.errors:
            messages.success(request, "Note added.")
            return redirect(people_url(case, "notes"))
    return render(
        request,
        "rjcases/form_page.html",
        {
            "page_title": f"Add a note, case {case.reference}",
            "case": case,
            "form": form,
            "heading": "Add a note",
            "submit": "Add the note",
        },
    )


@login_required
def note_detail(request, reference: str, note_id: int):
    """One note in full (the case page shows a preview of a long one): only a note this user may read there."""
    case = selectors.get_case_for_user(request.user, reference)
    note = next((n for n in selectors.notes_for_user(case, request.user) if n.pk == note_id), None)
    if note is None:
        raise Http404("No such note on this case.")
    services.log_read(request.user, case, ReadAccess.What.CASE, case.pk, request.path)
    return render(
        request,
        "rjcases/note_detail.html",
        {"page_title": f"Note on case {case.reference}", "case": case, "note": note},
    )


@login_required
@require_http_methods(["GET", "POST"])
def note_share(request, reference: str, note_id: int):
    """Change which of the case's caseworkers may read a note (its facilitators and managers), with the history."""
    case = selectors.get_case_for_user(request.user, reference)
    note = Note.objects.filter(case=case, pk=note_id).select_related("author").first()
    if note is None:
        raise Http404("No such note on this case.")
    require(can_edit_case_work(case, request.user))
    # Every box unticked sends no field at all: a POST is still the choice of no one.
    form = forms.NoteSharingForm(
        request.POST if request.method == "POST" else None,
        caseworkers=services.sharing_choices(note),
        initial={"shared_with": list(note.shared_with.all())},
    )
    if request.method == "POST" and form.is_valid():
        with refusals_to(form):
            services.share_note(note, request.user, caseworkers=form.cleaned_data["shared_with"])
        if not form.errors:
            messages.success(request, "Who can read the note is saved.")
            return redirect(people_url(case, "notes"))
    return render(
        request,
        "rjcases/note_share.html",
        {
            "page_title": f"Who can read a note, case {case.reference}",
            "case": case,
            "form": form,
            "note": note,
            "history": services.sharing_history(note),
            "heading": "Who can read this note",
            "submit": "Save who can read it",
        },
    )
