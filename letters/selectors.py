"""Reads for letters, always scoped to what the user may see: letters of cases they may open, and only where
they may see the case's details (police referrers and other organisations never see party letters)."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse

from accounts import roles
from letters.models import Letter, LetterKind
from rjcases.models import Case
from rjcases.permissions import can_see_details, may_see_party_details, sees_whole_case


def may_see_letter(case: Case, user, letter: Letter) -> bool:
    """RJ staff who see the whole case see all its letters; a caseworker only the letters to their own client
    (never those to another person, nor the referrer's)."""
    if sees_whole_case(case, user):
        return True
    return letter.party_id is not None and may_see_party_details(case, user, letter.party)


def _for_user(case: Case, user, letters: list[Letter]) -> list[Letter]:
    if sees_whole_case(case, user):
        return letters
    return [letter for letter in letters if may_see_letter(case, user, letter)]


def letters_visible_to(user) -> QuerySet[Letter]:
    """Letters of the cases this user may open; callers still check ``can_see_details`` per case."""
    return Letter.objects.filter(case__in=Case.objects.visible_to(user))


def get_case_for_letters(user, reference: str | None = None, *, case_id: int | None = None) -> Case:
    """The case by its reference (or, for the old addresses, its id), if this user may see its letters;
    otherwise a 404, as if it did not exist."""
    found = Case.objects.visible_to(user).select_related("facilitator", "referred_by")
    case = (found.filter(reference=reference) if case_id is None else found.filter(pk=case_id)).first()
    if case is None or not can_see_details(case, user):
        raise Http404("No such case")
    return case


def get_letter_for_user(user, letter_id: int, reference: str | None = None) -> Letter:
    """The letter, if this user may see it and (when ``reference`` is given) it is a letter of that case."""
    found = letters_visible_to(user).filter(pk=letter_id)
    if reference is not None:
        found = found.filter(case__reference=reference)
    letter = found.select_related("case", "party", "template", "generated_by", "sent_by", "transition").first()
    if letter is None or not can_see_details(letter.case, user):
        raise Http404("No such letter")
    if not may_see_letter(letter.case, user, letter):
        raise PermissionDenied("This letter is addressed to someone else on the case.")
    return letter


def letter_url(letter: Letter, view: str = "detail") -> str:
    """A letter's address: under its case's reference, like every case page."""
    return reverse(f"letters:{view}", args=[letter.case.reference, letter.pk])


def letters_for_case(case: Case, user) -> list[Letter]:
    """Every letter of the case this user may see, newest first (the caller has checked they may see the case's
    details)."""
    return _for_user(
        case, user, list(case.letters.select_related("generated_by", "party").order_by("-generated_at", "-id"))
    )


def latest_letters_for_case(case: Case, user) -> list[Letter]:
    return _for_user(
        case,
        user,
        list(case.letters.latest_versions().select_related("generated_by", "party").order_by("-generated_at", "-id")),
    )


def versions_of(letter: Letter) -> list[Letter]:
    return list(
        Letter.objects.filter(case_id=letter.case_id, kind=letter.kind, recipient_key=letter.recipient_key)
        .select_related("generated_by", "sent_by")
        .order_by("-version")
    )


def letters_for_timeline(case: Case, user) -> list[tuple[datetime, str, str]]:
    """The case timeline's letter entries as (at, description, url): one when a letter was generated and one
    when it was sent, of the letters this user may see. The timeline shows them only to users who may see the
    case's details."""
    items: list[tuple[datetime, str, str]] = []
    letters = list(
        case.letters.select_related("generated_by", "party", "translation_resolved_by").order_by("generated_at", "id")
    )
    for letter in _for_user(case, user, letters):
        url = reverse("letters:detail", args=[case.reference, letter.pk])
        kind = LetterKind(letter.kind).label
        what = f"{kind} letter to {letter.recipient_name}"
        if letter.version > 1:
            what += f" (version {letter.version})"
        if letter.format != "standard":
            what += f", {letter.get_format_display().lower()}"
        if letter.language != "en":
            what += f", in {letter.language_name}"
        who = letter.generated_by.get_full_name() if letter.generated_by else ""
        made = f"{what} generated" + (f" by {who}" if who else "")
        if letter.translation_needed:
            made += f" in English: translation needed: {letter.translation_needed}"
        items.append((letter.generated_at, made, url))
        if letter.translation and letter.translation_resolved_at:
            by = letter.translation_resolved_by.get_full_name() if letter.translation_resolved_by else ""
            released = (
                f"translated copy ({letter.translation_needed}) attached"
                if letter.translation == Letter.Translation.COPY_ATTACHED
                else f"sending in English confirmed (needs {letter.translation_needed})"
            )
            items.append((letter.translation_resolved_at, f"{what}: {released}" + (f" by {by}" if by else ""), url))
        if letter.sent_at:
            items.append((letter.sent_at, f"{what} sent", url))
    return sorted(items, key=lambda item: item[0])


def print_run_scope(user) -> QuerySet[Letter]:
    """Letters this user may post: all for a manager, a facilitator's own cases' letters."""
    own = sorted(roles.partnership_ids(user))
    if roles.is_manager(user):
        return Letter.objects.filter(case__partnership_id__in=own)
    if roles.is_facilitator(user):
        return Letter.objects.filter(Q(case__facilitator=user) | Q(case__co_facilitator=user)).filter(
            case__partnership_id__in=own
        )
    return Letter.objects.none()


def print_run_letters(user, day: date) -> list[Letter]:
    """The letters generated on ``day`` that are still waiting to be posted, oldest first (including letters
    whose file is not written yet: the print run shows them, but cannot print them)."""
    return list(
        print_run_scope(user)
        .filter(status=Letter.Status.PENDING, generated_at__date=day)
        .select_related("case", "party")  # the party for the needs flag beside their letters
        .order_by("generated_at", "id")
    )


def older_pending_days(user, day: date) -> list[date]:
    """Earlier days with letters still waiting to be posted."""
    found = (
        print_run_scope(user)
        .filter(status=Letter.Status.PENDING, generated_at__date__lt=day)
        .dates("generated_at", "day")
    )
    return list(found)
