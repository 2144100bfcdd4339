"""The restorative work on a case, its letters, and the hotspot figures."""

from __future__ import annotations

from rest_framework import serializers

from api.serializers.fields import (
    ActiveUsernameField,
    CasePartyField,
    CodeNameSerializer,
    Day,
    When,
    given_as_date,
    limit_of,
    person_name,
)
from conferences.models import (
    Activity,
    Agreement,
    AgreementAction,
    Feedback,
    FollowUp,
    PreparationContact,
    WellbeingMeasure,
)
from conferences.services import CURRENT_WELLBEING_VERSION, WELLBEING_QUESTIONS
from letters.models import LetterFormat, LetterKind

# ---------------------------------------------------------------------------------------------------
# Restorative work (conferences)


class PreparationContactInSerializer(serializers.Serializer):
    party = CasePartyField()
    held_on = Day()
    method = serializers.ChoiceField(choices=PreparationContact.Method.choices)
    attendees = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    notes = serializers.CharField(
        max_length=limit_of(PreparationContact, "notes"), required=False, allow_blank=True, default=""
    )
    interpreter_arranged = serializers.BooleanField(default=False)
    adjustments_arranged = serializers.CharField(
        max_length=limit_of(PreparationContact, "adjustments_arranged"), required=False, allow_blank=True, default=""
    )
    outside_safe_times_reason = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why the meeting was on a day outside the person's safe times: required then, kept on it",
    )


class PreparationContactSerializer(serializers.ModelSerializer):
    by = serializers.SerializerMethodField()

    class Meta:
        model = PreparationContact
        fields = [
            "id",
            "party",
            "held_on",
            "method",
            "attendees",
            "notes",
            "interpreter_arranged",
            "adjustments_arranged",
            "outside_safe_times_reason",
            "by",
            "created_at",
        ]

    def get_by(self, contact) -> str | None:
        return person_name(contact.by)


class ActivitySerializer(serializers.ModelSerializer):
    lead_facilitator = serializers.SerializerMethodField()
    co_facilitator = serializers.SerializerMethodField()
    invited = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    attended = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "kind",
            "status",
            "scheduled_for",
            "duration_minutes",
            "venue",
            "method",
            "lead_facilitator",
            "co_facilitator",
            "invited",
            "others_invited",
            "interpreter_booked",
            "interpreter_language",
            "supersedes",
            "cancellation_reason",
            "took_place_on",
            "attended",
            "others_attended",
            "summary",
            "agreement_reached",
            "created_at",
        ]

    def get_lead_facilitator(self, activity) -> str | None:
        return person_name(activity.lead_facilitator)

    def get_co_facilitator(self, activity) -> str | None:
        return person_name(activity.co_facilitator)


class ActivityPlanSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Activity.Kind.choices)
    scheduled_for = When()
    duration_minutes = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=24 * 60)
    venue = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    method = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    lead_facilitator = ActiveUsernameField(
        required=False, allow_null=True, help_text="Username; defaults to the case's facilitator"
    )
    co_facilitator = ActiveUsernameField(required=False, allow_null=True)
    invited = CasePartyField(many=True, required=False, default=list)
    others_invited = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    interpreter_booked = serializers.BooleanField(default=False)
    interpreter_language = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)


class ActivityRescheduleSerializer(ActivityPlanSerializer):
    reason = serializers.CharField(max_length=limit_of(Activity, "cancellation_reason"))


class ActivityTookPlaceSerializer(serializers.Serializer):
    took_place_on = Day()
    attended = CasePartyField(many=True, allow_empty=False)
    summary = serializers.CharField(max_length=limit_of(Activity, "summary"))
    agreement_reached = serializers.BooleanField()
    others_attended = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class AgreementActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgreementAction
        fields = [
            "id",
            "kind",
            "responsible_party",
            "who",
            "what",
            "due_on",
            "how_checked",
            "status",
            "resolved_on",
            "evidence_note",
        ]


