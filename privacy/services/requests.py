"""People's data protection requests (access, rectification, erasure): opened by a manager for a named person, due
one month after they were received (extendable by up to two further months, with a reason: UK GDPR Article
12(3)), the party records that may be the person proposed and confirmed one by one, passages that name another
person approved one by one for an export, and completed with what was done. Managers only, on the server."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import roles
from privacy.models import ApprovedPassage, SubjectRequest, SubjectRequestMatch
from privacy.schedule import add_months
from privacy.selectors.requests import candidate_parties, handles, request_partnerships
from rjcases.exceptions import ActionRefused, Refused
from rjcases.models import Party

MOST_MONTHS = 3  # one month, extended by at most two further months


def _check_manager(user) -> None:
    if not roles.is_manager(user):
        raise ActionRefused("Only a manager handles a data protection request.")


def _check_handles(user, request: SubjectRequest) -> None:
    """A manager of the request's partnership, and nobody else, acts on it."""
    _check_manager(user)
    if not handles(user, request):
        raise ActionRefused("Only a manager of the partnership the request was made to handles it.")


def _partnership_for(user, chosen):
    """The partnership a new request is made to: the one chosen (it must be one of the manager's), or the
    manager's only one."""
    yours = list(request_partnerships(user))
    if chosen is None:
        if len(yours) == 1:
            return yours[0]
        if not yours:
            raise ActionRefused("You do not work for a partnership, so you cannot open a request.")
        raise ValidationError({"partnership": "Choose the partnership the request was made to"})
    if chosen.pk not in {p.pk for p in yours}:
        raise ValidationError({"partnership": "Choose one of your partnerships"})
    return chosen


def _stamp(request: SubjectRequest, user, reason: str) -> None:
    request._history_user = user  # type: ignore[attr-defined]
    request._change_reason = reason  # type: ignore[attr-defined]


def open_request(
    user,
    *,
    kind: str,
    first_name: str,
    last_name: str = "",
    date_of_birth: date | None = None,
    email: str = "",
    phone: str = "",
    postcode: str = "",
    details: str = "",
    received_on: date,
    partnership=None,
) -> SubjectRequest:
    """Open a request for a named person, due one month after it was received, made to ``partnership`` (one of
    the manager's; by default their only one), and propose the party records on its cases that may be them
    (``propose_matches``)."""
    _check_manager(user)
    partnership = _partnership_for(user, partnership)
    errors = {}
    if kind not in SubjectRequest.Kind.values:
        errors["kind"] = "Choose the kind of request"
    if not (first_name or "").strip():
        errors["first_name"] = "Enter the person's first name"
    if received_on is None:
        errors["received_on"] = "Enter the date the request was received"
    elif received_on > timezone.localdate():
        errors["received_on"] = "The date received must be today or in the past"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        request = SubjectRequest(
            kind=kind,
            first_name=first_name.strip(),
            last_name=(last_name or "").strip(),
            date_of_birth=date_of_birth,
            email=(email or "").strip(),
            phone=(phone or "").strip(),
            postcode=(postcode or "").strip().upper(),
            details=(details or "").strip(),
            received_on=received_on,
            due_on=add_months(received_on, 1),
            opened_by=user,
            partnership=partnership,
        )
        _stamp(request, user, "request opened")
        request.save()
        propose_matches(request, user)
    return request


def propose_matches(request: SubjectRequest, user) -> list[SubjectRequestMatch]:
    """Propose every party record, across the cases the manager may see, that may be the person (by name, date of
    birth, email, phone or postcode with surname); a record already proposed keeps its decision."""
    _check_handles(user, request)
    made = []
    with transaction.atomic():
        known = set(request.matches.values_list("party_id", flat=True))
        for party, why in candidate_parties(request, user):
            if party.pk not in known:
                match = SubjectRequestMatch(request=request, party=party, why=why[:200])
                match._history_user = user  # type: ignore[attr-defined]
                match.save()
                made.append(match)
    return made


