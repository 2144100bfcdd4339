"""The people's safeguards: recording that a person no longer takes part (the web page's
``rjcases:no_longer_taking_part``, through the same service)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers import safeguarding as s
from api.views.common import REFERENCE, case_party, detailed_case, validated
from rjcases import services

PARTY_ID = OpenApiParameter("party_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The person's id")


class NoLongerTakingPartView(APIView):
    @extend_schema(
        summary="Record that a person no longer takes part",
        description="Where the process can go on without them (a supporter; the activity already took place; "
        "another person in the same role still taking part), with the reason, kept on the record. 200 with the "
        "person's part; 403 not this user's to do (only the case's facilitators and managers); 409 the case is "
        "closed or they are already recorded (code `state`); 422 no reason, or the process cannot go on without "
        "them (withdraw the case instead).",
        parameters=[REFERENCE, PARTY_ID],
        request=s.NoLongerTakingPartSerializer,
        responses=s.TakingPartSerializer,
        tags=["people"],
    )
    def post(self, request, reference, party_id):
        case = detailed_case(request, reference)
        party = case_party(case, party_id)
        data = validated(s.NoLongerTakingPartSerializer, request.data)
        party = services.record_no_longer_taking_part(party, request.user, data["reason"], on=data.get("on"))
        return Response(s.TakingPartSerializer(party).data)
