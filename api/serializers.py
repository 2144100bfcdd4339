"""What the API reads and writes, field by field. Input serializers check the shape and name each wrong
field; the services decide everything else (permission, state, guards). Output serializers are cut to
what the caller may see: a referrer's answers never carry parties, contact details or notes."""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts import roles
from conferences.models import Activity, Agreement, AgreementAction, Feedback, FollowUp, PreparationContact
from rjcases.forms import WITHDRAWN_BY_CHOICES
from rjcases.models import (
    POSTCODE_RE,
    Assessment,
    Case,
    Consent,
    ContactAttempt,
    CrimeType,
    HateStrand,
    Incident,
    Note,
    Party,
    ReferralRoute,
    Ward,
    normalise_postcode,
    validate_crime_reference,
)
from rjcases.services import FIELD_LABELS, TRANSITIONS

User = get_user_model()

# ---------------------------------------------------------------------------------------------------
# Small pieces


# Dates the service records fall in this range: nothing earlier than 2000 (birth dates: 1900), nothing
# later than ten years ahead. It keeps every date printable in the service's time zone (London's offsets
# before 1847 had seconds, which ISO 8601 date-times cannot carry; year 9999 plus an offset overflows).
EARLIEST = date(2000, 1, 1)
EARLIEST_BIRTH = date(1900, 1, 1)
YEARS_AHEAD = 10


def _latest() -> date:
    today = timezone.localdate()
    return today.replace(year=today.year + YEARS_AHEAD, day=28 if today.month == 2 else today.day)


class Day(serializers.DateField):
    """A date in the service's range; ``past_only`` for things that have happened."""

    def __init__(self, *, past_only: bool = False, earliest: date = EARLIEST, **kwargs):
        self.past_only = past_only
        self.earliest = earliest
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        _check_range(day, self.earliest, self.past_only)
        return day


class When(serializers.DateTimeField):
    """A date and time in the service's range (ISO 8601; without an offset it is UK time)."""

    def __init__(self, *, past_only: bool = False, **kwargs):
        self.past_only = past_only
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        moment = super().to_internal_value(value)
        if self.past_only and moment > timezone.now():
            raise serializers.ValidationError("Must be now or in the past.")
        _check_range(moment.date(), EARLIEST, False)
        return moment


def _check_range(day: date, earliest: date, past_only: bool) -> None:
    if day < earliest:
        raise serializers.ValidationError(f"Must be on or after {earliest:%-d %B %Y}.")
    if past_only and day > timezone.localdate():
        raise serializers.ValidationError("Must be today or in the past.")
    if day > _latest():
        raise serializers.ValidationError(f"Must be within {YEARS_AHEAD} years from today.")


class PostcodeField(serializers.CharField):
    """A UK postcode, normalised to upper case with one space (``m32 0th`` becomes ``M32 0TH``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = normalise_postcode(super().to_internal_value(data))
        if value and not POSTCODE_RE.match(value):
            raise serializers.ValidationError("Enter a real UK postcode, like M32 0TH.")
        return value


@extend_schema_field(OpenApiTypes.DATETIME)
class DateOrDateTimeField(serializers.Field):
    """An ISO 8601 date-time, or a date meaning the start of that day (service time zone)."""

    default_error_messages = {"invalid": "Enter a date (2026-10-01) or a date-time (2026-10-01T09:00:00Z)."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            value = parse_datetime(data.strip())
        except ValueError:
            value = None
        if value is None:
            try:
                day = parse_date(data.strip())
            except ValueError:
                day = None
            if day is None:
                self.fail("invalid")
            value = datetime.combine(day, datetime.min.time())
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        _check_range(value.date(), EARLIEST, False)
        return value

    def to_representation(self, value):
        return value.isoformat()


class CodeNameSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


def _person(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.username


def _code_field(model, **kwargs) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="code", queryset=model.objects.all(), **kwargs)


class ActiveUsernameField(serializers.SlugRelatedField):
    """A person by their username (active accounts only)."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="username", queryset=User.objects.filter(is_active=True), **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class CasePartyField(serializers.PrimaryKeyRelatedField):
    """A party of the case named in the URL, by id."""

    default_error_messages = {"does_not_exist": "No person with id {pk_value} on this case."}

    def get_queryset(self):
        case = self.context.get("case")
        return Party.objects.filter(case=case) if case is not None else Party.objects.none()


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
    wards = CodeNameSerializer(many=True)
    crime_types = CodeNameSerializer(many=True)
    perceived_by = CodeNameSerializer(many=True)


