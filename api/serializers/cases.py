"""Referrals, cases and the people in them (the moves a case makes and its timeline: ``api.serializers.moves``)."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts import roles
from api.serializers.fields import (
    EARLIEST_BIRTH,
    ActiveUsernameField,
    CasePartyField,
    CodeNameSerializer,
    DateOrDateTimeField,
    Day,
    PostcodeField,
    When,
    code_field,
    given_as_date,
    limit_of,
    person_name,
)
from api.serializers.notes import NoteSerializer as NoteSerializer  # the note shapes live there
from api.serializers.safeguarding import SafeTimesField
from rjcases.models import (
    Assessment,
    Case,
    Consent,
    ContactAttempt,
    CrimeType,
    HateStrand,
    Incident,
    Party,
    ReferralRoute,
    Ward,
    validate_crime_reference,
)
from rjcases.permissions import may_see_outcome, may_see_party_details, party_name_for, sees_whole_case

# ---------------------------------------------------------------------------------------------------
# Who is calling, and the reference data codes


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()
    role = serializers.CharField(allow_null=True)
    role_label = serializers.CharField()
    organisation = serializers.CharField(allow_null=True)
    token_name = serializers.CharField()


class ReferenceDataSerializer(serializers.Serializer):
    routes = CodeNameSerializer(many=True, help_text="The routes this user may refer by are marked in my_routes")
    my_routes = serializers.ListField(child=serializers.CharField())
    strands = CodeNameSerializer(many=True)
    partnerships = CodeNameSerializer(many=True)
    wards = CodeNameSerializer(many=True)
    crime_types = CodeNameSerializer(many=True)
    perceived_by = CodeNameSerializer(many=True)


# ---------------------------------------------------------------------------------------------------
# Referral in


class IncidentInSerializer(serializers.Serializer):
    occurred_from = When(
        past_only=True, date_allowed=True, help_text="A date-time, or a date alone when the time is not known"
    )
    occurred_to = When(past_only=True, required=False, allow_null=True)
    ward = code_field(Ward, help_text="Ward code, see GET /api/v1/reference/")
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    postcode = PostcodeField()
    crime_type = code_field(CrimeType, help_text="Crime type code, see GET /api/v1/reference/")
    crime_reference = serializers.CharField(
        max_length=24,
        required=False,
        allow_blank=True,
        default="",
        help_text="As on the police record, e.g. 06/123456/26",
    )
    perceived_by = serializers.ChoiceField(choices=Incident.PerceivedBy.choices, default=Incident.PerceivedBy.VICTIM)
    summary = serializers.CharField(
        max_length=limit_of(Incident, "summary"), help_text="Facts only; no contact details here."
    )

    def validate_crime_reference(self, value: str) -> str:
        value = value.strip().upper()
        if value:
            try:
                validate_crime_reference(value)
            except Exception as exc:  # Django's ValidationError, as DRF's
                raise serializers.ValidationError(getattr(exc, "messages", [str(exc)]))
        return value

    def validate(self, data):
        if data.get("occurred_to") and data["occurred_to"] < data["occurred_from"]:
            raise serializers.ValidationError({"occurred_to": "The end of the period must be after its start."})
        return data

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        value["occurred_time_known"] = not given_as_date(data.get("occurred_from"))
        return value


PARTY_WRITE_FIELDS = [
    "first_name",
    "last_name",
    "date_of_birth",
    "age_band",
    "address",
    "postcode",
    "phone",
    "email",
    "preferred_contact_method",
    "safe_times",
    "safe_contact_times",
    "no_messages",
    "asked_not_to_be_contacted",
    "language",
    "interpreter_needed",
    "interpreter_language",
    "bsl",
    "large_print",
    "easy_read",
    "other_adjustments",
    "participating",
]


class PartyFieldsSerializer(serializers.ModelSerializer):
    """A person's name, contact details and communication needs, as written."""

    postcode = PostcodeField()
    date_of_birth = Day(past_only=True, earliest=EARLIEST_BIRTH, required=False, allow_null=True)
    safe_times = SafeTimesField(required=False)

    class Meta:
        model = Party
        fields = PARTY_WRITE_FIELDS
        extra_kwargs = {"first_name": {"required": True, "allow_blank": False}}

    def validate(self, data):
        if data.get("interpreter_needed") and not (data.get("interpreter_language") or "").strip():
            raise serializers.ValidationError({"interpreter_language": "Enter the language the interpreter is for."})
        return data


