"""Case notes, and who of the case's caseworkers may read each one.

A caseworker reads a note only when the facilitator shared it with them, by name: ``add_note`` takes the
caseworkers to share it with, ``share_note`` changes the choice later (a caseworker joins the case, or should no
longer read it). Only the case's facilitators and managers choose, and only among the caseworkers of the people
harmed on the case (``note_caseworkers``). Every choice is a history row of the note, with who made it and whom it
names (simple-history's many-to-many record of ``Note.shared_with``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from accounts.models import User
from rjcases.exceptions import ActionRefused
from rjcases.models import Case, Note, Party
from rjcases.services.casework import save_with_history

NOT_YOURS_TO_SHARE = "Only the case's facilitator, its co-facilitator or a manager chooses who a note is shared with."


def note_caseworkers(case: Case) -> QuerySet[User]:
    """The caseworkers a note on this case may be shared with: those supporting a person harmed on it."""
    supporting = Party.objects.filter(case=case, role=Party.Role.HARMED, caseworker__isnull=False)
    return User.objects.filter(pk__in=supporting.values("caseworker_id")).order_by("last_name", "first_name", "pk")


def sharing_choices(note: Note) -> QuerySet[User]:
    """Whom the note's sharing form offers: the case's caseworkers, and anyone it is still shared with who has left."""
    from django.db.models import Q

    shared = note.shared_with.values("pk")
    return User.objects.filter(Q(pk__in=note_caseworkers(note.case).values("pk")) | Q(pk__in=shared)).order_by(
        "last_name", "first_name", "pk"
    )


def _sharing_reason(people: Iterable[User]) -> str:
    names = ", ".join(person.get_full_name() or person.username for person in people)
    return f"shared with: {names}"[:100] if names else "shared with no caseworker"


def _check_chosen(case: Case, chosen: list[User], *, already: Iterable[int] = ()) -> None:
    allowed = set(note_caseworkers(case).values_list("pk", flat=True)) | set(already)
    wrong = [person for person in chosen if person.pk not in allowed]
    if wrong:
        names = ", ".join(person.get_full_name() or person.username for person in wrong)
        raise ValidationError({"shared_with": f"{names}: not a caseworker of anyone harmed on this case."})


def _history_says(note: Any, user, reason: str) -> None:
    """Who makes the next history row of the note, and why (simple-history reads these off the instance)."""
    note._history_user = user
    note._change_reason = reason


def _remove_without_history(note: Any, people: set[int]) -> None:
    """Take people off the note's sharing without a history row of its own (the addition after it writes one)."""
    note.skip_history_when_saving = True  # simple-history's switch, read by its many-to-many handler
    try:
        note.shared_with.remove(*people)
    finally:
        del note.skip_history_when_saving


def add_note(case: Case, user, *, body: str, shared_with: Iterable[User] = ()) -> Note:
    """A case note, read by RJ staff, and by the caseworkers in ``shared_with`` (the facilitators' and managers'
    choice, among ``note_caseworkers``). Anyone who sees the case's details may write one."""
    from rjcases.permissions import can_edit_case_work, can_see_details

    if not can_see_details(case, user):
        raise ActionRefused("You cannot add notes to this case.")
    chosen = list(shared_with)
    if chosen and not can_edit_case_work(case, user):
        raise ActionRefused(NOT_YOURS_TO_SHARE)
    if not body.strip():
        raise ValidationError({"body": "Enter the note."})
    _check_chosen(case, chosen)
    note = Note(case=case, author=user, body=body.strip())
    with transaction.atomic():
        save_with_history(note, user, "note added")
        if chosen:
            _history_says(note, user, _sharing_reason(chosen))
            note.shared_with.add(*chosen)  # one history row naming them
    return note


def share_note(note: Note, user, *, caseworkers: Iterable[User]) -> Note:
    """Share the note with exactly ``caseworkers`` (none: with no caseworker). One history row records the new
    choice, who made it, and whom it names. Someone it was shared with who has since left the case may be kept or
    removed; a new name must be a caseworker of someone harmed on the case."""
    from rjcases.permissions import can_edit_case_work

    if not can_edit_case_work(note.case, user):
        raise ActionRefused(NOT_YOURS_TO_SHARE)
    chosen = list(dict.fromkeys(caseworkers))
    with transaction.atomic():
        note = Note.objects.select_for_update().select_related("case").get(pk=note.pk)
        current = set(note.shared_with.values_list("pk", flat=True))
        _check_chosen(note.case, chosen, already=current)
        wanted = {person.pk for person in chosen}
        added, removed = wanted - current, current - wanted
        if not added and not removed:
            return note
        _history_says(note, user, _sharing_reason(chosen))
        if added and removed:
            # One history row for the new choice, not one per step: the removal is recorded with the addition.
            _remove_without_history(note, removed)
            note.shared_with.add(*added)
        elif added:
            note.shared_with.add(*added)
        else:
            note.shared_with.remove(*removed)
    return note


def sharing_history(note: Note) -> list[tuple]:
    """Each choice of who may read the note, oldest first: (when, by whom, the names it was shared with)."""
    names: dict[int, list[str]] = {}
    shared_rows = Note.history.model.shared_with.model.objects.filter(note_id=note.pk).select_related("user")
    for shared in shared_rows:
        names.setdefault(shared.history_id, []).append(shared.user.get_full_name() or shared.user.username)
    choices: list[tuple] = []
    previous: tuple[str, ...] = ()
    for row in note.history.select_related("history_user").order_by("history_date", "history_id"):
        chosen = tuple(sorted(names.get(row.history_id, [])))
        if chosen != previous:
            choices.append((row.history_date, row.history_user, chosen))
        previous = chosen
    return choices
