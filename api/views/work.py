"""The restorative work on a case: preparation, activities, agreement, follow-up, feedback."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from api.errors import ApiError
from api.serializers import work as w
from api.views.common import (
    REFERENCE,
    SUMMARY_ONLY,
    TAGS_WORK,
    as_list,
    editable_case,
    forbid,
    full_work_case,
    validated,
    visible_case,
)
from conferences import selectors as work_selectors
from conferences import services as work
from conferences.models import Activity, AgreementAction
from rjcases.models import Case

# ---------------------------------------------------------------------------------------------------
# Restorative work: preparation, activities, agreement, follow-up, feedback


class PreparationContactListView(APIView):
    @extend_schema(
        summary="Preparation meetings and contacts",
        parameters=[REFERENCE],
        responses=w.PreparationContactSerializer(many=True),
        tags=TAGS_WORK,
    )
    def get(self, request, reference):
        case = full_work_case(request, reference)
        return as_list(w.PreparationContactSerializer, case.preparation_contacts.select_related("by"))

    @extend_schema(
        summary="Record a preparation contact",
        parameters=[REFERENCE],
        request=w.PreparationContactInSerializer,
        responses={201: w.PreparationContactSerializer},
        tags=TAGS_WORK,
    )
    def post(self, request, reference):
        case = editable_case(request, reference)
        data = validated(w.PreparationContactInSerializer, request.data, case=case)
        contact = work.add_preparation_contact(case, request.user, **data)
        return Response(w.PreparationContactSerializer(contact).data, status=status.HTTP_201_CREATED)


class ActivityListView(APIView):
    @extend_schema(
        summary="Every restorative activity planned, newest first",
        parameters=[REFERENCE],
        responses=w.ActivitySerializer(many=True),
        tags=TAGS_WORK,
    )
    def get(self, request, reference):
        case = full_work_case(request, reference)
        return as_list(w.ActivitySerializer, work_selectors.activities_for_page(case))

    @extend_schema(
        summary="Plan the restorative activity (in preparation)",
        parameters=[REFERENCE],
        request=w.ActivityPlanSerializer,
        responses={201: w.ActivitySerializer},
        tags=TAGS_WORK,
    )
    def post(self, request, reference):
        case = editable_case(request, reference)
        data = validated(w.ActivityPlanSerializer, request.data, case=case)
        activity = work.plan_activity(case, request.user, **data)
        return Response(w.ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)


def _activity(case: Case, activity_id: int) -> Activity:
    activity = Activity.objects.filter(case=case, pk=activity_id).select_related("case").first()
    if activity is None:
        raise ApiError(status.HTTP_404_NOT_FOUND, "not_found", "No such activity on this case.")
    return activity


class ActivityRescheduleView(APIView):
    @extend_schema(
        summary="Reschedule the planned activity (the old plan stays on the record)",
        parameters=[REFERENCE],
        request=w.ActivityRescheduleSerializer,
        responses={201: w.ActivitySerializer},
        tags=TAGS_WORK,
    )
    def post(self, request, reference, activity_id):
        case = editable_case(request, reference)
        activity = _activity(case, activity_id)
        data = validated(w.ActivityRescheduleSerializer, request.data, case=case)
        activity = work.reschedule_activity(activity, request.user, **data)
        return Response(w.ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)


class ActivityTookPlaceView(APIView):
    @extend_schema(
        summary="Record that the activity took place",
        parameters=[REFERENCE],
        request=w.ActivityTookPlaceSerializer,
        responses=w.ActivitySerializer,
        tags=TAGS_WORK,
    )
    def post(self, request, reference, activity_id):
        case = editable_case(request, reference)
        activity = _activity(case, activity_id)
        data = validated(w.ActivityTookPlaceSerializer, request.data, case=case)
        activity = work.record_activity_took_place(activity, request.user, **data)
        return Response(w.ActivitySerializer(activity).data)


class AgreementView(APIView):
    @extend_schema(
        summary="The current outcome agreement and its actions",
        parameters=[REFERENCE],
        responses=w.AgreementSerializer,
        tags=TAGS_WORK,
    )
    def get(self, request, reference):
        case = visible_case(request, reference)
        if work_selectors.access_level(case, request.user) == work_selectors.OUTCOME:
            forbid(
                "The agreement is for the case's facilitators, managers and the caseworkers of its people "
                "harmed. " + SUMMARY_ONLY
            )
        agreement = work_selectors.agreement_for_page(case)
        if agreement is None:
            raise ApiError(status.HTTP_404_NOT_FOUND, "not_found", "No agreement is recorded on this case.")
        return Response(w.AgreementSerializer(agreement).data)

    @extend_schema(
        summary="Record who signed the agreement and when (while conferencing)",
        parameters=[REFERENCE],
        request=w.AgreementInSerializer,
        responses=w.AgreementSerializer,
        tags=TAGS_WORK,
    )
    def put(self, request, reference):
        case = editable_case(request, reference)
        data = validated(w.AgreementInSerializer, request.data, case=case)
        agreement = work.save_agreement(case, request.user, **data)
        return Response(w.AgreementSerializer(agreement).data)


def _action(case: Case, action_id: int) -> AgreementAction:
    action = (
        AgreementAction.objects.filter(agreement__case=case, pk=action_id).select_related("agreement__case").first()
    )
    if action is None:
        raise ApiError(status.HTTP_404_NOT_FOUND, "not_found", "No such action on this case's agreement.")
    return action


class AgreementActionListView(APIView):
    @extend_schema(
        summary="Add an action to the draft agreement",
        parameters=[REFERENCE],
        request=w.AgreementActionInSerializer,
        responses={201: w.AgreementActionSerializer},
        tags=TAGS_WORK,
    )
    def post(self, request, reference):
        case = editable_case(request, reference)
        data = validated(w.AgreementActionInSerializer, request.data, case=case)
        action = work.add_action(case, request.user, **data)
        return Response(w.AgreementActionSerializer(action).data, status=status.HTTP_201_CREATED)


class AgreementActionDetailView(APIView):
    @extend_schema(
        summary="Remove an action from the draft agreement",
        parameters=[REFERENCE],
        responses={204: None},
        tags=TAGS_WORK,
    )
    def delete(self, request, reference, action_id):
        case = editable_case(request, reference)
        work.remove_action(_action(case, action_id), request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ActionDoneView(APIView):
    @extend_schema(
        summary="Mark an action done (each person harmed is recorded as told)",
        parameters=[REFERENCE],
        request=w.ActionDoneSerializer,
        responses=w.AgreementActionSerializer,
        tags=TAGS_WORK,
    )
    def post(self, request, reference, action_id):
        case = editable_case(request, reference)
        action = _action(case, action_id)
        data = validated(w.ActionDoneSerializer, request.data)
        action = work.mark_action_done(action, request.user, **data)
        return Response(w.AgreementActionSerializer(action).data)


class ActionMissedView(APIView):
    @extend_schema(
        summary="Mark an action missed",
        parameters=[REFERENCE],
        request=w.ActionMissedSerializer,
        responses=w.AgreementActionSerializer,
        tags=TAGS_WORK,
    )
    def post(self, request, reference, action_id):
        case = editable_case(request, reference)
        action = _action(case, action_id)
        data = validated(w.ActionMissedSerializer, request.data)
        action = work.mark_action_missed(action, request.user, **data)
        return Response(w.AgreementActionSerializer(action).data)


class FollowUpListView(APIView):
    @extend_schema(
        summary="Monitoring contacts after the agreement",
        parameters=[REFERENCE],
        responses=w.FollowUpSerializer(many=True),
        tags=TAGS_WORK,
    )
    def get(self, request, reference):
        case = full_work_case(request, reference)
        return as_list(w.FollowUpSerializer, work_selectors.follow_ups_for_page(case))

    @extend_schema(
        summary="Record a monitoring contact",
        parameters=[REFERENCE],
        request=w.FollowUpInSerializer,
        responses={201: w.FollowUpSerializer},
        tags=TAGS_WORK,
    )
    def post(self, request, reference):
        case = editable_case(request, reference)
        data = validated(w.FollowUpInSerializer, request.data, case=case)
        follow_up = work.record_follow_up(
            case,
            request.user,
            party=data.get("party"),
            at=data["at"],
            time_known=data["time_known"],
            method=data["method"],
            notes=data["notes"],
            action=data.get("action"),
            outside_safe_times_reason=data["outside_safe_times_reason"],
        )
        return Response(w.FollowUpSerializer(follow_up).data, status=status.HTTP_201_CREATED)


class FeedbackListView(APIView):
    @extend_schema(
        summary="Participants' feedback this user may see",
        parameters=[REFERENCE],
        responses=w.FeedbackSerializer(many=True),
        tags=TAGS_WORK,
    )
    def get(self, request, reference):
        case = visible_case(request, reference)
        if work_selectors.access_level(case, request.user) == work_selectors.OUTCOME:
            forbid("Feedback is for the case's facilitators, managers and the caseworkers of its people harmed.")
        people, feedback, _wellbeing = work_selectors.feedback_for_page(case, request.user)
        return as_list(w.FeedbackSerializer, [feedback[p.pk] for p in people if p.pk in feedback])

    @extend_schema(
        summary="Record a participant's feedback at closure",
        parameters=[REFERENCE],
        request=w.FeedbackInSerializer,
        responses={201: w.FeedbackSerializer},
        tags=TAGS_WORK,
    )
    def post(self, request, reference):
        case = visible_case(request, reference)
        data = validated(w.FeedbackInSerializer, request.data, case=case)
        feedback = work.record_feedback(case, request.user, **data)
        return Response(w.FeedbackSerializer(feedback).data, status=status.HTTP_201_CREATED)


class WellbeingListView(APIView):
    @extend_schema(
        summary="Participants' wellbeing measures this user may see",
        parameters=[REFERENCE],
        responses=w.WellbeingMeasureSerializer(many=True),
        tags=TAGS_WORK,
    )
    def get(self, request, reference):
        case = _wellbeing_case(request, reference)
        people, _feedback, wellbeing = work_selectors.feedback_for_page(case, request.user)
        ids = {p.pk for p in people}
        return as_list(
            w.WellbeingMeasureSerializer,
            sorted(
                (m for (party_id, _stage), m in wellbeing.items() if party_id in ids),
                key=lambda m: (m.recorded_on, m.pk),
            ),
        )

    @extend_schema(
        summary="Record a participant's wellbeing measure, before the activity or after closure",
        parameters=[REFERENCE],
        request=w.WellbeingMeasureInSerializer,
        responses={201: w.WellbeingMeasureSerializer},
        tags=TAGS_WORK,
    )
    def post(self, request, reference):
        case = _wellbeing_case(request, reference)
        data = validated(w.WellbeingMeasureInSerializer, request.data, case=case)
        measure = work.record_wellbeing(case, request.user, **data)
        return Response(w.WellbeingMeasureSerializer(measure).data, status=status.HTTP_201_CREATED)


def _wellbeing_case(request, reference):
    """The case, for those who see its participants' wellbeing (as feedback): 403 for the police and centres."""
    case = visible_case(request, reference)
    if work_selectors.access_level(case, request.user) == work_selectors.OUTCOME:
        forbid("Wellbeing measures are for the case's facilitators, managers and the caseworkers of its people harmed.")
    return case