class AgreementSerializer(serializers.ModelSerializer):
    signatories = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    actions = AgreementActionSerializer(many=True, source="actions.all")

    class Meta:
        model = Agreement
        fields = ["id", "activity", "signed_on", "signatories", "notes", "created_at", "actions"]


class AgreementInSerializer(serializers.Serializer):
    signed_on = Day()
    signatories = CasePartyField(many=True, allow_empty=False)
    notes = serializers.CharField(max_length=limit_of(Agreement, "notes"), required=False, allow_blank=True, default="")


class AgreementActionInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AgreementAction.Kind.choices)
    what = serializers.CharField(max_length=300)
    due_on = Day()
    how_checked = serializers.CharField(max_length=300)
    responsible_party = CasePartyField(required=False, allow_null=True)
    who = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class ActionDoneSerializer(serializers.Serializer):
    resolved_on = Day()
    evidence_note = serializers.CharField(max_length=limit_of(AgreementAction, "evidence_note"))
    told_method = serializers.ChoiceField(
        choices=FollowUp.Method.choices, help_text="How each person harmed was told it is done"
    )
    told_at = When(required=False, allow_null=True)


class ActionMissedSerializer(serializers.Serializer):
    resolved_on = Day()
    evidence_note = serializers.CharField(max_length=limit_of(AgreementAction, "evidence_note"))


class FollowUpSerializer(serializers.ModelSerializer):
    by = serializers.SerializerMethodField()

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "kind",
            "party",
            "action",
            "at",
            "time_known",
            "method",
            "outside_safe_times_reason",
            "notes",
            "by",
        ]

    def get_by(self, follow_up) -> str | None:
        return person_name(follow_up.by)


class FollowUpInSerializer(serializers.Serializer):
    party = CasePartyField(required=False, allow_null=True)
    action = serializers.PrimaryKeyRelatedField(queryset=AgreementAction.objects.all(), required=False, allow_null=True)
    at = When(date_allowed=True, help_text="A date-time, or a date alone when the time is not known")
    method = serializers.ChoiceField(choices=FollowUp.Method.choices)
    notes = serializers.CharField(max_length=limit_of(FollowUp, "notes"))
    outside_safe_times_reason = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why a call or visit was made outside the person's safe times: required then, kept on it",
    )

    def get_fields(self):
        fields = super().get_fields()
        case = self.context.get("case")
        fields["action"].queryset = (
            AgreementAction.objects.filter(agreement__case=case) if case else AgreementAction.objects.none()
        )
        return fields

    def validate(self, data):
        data["time_known"] = not given_as_date(self.initial_data.get("at"))
        return data


class FeedbackSerializer(serializers.ModelSerializer):
    recorded_by = serializers.SerializerMethodField()

    class Meta:
        model = Feedback
        fields = [
            "id",
            "party",
            "wording_version",
            "refused",
            "satisfied",
            "would_recommend",
            "felt",
            "felt_safe",
            "felt_heard",
            "comments",
            "recorded_on",
            "recorded_by",
        ]

    def get_recorded_by(self, feedback) -> str | None:
        return person_name(feedback.recorded_by)


class FeedbackInSerializer(serializers.Serializer):
    party = CasePartyField()
    refused = serializers.BooleanField(default=False)
    satisfied = serializers.BooleanField(required=False, allow_null=True, default=None)
    would_recommend = serializers.BooleanField(required=False, allow_null=True, default=None)
    felt = serializers.ChoiceField(choices=Feedback.Felt.choices, required=False, allow_blank=True, default="")
    felt_safe = serializers.BooleanField(required=False, allow_null=True, default=None)
    felt_heard = serializers.BooleanField(required=False, allow_null=True, default=None)
    comments = serializers.CharField(
        max_length=limit_of(Feedback, "comments"), required=False, allow_blank=True, default=""
    )
    recorded_on = Day(required=False, allow_null=True, default=None)


