"""The referral form (any route) and the person sub-form beside it. Who may refer by which route, and
every other intake rule, is ``rjcases.services.intake``'s."""

from __future__ import annotations

from datetime import time

from django import forms

from accounts import roles
from accounts.models import Organisation, User
from govuk.forms import DatePartsField, GovukForm, GovukModelForm, time_known, yes_no_field
from govuk.forms import aware as _aware
from rjcases import limits
from rjcases.choices import REPORTED_BY_CHOICES
from rjcases.forms.safe_times import SafeTimesFields
from rjcases.models import (
    Case,
    CrimeType,
    HateStrand,
    Incident,
    Party,
    ReferralRoute,
    Ward,
    normalise_postcode,
    validate_crime_reference,
    validate_postcode,
)

ROUTE_DESCRIPTIONS = {
    "police": "A police officer, PCSO or hate crime coordinator refers a case, usually with the victim's view.",
    "reporting-centre": "A third-party reporting centre records an assisted or anonymous report and refers it on.",
    "victim-service": "A victim service caseworker refers a person they support.",
    "self-referral": "A person harmed, or a person responsible, asks for restorative justice themselves.",
    "housing": "A housing provider refers a dispute or incident between residents.",
    "school": "A school or college refers an incident involving pupils or students.",
    "other": "Any other organisation or person.",
}