# ---------------------------------------------------------------------------------------------------
# Referral in


class IncidentInSerializer(serializers.Serializer):
    occurred_from = When(past_only=True)
    occurred_to = When(past_only=True, required=False, allow_null=True)
    ward = _code_field(Ward, help_text="Ward code, see GET /api/v1/reference/")
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    postcode = PostcodeField()
    crime_type = _code_field(CrimeType, help_text="Crime type code, see GET /api/v1/reference/")
    crime_reference = serializers.CharField(max_length=24, required=False, allow_blank=True, default="",
                                            help_text="As on the police record, e.g. 06/123456/26")
    perceived_by = serializers.ChoiceField(choices=Incident.PerceivedBy.choices, default=Incident.PerceivedBy.VICTIM)
    summary = serializers.CharField(help_text="Facts only; no contact details here.")

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


PARTY_WRITE_FIELDS = [
    "first_name", "last_name", "date_of_birth", "age_band", "address", "postcode", "phone", "email",
    "preferred_contact_method", "safe_contact_times", "no_messages", "language", "interpreter_needed",
    "interpreter_language", "large_print", "easy_read", "other_adjustments", "participating",
]


class PartyFieldsSerializer(serializers.ModelSerializer):
    """A person's name, contact details and communication needs, as written."""

    postcode = PostcodeField()
    date_of_birth = Day(past_only=True, earliest=EARLIEST_BIRTH, required=False, allow_null=True)

    class Meta:
        model = Party
        fields = PARTY_WRITE_FIELDS
        extra_kwargs = {"first_name": {"required": True, "allow_blank": False}}

    def validate(self, data):
        if data.get("interpreter_needed") and not (data.get("interpreter_language") or "").strip():
            raise serializers.ValidationError({"interpreter_language": "Enter the language the interpreter is for."})
        return data


class ReferralPartySerializer(PartyFieldsSerializer):
    role = serializers.ChoiceField(choices=Party.Role.choices, help_text="harmed or responsible (supporters are "
                                                                         "added to the case later)")

    class Meta(PartyFieldsSerializer.Meta):
        fields = ["role", *[name for name in PARTY_WRITE_FIELDS if name != "participating"]]

    def validate_role(self, value: str) -> str:
        if value == Party.Role.SUPPORTER:
            raise serializers.ValidationError("A referral names the person harmed and the person responsible; "
                                              "add supporters to the case afterwards.")
        return value


class ReferrerSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, help_text="Defaults to the token's user")
    contact = serializers.CharField(max_length=200, help_text="Phone or email; defaults to the token's user's email")


