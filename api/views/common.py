"""The steps every API view shares."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api.errors import ApiError
from conferences import selectors as work_selectors
from rjcases import selectors, services
from rjcases.models import Case, Party, ReadAccess
from rjcases.permissions import can_edit_case_work, can_see_details

REFERENCE = OpenApiParameter(
    "reference", OpenApiTypes.STR, OpenApiParameter.PATH, description="The case reference, e.g. RJ-2026-00042"
)
SUMMARY_ONLY = "Referrers see a case's status, dates and outcome only."
TAGS_CASES = ["cases"]
TAGS_WORK = ["restorative work"]

# ---------------------------------------------------------------------------------------------------
# Shared steps


def forbid(message: str):
    """Refuse with a 403 in the API's error shape."""
    raise ApiError(status.HTTP_403_FORBIDDEN, "forbidden", message)


def visible_case(request, reference: str, *, what: str = ReadAccess.What.CASE, detailed: bool = False) -> Case:
    """The case if the user may see it (else 404), with a row in the read access log."""
    case = selectors.get_case_for_user(request.user, reference, detailed=detailed)
    services.log_read(request.user, case, what, case.pk, request.path)
    return case


def detailed_case(request, reference: str) -> Case:
    """A case whose details (parties, notes, contacts) the user may see; a referrer gets 403."""
    case = visible_case(request, reference)
    if not can_see_details(case, request.user):
        forbid(SUMMARY_ONLY)
    return case


def editable_case(request, reference: str) -> Case:
    """A case whose work this user may change: its facilitators and managers (the service checks again)."""
    case = visible_case(request, reference)
    if not can_edit_case_work(case, request.user):
        forbid("Only the case's facilitator, its co-facilitator or a manager can change this case.")
    return case


def full_work_case(request, reference: str) -> Case:
    """A case whose restorative work (activities, preparation, follow-up) the user may see in full."""
    case = visible_case(request, reference)
    if work_selectors.access_level(case, request.user) != work_selectors.FULL:
        forbid("Only the case's facilitators and managers see its restorative work in full.")
    return case


def validated(serializer_class, data, **context):
    """The input checked by ``serializer_class`` (a 422 naming each wrong field), with ``context`` given to it."""
    serializer = serializer_class(data=data, context=context)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def case_party(case: Case, party_id: int) -> Party:
    party = Party.objects.filter(case=case, pk=party_id).select_related("case", "caseworker").first()
    if party is None:
        raise ApiError(status.HTTP_404_NOT_FOUND, "not_found", "No such person on this case.")
    return party


def as_list(serializer_class, items) -> Response:
    return Response(serializer_class(items, many=True).data)


# ---------------------------------------------------------------------------------------------------
# Unknown paths under /api/v1/


class NotFoundView(APIView):
    permission_classes = [AllowAny]
    throttle_classes: list = []

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        raise ApiError(status.HTTP_404_NOT_FOUND, "not_found", "There is no such API path. See /api/v1/docs/.")

    post = put = patch = delete = get
