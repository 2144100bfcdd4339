"""Reads of people's data protection requests: the records that may be the person, and the managers' list."""

from __future__ import annotations

from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Replace, Upper

from accounts import roles
from accounts.models import Partnership
from privacy.models import SubjectRequest
from rjcases.models import Case, Party


def _squashed(field: str):
    return Upper(Replace(field, Value(" "), Value("")))


def candidate_parties(request: SubjectRequest, user) -> list[tuple[Party, str]]:
    """Every party record that may be the person, on the cases of the request's partnership that ``user`` may
    see (never another partnership's, whatever else the user may see): the same name, date of birth, email, phone,
    or surname and postcode. Each with why, for the manager to confirm or not."""
    tests: list[tuple[str, Q]] = []
    if request.first_name and request.last_name:
        tests.append(("name", Q(first_name__iexact=request.first_name, last_name__iexact=request.last_name)))
    if request.date_of_birth:
        tests.append(("date of birth", Q(date_of_birth=request.date_of_birth)))
    if request.email:
        tests.append(("email", Q(email__iexact=request.email)))
    if request.phone:
        tests.append(("phone", Q(squashed_phone=request.phone.replace(" ", "").upper())))
    if request.postcode and request.last_name:
        tests.append(
            (
                "surname and postcode",
                Q(last_name__iexact=request.last_name, squashed_postcode=request.postcode.replace(" ", "").upper()),
            )
        )
    if not tests:
        return []
    anything = Q()
    for _, test in tests:
        anything |= test
    parties = (
        Party.objects.filter(case__in=Case.objects.visible_to(user).filter(partnership_id=request.partnership_id))
        .annotate(squashed_phone=_squashed("phone"), squashed_postcode=_squashed("postcode"))
        .filter(anything)
        .select_related("case")
        .order_by("case__received_on", "pk")
    )
    found: list[tuple[Party, str]] = []
    for party in parties:
        why = [name for name, test in tests if _fits(party, name, request)]
        found.append((party, ", ".join(why) or "name"))
    return found


def _fits(party: Party, test: str, request: SubjectRequest) -> bool:
    def same(a: str, b: str) -> bool:
        return a.replace(" ", "").upper() == b.replace(" ", "").upper()

    if test == "name":
        return same(party.first_name, request.first_name) and same(party.last_name, request.last_name)
    if test == "date of birth":
        return party.date_of_birth == request.date_of_birth
    if test == "email":
        return party.email.lower() == request.email.lower()
    if test == "phone":
        return same(party.phone, request.phone)
    return same(party.last_name, request.last_name) and same(party.postcode, request.postcode)


def may_handle_requests(user) -> bool:
    return roles.is_manager(user)


def request_partnerships(user):
    """The partnerships a manager may open a request for: the active ones they work for."""
    return Partnership.objects.filter(pk__in=sorted(roles.partnership_ids(user)), is_active=True).order_by("name")


def handles(user, request: SubjectRequest) -> bool:
    """Whether ``user`` may see and act on this request: a manager of its partnership."""
    return may_handle_requests(user) and roles.in_partnership(user, request.partnership_id)


def requests_for(user) -> QuerySet[SubjectRequest]:
    """The requests made to the partnerships a manager works for; none for anyone else (their pages answer 404)."""
    if not may_handle_requests(user):
        return SubjectRequest.objects.none()
    return SubjectRequest.objects.filter(partnership_id__in=sorted(roles.partnership_ids(user))).select_related(
        "opened_by", "completed_by", "partnership"
    )


def open_requests(user, limit: int = 10) -> list[SubjectRequest] | None:
    """The open requests of the manager's partnerships, soonest due first, for their dashboard (one query); None
    for anyone else."""
    if not may_handle_requests(user):
        return None
    return list(
        SubjectRequest.objects.filter(
            partnership_id__in=sorted(roles.partnership_ids(user)), completed_on__isnull=True
        ).order_by("due_on", "id")[:limit]
    )
