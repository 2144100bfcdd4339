"""The API's views. Each is thin: it starts from a case the token's user may see (404 outside it), writes a
read access row, checks the shape of the input, calls the same service as the web page, and answers.
Permission, state and guard checks are the services'; ``api.errors`` maps their refusals to statuses."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import roles
from api import serializers as s
from api.errors import ApiError
from api.idempotency import HEADER as IDEMPOTENCY_HEADER
from api.idempotency import idempotent
from conferences import selectors as work_selectors
from conferences import services as work
from conferences.models import Activity, AgreementAction
from insights import access as insights_access
from insights.selectors import Filters, Period, hotspots, load_reference
from insights.stats import HOTSPOT_MIN_COUNT, HOTSPOT_P_VALUE
from rjcases import selectors, services
from rjcases.forms import routes_for
from rjcases.models import (
    Assessment,
    Case,
    Consent,
    CrimeType,
    HateStrand,
    Incident,
    Party,
    ReadAccess,
    ReferralRoute,
    Ward,
)
from rjcases.permissions import can_edit_case_work, can_see_details

REFERENCE = OpenApiParameter("reference", OpenApiTypes.STR, OpenApiParameter.PATH,
                             description="The case reference, e.g. RJ-2026-00042")
SUMMARY_ONLY = "Referrers see a case's status, dates and outcome only."
TAGS_CASES = ["cases"]
TAGS_WORK = ["restorative work"]

# ---------------------------------------------------------------------------------------------------
# Shared steps


def _forbid(message: str):
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
        _forbid(SUMMARY_ONLY)
    return case


def editable_case(request, reference: str) -> Case:
    """A case whose work this user may change: its facilitators and managers (the service checks again)."""
    case = visible_case(request, reference)
    if not can_edit_case_work(case, request.user):
        _forbid("Only the case's facilitator, its co-facilitator or a manager can change this case.")
    return case


def full_work_case(request, reference: str) -> Case:
    """A case whose restorative work (activities, preparation, follow-up) the user may see in full."""
    case = visible_case(request, reference)
    if work_selectors.access_level(case, request.user) != work_selectors.FULL:
        _forbid("Only the case's facilitators and managers see its restorative work in full.")
    return case


def _validated(serializer_class, data, **context):
    serializer = serializer_class(data=data, context=context)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _party(case: Case, party_id: int) -> Party:
    party = Party.objects.filter(case=case, pk=party_id).select_related("case", "caseworker").first()
    if party is None:
        raise ApiError(status.HTTP_404_NOT_FOUND, "not_found", "No such person on this case.")
    return party


def _list(serializer_class, items) -> Response:
    return Response(serializer_class(items, many=True).data)


class CasePagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


# ---------------------------------------------------------------------------------------------------
# Who is calling; reference data


class MeView(APIView):
    @extend_schema(summary="The token's user, role and organisation", responses=s.MeSerializer, tags=["account"])
    def get(self, request):
        user = request.user
        return Response(s.MeSerializer({
            "username": user.username, "name": user.get_full_name() or user.username,
            "role": roles.primary_role(user), "role_label": roles.role_label(user),
            "organisation": str(user.organisation) if user.organisation_id else None,
            "token_name": request.auth.name,
        }).data)


class ReferenceDataView(APIView):
    @extend_schema(summary="Codes for routes, strands, wards, crime types", responses=s.ReferenceDataSerializer,
                   tags=["account"])
    def get(self, request):
        def codes(model):
            return [{"code": row.code, "name": row.name} for row in model.objects.all()]

        return Response(s.ReferenceDataSerializer({
            "routes": codes(ReferralRoute), "my_routes": [route.code for route in routes_for(request.user)],
            "strands": codes(HateStrand), "wards": codes(Ward), "crime_types": codes(CrimeType),
            "perceived_by": [{"code": v, "name": label} for v, label in Incident.PerceivedBy.choices],
        }).data)


# ---------------------------------------------------------------------------------------------------
# Referrals and cases


class ReferralView(APIView):
    @extend_schema(
        summary="Send a referral",
        description="Makes a case in referral. Send an `Idempotency-Key` header (e.g. a UUID) to retry safely: "
                    "the same key and body return the first answer; the same key with another body is a 422.",
        request=s.ReferralInSerializer, responses={201: s.ReferralOutSerializer},
        parameters=[OpenApiParameter(IDEMPOTENCY_HEADER, OpenApiTypes.STR, OpenApiParameter.HEADER,
                                     description="Any unique string up to 255 characters, e.g. a UUID")],
        tags=TAGS_CASES,
    )
    def post(self, request):
        return idempotent(request, lambda: self._refer(request))

    def _refer(self, request) -> Response:
        user = request.user
        allowed = {route.code for route in routes_for(user)}
        if not allowed:
            _forbid("You cannot make referrals.")
        data = _validated(s.ReferralInSerializer, request.data)
        route = data["route"]
        if route.code not in allowed:
            raise ApiError(status.HTTP_422_UNPROCESSABLE_ENTITY, "invalid", "Check the fields named: route.",
                           fields={"route": [f"You cannot refer by this route. Yours: {', '.join(sorted(allowed))}."]})
        parties = []
        for party in data["parties"]:
            fields = dict(party)
            role = fields.pop("role")
            fields.pop("participating", None)
            if role == Party.Role.HARMED and roles.is_caseworker(user):
                fields["caseworker"] = user
            parties.append(services.PartyData(role, fields.pop("first_name"), fields.pop("last_name", ""), fields))
        anonymous = route.code == "reporting-centre" and data.get("report_kind") == "anonymous"
        if anonymous and not any(p.role == Party.Role.HARMED for p in parties):
            parties.insert(0, services.PartyData(Party.Role.HARMED, "Anonymous", "", {}))
        referrer = data.get("referrer") or {}
        case_fields = {
            "referrer_name": (referrer.get("name") or user.get_full_name() or user.username).strip(),
            "referrer_contact": (referrer.get("contact") or user.email).strip(),
            "enhanced_rights": data["enhanced_rights"],
            "enhanced_rights_reason": data["enhanced_rights_reason"].strip() if data["enhanced_rights"] else "",
        }
        if route.code == "reporting-centre":
            case_fields["report_kind"] = data["report_kind"]
            case_fields["consents_to_police"] = data["consents_to_police"]
            if roles.is_centre_staff(user) and user.organisation_id:
                case_fields["reporting_centre"] = user.organisation
        incident = dict(data["incident"])
        incident["summary"] = incident["summary"].strip()
        case = services.create_referral(
            user, route=route, incident=incident, strands=data["strands"], parties=parties,
            received_on=data.get("received_on"), **case_fields,
        )
        body = s.ReferralOutSerializer({"reference": case.reference, "state": case.state,
                                        "received_on": case.received_on, "url": s.case_url(case)}).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": s.case_url(case)})


class CaseListView(APIView):
    pagination_class = CasePagination

    @extend_schema(
        summary="The cases this token's user may see",
        parameters=[s.CaseFilterSerializer,
                    OpenApiParameter("page", OpenApiTypes.INT, description="Page number, from 1"),
                    OpenApiParameter("page_size", OpenApiTypes.INT, description="Up to 100; 25 by default")],
        responses=s.CaseSummarySerializer(many=True), tags=TAGS_CASES,
    )
    def get(self, request):
        filters = _validated(s.CaseFilterSerializer, request.query_params)
        detailed = selectors.sees_details_in_lists(request.user)
        if not detailed:
            refused = {name: ["Filtering by this is for RJ staff and caseworkers. " + SUMMARY_ONLY]
                       for name in ("strand", "ward") if name in filters}
            if refused:
                raise ApiError(status.HTTP_422_UNPROCESSABLE_ENTITY, "invalid", SUMMARY_ONLY, fields=refused)
        cases = selectors.filter_cases(request.user, filters)
        if filters.get("updated_since"):
            cases = cases.filter(updated_at__gte=filters["updated_since"])
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(cases, request, view=self)
        return paginator.get_paginated_response(s.CaseSummarySerializer(page, many=True).data)


def case_detail_body(user, reference: str) -> dict:
    """The case as this user may see it: the summary for everyone, the details only where they may."""
    case = selectors.get_case_for_user(user, reference, detailed=False)
    detailed = can_see_details(case, user)
    if detailed:
        case = selectors.get_case_for_user(user, reference, detailed=True)
    data = s.CaseSummarySerializer(case).data
    data["activity_took_place"] = case.activities.filter(status=Activity.Status.TOOK_PLACE).exists()
    data["details"] = s.CaseDetailsSerializer(case).data if detailed else None
    return data


class CaseDetailView(APIView):
    @extend_schema(summary="One case", parameters=[REFERENCE], responses=s.CaseDetailSerializer, tags=TAGS_CASES)
    def get(self, request, reference):
        visible_case(request, reference)
        return Response(case_detail_body(request.user, reference))


class AllocationView(APIView):
    @extend_schema(summary="Allocate the facilitator (managers)", parameters=[REFERENCE],
                   request=s.AllocationSerializer, responses=s.CaseDetailSerializer, tags=TAGS_CASES)
    def put(self, request, reference):
        case = visible_case(request, reference)
        data = _validated(s.AllocationSerializer, request.data)
        services.allocate(case, request.user, facilitator=data["facilitator"],
                          co_facilitator=data.get("co_facilitator"))
        return Response(case_detail_body(request.user, reference))


# ---------------------------------------------------------------------------------------------------
# Transitions


class TransitionListView(APIView):
    @extend_schema(summary="The moves this user may make now, and the fields each needs", parameters=[REFERENCE],
                   responses=s.AvailableTransitionSerializer(many=True), tags=["transitions"])
    def get(self, request, reference):
        case = visible_case(request, reference)
        offered = []
        for item in services.available_transitions(case, request.user):
            offered.append({
                "name": item["name"], "label": item["label"], "help": item["spec"].help,
                "ready": not item["problems"], "problems": item["problems"],
                "fields": s.transition_fields(item["name"]),
                "url": reverse("api:transition-take", args=[case.reference, item["name"]]),
            })
        return _list(s.AvailableTransitionSerializer, offered)


class TransitionTakeView(APIView):
    @extend_schema(
        summary="Make one move",
        description="200 with the new state; 403 not this user's to make; 409 the case is in another state or "
                    "was changed meanwhile (code `state` or `concurrent`); 422 a guard is unmet or an input is "
                    "missing (code `guard` or `input`, with `reasons`).",
        parameters=[REFERENCE, OpenApiParameter("name", OpenApiTypes.STR, OpenApiParameter.PATH,
                                                enum=list(services.TRANSITIONS))],
        request=s.TransitionInSerializer, responses=s.TransitionOutSerializer, tags=["transitions"],
    )
    def post(self, request, reference, name):
        case = visible_case(request, reference)
        if name not in services.TRANSITIONS:
            raise ApiError(status.HTTP_404_NOT_FOUND, "not_found", f"There is no move called {name!r}.")
        data = _validated(s.TransitionInSerializer, request.data)
        expected = data.pop("expected_state", None)
        if expected and expected != case.state:
            raise services.TransitionRefused("concurrent", [services.CHANGED_BY_SOMEONE_ELSE])
        spec = services.TRANSITIONS[name]
        inputs = {field: data[field] for field in spec.fields if field in data}
        case = services.take_transition(case, request.user, name, **inputs)
        return Response(s.TransitionOutSerializer({
            "reference": case.reference, "transition": name, "state": case.state,
            "state_label": case.get_state_display(), "outcome": case.outcome, "url": s.case_url(case),
        }).data)


# ---------------------------------------------------------------------------------------------------
# Timeline


class TimelineView(APIView):
    @extend_schema(
        summary="The case's life: moves (for everyone); changes, notes, contacts and letters (for those who may "
                "see details)",
        parameters=[REFERENCE, OpenApiParameter("newest_first", OpenApiTypes.BOOL)],
        responses=s.TimelineEntrySerializer(many=True), tags=TAGS_CASES,
    )
    def get(self, request, reference):
        case = visible_case(request, reference, what=ReadAccess.What.TIMELINE)
        newest_first = request.query_params.get("newest_first", "").lower() in {"1", "true", "yes"}
        return _list(s.TimelineEntrySerializer, selectors.timeline(case, request.user, newest_first=newest_first))


# ---------------------------------------------------------------------------------------------------
# Parties, consent, assessment, notes, contacts


class PartyListView(APIView):
    @extend_schema(summary="The people in the case, with contact details", parameters=[REFERENCE],
                   responses=s.PartySerializer(many=True), tags=["people"])
    def get(self, request, reference):
        case = detailed_case(request, reference)
        parties = list(case.parties.select_related("caseworker").prefetch_related("consents"))
        for party in parties:
            services.log_read(request.user, case, ReadAccess.What.PARTY, party.pk, request.path)
        return _list(s.PartySerializer, parties)

    @extend_schema(summary="Add a person to the case", parameters=[REFERENCE], request=s.PartyInSerializer,
                   responses={201: s.PartySerializer}, tags=["people"])
    def post(self, request, reference):
        case = detailed_case(request, reference)
        fields = dict(_validated(s.PartyInSerializer, request.data, case=case))
        party = services.add_party(case, request.user, role=fields.pop("role"), first_name=fields.pop("first_name"),
                                   last_name=fields.pop("last_name", ""), **fields)
        return Response(s.PartySerializer(party).data, status=status.HTTP_201_CREATED)


class PartyDetailView(APIView):
    @extend_schema(summary="One person, with contact details", parameters=[REFERENCE],
                   responses=s.PartySerializer, tags=["people"])
    def get(self, request, reference, party_id):
        case = detailed_case(request, reference)
        party = _party(case, party_id)
        services.log_read(request.user, case, ReadAccess.What.PARTY, party.pk, request.path)
        return Response(s.PartySerializer(party).data)

    @extend_schema(summary="Change a person's details", parameters=[REFERENCE], request=s.PartyInSerializer,
                   responses=s.PartySerializer, tags=["people"])
    def patch(self, request, reference, party_id):
        case = detailed_case(request, reference)
        party = _party(case, party_id)
        serializer = s.PartyInSerializer(party, data=request.data, partial=True, context={"case": case})
        serializer.is_valid(raise_exception=True)
        party = services.update_party(party, request.user, **serializer.validated_data)
        return Response(s.PartySerializer(party).data)


class ConsentListView(APIView):
    @extend_schema(summary="Every consent recorded on the case", parameters=[REFERENCE],
                   responses=s.ConsentSerializer(many=True), tags=["people"])
    def get(self, request, reference):
        case = detailed_case(request, reference)
        return _list(s.ConsentSerializer, Consent.objects.filter(party__case=case).select_related("recorded_by"))


class PartyConsentView(APIView):
    @extend_schema(summary="Record a person's written consent", parameters=[REFERENCE],
                   request=s.ConsentInSerializer, responses={201: s.ConsentSerializer}, tags=["people"])
    def post(self, request, reference, party_id):
        case = detailed_case(request, reference)
        party = _party(case, party_id)
        data = _validated(s.ConsentInSerializer, request.data)
        consent = services.record_consent(party, request.user, **data)
        return Response(s.ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)


class ConsentWithdrawalView(APIView):
    @extend_schema(summary="Record a withdrawal of consent", parameters=[REFERENCE],
                   request=s.ConsentWithdrawalSerializer, responses=s.ConsentSerializer, tags=["people"])
    def post(self, request, reference, consent_id):
        case = detailed_case(request, reference)
        consent = Consent.objects.filter(party__case=case, pk=consent_id).select_related("party__case").first()
        if consent is None:
            raise ApiError(status.HTTP_404_NOT_FOUND, "not_found", "No such consent on this case.")
        data = _validated(s.ConsentWithdrawalSerializer, request.data)
        consent = services.withdraw_consent(consent, request.user, withdrawn_on=data["withdrawn_on"],
                                            reason=data["reason"])
        return Response(s.ConsentSerializer(consent).data)


class AssessmentListView(APIView):
    @extend_schema(summary="Every assessment on the case", parameters=[REFERENCE],
                   responses=s.AssessmentSerializer(many=True), tags=["people"])
    def get(self, request, reference):
        case = detailed_case(request, reference)
        assessments = Assessment.objects.filter(party__case=case).select_related("assessor", "signed_off_by")
        return _list(s.AssessmentSerializer, assessments)


class PartyAssessmentView(APIView):
    @extend_schema(summary="Record a suitability and risk assessment", parameters=[REFERENCE],
                   request=s.AssessmentInSerializer, responses={201: s.AssessmentSerializer}, tags=["people"])
    def post(self, request, reference, party_id):
        case = detailed_case(request, reference)
        party = _party(case, party_id)
        data = _validated(s.AssessmentInSerializer, request.data)
        if party.role != Party.Role.RESPONSIBLE:
            data["acknowledges_facts"] = data["accepts_responsibility"] = None
        data["risk_factors"] = data["risk_factors"].strip()
        data["mitigations"] = data["mitigations"].strip()
        assessment = services.record_assessment(party, request.user, **data)
        return Response(s.AssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)


class AssessmentSignOffView(APIView):
    @extend_schema(summary="Sign off a high-risk assessment (managers)", parameters=[REFERENCE],
                   request=s.SignOffSerializer, responses=s.AssessmentSerializer, tags=["people"])
    def post(self, request, reference, assessment_id):
        case = detailed_case(request, reference)
        assessment = Assessment.objects.filter(party__case=case, pk=assessment_id).first()
        if assessment is None:
            raise ApiError(status.HTTP_404_NOT_FOUND, "not_found", "No such assessment on this case.")
        data = _validated(s.SignOffSerializer, request.data)
        assessment = services.sign_off_assessment(assessment, request.user, note=data["note"].strip())
        return Response(s.AssessmentSerializer(assessment).data)


class NoteListView(APIView):
    @extend_schema(summary="The case notes", parameters=[REFERENCE], responses=s.NoteSerializer(many=True),
                   tags=TAGS_CASES)
    def get(self, request, reference):
        case = detailed_case(request, reference)
        return _list(s.NoteSerializer, case.notes.select_related("author"))

    @extend_schema(summary="Add a case note", parameters=[REFERENCE], request=s.NoteSerializer,
                   responses={201: s.NoteSerializer}, tags=TAGS_CASES)
    def post(self, request, reference):
        case = detailed_case(request, reference)
        data = _validated(s.NoteSerializer, request.data)
        note = services.add_note(case, request.user, body=data["body"])
        return Response(s.NoteSerializer(note).data, status=status.HTTP_201_CREATED)


class ContactListView(APIView):
    @extend_schema(summary="Contact attempts", parameters=[REFERENCE], responses=s.ContactSerializer(many=True),
                   tags=["people"])
    def get(self, request, reference):
        case = detailed_case(request, reference)
        return _list(s.ContactSerializer, case.contacts.select_related("by"))

    @extend_schema(summary="Log a contact attempt", parameters=[REFERENCE], request=s.ContactInSerializer,
                   responses={201: s.ContactSerializer}, tags=["people"])
    def post(self, request, reference):
        case = detailed_case(request, reference)
        data = _validated(s.ContactInSerializer, request.data, case=case)
        contact = services.record_contact(case, request.user, party=data.get("party"), at=data["at"],
                                          method=data["method"], result=data["result"],
                                          rj_information_given=data["rj_information_given"],
                                          notes=data["notes"].strip())
        return Response(s.ContactSerializer(contact).data, status=status.HTTP_201_CREATED)


# ---------------------------------------------------------------------------------------------------
# Restorative work: preparation, activities, agreement, follow-up, feedback


class PreparationContactListView(APIView):
    @extend_schema(summary="Preparation meetings and contacts", parameters=[REFERENCE],
                   responses=s.PreparationContactSerializer(many=True), tags=TAGS_WORK)
    def get(self, request, reference):
        case = full_work_case(request, reference)
        return _list(s.PreparationContactSerializer, case.preparation_contacts.select_related("by"))

    @extend_schema(summary="Record a preparation contact", parameters=[REFERENCE],
                   request=s.PreparationContactInSerializer, responses={201: s.PreparationContactSerializer},
                   tags=TAGS_WORK)
    def post(self, request, reference):
        case = editable_case(request, reference)
        data = _validated(s.PreparationContactInSerializer, request.data, case=case)
        contact = work.add_preparation_contact(case, request.user, **data)
        return Response(s.PreparationContactSerializer(contact).data, status=status.HTTP_201_CREATED)


class ActivityListView(APIView):
    @extend_schema(summary="Every restorative activity planned, newest first", parameters=[REFERENCE],
                   responses=s.ActivitySerializer(many=True), tags=TAGS_WORK)
    def get(self, request, reference):
        case = full_work_case(request, reference)
        return _list(s.ActivitySerializer, work_selectors.activities_for_page(case))

    @extend_schema(summary="Plan the restorative activity (in preparation)", parameters=[REFERENCE],
                   request=s.ActivityPlanSerializer, responses={201: s.ActivitySerializer}, tags=TAGS_WORK)
    def post(self, request, reference):
        case = editable_case(request, reference)
        data = _validated(s.ActivityPlanSerializer, request.data, case=case)
        activity = work.plan_activity(case, request.user, **data)
        return Response(s.ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)


def _activity(case: Case, activity_id: int) -> Activity:
    activity = Activity.objects.filter(case=case, pk=activity_id).select_related("case").first()
    if activity is None:
        raise ApiError(status.HTTP_404_NOT_FOUND, "not_found", "No such activity on this case.")
    return activity


class ActivityRescheduleView(APIView):
    @extend_schema(summary="Reschedule the planned activity (the old plan stays on the record)",
                   parameters=[REFERENCE], request=s.ActivityRescheduleSerializer,
                   responses={201: s.ActivitySerializer}, tags=TAGS_WORK)
    def post(self, request, reference, activity_id):
        case = editable_case(request, reference)
        activity = _activity(case, activity_id)
        data = _validated(s.ActivityRescheduleSerializer, request.data, case=case)
        activity = work.reschedule_activity(activity, request.user, **data)
        return Response(s.ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)


class ActivityTookPlaceView(APIView):
    @extend_schema(summary="Record that the activity took place", parameters=[REFERENCE],
                   request=s.ActivityTookPlaceSerializer, responses=s.ActivitySerializer, tags=TAGS_WORK)
    def post(self, request, reference, activity_id):
        case = editable_case(request, reference)
        activity = _activity(case, activity_id)
        data = _validated(s.ActivityTookPlaceSerializer, request.data, case=case)
        activity = work.record_activity_took_place(activity, request.user, **data)
        return Response(s.ActivitySerializer(activity).data)


class AgreementView(APIView):
    @extend_schema(summary="The current outcome agreement and its actions", parameters=[REFERENCE],
                   responses=s.AgreementSerializer, tags=TAGS_WORK)
    def get(self, request, reference):
        case = visible_case(request, reference)
        if work_selectors.access_level(case, request.user) == work_selectors.OUTCOME:
            _forbid("The agreement is for the case's facilitators, managers and the caseworkers of its people "
                    "harmed. " + SUMMARY_ONLY)
        agreement = work_selectors.agreement_for_page(case)
        if agreement is None:
            raise ApiError(status.HTTP_404_NOT_FOUND, "not_found", "No agreement is recorded on this case.")
        return Response(s.AgreementSerializer(agreement).data)

    @extend_schema(summary="Record who signed the agreement and when (while conferencing)", parameters=[REFERENCE],
                   request=s.AgreementInSerializer, responses=s.AgreementSerializer, tags=TAGS_WORK)
    def put(self, request, reference):
        case = editable_case(request, reference)
        data = _validated(s.AgreementInSerializer, request.data, case=case)
        agreement = work.save_agreement(case, request.user, **data)
        return Response(s.AgreementSerializer(agreement).data)


def _action(case: Case, action_id: int) -> AgreementAction:
    action = AgreementAction.objects.filter(agreement__case=case, pk=action_id).select_related(
        "agreement__case").first()
    if action is None:
        raise ApiError(status.HTTP_404_NOT_FOUND, "not_found", "No such action on this case's agreement.")
    return action


class AgreementActionListView(APIView):
    @extend_schema(summary="Add an action to the draft agreement", parameters=[REFERENCE],
                   request=s.AgreementActionInSerializer, responses={201: s.AgreementActionSerializer},
                   tags=TAGS_WORK)
    def post(self, request, reference):
        case = editable_case(request, reference)
        data = _validated(s.AgreementActionInSerializer, request.data, case=case)
        action = work.add_action(case, request.user, **data)
        return Response(s.AgreementActionSerializer(action).data, status=status.HTTP_201_CREATED)


class AgreementActionDetailView(APIView):
    @extend_schema(summary="Remove an action from the draft agreement", parameters=[REFERENCE],
                   responses={204: None}, tags=TAGS_WORK)
    def delete(self, request, reference, action_id):
        case = editable_case(request, reference)
        work.remove_action(_action(case, action_id), request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ActionDoneView(APIView):
    @extend_schema(summary="Mark an action done (each person harmed is recorded as told)", parameters=[REFERENCE],
                   request=s.ActionDoneSerializer, responses=s.AgreementActionSerializer, tags=TAGS_WORK)
    def post(self, request, reference, action_id):
        case = editable_case(request, reference)
        action = _action(case, action_id)
        data = _validated(s.ActionDoneSerializer, request.data)
        action = work.mark_action_done(action, request.user, **data)
        return Response(s.AgreementActionSerializer(action).data)


class ActionMissedView(APIView):
    @extend_schema(summary="Mark an action missed", parameters=[REFERENCE], request=s.ActionMissedSerializer,
                   responses=s.AgreementActionSerializer, tags=TAGS_WORK)
    def post(self, request, reference, action_id):
        case = editable_case(request, reference)
        action = _action(case, action_id)
        data = _validated(s.ActionMissedSerializer, request.data)
        action = work.mark_action_missed(action, request.user, **data)
        return Response(s.AgreementActionSerializer(action).data)


class FollowUpListView(APIView):
    @extend_schema(summary="Monitoring contacts after the agreement", parameters=[REFERENCE],
                   responses=s.FollowUpSerializer(many=True), tags=TAGS_WORK)
    def get(self, request, reference):
        case = full_work_case(request, reference)
        return _list(s.FollowUpSerializer, work_selectors.follow_ups_for_page(case))

    @extend_schema(summary="Record a monitoring contact", parameters=[REFERENCE], request=s.FollowUpInSerializer,
                   responses={201: s.FollowUpSerializer}, tags=TAGS_WORK)
    def post(self, request, reference):
        case = editable_case(request, reference)
        data = _validated(s.FollowUpInSerializer, request.data, case=case)
        follow_up = work.record_follow_up(case, request.user, party=data.get("party"), at=data["at"],
                                          method=data["method"], notes=data["notes"], action=data.get("action"))
        return Response(s.FollowUpSerializer(follow_up).data, status=status.HTTP_201_CREATED)


class FeedbackListView(APIView):
    @extend_schema(summary="Participants' feedback this user may see", parameters=[REFERENCE],
                   responses=s.FeedbackSerializer(many=True), tags=TAGS_WORK)
    def get(self, request, reference):
        case = visible_case(request, reference)
        if work_selectors.access_level(case, request.user) == work_selectors.OUTCOME:
            _forbid("Feedback is for the case's facilitators, managers and the caseworkers of its people harmed.")
        people, feedback, _wellbeing = work_selectors.feedback_for_page(case, request.user)
        return _list(s.FeedbackSerializer, [feedback[p.pk] for p in people if p.pk in feedback])

    @extend_schema(summary="Record a participant's feedback at closure", parameters=[REFERENCE],
                   request=s.FeedbackInSerializer, responses={201: s.FeedbackSerializer}, tags=TAGS_WORK)
    def post(self, request, reference):
        case = visible_case(request, reference)
        data = _validated(s.FeedbackInSerializer, request.data, case=case)
        feedback = work.record_feedback(case, request.user, **data)
        return Response(s.FeedbackSerializer(feedback).data, status=status.HTTP_201_CREATED)


# ---------------------------------------------------------------------------------------------------
# Letters


def _letter_row(letter) -> dict:
    return {
        "id": letter.pk, "kind": letter.kind, "kind_label": letter.get_kind_display(),
        "recipient": letter.recipient_name, "to_referrer": letter.to_referrer, "format": letter.format,
        "version": letter.version, "status": letter.status, "generated_at": letter.generated_at,
        "sent_at": letter.sent_at, "sha256": letter.sha256, "size": letter.size,
        "pdf_url": reverse("api:letter-pdf", args=[letter.case.reference, letter.pk]),
    }


class LetterListView(APIView):
    @extend_schema(summary="The case's letters, newest first", parameters=[REFERENCE],
                   responses=s.LetterSerializer(many=True), tags=["letters"])
    def get(self, request, reference):
        from letters import selectors as letter_selectors

        case = detailed_case(request, reference)
        return _list(s.LetterSerializer, [_letter_row(letter) for letter in letter_selectors.letters_for_case(case)])


class LetterPdfView(APIView):
    @extend_schema(summary="One letter as the PDF sent", parameters=[REFERENCE],
                   responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF")},
                   tags=["letters"])
    def get(self, request, reference, letter_id):
        from letters import services as letter_services
        from letters.services import LetterFileChanged

        case = detailed_case(request, reference)
        letter = case.letters.filter(pk=letter_id).first()
        if letter is None:
            raise ApiError(status.HTTP_404_NOT_FOUND, "not_found", "No such letter on this case.")
        try:
            data = letter_services.letter_bytes(letter)
        except LetterFileChanged as problem:
            raise ApiError(status.HTTP_409_CONFLICT, "letter_file_changed", str(problem))
        except FileNotFoundError:
            raise ApiError(status.HTTP_409_CONFLICT, "letter_file_missing",
                           "The stored file of this letter is missing. Regenerate the letter.")
        services.log_read(request.user, case, ReadAccess.What.DOCUMENT, letter.pk, request.path)
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{letter.download_name}"'
        response["Cache-Control"] = "no-store, private"
        return response


# ---------------------------------------------------------------------------------------------------
# Insights


def _code_name(row) -> dict:
    return {"code": row.code, "name": row.name}


HOTSPOT_METHOD = (
    "A ward's count for a crime type or strand is compared with what the borough-wide count and the ward's "
    "population predict (expected = borough count × ward population / borough population); it is flagged when "
    f"at least {HOTSPOT_MIN_COUNT} cases were received and P(X ≥ observed) < {HOTSPOT_P_VALUE} for X Poisson with "
    "that expectation. Cases are counted by the day they were received; a case with two strands counts once "
    "under each strand and once in the total."
)


class HotspotsView(APIView):
    @extend_schema(
        summary="Where hate incidents were reported: ward × crime type × strand, flags, months and routes",
        description=HOTSPOT_METHOD,
        parameters=[OpenApiParameter("from", OpenApiTypes.DATE, required=True, description="First day, YYYY-MM-DD"),
                    OpenApiParameter("to", OpenApiTypes.DATE, required=True, description="Last day, YYYY-MM-DD")],
        responses=s.HotspotsSerializer, tags=["insights"],
    )
    def get(self, request):
        if not insights_access.sees_hotspots(request.user):
            _forbid("Hotspot figures are for RJ staff, police referrers and victims' caseworkers.")
        data = _validated(s.HotspotQuerySerializer, request.query_params)
        period = Period(data["from"], data["to"])
        found = hotspots(Filters(period=period), load_reference())
        return Response(s.HotspotsSerializer({
            "date_from": period.start, "date_to": period.end, "total_cases": found.total,
            "strand_links": found.strand_links,
            "counts": [{"ward": _code_name(w), "crime_type": _code_name(c), "strand": _code_name(st), "count": n}
                       for w, c, st, n in found.full],
            "flags": [{"ward": _code_name(f.ward), "kind": f.kind, "category": f.category, "observed": f.observed,
                       "expected": f.expected, "p_value": f.p_value} for f in found.flags],
            "method": HOTSPOT_METHOD,
            "months": [{"month": m, "count": n, "change": change} for m, n, change in found.months],
            "routes": [{"route": label, "count": n} for label, n in found.routes],
        }).data)


# ---------------------------------------------------------------------------------------------------
# Unknown paths under /api/v1/


class NotFoundView(APIView):
    permission_classes = [AllowAny]
    throttle_classes: list = []

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        raise ApiError(status.HTTP_404_NOT_FOUND, "not_found", "There is no such API path. See /api/v1/docs/.")

    post = put = patch = delete = get