class WellbeingMeasureSerializer(serializers.ModelSerializer):
    recorded_by = serializers.SerializerMethodField()
    answers = serializers.DictField(child=serializers.IntegerField(), read_only=True)

    class Meta:
        model = WellbeingMeasure
        fields = ["id", "party", "stage", "wording_version", "answers", "recorded_on", "recorded_by"]

    def get_recorded_by(self, measure) -> str | None:
        return person_name(measure.recorded_by)


class WellbeingMeasureInSerializer(serializers.Serializer):
    party = CasePartyField()
    stage = serializers.ChoiceField(choices=WellbeingMeasure.Stage.choices)
    answers = serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=5),
        help_text="One answer from 1 (strongly disagree) to 5 (strongly agree) for each "
        "question key of the wording version.",
    )
    wording_version = serializers.ChoiceField(
        choices=sorted(WELLBEING_QUESTIONS), required=False, default=CURRENT_WELLBEING_VERSION
    )
    recorded_on = Day(required=False, allow_null=True, default=None)


# ---------------------------------------------------------------------------------------------------
# Letters and insights


class LetterInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=LetterKind.choices)
    recipient = serializers.RegexField(
        r"^(referrer|[0-9]+)$",
        max_length=20,
        help_text="Who the letter is to: 'referrer', or the id of a party on this case.",
        error_messages={"invalid": "Give 'referrer' or the id of a party on this case."},
    )
    format = serializers.ChoiceField(
        choices=LetterFormat.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Leave out for the format the recipient's communication needs call for.",
    )


class LetterSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    recipient = serializers.CharField()
    to_referrer = serializers.BooleanField()
    format = serializers.CharField()
    version = serializers.IntegerField()
    status = serializers.CharField()
    generated_at = serializers.DateTimeField()
    sent_at = serializers.DateTimeField(allow_null=True)
    file_status = serializers.ChoiceField(
        choices=["pending", "written", "failed"],
        help_text="Whether the PDF is written yet: it is written just after the letter is made. Until it is "
        "written, sha256 is empty, size is null and pdf_url answers 409.",
    )
    sha256 = serializers.CharField(allow_blank=True)
    size = serializers.IntegerField(allow_null=True)
    pdf_url = serializers.CharField()


class HotspotQuerySerializer(serializers.Serializer):
    # "from" is a Python keyword: the field is named from_ here and renamed in get_fields.
    from_ = Day(help_text="First day, YYYY-MM-DD")
    to = Day(help_text="Last day, YYYY-MM-DD")

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields

    def validate(self, data):
        if data["to"] < data["from"]:
            raise serializers.ValidationError({"to": "The last day must be on or after the first day."})
        if (data["to"] - data["from"]).days > 3 * 366:
            raise serializers.ValidationError({"to": "Ask for three years at most."})
        return data


class HotspotCountSerializer(serializers.Serializer):
    ward = CodeNameSerializer()
    crime_type = CodeNameSerializer()
    strand = CodeNameSerializer()
    count = serializers.IntegerField()


class HotspotFlagSerializer(serializers.Serializer):
    ward = CodeNameSerializer()
    kind = serializers.CharField(help_text="'Crime type' or 'Strand'")
    category = serializers.CharField()
    observed = serializers.IntegerField()
    expected = serializers.FloatField()
    p_value = serializers.FloatField()


class MonthCountSerializer(serializers.Serializer):
    month = serializers.DateField()
    count = serializers.IntegerField()
    change = serializers.IntegerField(allow_null=True, help_text="From the month before")


class RouteCountSerializer(serializers.Serializer):
    route = serializers.CharField()
    count = serializers.IntegerField()


class HotspotsSerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    total_cases = serializers.IntegerField(help_text="Cases received in the period, each counted once")
    strand_links = serializers.IntegerField(
        help_text="The sum of the strand counts: more than total_cases when cases carry several strands"
    )
    counts = HotspotCountSerializer(many=True, help_text="Ward × crime type × strand")
    flags = HotspotFlagSerializer(many=True, help_text="Unusual concentrations, most significant first")
    method = serializers.CharField()
    months = MonthCountSerializer(many=True)
    routes = RouteCountSerializer(many=True)