class ReferralInSerializer(serializers.Serializer):
    route = _code_field(ReferralRoute, help_text="Route code: police, reporting-centre, victim-service, ...")
    received_on = Day(past_only=True, required=False)
    incident = IncidentInSerializer()
    strands = _code_field(HateStrand, many=True, allow_empty=False,
                          help_text="Strand codes (race, religion, sexual-orientation, disability, ...)")
    parties = ReferralPartySerializer(many=True, required=False, default=list)
    referrer = ReferrerSerializer(required=False)
    enhanced_rights = serializers.BooleanField(default=False)
    enhanced_rights_reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    report_kind = serializers.ChoiceField(choices=[("assisted", "Assisted report"), ("anonymous", "Anonymous report")],
                                         required=False, help_text="Reporting-centre route only")
    consents_to_police = serializers.BooleanField(required=False, allow_null=True,
                                                  help_text="Reporting-centre route only")

    def validate(self, data):
        errors = {}
        centre = data["route"].code == "reporting-centre"
        if data.get("enhanced_rights") and not data.get("enhanced_rights_reason", "").strip():
            errors["enhanced_rights_reason"] = "Enter why the person harmed is entitled to enhanced rights."
        if centre:
            if "report_kind" not in data:
                errors["report_kind"] = "Say whether the report is assisted or anonymous."
            if data.get("consents_to_police") is None:
                errors["consents_to_police"] = "Say whether the person consents to the police being involved."
        else:
            for name in ("report_kind", "consents_to_police"):
                if data.get(name) is not None:
                    errors[name] = "Only reports made at a third-party reporting centre have this."
        anonymous = centre and data.get("report_kind") == "anonymous"
        if not data["parties"] and not anonymous:
            errors["parties"] = "Give the person harmed or the person responsible."
        if errors:
            raise serializers.ValidationError(errors)
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
    outcome = serializers.CharField(allow_blank=True)
    outcome_label = serializers.SerializerMethodField()
    rj_information_due_on = serializers.DateField(allow_null=True)
    rj_information_given_on = serializers.DateField(allow_null=True)
    initial_contact_due_on = serializers.DateField(allow_null=True)
    initial_contact_on = serializers.DateField(allow_null=True)

    def get_url(self, case) -> str:
        return case_url(case)

    def get_outcome_label(self, case) -> str:
        return case.get_outcome_display() if case.outcome else ""


class IncidentOutSerializer(serializers.ModelSerializer):
    ward = CodeNameSerializer()
    crime_type = CodeNameSerializer()
    strands = CodeNameSerializer(many=True)

    class Meta:
        model = Incident
        fields = ["occurred_from", "occurred_to", "ward", "place", "postcode", "crime_type", "crime_reference",
                  "perceived_by", "summary", "strands"]


class PartyBriefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name")

    class Meta:
        model = Party
        fields = ["id", "role", "name", "participating"]


class CaseDetailsSerializer(serializers.Serializer):
    """The case's details: for RJ staff and the caseworkers of its people harmed only."""

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
    parties = PartyBriefSerializer(many=True, source="parties.all")

    @extend_schema_field(IncidentOutSerializer(allow_null=True))
    def get_incident(self, case):
        incident = case.incident_or_none
        return IncidentOutSerializer(incident).data if incident else None

    def get_facilitator(self, case) -> str | None:
        return _person(case.facilitator)

    def get_co_facilitator(self, case) -> str | None:
        return _person(case.co_facilitator)


class CaseDetailSerializer(CaseSummarySerializer):
    activity_took_place = serializers.BooleanField(help_text="Whether a restorative activity has taken place")
    details = CaseDetailsSerializer(allow_null=True, help_text="Null for referrers: they see status, dates and "
                                                               "outcome only")


class CaseFilterSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=Case.State.choices, required=False)
    strand = _code_field(HateStrand, required=False, help_text="RJ staff and caseworkers only")
    ward = _code_field(Ward, required=False, help_text="RJ staff and caseworkers only")
    route = _code_field(ReferralRoute, required=False)
    updated_since = DateOrDateTimeField(required=False, help_text="Cases changed at or after this time")


# ---------------------------------------------------------------------------------------------------
# Parties, consent, assessment


class PartySerializer(serializers.ModelSerializer):
    """A person in the case with their contact details (RJ staff and caseworkers only)."""

    name = serializers.CharField(source="display_name", read_only=True)
    caseworker = serializers.SerializerMethodField()
    has_active_consent = serializers.BooleanField(read_only=True)

    class Meta:
        model = Party
        fields = ["id", "role", "supports", "name", *PARTY_WRITE_FIELDS, "caseworker", "has_active_consent",
                  "created_at"]

    def get_caseworker(self, party) -> str | None:
        return _person(party.caseworker)


class PartyInSerializer(PartyFieldsSerializer):
    role = serializers.ChoiceField(choices=Party.Role.choices)
    supports = CasePartyField(required=False, allow_null=True, help_text="For a supporter: the person they support")
    caseworker = ActiveUsernameField(required=False, allow_null=True,
                                     help_text="Username of the victim service caseworker of a person harmed")

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
        fields = ["id", "party", "purpose", "wording_version", "wording_shown", "given_on", "method", "recorded_by",
                  "withdrawn_on", "withdrawal_reason", "is_active", "created_at"]

    def get_recorded_by(self, consent) -> str | None:
        return _person(consent.recorded_by)