class ReferralPartySerializer(PartyFieldsSerializer):
    role = serializers.ChoiceField(
        choices=Party.Role.choices, help_text="harmed or responsible (supporters are added to the case later)"
    )

    class Meta(PartyFieldsSerializer.Meta):
        fields = ["role", *[name for name in PARTY_WRITE_FIELDS if name != "participating"]]
        # The person harmed of an anonymous report has no name; the intake service says who needs one.
        extra_kwargs = {"first_name": {"required": False, "allow_blank": True, "default": ""}}

    def validate_role(self, value: str) -> str:
        if value == Party.Role.SUPPORTER:
            raise serializers.ValidationError(
                "A referral names the person harmed and the person responsible; add supporters to the case afterwards."
            )
        return value


class ReferrerSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, help_text="Defaults to the token's user")
    contact = serializers.CharField(max_length=200, help_text="Phone or email; defaults to the token's user's email")


class ReferralInSerializer(serializers.Serializer):
    route = code_field(ReferralRoute, help_text="Route code: police, reporting-centre, victim-service, ...")
    partnership = serializers.SlugField(
        max_length=40,
        required=False,
        help_text="The partnership's code (GET /api/v1/reference/); optional: the referral goes to the incident "
        "ward's partnership, which must agree with it and be one the token's user refers to",
    )
    received_on = Day(past_only=True, required=False)
    incident = IncidentInSerializer()
    strands = code_field(
        HateStrand,
        many=True,
        allow_empty=False,
        help_text="Strand codes (race, religion, sexual-orientation, disability, ...)",
    )
    parties = ReferralPartySerializer(many=True, required=False, default=list)
    referrer = ReferrerSerializer(required=False)
    enhanced_rights = serializers.BooleanField(default=False)
    enhanced_rights_reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    report_kind = serializers.ChoiceField(
        choices=[("assisted", "Assisted report"), ("anonymous", "Anonymous report")],
        required=False,
        help_text="Reporting-centre route only",
    )
    consents_to_police = serializers.BooleanField(
        required=False, allow_null=True, help_text="Reporting-centre route only"
    )
    survey_by_email = serializers.BooleanField(
        default=False, help_text="Reporting-centre route only: the person agreed to be emailed the centre's survey link"
    )

    def validate(self, data):
        # The intake rules (routes, referrer, anonymous reports, ...) are the service's; this asks only what the
        # API's body must say.
        if data["route"].code == "reporting-centre" and data.get("consents_to_police") is None:
            raise serializers.ValidationError(
                {"consents_to_police": "Say whether the person consents to the police being involved."}
            )
        return data


class ReferralOutSerializer(serializers.Serializer):
    reference = serializers.CharField()
    state = serializers.CharField()
    received_on = serializers.DateField()
    url = serializers.CharField(help_text="The case in the API")


# ---------------------------------------------------------------------------------------------------
# Cases out


def case_url(case: Case) -> str:
    return reverse("api:case-detail", args=[case.reference])


