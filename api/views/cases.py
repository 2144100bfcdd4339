"""Who is calling, referrals, cases, transitions, the timeline, and the people in a case."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import roles
from api.errors import ApiError
from api.idempotency import HEADER as IDEMPOTENCY_HEADER
from api.idempotency import idempotent
from api.pagination import CasePagination
from api.serializers import cases as s
from api.serializers import moves
from api.serializers import victims_code as code_s
from api.views.common import (
    REFERENCE,
    SUMMARY_ONLY,
    TAGS_CASES,
    as_list,
    case_party,
    detailed_case,
    forbid,
    validated,
    visible_case,
)
from conferences.models import Activity
from rjcases import selectors, services
from rjcases.models import Assessment, Consent, CrimeType, HateStrand, Incident, Party, ReadAccess, ReferralRoute, Ward
from rjcases.permissions import (
    can_see_details,
    may_see_outcome,
    may_see_party_details,
    notes_visible_to,
    withdrawn_by_allowed,
)

# ---------------------------------------------------------------------------------------------------
# Who is calling; reference data


class MeView(APIView):
    @extend_schema(summary="The token's user, role and organisation", responses=s.MeSerializer, tags=["account"])
    def get(self, request):
        user = request.user
        return Response(
            s.MeSerializer(
                {
                    "username": user.username,
                    "name": user.get_full_name() or user.username,
                    "role": roles.primary_role(user),
                    "role_label": roles.role_label(user),
                    "organisation": str(user.organisation) if user.organisation_id else None,
                    "token_name": request.auth.name,
                }
            ).data
        )


class ReferenceDataView(APIView):
    @extend_schema(
        summary="Codes for routes, strands, wards, crime types", responses=s.ReferenceDataSerializer, tags=["account"]
    )
    def get(self, request):
        def codes(model, rows=None):
            return [{"code": row.code, "name": row.name} for row in (model.objects.all() if rows is None else rows)]

        partnerships = list(services.referable_partnerships(request.user))

        return Response(
            s.ReferenceDataSerializer(
                {
                    "routes": codes(ReferralRoute),
                    "my_routes": [route.code for route in services.routes_for(request.user)],
                    "strands": codes(HateStrand),
                    "partnerships": codes(None, partnerships),
                    # The wards of the partnerships the user refers into: a referral goes to its ward's partnership.
                    "wards": codes(Ward, Ward.objects.filter(partnership__in=partnerships).order_by("name")),
                    "crime_types": codes(CrimeType),
                    "perceived_by": [{"code": v, "name": label} for v, label in Incident.PerceivedBy.choices],
                }
            ).data
        )


# ---------------------------------------------------------------------------------------------------
# Referrals and cases


class ReferralView(APIView):
    # The intake service names the case's fields; the API's body nests the referrer (api.errors renames them).
    refusal_field_names = {
        "referrer_name": "referrer.name",
        "referrer_contact": "referrer.contact",
        "ward": "incident.ward",
    }

    @extend_schema(
        summary="Send a referral",
        description="Makes a case in referral. Send an `Idempotency-Key` header (e.g. a UUID) to retry safely: "
        "the same key and body return the first answer; the same key with another body is a 422.",
        request=code_s.ReferralWithReportInSerializer,
        responses={201: s.ReferralOutSerializer},
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="Any unique string up to 255 characters, e.g. a UUID",
            )
        ],
        tags=TAGS_CASES,
    )
    def post(self, request):
        return idempotent(request, lambda: self._refer(request))

    def _refer(self, request) -> Response:
        user = request.user
        if not services.routes_for(user):
            forbid("You cannot make referrals.")
        data = validated(code_s.ReferralWithReportInSerializer, request.data)
        parties = []
        for party in data["parties"]:
            fields = dict(party)
            role = fields.pop("role")
            parties.append(services.PartyData(role, fields.pop("first_name"), fields.pop("last_name", ""), fields))
        referrer = data.get("referrer") or {}
        case_fields = {
            "referrer_name": referrer.get("name", ""),
            "referrer_contact": referrer.get("contact", ""),
            "enhanced_rights": data["enhanced_rights"],
            "enhanced_rights_reason": data["enhanced_rights_reason"],
        }
        for name in ("report_kind", "consents_to_police", "survey_by_email", "partnership"):
            if name in data:
                case_fields[name] = data[name]
        case = services.create_referral(
            user,
            route=data["route"],
            incident=dict(data["incident"]),
            strands=data["strands"],
            parties=parties,
            received_on=data.get("received_on"),
            **case_fields,
        )
        body = s.ReferralOutSerializer(
            {"reference": case.reference, "state": case.state, "received_on": case.received_on, "url": s.case_url(case)}
        ).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": s.case_url(case)})


class CaseListView(APIView):
    pagination_class = CasePagination

    @extend_schema(
        summary="The cases this token's user may see",
        parameters=[
            s.CaseFilterSerializer,
            OpenApiParameter("page", OpenApiTypes.INT, description="Page number, from 1 (newest first)"),
            OpenApiParameter("page_size", OpenApiTypes.INT, description="Up to 100; 25 by default"),
        ],
        responses=s.CaseSummarySerializer(many=True),
        tags=TAGS_CASES,
    )
    def get(self, request):
        filters = validated(s.CaseFilterSerializer, request.query_params)
        detailed = selectors.sees_details_in_lists(request.user)
        if not detailed:
            refused = {
                name: ["Filtering by this is for RJ staff and caseworkers. " + SUMMARY_ONLY]
                for name in ("strand", "ward")
                if name in filters
            }
            if refused:
                raise ApiError(status.HTTP_422_UNPROCESSABLE_ENTITY, "invalid", SUMMARY_ONLY, fields=refused)
        cases = selectors.filter_cases(request.user, filters)
        if filters.get("updated_since"):
            cases = cases.filter(updated_at__gte=filters["updated_since"])
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(cases, request, view=self)
        return paginator.get_paginated_response(
            s.CaseSummarySerializer(page, many=True, context={"user": request.user}).data
        )


def case_detail_body(user, reference: str) -> dict:
    """The case as this user may see it: the summary for everyone, the details only where they may."""
    case = selectors.get_case_for_user(user, reference, detailed=False)
    detailed = can_see_details(case, user)
    if detailed:
        case = selectors.get_case_for_user(user, reference, detailed=True)
    data = s.CaseSummarySerializer(case, context={"user": user}).data
    # Consent to share with the police withdrawn: a referrer learns that the case is closed, nothing of how.
    data["activity_took_place"] = case.activities.filter(
        status=Activity.Status.TOOK_PLACE
    ).exists() and may_see_outcome(case, user)
    data["details"] = s.CaseDetailsSerializer(case, context={"user": user}).data if detailed else None
    return data


class CaseDetailView(APIView):
    @extend_schema(summary="One case", parameters=[REFERENCE], responses=s.CaseDetailSerializer, tags=TAGS_CASES)
    def get(self, request, reference):
        visible_case(request, reference)
        return Response(case_detail_body(request.user, reference))


class AllocationView(APIView):
    @extend_schema(
        summary="Allocate the facilitator (managers)",
        parameters=[REFERENCE],
        request=s.AllocationSerializer,
        responses=s.CaseDetailSerializer,
        tags=TAGS_CASES,
    )
    def put(self, request, reference):
        case = visible_case(request, reference)
        data = validated(s.AllocationSerializer, request.data)
        services.allocate(
            case, request.user, facilitator=data["facilitator"], co_facilitator=data.get("co_facilitator")
        )
        return Response(case_detail_body(request.user, reference))


# ---------------------------------------------------------------------------------------------------
# Transitions


class TransitionListView(APIView):
    @extend_schema(
        summary="The moves this user may make now, and the fields each needs",
        parameters=[REFERENCE],
        responses=moves.AvailableTransitionSerializer(many=True),
        tags=["transitions"],
    )
    def get(self, request, reference):
        case = visible_case(request, reference)
        offered = []
        withdrawn_by = withdrawn_by_allowed(case, request.user)
        for item in services.available_transitions(case, request.user):
            offered.append(
                {
                    "name": item["name"],
                    "label": item["label"],
                    "help": item["spec"].help,
                    "ready": not item["problems"],
                    "problems": item["problems"],
                    "fields": moves.transition_fields(item["name"], withdrawn_by),
                    "url": reverse("api:transition-take", args=[case.reference, item["name"]]),
                }
            )
        return as_list(moves.AvailableTransitionSerializer, offered)


class TransitionTakeView(APIView):
    @extend_schema(
        summary="Make one move",
        description="200 with the new state; 403 not this user's to make; 409 the case is in another state or "
        "was changed meanwhile (code `state` or `concurrent`); 422 a guard is unmet or an input is "
        "missing (code `guard` or `input`, with `reasons`).",
        parameters=[
            REFERENCE,
            OpenApiParameter("name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(services.TRANSITIONS)),
        ],
        request=moves.TransitionInSerializer,
        responses=moves.TransitionOutSerializer,
        tags=["transitions"],
    )
    def post(self, request, reference, name):
        case = visible_case(request, reference)
        if name not in services.TRANSITIONS:
            raise ApiError(status.HTTP_404_NOT_FOUND, "not_found", f"There is no move called {name!r}.")
        data = validated(moves.TransitionInSerializer, request.data)
        expected = data.pop("expected_state", None)
        if expected and expected != case.state:
            raise services.TransitionRefused("concurrent", [services.CHANGED_BY_SOMEONE_ELSE])
        spec = services.TRANSITIONS[name]
        inputs = {field: data[field] for field in spec.fields if field in data}
        case = services.take_transition(case, request.user, name, **inputs)
        return Response(
            moves.TransitionOutSerializer(
                {
                    "reference": case.reference,
                    "transition": name,
                    "state": case.state,
                    "state_label": case.get_state_display(),
                    "outcome": case.outcome,
                    "url": s.case_url(case),
                }
            ).data
        )


# ---------------------------------------------------------------------------------------------------
# Timeline


class TimelineView(APIView):
    @extend_schema(
        summary="The case's life: moves (for everyone); changes, notes, contacts and letters (for those who may "
        "see details)",
        parameters=[REFERENCE, OpenApiParameter("newest_first", OpenApiTypes.BOOL)],
        responses=moves.TimelineEntrySerializer(many=True),
        tags=TAGS_CASES,
    )
    def get(self, request, reference):
        case = visible_case(request, reference, what=ReadAccess.What.TIMELINE)
        newest_first = request.query_params.get("newest_first", "").lower() in {"1", "true", "yes"}
        return as_list(moves.TimelineEntrySerializer, selectors.timeline(case, request.user, newest_first=newest_first))


# ---------------------------------------------------------------------------------------------------
# Parties, consent, assessment, notes, contacts


class PartyListView(APIView):
    @extend_schema(
        summary="The people in the case, with contact details (a caseworker: their own client's only; "
        "of anyone else the role and first name)",
        parameters=[REFERENCE],
        responses=s.PartySerializer(many=True),
        tags=["people"],
    )
    def get(self, request, reference):
        case = detailed_case(request, reference)
        parties = list(case.parties.select_related("case", "caseworker").prefetch_related("consents"))
        for party in parties:
            if may_see_party_details(case, request.user, party):
                services.log_read(request.user, case, ReadAccess.What.PARTY, party.pk, request.path)
        return Response(s.PartySerializer(parties, many=True, context={"user": request.user}).data)

    @extend_schema(
        summary="Add a person to the case",
        parameters=[REFERENCE],
        request=s.PartyInSerializer,
        responses={201: s.PartySerializer},
        tags=["people"],
    )
    def post(self, request, reference):
        case = detailed_case(request, reference)
        fields = dict(validated(s.PartyInSerializer, request.data, case=case))
        party = services.add_party(
            case,
            request.user,
            role=fields.pop("role"),
            first_name=fields.pop("first_name"),
            last_name=fields.pop("last_name", ""),
            **fields,
        )
        return Response(s.PartySerializer(party).data, status=status.HTTP_201_CREATED)


class PartyDetailView(APIView):
    @extend_schema(
        summary="One person, with contact details", parameters=[REFERENCE], responses=s.PartySerializer, tags=["people"]
    )
    def get(self, request, reference, party_id):
        case = detailed_case(request, reference)
        party = case_party(case, party_id)
        if not may_see_party_details(case, request.user, party):
            forbid("A caseworker sees their own client's details only.")
        services.log_read(request.user, case, ReadAccess.What.PARTY, party.pk, request.path)
        return Response(s.PartySerializer(party).data)

    @extend_schema(
        summary="Change a person's details",
        parameters=[REFERENCE],
        request=s.PartyInSerializer,
        responses=s.PartySerializer,
        tags=["people"],
    )
    def patch(self, request, reference, party_id):
        case = detailed_case(request, reference)
        party = case_party(case, party_id)
        serializer = s.PartyInSerializer(party, data=request.data, partial=True, context={"case": case})
        serializer.is_valid(raise_exception=True)
        party = services.update_party(party, request.user, **serializer.validated_data)
        return Response(s.PartySerializer(party).data)


class ConsentListView(APIView):
    @extend_schema(
        summary="Every consent recorded on the case",
        parameters=[REFERENCE],
        responses=s.ConsentSerializer(many=True),
        tags=["people"],
    )
    def get(self, request, reference):
        case = detailed_case(request, reference)
        consents = Consent.objects.filter(party__case=case).select_related("recorded_by", "party")
        return as_list(s.ConsentSerializer, [c for c in consents if may_see_party_details(case, request.user, c.party)])


class PartyConsentView(APIView):
    @extend_schema(
        summary="Record a person's written consent",
        parameters=[REFERENCE],
        request=s.ConsentInSerializer,
        responses={201: s.ConsentSerializer},
        tags=["people"],
    )
    def post(self, request, reference, party_id):
        case = detailed_case(request, reference)
        party = case_party(case, party_id)
        data = validated(s.ConsentInSerializer, request.data)
        consent = services.record_consent(party, request.user, **data)
        return Response(s.ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)


class ConsentWithdrawalView(APIView):
    @extend_schema(
        summary="Record a withdrawal of consent",
        parameters=[REFERENCE],
        request=s.ConsentWithdrawalSerializer,
        responses=s.ConsentSerializer,
        tags=["people"],
    )
    def post(self, request, reference, consent_id):
        case = detailed_case(request, reference)
        consent = Consent.objects.filter(party__case=case, pk=consent_id).select_related("party__case").first()
        if consent is None:
            raise ApiError(status.HTTP_404_NOT_FOUND, "not_found", "No such consent on this case.")
        data = validated(s.ConsentWithdrawalSerializer, request.data)
        consent = services.withdraw_consent(
            consent, request.user, withdrawn_on=data["withdrawn_on"], reason=data["reason"]
        )
        return Response(s.ConsentSerializer(consent).data)


class AssessmentListView(APIView):
    @extend_schema(
        summary="Every assessment on the case",
        parameters=[REFERENCE],
        responses=s.AssessmentSerializer(many=True),
        tags=["people"],
    )
    def get(self, request, reference):
        case = detailed_case(request, reference)
        assessments = Assessment.objects.filter(party__case=case).select_related("assessor", "signed_off_by", "party")
        return as_list(
            s.AssessmentSerializer, [a for a in assessments if may_see_party_details(case, request.user, a.party)]
        )


class PartyAssessmentView(APIView):
    @extend_schema(
        summary="Record a suitability and risk assessment",
        parameters=[REFERENCE],
        request=s.AssessmentInSerializer,
        responses={201: s.AssessmentSerializer},
        tags=["people"],
    )
    def post(self, request, reference, party_id):
        case = detailed_case(request, reference)
        party = case_party(case, party_id)
        data = validated(s.AssessmentInSerializer, request.data)
        if party.role != Party.Role.RESPONSIBLE:
            data["acknowledges_facts"] = data["accepts_responsibility"] = None
        data["risk_factors"] = data["risk_factors"].strip()
        data["mitigations"] = data["mitigations"].strip()
        assessment = services.record_assessment(party, request.user, **data)
        return Response(s.AssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)


class AssessmentSignOffView(APIView):
    @extend_schema(
        summary="Sign off a high-risk assessment (managers)",
        parameters=[REFERENCE],
        request=s.SignOffSerializer,
        responses=s.AssessmentSerializer,
        tags=["people"],
    )
    def post(self, request, reference, assessment_id):
        case = detailed_case(request, reference)
        assessment = Assessment.objects.filter(party__case=case, pk=assessment_id).first()
        if assessment is None:
            raise ApiError(status.HTTP_404_NOT_FOUND, "not_found", "No such assessment on this case.")
        data = validated(s.SignOffSerializer, request.data)
        assessment = services.sign_off_assessment(assessment, request.user, note=data["note"].strip())
        return Response(s.AssessmentSerializer(assessment).data)


class NoteListView(APIView):
    @extend_schema(
        summary="The case notes", parameters=[REFERENCE], responses=s.NoteSerializer(many=True), tags=TAGS_CASES
    )
    def get(self, request, reference):
        case = detailed_case(request, reference)
        notes = notes_visible_to(case, request.user).select_related("author", "case").prefetch_related("shared_with")
        return Response(
            s.NoteSerializer(notes.order_by("created_at", "id"), many=True, context={"user": request.user}).data
        )

    @extend_schema(
        summary="Add a case note",
        parameters=[REFERENCE],
        request=s.NoteSerializer,
        responses={201: s.NoteSerializer},
        tags=TAGS_CASES,
    )
    def post(self, request, reference):
        case = detailed_case(request, reference)
        data = validated(s.NoteSerializer, request.data)
        # Only the case's facilitators and managers name who may read it (the service refuses anyone else: 403).
        note = services.add_note(case, request.user, body=data["body"], shared_with=data.get("shared_with", []))
        return Response(s.NoteSerializer(note, context={"user": request.user}).data, status=status.HTTP_201_CREATED)


class ContactListView(APIView):
    @extend_schema(
        summary="Contact attempts", parameters=[REFERENCE], responses=s.ContactSerializer(many=True), tags=["people"]
    )
    def get(self, request, reference):
        case = detailed_case(request, reference)
        return as_list(s.ContactSerializer, selectors.contacts_for_user(case, request.user))

    @extend_schema(
        summary="Log a contact attempt",
        parameters=[REFERENCE],
        request=s.ContactInSerializer,
        responses={201: s.ContactSerializer},
        tags=["people"],
    )
    def post(self, request, reference):
        case = detailed_case(request, reference)
        data = validated(s.ContactInSerializer, request.data, case=case)
        contact = services.record_contact(
            case,
            request.user,
            party=data.get("party"),
            at=data["at"],
            method=data["method"],
            result=data["result"],
            rj_information_given=data["rj_information_given"],
            notes=data["notes"].strip(),
            time_known=data["time_known"],
            outside_safe_times_reason=data["outside_safe_times_reason"],
        )
        return Response(s.ContactSerializer(contact).data, status=status.HTTP_201_CREATED)