class ConsentInSerializer(serializers.Serializer):
    purpose = serializers.ChoiceField(choices=Consent.Purpose.choices, default=Consent.Purpose.PARTICIPATE)
    given_on = Day(past_only=True)
    method = serializers.ChoiceField(choices=Consent.Method.choices)
    wording_version = serializers.CharField(max_length=20, default="2026-1")
    wording_shown = serializers.CharField(required=False, allow_blank=True, default="")


class ConsentWithdrawalSerializer(serializers.Serializer):
    withdrawn_on = Day(past_only=True)
    reason = serializers.CharField()


class AssessmentSerializer(serializers.ModelSerializer):
    assessor = serializers.SerializerMethodField()
    signed_off_by = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = ["id", "party", "assessor", "assessed_on", "acknowledges_facts", "accepts_responsibility", "willing",
                  "risk_factors", "risk_level", "mitigations", "signed_off_by", "signed_off_at", "sign_off_note",
                  "created_at"]

    def get_assessor(self, assessment) -> str | None:
        return _person(assessment.assessor)

    def get_signed_off_by(self, assessment) -> str | None:
        return _person(assessment.signed_off_by)


class AssessmentInSerializer(serializers.Serializer):
    assessed_on = Day(past_only=True)
    acknowledges_facts = serializers.BooleanField(required=False, allow_null=True, default=None)
    accepts_responsibility = serializers.BooleanField(required=False, allow_null=True, default=None)
    willing = serializers.BooleanField()
    risk_factors = serializers.CharField(required=False, allow_blank=True, default="")
    risk_level = serializers.ChoiceField(choices=Assessment.RiskLevel.choices)
    mitigations = serializers.CharField(required=False, allow_blank=True, default="")

    def validate(self, data):
        if data["risk_level"] in (Assessment.RiskLevel.MEDIUM, Assessment.RiskLevel.HIGH) and not \
                data["mitigations"].strip():
            raise serializers.ValidationError({"mitigations": "Enter how the risks will be reduced."})
        return data


class SignOffSerializer(serializers.Serializer):
    note = serializers.CharField(help_text="Why the risk is acceptable with the mitigations recorded")


# ---------------------------------------------------------------------------------------------------
# Case work: allocation, notes, contacts


class AllocationSerializer(serializers.Serializer):
    facilitator = ActiveUsernameField()
    co_facilitator = ActiveUsernameField(required=False, allow_null=True)


class NoteSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()

    class Meta:
        model = Note
        fields = ["id", "author", "body", "created_at"]
        read_only_fields = ["id", "author", "created_at"]

    def get_author(self, note) -> str | None:
        return _person(note.author)


class ContactInSerializer(serializers.Serializer):
    party = CasePartyField(required=False, allow_null=True)
    at = When(past_only=True)
    method = serializers.ChoiceField(choices=ContactAttempt.Method.choices)
    result = serializers.ChoiceField(choices=ContactAttempt.Result.choices)
    rj_information_given = serializers.BooleanField(default=False)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class ContactSerializer(serializers.ModelSerializer):
    by = serializers.SerializerMethodField()

    class Meta:
        model = ContactAttempt
        fields = ["id", "party", "at", "method", "result", "rj_information_given", "notes", "by"]

    def get_by(self, contact) -> str | None:
        return _person(contact.by)


# ---------------------------------------------------------------------------------------------------
# Transitions


class TransitionFieldSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    required = serializers.BooleanField()
    choices = CodeNameSerializer(many=True, help_text="Allowed values, where the field has a fixed list")


class AvailableTransitionSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    help = serializers.CharField()
    ready = serializers.BooleanField(help_text="False while a guard is unmet: see problems")
    problems = serializers.ListField(child=serializers.CharField())
    fields = TransitionFieldSerializer(many=True)
    url = serializers.CharField()


