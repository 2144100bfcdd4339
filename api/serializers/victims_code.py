"""The Victims' Code in the API: the report date at referral, each case's clocks with their basis, enhanced rights
changed after intake, and complaints (Right 12). The rules are the services' (``rjcases.services.victims_code``,
``rjcases.services.complaints``); these say only what a body must hold."""

from __future__ import annotations

from rest_framework import serializers

from api.serializers.cases import IncidentInSerializer, ReferralInSerializer
from api.serializers.fields import Day
from rjcases.choices import REPORTED_BY_CHOICES
from rjcases.limits import SHORT, SUMMARY
from rjcases.models import Complaint


class ReportFieldsSerializer(serializers.Serializer):
    reported_on = Day(
        past_only=True,
        required=False,
        allow_null=True,
        default=None,
        help_text="When it was reported to the police or the reporting centre; the clocks run from it",
    )
    reported_by = serializers.ChoiceField(choices=REPORTED_BY_CHOICES, required=False, allow_blank=True, default="")


class IncidentWithReportInSerializer(ReportFieldsSerializer, IncidentInSerializer):
    pass


class ReferralWithReportInSerializer(ReferralInSerializer):
    incident = IncidentWithReportInSerializer()


class ClockSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField(source="label", help_text="What the clock measures")
    status = serializers.CharField(help_text="met, late, missed, overdue, due_soon, open or not_applicable")
    status_label = serializers.CharField()
    due_on = serializers.DateField(allow_null=True)
    done_on = serializers.DateField(allow_null=True)
    days_late = serializers.IntegerField(allow_null=True, help_text="Working days past the due date")
    basis = serializers.CharField(help_text="How the clock is counted, from which date")
    reason = serializers.CharField(help_text="Why it does not apply, where it does not")


class ComplaintSerializer(serializers.ModelSerializer):
    class Meta:
        model = Complaint
        fields = [
            "id",
            "complainant",
            "complainant_name",
            "about",
            "received_on",
            "acknowledge_due_on",
            "respond_due_on",
            "acknowledged_on",
            "responded_on",
            "response",
            "outcome",
        ]


class VictimsCodeSerializer(serializers.Serializer):
    reported_on = serializers.DateField(allow_null=True)
    reported_by = serializers.CharField()
    enhanced_rights = serializers.BooleanField()
    clocks = ClockSerializer(many=True)
    complaints = ComplaintSerializer(many=True, help_text="Empty unless the user sees the whole case")


class EnhancedRightsInSerializer(serializers.Serializer):
    enhanced = serializers.BooleanField()
    reason = serializers.CharField(max_length=300)


class ComplaintInSerializer(serializers.Serializer):
    complainant = serializers.ChoiceField(choices=Complaint.From.choices)
    complainant_name = serializers.CharField(max_length=SHORT, required=False, allow_blank=True, default="")
    about = serializers.CharField(max_length=SUMMARY)
    received_on = Day(past_only=True)


class AcknowledgementInSerializer(serializers.Serializer):
    acknowledged_on = Day(past_only=True)


class ResponseInSerializer(serializers.Serializer):
    responded_on = Day(past_only=True)
    response = serializers.CharField(max_length=SUMMARY)
    outcome = serializers.ChoiceField(choices=Complaint.Outcome.choices)