def decide_match(match: SubjectRequestMatch, user, *, confirmed: bool) -> SubjectRequestMatch:
    """A manager says whether a proposed record is the person's (it can be decided again while the request is
    open: a mistaken confirmation is undone the same way, with history)."""
    _check_manager(user)
    with transaction.atomic():
        match = SubjectRequestMatch.objects.select_for_update().select_related("request").get(pk=match.pk)
        _check_handles(user, match.request)
        if not match.request.is_open:
            raise Refused("This request is completed: its matches can no longer change.")
        match.confirmed = confirmed
        match.decided_by, match.decided_at = user, timezone.now()
        match._history_user = user  # type: ignore[attr-defined]
        match._change_reason = "confirmed" if confirmed else "not the person"  # type: ignore[attr-defined]
        match.save()
    return match


def extend_request(request: SubjectRequest, user, *, due_on: date | None, reason: str) -> SubjectRequest:
    """Move the due date later (a complex or numerous request), with the reason the person is told; at most three
    months after it was received."""
    _check_handles(user, request)
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = "Enter why the request needs longer"
    if due_on is None:
        errors["due_on"] = "Enter the new due date"
    elif due_on <= request.due_on:
        errors["due_on"] = f"The new due date must be after {request.due_on:%d %B %Y}"
    elif due_on > add_months(request.received_on, MOST_MONTHS):
        errors["due_on"] = "A request can be extended to at most three months after it was received"
    if errors or due_on is None:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = SubjectRequest.objects.select_for_update().get(pk=request.pk)
        if not locked.is_open:
            raise Refused("This request is completed.")
        locked.due_on = due_on
        locked.extension_reason = "\n".join(filter(None, [locked.extension_reason, reason.strip()]))[:5000]
        _stamp(locked, user, "due date extended")
        locked.save(update_fields=["due_on", "extension_reason"])
    return locked


def approve_passage(request: SubjectRequest, user, *, source: str) -> ApprovedPassage:
    """Include one passage that names another person in this request's export (the manager has read it)."""
    _check_handles(user, request)
    if not request.is_open:
        raise Refused("This request is completed.")
    passage, _ = ApprovedPassage.objects.get_or_create(request=request, source=source, defaults={"approved_by": user})
    return passage


def record_export(request: SubjectRequest, user) -> None:
    _check_handles(user, request)
    request.last_exported_at = timezone.now()
    _stamp(request, user, "export produced")
    request.save(update_fields=["last_exported_at"])


def confirmed_parties(request: SubjectRequest) -> list[Party]:
    """The records confirmed as the person's, on the request's partnership's cases only (a case moved to another
    partnership since it was confirmed leaves the request)."""
    ids = request.matches.filter(confirmed=True).values_list("party_id", flat=True)
    return list(
        Party.objects.filter(pk__in=ids, case__partnership_id=request.partnership_id)
        .select_related("case")
        .order_by("case__received_on", "pk")
    )


def complete_request(
    request: SubjectRequest, user, *, outcome: str, completed_on: date | None = None
) -> SubjectRequest:
    """Close the request with what was done (the export sent, the record corrected, the record erased or why
    not)."""
    _check_handles(user, request)
    if not (outcome or "").strip():
        raise ValidationError({"outcome": "Enter what was done"})
    completed_on = completed_on or timezone.localdate()
    with transaction.atomic():
        locked = SubjectRequest.objects.select_for_update().get(pk=request.pk)
        if not locked.is_open:
            raise Refused("This request is already completed.")
        locked.completed_on, locked.completed_by = completed_on, user
        locked.outcome = "\n".join(filter(None, [locked.outcome, outcome.strip()]))[:5000]
        _stamp(locked, user, "completed")
        locked.save(update_fields=["completed_on", "completed_by", "outcome"])
    return locked