def transition_fields(name: str) -> list[dict]:
    spec = TRANSITIONS[name]
    fields = []
    for field_name in spec.fields:
        options = spec.choices.get(field_name) or (WITHDRAWN_BY_CHOICES if field_name == "withdrawn_by" else ())
        fields.append({
            "name": field_name,
            "label": FIELD_LABELS.get(field_name, field_name).replace(" (optional)", ""),
            "required": field_name in spec.required,
            "choices": [{"code": value, "name": label} for value, label in options],
        })
    return fields


class TransitionInSerializer(serializers.Serializer):
    """The fields any transition may take; GET .../transitions/ says which one needs which."""

    reason = serializers.CharField(required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)
    summary = serializers.CharField(required=False, allow_blank=True)
    outcome = serializers.CharField(required=False, allow_blank=True)
    withdrawn_by = serializers.ChoiceField(choices=WITHDRAWN_BY_CHOICES, required=False)
    expected_state = serializers.ChoiceField(
        choices=Case.State.choices, required=False,
        help_text="The state you last saw; if the case is in another one now, the answer is 409",
    )


class TransitionOutSerializer(serializers.Serializer):
    reference = serializers.CharField()
    transition = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField()
    outcome = serializers.CharField(allow_blank=True)
    url = serializers.CharField()


# ---------------------------------------------------------------------------------------------------
# Timeline


class ChangeSerializer(serializers.Serializer):
    label = serializers.CharField()
    old = serializers.CharField()
    new = serializers.CharField()


class TimelineEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.CharField()
    title = serializers.CharField()
    by = serializers.CharField(allow_blank=True)
    lines = serializers.ListField(child=serializers.CharField(allow_blank=True))
    changes = ChangeSerializer(many=True)


# ---------------------------------------------------------------------------------------------------
# Restorative work (conferences)


class PreparationContactInSerializer(serializers.Serializer):
    party = CasePartyField()
    held_on = Day()
    method = serializers.ChoiceField(choices=PreparationContact.Method.choices)
    attendees = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    interpreter_arranged = serializers.BooleanField(default=False)
    adjustments_arranged = serializers.CharField(required=False, allow_blank=True, default="")


class PreparationContactSerializer(serializers.ModelSerializer):
    by = serializers.SerializerMethodField()

    class Meta:
        model = PreparationContact
        fields = ["id", "party", "held_on", "method", "attendees", "notes", "interpreter_arranged",
                  "adjustments_arranged", "by", "created_at"]

    def get_by(self, contact) -> str | None:
        return _person(contact.by)


class ActivitySerializer(serializers.ModelSerializer):
    lead_facilitator = serializers.SerializerMethodField()
    co_facilitator = serializers.SerializerMethodField()
    invited = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    attended = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Activity
        fields = ["id", "kind", "status", "scheduled_for", "duration_minutes", "venue", "method", "lead_facilitator",
                  "co_facilitator", "invited", "others_invited", "interpreter_booked", "interpreter_language",
                  "supersedes", "cancellation_reason", "took_place_on", "attended", "others_attended", "summary",
                  "agreement_reached", "created_at"]

    def get_lead_facilitator(self, activity) -> str | None:
        return _person(activity.lead_facilitator)

    def get_co_facilitator(self, activity) -> str | None:
        return _person(activity.co_facilitator)


class ActivityPlanSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Activity.Kind.choices)
    scheduled_for = When()
    duration_minutes = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=24 * 60)
    venue = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    method = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    lead_facilitator = ActiveUsernameField(required=False, allow_null=True,
                                           help_text="Username; defaults to the case's facilitator")
    co_facilitator = ActiveUsernameField(required=False, allow_null=True)
    invited = CasePartyField(many=True, required=False, default=list)
    others_invited = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    interpreter_booked = serializers.BooleanField(default=False)
    interpreter_language = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)


class ActivityRescheduleSerializer(ActivityPlanSerializer):
    reason = serializers.CharField()