class CaseSummarySerializer(serializers.Serializer):
    """What anyone who may see a case may know of it: status, dates and outcome category."""

    reference = serializers.CharField()
    url = serializers.SerializerMethodField()
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    route = serializers.CharField(source="route.code")
    received_on = serializers.DateField()
    state_changed_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    outcome = serializers.SerializerMethodField()
    outcome_label = serializers.SerializerMethodField()
    rj_information_due_on = serializers.DateField(allow_null=True)
    rj_information_given_on = serializers.DateField(allow_null=True)
    initial_contact_due_on = serializers.DateField(allow_null=True)
    initial_contact_on = serializers.DateField(allow_null=True)

    def get_url(self, case) -> str:
        return case_url(case)

    def _outcome_seen(self, case) -> bool:
        """Not to a referrer once consent to share with the police is withdrawn: they see "closed" only."""
        user = self.context.get("user")
        return bool(case.outcome) and user is not None and may_see_outcome(case, user)

    def get_outcome(self, case) -> str:
        return case.outcome if self._outcome_seen(case) else ""

    def get_outcome_label(self, case) -> str:
        return case.get_outcome_display() if self._outcome_seen(case) else ""


class IncidentOutSerializer(serializers.ModelSerializer):
    ward = CodeNameSerializer()
    crime_type = CodeNameSerializer()
    strands = CodeNameSerializer(many=True)

    class Meta:
        model = Incident
        fields = [
            "occurred_from",
            "occurred_time_known",
            "occurred_to",
            "ward",
            "place",
            "postcode",
            "crime_type",
            "crime_reference",
            "perceived_by",
            "summary",
            "strands",
        ]


class PartyBriefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name")

    class Meta:
        model = Party
        fields = ["id", "role", "name", "participating"]


class CaseDetailsSerializer(serializers.Serializer):
    """The case's details: for RJ staff and the caseworkers of its people harmed only. A caseworker (context
    ``user``) gets no incident, referrer or closure text, and of the people only roles and first names, but
    their own client's full name."""

    incident = serializers.SerializerMethodField()
    referrer_name = serializers.CharField()
    referrer_contact = serializers.CharField()
    referring_organisation = serializers.CharField(allow_null=True)
    reporting_centre = serializers.CharField(allow_null=True)
    report_kind = serializers.CharField()
    consents_to_police = serializers.BooleanField(allow_null=True)
    enhanced_rights = serializers.BooleanField()
    enhanced_rights_reason = serializers.CharField()
    facilitator = serializers.SerializerMethodField()
    co_facilitator = serializers.SerializerMethodField()
    outcome_reason = serializers.CharField()
    closure_summary = serializers.CharField()
    parties = serializers.SerializerMethodField()

    _WHOLE_CASE_ONLY = ("referrer_name", "referrer_contact", "outcome_reason", "closure_summary")

    def _whole(self, case) -> bool:
        user = self.context.get("user")
        return user is None or sees_whole_case(case, user)

    def to_representation(self, case):
        data = super().to_representation(case)
        if not self._whole(case):
            for name in self._WHOLE_CASE_ONLY:
                data[name] = ""
        return data

    @extend_schema_field(IncidentOutSerializer(allow_null=True))
    def get_incident(self, case):
        incident = case.incident_or_none
        return IncidentOutSerializer(incident).data if incident and self._whole(case) else None

    @extend_schema_field(PartyBriefSerializer(many=True))
    def get_parties(self, case) -> list:
        user = self.context.get("user")
        rows = []
        for party in case.parties.all():
            row = PartyBriefSerializer(party).data
            if user is not None:
                row["name"] = party_name_for(case, user, party)
            rows.append(row)
        return rows

    def get_facilitator(self, case) -> str | None:
        return person_name(case.facilitator)

    def get_co_facilitator(self, case) -> str | None:
        return person_name(case.co_facilitator)


class CaseDetailSerializer(CaseSummarySerializer):
    activity_took_place = serializers.BooleanField(help_text="Whether a restorative activity has taken place")
    details = CaseDetailsSerializer(
        allow_null=True, help_text="Null for referrers: they see status, dates and outcome only"
    )


class CaseFilterSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=Case.State.choices, required=False)
    strand = code_field(HateStrand, required=False, help_text="RJ staff and caseworkers only")
    ward = code_field(Ward, required=False, help_text="RJ staff and caseworkers only")
    route = code_field(ReferralRoute, required=False)
    updated_since = DateOrDateTimeField(required=False, help_text="Cases changed at or after this time")
    order = serializers.ChoiceField(
        choices=[("updated", "Oldest change first, paged by cursor")],
        required=False,
        help_text="`updated`: page by cursor, oldest change first, for syncing with updated_since (docs/api.md)",
    )
    cursor = serializers.CharField(
        required=False, max_length=200, help_text="With order=updated: the cursor of a next link, unchanged"
    )


# ---------------------------------------------------------------------------------------------------
# Parties, consent, assessment


class PartySerializer(serializers.ModelSerializer):
    """A person in the case with their contact details (RJ staff, and a caseworker for their own client).

    With a ``user`` in the context, a person whose details that user may not see comes as ``id``, ``role``,
    ``name`` (first name or role only) and ``details_visible: false``, nothing else."""

    name = serializers.CharField(source="display_name", read_only=True)
    caseworker = serializers.SerializerMethodField()
    has_active_consent = serializers.BooleanField(read_only=True)
    details_visible = serializers.SerializerMethodField()
    safe_times = SafeTimesField(read_only=True)

    class Meta:
        model = Party
        fields = [
            "id",
            "role",
            "supports",
            "name",
            *PARTY_WRITE_FIELDS,
            "caseworker",
            "has_active_consent",
            "created_at",
            "details_visible",
        ]

    def _visible(self, party) -> bool:
        user = self.context.get("user")
        return user is None or may_see_party_details(party.case, user, party)

    def to_representation(self, party):
        if not self._visible(party):
            return {
                "id": party.pk,
                "role": party.role,
                "name": party_name_for(party.case, self.context["user"], party),
                "details_visible": False,
            }
        return super().to_representation(party)

    def get_caseworker(self, party) -> str | None:
        return person_name(party.caseworker)

    def get_details_visible(self, party) -> bool:
        return self._visible(party)


class PartyInSerializer(PartyFieldsSerializer):
    role = serializers.ChoiceField(choices=Party.Role.choices)
    supports = CasePartyField(required=False, allow_null=True, help_text="For a supporter: the person they support")
    caseworker = ActiveUsernameField(
        required=False, allow_null=True, help_text="Username of the victim service caseworker of a person harmed"
    )

    class Meta(PartyFieldsSerializer.Meta):
        fields = ["role", "supports", "caseworker", *PARTY_WRITE_FIELDS]

    def validate(self, data):
        data = super().validate(data)
        role = data.get("role", getattr(self.instance, "role", None))
        supports = data.get("supports", getattr(self.instance, "supports", None))
        if role == Party.Role.SUPPORTER and supports is None:
            raise serializers.ValidationError({"supports": "Say who the supporter supports."})
        if role != Party.Role.SUPPORTER and supports is not None:
            raise serializers.ValidationError({"supports": "Only a supporter supports someone."})
        caseworker = data.get("caseworker")
        if caseworker is not None and not roles.is_caseworker(caseworker):
            raise serializers.ValidationError({"caseworker": f"{caseworker.username} is not a victim's caseworker."})
        return data


class ConsentSerializer(serializers.ModelSerializer):
    recorded_by = serializers.SerializerMethodField()
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = Consent
        fields = [
            "id",
            "party",
            "purpose",
            "wording_version",
            "wording_shown",
            "given_on",
            "method",
            "recorded_by",
            "withdrawn_on",
            "withdrawal_reason",
            "is_active",
            "created_at",
        ]

    def get_recorded_by(self, consent) -> str | None:
        return person_name(consent.recorded_by)


