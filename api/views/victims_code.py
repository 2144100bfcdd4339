"""The Victims' Code of a case in the API: its clocks, the report date, enhanced rights, complaints (Right 12).

Each path starts from a case the token's user may see (404 outside it); the services decide who may write
(403 otherwise) and refuse bad input (422, nothing changed), through the API's one error shape.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers import victims_code as s
from api.serializers.cases import CaseDetailSerializer
from api.views.cases import case_detail_body
from api.views.common import REFERENCE, detailed_case, validated
from rjcases.models import Complaint
from rjcases.permissions import sees_whole_case
from rjcases.services import complaints, victims_code
from rjcases.victims_code.clocks import case_clocks

TAGS = ["victims-code"]


def code_body(case, user) -> dict:
    incident = case.incident_or_none
    body = {
        "reported_on": incident.reported_on if incident else None,
        "reported_by": incident.reported_by if incident else "",
        "enhanced_rights": case.enhanced_rights,
        "clocks": case_clocks(case),
        "complaints": list(case.complaints.all()) if sees_whole_case(case, user) else [],
    }
    return s.VictimsCodeSerializer(body).data


class VictimsCodeView(APIView):
    @extend_schema(
        summary="The case's Victims' Code clocks, each with its basis, and its complaints",
        parameters=[REFERENCE],
        responses=s.VictimsCodeSerializer,
        tags=TAGS,
    )
    def get(self, request, reference):
        case = detailed_case(request, reference)
        return Response(code_body(case, request.user))


class ReportView(APIView):
    @extend_schema(
        summary="Record when the incident was reported and who reported it (the due dates follow)",
        parameters=[REFERENCE],
        request=s.ReportFieldsSerializer,
        responses=s.VictimsCodeSerializer,
        tags=TAGS,
    )
    def put(self, request, reference):
        case = detailed_case(request, reference)
        data = validated(s.ReportFieldsSerializer, request.data)
        victims_code.record_report(case, request.user, reported_on=data["reported_on"], reported_by=data["reported_by"])
        return Response(code_body(detailed_case(request, reference), request.user))


class EnhancedRightsView(APIView):
    @extend_schema(
        summary="Switch enhanced rights on or off, with the reason (the facilitator or a manager)",
        parameters=[REFERENCE],
        request=s.EnhancedRightsInSerializer,
        responses=CaseDetailSerializer,
        tags=TAGS,
    )
    def put(self, request, reference):
        case = detailed_case(request, reference)
        data = validated(s.EnhancedRightsInSerializer, request.data)
        victims_code.change_enhanced_rights(case, request.user, enhanced=data["enhanced"], reason=data["reason"])
        return Response(case_detail_body(request.user, reference))


class ComplaintListView(APIView):
    @extend_schema(
        summary="Record a complaint (the case's facilitators or a manager)",
        parameters=[REFERENCE],
        request=s.ComplaintInSerializer,
        responses={201: s.ComplaintSerializer},
        tags=TAGS,
    )
    def post(self, request, reference):
        case = detailed_case(request, reference)
        complaint = complaints.record_complaint(case, request.user, **validated(s.ComplaintInSerializer, request.data))
        return Response(s.ComplaintSerializer(complaint).data, status=status.HTTP_201_CREATED)


def _complaint(request, reference: str, complaint_id: int) -> Complaint:
    case = detailed_case(request, reference)
    return get_object_or_404(Complaint.objects.select_related("case"), pk=complaint_id, case=case)


class AcknowledgementView(APIView):
    @extend_schema(
        summary="Record the acknowledgement of a complaint",
        parameters=[REFERENCE],
        request=s.AcknowledgementInSerializer,
        responses=s.ComplaintSerializer,
        tags=TAGS,
    )
    def post(self, request, reference, complaint_id):
        complaint = _complaint(request, reference, complaint_id)
        data = validated(s.AcknowledgementInSerializer, request.data)
        return Response(s.ComplaintSerializer(complaints.acknowledge_complaint(complaint, request.user, **data)).data)


class ResponseView(APIView):
    @extend_schema(
        summary="Record the response and outcome of a complaint (managers)",
        parameters=[REFERENCE],
        request=s.ResponseInSerializer,
        responses=s.ComplaintSerializer,
        tags=TAGS,
    )
    def post(self, request, reference, complaint_id):
        complaint = _complaint(request, reference, complaint_id)
        data = validated(s.ResponseInSerializer, request.data)
        return Response(s.ComplaintSerializer(complaints.respond_to_complaint(complaint, request.user, **data)).data)
