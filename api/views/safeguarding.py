"""The people's safeguards: recording that a person no longer takes part, and choosing which caseworkers may read
a note (the web pages ``rjcases:no_longer_taking_part`` and ``rjcases:note_share``, through the same services)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from api.errors import ApiError
from api.serializers import safeguarding as s
from api.serializers.notes import NoteSerializer, NoteSharingSerializer
from api.views.common import REFERENCE, TAGS_CASES, case_party, detailed_case, validated
from rjcases import services
from rjcases.models import Note

PARTY_ID = OpenApiParameter("party_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The person's id")
NOTE_ID = OpenApiParameter("note_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The note's id")


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


class NoteSharingView(APIView):
    @extend_schema(
        summary="Choose which caseworkers may read a note",
        description="`shared_with` is exactly who may read it from now on: usernames of caseworkers of the people "
        "harmed on the case (someone it is still shared with who has left the case may stay), or `[]` for none. "
        "Each choice is kept in the note's history. 200 with the note; 403 not this user's to choose (only the "
        "case's facilitators and managers); 422 a name that is not one of the case's caseworkers.",
        parameters=[REFERENCE, NOTE_ID],
        request=NoteSharingSerializer,
        responses=NoteSerializer,
        tags=TAGS_CASES,
    )
    def put(self, request, reference, note_id):
        case = detailed_case(request, reference)
        note = Note.objects.filter(case=case, pk=note_id).select_related("case", "author").first()
        if note is None:
            raise ApiError(status.HTTP_404_NOT_FOUND, "not_found", "No such note on this case.")
        data = validated(NoteSharingSerializer, request.data)
        note = services.share_note(note, request.user, caseworkers=data["shared_with"])
        return Response(NoteSerializer(note, context={"user": request.user}).data)