class ReferralForm(GovukForm):
    """The case and its incident; parties come in ``PartyForm`` sub-forms beside it. The referral's pages each show
    some of its fields (``rjcases.views.referral``); the reason for enhanced rights is revealed by, and required
    with, a yes."""

    reveals = {"enhanced_rights": ("yes", "enhanced_rights_reason")}
    required_when_shown = ("enhanced_rights_reason",)

    occurred_on = DatePartsField(
        label="Date of the incident", not_in_future=True, error_messages={"required": "Enter the date of the incident"}
    )
    occurred_at = forms.TimeField(
        label="Time of the incident",
        required=False,
        help_text="24-hour clock, for example 21:30. Leave empty if not known.",
        error_messages={"invalid": "Enter the time like 21:30"},
    )
    occurred_to_on = DatePartsField(
        label="End date, if it happened over a period",
        required=False,
        not_in_future=True,
        help_text="Only if the incident went on over days or weeks. For example, 30 3 2026",
    )
    occurred_to_at = forms.TimeField(
        label="End time",
        required=False,
        help_text="For example, 23:00",
        error_messages={"invalid": "Enter the end time like 23:00"},
    )
    ward = forms.ModelChoiceField(
        Ward.objects.all(),
        label="Ward where it happened",
        empty_label="Choose a ward",
        error_messages={"required": "Choose the ward where it happened"},
    )
    place = forms.CharField(
        label="Place",
        max_length=limits.SHORT,
        required=False,
        help_text="In words, for example: bus stop outside Stretford library",
    )
    postcode = forms.CharField(label="Postcode", max_length=20, required=False)
    crime_type = forms.ModelChoiceField(
        CrimeType.objects.all(),
        label="Type of crime or incident",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the type of crime or incident"},
    )
    crime_reference = forms.CharField(
        label="Police crime reference",
        max_length=24,
        required=False,
        help_text="As it appears on the police record, for example 06/123456/26",
    )
    strands = forms.ModelMultipleChoiceField(
        HateStrand.objects.all(),
        label="Hostility or prejudice towards",
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={"required": "Choose at least one hate crime strand"},
    )
    perceived_by = forms.ChoiceField(
        label="Who perceived the hostility?",
        choices=Incident.PerceivedBy.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who perceived the hostility"},
    )
    summary = forms.CharField(
        label="What happened",
        max_length=limits.SUMMARY,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Facts only. Do not include contact details here.",
        error_messages={"required": "Enter a summary of what happened"},
    )
    reported_on = DatePartsField(
        label="When was it reported to the police or the reporting centre?",
        required=False,
        not_in_future=True,
        help_text="If known. The Victims' Code deadlines run from this date. For example, 27 3 2026",
    )
    reported_by = forms.ChoiceField(
        label="Who reported it?", choices=REPORTED_BY_CHOICES, widget=forms.RadioSelect, required=False
    )
    enhanced_rights = yes_no_field(
        "Is the person harmed entitled to enhanced rights under the Victims' Code?",
        help_text="For example victims of the most serious crime, persistently targeted, vulnerable or "
        "intimidated victims. They must be told about restorative justice within 1 working day.",
        error="Select yes if the person harmed is entitled to enhanced rights",
    )
    enhanced_rights_reason = forms.CharField(
        label="Why they are entitled to enhanced rights", max_length=300, required=False
    )
    referrer_name = forms.CharField(
        label="Referrer's name", max_length=limits.SHORT, error_messages={"required": "Enter the referrer's name"}
    )
    referrer_contact = forms.CharField(
        label="Referrer's phone or email",
        max_length=limits.SHORT,
        validators=[limits.validate_phone_or_email],
        error_messages={"required": "Enter the referrer's phone or email"},
    )
    # Reporting centre reports only.
    report_kind = forms.ChoiceField(
        label="What kind of report is this?",
        widget=forms.RadioSelect,
        choices=[
            ("assisted", "Assisted report: the person gave their details"),
            ("anonymous", "Anonymous report: the person did not give their name"),
        ],
        error_messages={"required": "Select whether the report is assisted or anonymous"},
    )
    consents_to_police = yes_no_field(
        "Does the person consent to the police being involved?",
        error="Select yes if the person consents to police involvement",
    )
    survey_by_email = yes_no_field(
        "May the service email the person the centre's short satisfaction survey?",
        required=False,
        help_text="Only if they agree. It goes to the email address given for them below and says nothing about "
        "the report. Not for an anonymous report: give them the survey link instead.",
    )
    # RJ service staff only: who referred it.
    referring_organisation = forms.ModelChoiceField(
        Organisation.objects.filter(is_active=True),
        label="Referring organisation",
        required=False,
        empty_label="Not from a partner organisation",
        help_text="The partner organisation's staff will see this case's status.",
    )

    def __init__(self, *args, route: ReferralRoute, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.route = route
        self.user = user
        if route.code != "reporting-centre":
            del self.fields["report_kind"]
            del self.fields["consents_to_police"]
            del self.fields["survey_by_email"]
        if not (roles.is_manager(user) or roles.is_facilitator(user)):
            del self.fields["referring_organisation"]
        # The wards of the partnerships the user refers into; named with their partnership when there are several.
        own = sorted(roles.partnership_ids(user))
        wards = Ward.objects.filter(partnership__in=own, partnership__is_active=True).select_related("partnership")
        self.fields["ward"].queryset = wards.order_by("partnership__name", "name")
        if len(own) > 1:
            self.fields["ward"].label_from_instance = lambda ward: (
                f"{ward.name} ({ward.partnership.area or ward.partnership.name})"
            )
            self.fields["ward"].help_text = "The referral goes to the partnership the ward is in."
        if route.code == "self-referral":
            self.fields["referrer_name"].label = "Name of the person referring themselves"
            self.fields["referrer_contact"].label = "Their phone or email"
        if not self.is_bound:
            self.initial.setdefault("referrer_name", user.get_full_name())
            self.initial.setdefault("referrer_contact", user.email)
            if route.code == "self-referral":
                self.initial["referrer_name"] = ""
                self.initial["referrer_contact"] = ""

    def clean_postcode(self) -> str:
        value = normalise_postcode(self.cleaned_data.get("postcode", ""))
        if value:
            validate_postcode(value)
        return value

    def clean_crime_reference(self) -> str:
        value = self.cleaned_data.get("crime_reference", "").strip().upper()
        if value:
            validate_crime_reference(value)
        return value

    def clean(self):
        data = super().clean()
        if data.get("enhanced_rights") and not (data.get("enhanced_rights_reason") or "").strip():
            self.add_error("enhanced_rights_reason", "Enter why the person harmed is entitled to enhanced rights")
        start_day, end_day = data.get("occurred_on"), data.get("occurred_to_on")
        if data.get("occurred_to_at") and not end_day:
            self.add_error("occurred_to_on", "Enter the end date as well as the end time")
        if start_day and end_day:
            start = _aware(start_day, data.get("occurred_at"))
            end = _aware(end_day, data.get("occurred_to_at") or time(23, 59))
            if end < start:
                self.add_error("occurred_to_on", "The end of the period must be after its start")
        return data

    @property
    def is_anonymous_report(self) -> bool:
        return self.route.code == "reporting-centre" and self.cleaned_data.get("report_kind") == "anonymous"

    def incident_data(self) -> dict:
        data = self.cleaned_data
        return {
            "occurred_from": _aware(data["occurred_on"], data.get("occurred_at")),
            "occurred_time_known": time_known(data.get("occurred_at")),
            "occurred_to": _aware(data["occurred_to_on"], data.get("occurred_to_at") or time(23, 59))
            if data.get("occurred_to_on")
            else None,
            "ward": data["ward"],
            "place": data.get("place", ""),
            "postcode": data.get("postcode", ""),
            "crime_type": data["crime_type"],
            "crime_reference": data.get("crime_reference", ""),
            "perceived_by": data["perceived_by"],
            "summary": data["summary"].strip(),
            "reported_on": data.get("reported_on"),
            "reported_by": data.get("reported_by") or "",
        }

    def case_fields(self) -> dict:
        data = self.cleaned_data
        fields = {
            "referrer_name": data["referrer_name"].strip(),
            "referrer_contact": data["referrer_contact"].strip(),
            "enhanced_rights": bool(data["enhanced_rights"]),
            "enhanced_rights_reason": data.get("enhanced_rights_reason") or "",
        }
        if self.route.code == "reporting-centre":
            fields["report_kind"] = data["report_kind"]
            fields["consents_to_police"] = data["consents_to_police"]
            fields["survey_by_email"] = bool(data.get("survey_by_email"))
        if data.get("referring_organisation"):
            fields["referring_organisation"] = data["referring_organisation"]
        return fields


PARTY_CONTACT_FIELDS = [
    "first_name",
    "last_name",
    "date_of_birth",
    "age_band",
    "address",
    "postcode",
    "phone",
    "email",
    "preferred_contact_method",
    "safe_contact_times",
    "no_messages",
    "asked_not_to_be_contacted",
]
PARTY_NEEDS_FIELDS = [
    "language",
    "interpreter_needed",
    "interpreter_language",
    "bsl",
    "large_print",
    "easy_read",
    "other_adjustments",
]


class PartyForm(SafeTimesFields, GovukModelForm):
    """A person in the case: name, contact details (with their safe times) and communication needs. The interpreter's
    language is revealed by, and required with, "Needs an interpreter"."""

    reveals = {"interpreter_needed": ("on", "interpreter_language")}
    required_when_shown = ("interpreter_language",)

    date_of_birth = DatePartsField(
        label="Date of birth", required=False, not_in_future=True, help_text="If known. For example, 31 3 1980"
    )
    postcode = forms.CharField(label="Postcode", max_length=20, required=False)

    class Meta:
        model = Party
        fields = ["role", "supports", *PARTY_CONTACT_FIELDS, *PARTY_NEEDS_FIELDS, "caseworker", "participating"]
        labels = {
            "first_name": "First name",
            "last_name": "Last name",
            "age_band": "Age",
            "address": "Address",
            "postcode": "Postcode",
            "phone": "Phone",
            "email": "Email address",
            "preferred_contact_method": "How they prefer to be contacted",
            "safe_contact_times": "Anything else about when to contact them",
            "language": "Preferred language",
            "interpreter_needed": "Needs an interpreter",
            "interpreter_language": "Interpreter language",
            "bsl": "Uses British Sign Language (BSL)",
            "large_print": "Needs large print",
            "easy_read": "Needs easy read",
            "other_adjustments": "Other adjustments",
            "supports": "Supports",
            "caseworker": "Victim service caseworker",
            "participating": "Taking part in the restorative process",
            "asked_not_to_be_contacted": "Asked not to be contacted by the service",
        }
        help_texts = {
            "safe_contact_times": "For example: ask for Amina, her brother may answer. Not checked by the service.",
            "asked_not_to_be_contacted": "The Victims' Code contact deadlines then do not apply to them.",
        }
        widgets = {
            "role": forms.RadioSelect,
            "age_band": forms.RadioSelect,
            "address": forms.Textarea(attrs={"rows": 3}),
            "other_adjustments": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(
        self, *args, case: Case | None = None, fixed_role: str | None = None, name_required: bool = True, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fixed_role = fixed_role
        self.add_safe_times_fields()
        self.fields["first_name"].required = name_required
        self.fields["first_name"].error_messages["required"] = "Enter the person's first name"
        self.fields["role"].choices = Party.Role.choices
        self.fields["role"].error_messages["required"] = "Select the person's role in the case"
        self.fields["age_band"].choices = Party.AgeBand.choices
        self.fields["age_band"].required = False
        self.fields["preferred_contact_method"].choices = [("", "Not known"), *Party.ContactMethod.choices]
        self.fields["email"].error_messages["invalid"] = "Enter an email address like name@example.org"
        if fixed_role:
            del self.fields["role"]
            del self.fields["supports"]
            del self.fields["participating"]
        elif case is not None:
            self.fields["supports"].queryset = case.parties.exclude(role=Party.Role.SUPPORTER)
            self.fields["supports"].empty_label = "Not a supporter"
            self.fields["supports"].required = False
        if fixed_role:
            # On the referral form the caseworker is set from who refers, not chosen.
            del self.fields["caseworker"]
        else:
            self.fields["caseworker"].queryset = User.objects.filter(
                groups__name=roles.CASEWORKER, is_active=True
            ).order_by("last_name", "first_name")
            self.fields["caseworker"].empty_label = "No caseworker"
            self.fields["caseworker"].help_text = "Only for a person harmed. The caseworker will see this case."

    def clean_postcode(self) -> str:
        value = normalise_postcode(self.cleaned_data.get("postcode", ""))
        if value:
            validate_postcode(value)
        return value

    def clean(self):
        data = super().clean()
        role = self.fixed_role or data.get("role")
        if data.get("interpreter_needed") and not (data.get("interpreter_language") or "").strip():
            self.add_error("interpreter_language", "Enter the language the interpreter needs, for example BSL")
        if data.get("caseworker") and role and role != Party.Role.HARMED:
            self.add_error("caseworker", "Only a person harmed has a victim service caseworker")
        if data.get("supports") and role and role != Party.Role.SUPPORTER:
            self.add_error("supports", "Only a supporter supports someone")
        if role == Party.Role.SUPPORTER and "supports" in self.fields and not data.get("supports"):
            self.add_error("supports", "Select who this person supports")
        self.clean_safe_times(data)
        return data

    def _post_clean(self):
        # The role is fixed by the page; set it so the model's own checks see a complete party.
        if self.fixed_role:
            self.instance.role = self.fixed_role
        super()._post_clean()

    def has_entries(self) -> bool:
        """True if anything was typed in this person's boxes (an empty sub-form is skipped)."""
        if not self.is_bound:
            return False
        for name, field in self.fields.items():
            value = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            if name in ("language", "age_band"):
                continue
            if isinstance(value, list):
                if any(str(v or "").strip() for v in value):
                    return True
            elif isinstance(value, bool):
                if value:
                    return True
            elif str(value or "").strip():
                return True
        return False

    def service_fields(self) -> dict:
        """The cleaned values, as keyword arguments for services.add_party / update_party."""
        data = self.safe_times_data(dict(self.cleaned_data))
        data.pop("role", None)
        data["age_band"] = data.get("age_band") or Party.AgeBand.UNKNOWN
        for name in ("first_name", "last_name", "phone", "safe_contact_times", "interpreter_language"):
            if name in data:
                data[name] = (data[name] or "").strip()
        return data
