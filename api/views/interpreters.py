"""Interpreters booked for a case's restorative activity: list, book, confirm. The case's facilitators and managers
only (403 for anyone else who sees the case, 404 outside what the user may see). A refused
``schedule_activity`` (an interpreter needed and not confirmed) is the transitions endpoint's 422, naming the person
and the language."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from api.errors import ApiError
from api.serializers import interpreters as s
from api.views.common import REFERENCE, TAGS_WORK, as_list, editable_case, validated
from conferences import services as work
from conferences.models import Activity, InterpreterBooking

ACTIVITY = OpenApiParameter("activity_id", int, OpenApiParameter.PATH, description="The activity's id")
BOOKING = OpenApiParameter("booking_id", int, OpenApiParameter.PATH, description="The booking's id")


def _activity(case, activity_id: int) -> Activity:
    activity = Activity.objects.filter(case=case, pk=activity_id).select_related("case").first()
    if activity is None:
        raise ApiError(status.HTTP_404_NOT_FOUND, "not_found", "No such activity on this case.")
    return activity


class InterpreterBookingListView(APIView):
    @extend_schema(
        summary="Interpreters booked for an activity",
        parameters=[REFERENCE, ACTIVITY],
        responses=s.InterpreterBookingSerializer(many=True),
        tags=TAGS_WORK,
    )
    def get(self, request, reference, activity_id):
        activity = _activity(editable_case(request, reference), activity_id)
        return as_list(s.InterpreterBookingSerializer, activity.interpreter_bookings.select_related("booked_by"))

    @extend_schema(
        summary="Book an interpreter for a person invited to the planned activity",
        parameters=[REFERENCE, ACTIVITY],
        request=s.InterpreterBookingInSerializer,
        responses={201: s.InterpreterBookingSerializer},
        tags=TAGS_WORK,
    )
    def post(self, request, reference, activity_id):
        case = editable_case(request, reference)
        activity = _activity(case, activity_id)
        data = validated(s.InterpreterBookingInSerializer, request.data, case=case)
        booking = work.book_interpreter(activity, request.user, **data)
        return Response(s.InterpreterBookingSerializer(booking).data, status=status.HTTP_201_CREATED)


class InterpreterConfirmView(APIView):
    @extend_schema(
        summary="Confirm an interpreter booking (a BSL booking needs its NRCPD number)",
        parameters=[REFERENCE, ACTIVITY, BOOKING],
        request=s.InterpreterConfirmSerializer,
        responses=s.InterpreterBookingSerializer,
        tags=TAGS_WORK,
    )
    def post(self, request, reference, activity_id, booking_id):
        case = editable_case(request, reference)
        activity = _activity(case, activity_id)
        booking = InterpreterBooking.objects.filter(activity=activity, pk=booking_id).select_related("activity__case")
        found = booking.first()
        if found is None:
            raise ApiError(status.HTTP_404_NOT_FOUND, "not_found", "No such interpreter booking on this activity.")
        data = validated(s.InterpreterConfirmSerializer, request.data)
        return Response(
            s.InterpreterBookingSerializer(work.confirm_interpreter_booking(found, request.user, **data)).data
        )