class ConsentInSerializer(serializers.Serializer):
    purpose = serializers.ChoiceField(choices=Consent.Purpose.choices, default=Consent.Purpose.PARTICIPATE)
    given_on = Day(past_only=True)
    method = serializers.ChoiceField(choices=Consent.Method.choices)
    wording_version = serializers.CharField(max_length=20, default="2026-1")
    wording_shown = serializers.CharField(
        max_length=limit_of(Consent, "wording_shown"), required=False, allow_blank=True, default=""
    )


class ConsentWithdrawalSerializer(serializers.Serializer):
    withdrawn_on = Day(past_only=True)
    reason = serializers.CharField(max_length=limit_of(Consent, "withdrawal_reason"))


class AssessmentSerializer(serializers.ModelSerializer):
    assessor = serializers.SerializerMethodField()
    signed_off_by = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = [
            "id",
            "party",
            "assessor",
            "assessed_on",
            "acknowledges_facts",
            "accepts_responsibility",
            "willing",
            "risk_factors",
            "risk_level",
            "mitigations",
            "signed_off_by",
            "signed_off_at",
            "sign_off_note",
            "created_at",
        ]

    def get_assessor(self, assessment) -> str | None:
        return person_name(assessment.assessor)

    def get_signed_off_by(self, assessment) -> str | None:
        return person_name(assessment.signed_off_by)


class AssessmentInSerializer(serializers.Serializer):
    assessed_on = Day(past_only=True)
    acknowledges_facts = serializers.BooleanField(required=False, allow_null=True, default=None)
    accepts_responsibility = serializers.BooleanField(required=False, allow_null=True, default=None)
    willing = serializers.BooleanField()
    risk_factors = serializers.CharField(
        max_length=limit_of(Assessment, "risk_factors"), required=False, allow_blank=True, default=""
    )
    risk_level = serializers.ChoiceField(choices=Assessment.RiskLevel.choices)
    mitigations = serializers.CharField(
        max_length=limit_of(Assessment, "mitigations"), required=False, allow_blank=True, default=""
    )

    def validate(self, data):
        if (
            data["risk_level"] in (Assessment.RiskLevel.MEDIUM, Assessment.RiskLevel.HIGH)
            and not data["mitigations"].strip()
        ):
            raise serializers.ValidationError({"mitigations": "Enter how the risks will be reduced."})
        return data


class SignOffSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=limit_of(Assessment, "sign_off_note"),
        help_text="Why the risk is acceptable with the mitigations recorded",
    )


# ---------------------------------------------------------------------------------------------------
# Case work: allocation, notes, contacts


class AllocationSerializer(serializers.Serializer):
    facilitator = ActiveUsernameField()
    co_facilitator = ActiveUsernameField(required=False, allow_null=True)


class ContactInSerializer(serializers.Serializer):
    party = CasePartyField(required=False, allow_null=True)
    at = When(past_only=True, date_allowed=True, help_text="A date-time, or a date alone when the time is not known")
    method = serializers.ChoiceField(choices=ContactAttempt.Method.choices)
    result = serializers.ChoiceField(choices=ContactAttempt.Result.choices)
    rj_information_given = serializers.BooleanField(default=False)
    notes = serializers.CharField(
        max_length=limit_of(ContactAttempt, "notes"), required=False, allow_blank=True, default=""
    )
    outside_safe_times_reason = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why a call or visit was made outside the person's safe times: required then, kept on the contact",
    )

    def validate(self, data):
        data["time_known"] = not given_as_date(self.initial_data.get("at"))
        return data


class ContactSerializer(serializers.ModelSerializer):
    by = serializers.SerializerMethodField()

    class Meta:
        model = ContactAttempt
        fields = [
            "id",
            "party",
            "at",
            "time_known",
            "method",
            "result",
            "rj_information_given",
            "notes",
            "outside_safe_times_reason",
            "by",
        ]

    def get_by(self, contact) -> str | None:
        return person_name(contact.by)