class ActivityTookPlaceSerializer(serializers.Serializer):
    took_place_on = Day()
    attended = CasePartyField(many=True, allow_empty=False)
    summary = serializers.CharField()
    agreement_reached = serializers.BooleanField()
    others_attended = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class AgreementActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgreementAction
        fields = ["id", "kind", "responsible_party", "who", "what", "due_on", "how_checked", "status", "resolved_on",
                  "evidence_note"]


class AgreementSerializer(serializers.ModelSerializer):
    signatories = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    actions = AgreementActionSerializer(many=True, source="actions.all")

    class Meta:
        model = Agreement
        fields = ["id", "activity", "signed_on", "signatories", "notes", "created_at", "actions"]


class AgreementInSerializer(serializers.Serializer):
    signed_on = Day()
    signatories = CasePartyField(many=True, allow_empty=False)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class AgreementActionInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AgreementAction.Kind.choices)
    what = serializers.CharField(max_length=300)
    due_on = Day()
    how_checked = serializers.CharField(max_length=300)
    responsible_party = CasePartyField(required=False, allow_null=True)
    who = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class ActionDoneSerializer(serializers.Serializer):
    resolved_on = Day()
    evidence_note = serializers.CharField()
    told_method = serializers.ChoiceField(choices=FollowUp.Method.choices,
                                          help_text="How each person harmed was told it is done")
    told_at = When(required=False, allow_null=True)


class ActionMissedSerializer(serializers.Serializer):
    resolved_on = Day()
    evidence_note = serializers.CharField()


class FollowUpSerializer(serializers.ModelSerializer):
    by = serializers.SerializerMethodField()

    class Meta:
        model = FollowUp
        fields = ["id", "kind", "party", "action", "at", "method", "notes", "by"]

    def get_by(self, follow_up) -> str | None:
        return _person(follow_up.by)


class FollowUpInSerializer(serializers.Serializer):
    party = CasePartyField(required=False, allow_null=True)
    action = serializers.PrimaryKeyRelatedField(queryset=AgreementAction.objects.all(), required=False,
                                                allow_null=True)
    at = When()
    method = serializers.ChoiceField(choices=FollowUp.Method.choices)
    notes = serializers.CharField()

    def get_fields(self):
        fields = super().get_fields()
        case = self.context.get("case")
        fields["action"].queryset = (
            AgreementAction.objects.filter(agreement__case=case) if case else AgreementAction.objects.none()
        )
        return fields


class FeedbackSerializer(serializers.ModelSerializer):
    recorded_by = serializers.SerializerMethodField()

    class Meta:
        model = Feedback
        fields = ["id", "party", "wording_version", "refused", "satisfied", "would_recommend", "felt", "felt_safe",
                  "felt_heard", "comments", "recorded_on", "recorded_by"]

    def get_recorded_by(self, feedback) -> str | None:
        return _person(feedback.recorded_by)


class FeedbackInSerializer(serializers.Serializer):
    party = CasePartyField()
    refused = serializers.BooleanField(default=False)
    satisfied = serializers.BooleanField(required=False, allow_null=True, default=None)
    would_recommend = serializers.BooleanField(required=False, allow_null=True, default=None)
    felt = serializers.ChoiceField(choices=Feedback.Felt.choices, required=False, allow_blank=True, default="")
    felt_safe = serializers.BooleanField(required=False, allow_null=True, default=None)
    felt_heard = serializers.BooleanField(required=False, allow_null=True, default=None)
    comments = serializers.CharField(required=False, allow_blank=True, default="")
    recorded_on = Day(required=False, allow_null=True, default=None)


# ---------------------------------------------------------------------------------------------------
# Letters and insights


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
    sha256 = serializers.CharField()
    size = serializers.IntegerField()
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
    strand_links = serializers.IntegerField(help_text="The sum of the strand counts: more than total_cases when "
                                                      "cases carry several strands")
    counts = HotspotCountSerializer(many=True, help_text="Ward × crime type × strand")
    flags = HotspotFlagSerializer(many=True, help_text="Unusual concentrations, most significant first")
    method = serializers.CharField()
    months = MonthCountSerializer(many=True)
    routes = RouteCountSerializer(many=True)
