"""Forms for the case pages. They validate what a person typed; the services do the writing.

Every form renders with GOV.UK Frontend markup: ``GovukBoundField`` adds the input classes, the error
classes and ``aria-describedby`` ids that match the hint and error paragraphs of the field includes.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.utils import timezone

from accounts import roles
from accounts.models import Organisation, User
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
    normalise_postcode,
    validate_crime_reference,
    validate_postcode,
)
from rjcases.services import FIELD_LABELS, TransitionSpec

YES_NO = (("yes", "Yes"), ("no", "No"))


# ---------------------------------------------------------------------------------------------------
# GOV.UK markup


class GovukBoundField(BoundField):
    """A bound field whose widget carries GOV.UK classes and points at its hint and error by id."""

    _classes = {
        "textinput": "govuk-input",
        "emailinput": "govuk-input",
        "numberinput": "govuk-input",
        "timeinput": "govuk-input govuk-input--width-5",
        "textarea": "govuk-textarea",
        "select": "govuk-select",
    }

    @property
    def aria_describedby(self):
        ids = []
        if self.help_text:
            ids.append(f"{self.auto_id}-hint")
        if self.errors:
            ids.append(f"{self.auto_id}-error")
        return " ".join(ids)

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        kind = widget.__class__.__name__.lower()
        css = self._classes.get(kind)
        if css:
            extra = widget.attrs.get("class", "")
            error = ""
            if self.errors:
                error = " govuk-textarea--error" if kind == "textarea" else (
                    " govuk-select--error" if kind == "select" else " govuk-input--error")
            attrs["class"] = " ".join(filter(None, [css, extra])) + error
        return attrs

    @property
    def anchor(self) -> str:
        """The id the error summary links to: the first input of the field."""
        widget = self.field.widget
        if isinstance(widget, DatePartsWidget):
            return f"{self.auto_id}-day"
        if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            return f"{self.auto_id}_0"
        return self.id_for_label or self.auto_id

    @property
    def is_date(self) -> bool:
        return isinstance(self.field.widget, DatePartsWidget)

    @property
    def is_choice_list(self) -> bool:
        return isinstance(self.field.widget, forms.RadioSelect)

    @property
    def is_multiple(self) -> bool:
        return isinstance(self.field.widget, forms.CheckboxSelectMultiple)

    @property
    def date_parts(self) -> tuple[str, str, str]:
        value = self.value()
        if isinstance(value, date):
            return str(value.day), str(value.month), str(value.year)
        if isinstance(value, list | tuple) and len(value) == 3:
            return tuple("" if part is None else str(part) for part in value)
        return "", "", ""

    @property
    def selected_values(self) -> set[str]:
        value = self.value()
        if value is None:
            return set()
        if isinstance(value, list | tuple | set):
            return {str(v) for v in value}
        return {str(value)}


class GovukForm(forms.Form):
    bound_field_class = GovukBoundField
    use_required_attribute = False


class GovukModelForm(forms.ModelForm):
    bound_field_class = GovukBoundField
    use_required_attribute = False


# ---------------------------------------------------------------------------------------------------
# Dates as three boxes (the GOV.UK date input pattern)


class DatePartsWidget(forms.MultiWidget):
    """Day, month and year boxes; the template renders them (rjcases/includes/field.html)."""

    def __init__(self, attrs=None):
        super().__init__([forms.TextInput, forms.TextInput, forms.TextInput], attrs)
        self.widgets_names = ["-day", "-month", "-year"]  # GOV.UK's names: date-day, date-month, date-year

    def decompress(self, value):
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def id_for_label(self, id_):
        return f"{id_}-day" if id_ else ""


class DatePartsField(forms.Field):
    """A date typed as day, month and year, with messages that say which part is wrong."""

    widget = DatePartsWidget

    def __init__(self, *, not_in_future: bool = False, **kwargs):
        self.not_in_future = not_in_future
        kwargs.setdefault("help_text", "For example, 27 3 2026")
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, date):
            return value
        parts = [str(p or "").strip() for p in (value or ["", "", ""])]
        if not any(parts):
            return None
        label = str(self.label or "the date").lower()
        names = ("day", "month", "year")
        missing = [name for name, part in zip(names, parts, strict=True) if not part]
        if missing:
            raise ValidationError(f"{self.label or 'The date'} must include a {' and '.join(missing)}")
        if not all(part.isdigit() for part in parts) or len(parts[2]) != 4:
            raise ValidationError(f"Enter {label} as numbers, with a 4-digit year")
        try:
            value = date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError:
            raise ValidationError(f"{self.label or 'The date'} must be a real date")
        if self.not_in_future and value > timezone.localdate():
            raise ValidationError(f"{self.label or 'The date'} must be today or in the past")
        return value


def yes_no_field(label: str, *, required: bool = True, help_text: str = "", error: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=YES_NO, widget=forms.RadioSelect, required=required, help_text=help_text,
        coerce=lambda v: v == "yes", empty_value=None,
        error_messages={"required": error or f"Select yes or no: {label[0].lower()}{label[1:].rstrip('?')}"},
    )


def _aware(day: date, at: time | None) -> datetime:
    return timezone.make_aware(datetime.combine(day, at or time(0, 0)))


# ---------------------------------------------------------------------------------------------------
# Referral


ROUTE_DESCRIPTIONS = {
    "police": "A police officer, PCSO or hate crime coordinator refers a case, usually with the victim's view.",
    "reporting-centre": "A third-party reporting centre records an assisted or anonymous report and refers it on.",
    "victim-service": "A victim service caseworker refers a person they support.",
    "self-referral": "A person harmed, or a person responsible, asks for restorative justice themselves.",
    "housing": "A housing provider refers a dispute or incident between residents.",
    "school": "A school or college refers an incident involving pupils or students.",
    "other": "Any other organisation or person.",
}


def routes_for(user) -> list[ReferralRoute]:
    """The referral routes this user may use: their own organisation's, or any for RJ service staff."""
    routes = list(ReferralRoute.objects.all())
    if roles.is_manager(user) or roles.is_facilitator(user):
        return routes
    allowed = set()
    if roles.is_police_referrer(user):
        allowed.add("police")
    if roles.is_centre_staff(user):
        allowed.add("reporting-centre")
    if roles.is_caseworker(user):
        allowed.add("victim-service")
    return [route for route in routes if route.code in allowed]


class ReferralForm(GovukForm):
    """The case and its incident; parties come in ``PartyForm`` sub-forms beside it."""

    occurred_on = DatePartsField(label="Date of the incident", not_in_future=True,
                                 error_messages={"required": "Enter the date of the incident"})
    occurred_at = forms.TimeField(label="Time of the incident", required=False,
                                  help_text="24-hour clock, for example 21:30. Leave empty if not known.",
                                  error_messages={"invalid": "Enter the time like 21:30"})
    occurred_to_on = DatePartsField(
        label="End date, if it happened over a period", required=False, not_in_future=True,
        help_text="Only if the incident went on over days or weeks. For example, 30 3 2026",
    )
    occurred_to_at = forms.TimeField(label="End time", required=False, help_text="For example, 23:00",
                                     error_messages={"invalid": "Enter the end time like 23:00"})
    ward = forms.ModelChoiceField(Ward.objects.all(), label="Ward where it happened", empty_label="Choose a ward",
                                  error_messages={"required": "Choose the ward where it happened"})
    place = forms.CharField(label="Place", max_length=200, required=False,
                            help_text="In words, for example: bus stop outside Stretford library")
    postcode = forms.CharField(label="Postcode", max_length=20, required=False)
    crime_type = forms.ModelChoiceField(CrimeType.objects.all(), label="Type of crime or incident",
                                        widget=forms.RadioSelect, empty_label=None,
                                        error_messages={"required": "Choose the type of crime or incident"})
    crime_reference = forms.CharField(label="Police crime reference", max_length=24, required=False,
                                      help_text="As it appears on the police record, for example 06/123456/26")
    strands = forms.ModelMultipleChoiceField(
        HateStrand.objects.all(), label="Hostility or prejudice towards", widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.", error_messages={"required": "Choose at least one hate crime strand"},
    )
    perceived_by = forms.ChoiceField(label="Who perceived the hostility?", choices=Incident.PerceivedBy.choices,
                                     widget=forms.RadioSelect,
                                     error_messages={"required": "Select who perceived the hostility"})
    summary = forms.CharField(label="What happened", widget=forms.Textarea(attrs={"rows": 5}),
                              help_text="Facts only. Do not include contact details here.",
                              error_messages={"required": "Enter a summary of what happened"})
    enhanced_rights = yes_no_field(
        "Is the person harmed entitled to enhanced rights under the Victims' Code?",
        help_text="For example victims of the most serious crime, persistently targeted, vulnerable or "
                  "intimidated victims. They must be told about restorative justice within 1 working day.",
        error="Select yes if the person harmed is entitled to enhanced rights",
    )
    enhanced_rights_reason = forms.CharField(label="Why they are entitled to enhanced rights", max_length=300,
                                             required=False)
    referrer_name = forms.CharField(label="Referrer's name", max_length=200,
                                    error_messages={"required": "Enter the referrer's name"})
    referrer_contact = forms.CharField(label="Referrer's phone or email", max_length=200,
                                       error_messages={"required": "Enter the referrer's phone or email"})
    # Reporting centre reports only.
    report_kind = forms.ChoiceField(
        label="What kind of report is this?", widget=forms.RadioSelect,
        choices=[("assisted", "Assisted report: the person gave their details"),
                 ("anonymous", "Anonymous report: the person did not give their name")],
        error_messages={"required": "Select whether the report is assisted or anonymous"},
    )
    consents_to_police = yes_no_field("Does the person consent to the police being involved?",
                                      error="Select yes if the person consents to police involvement")
    # RJ service staff only: who referred it.
    referring_organisation = forms.ModelChoiceField(
        Organisation.objects.filter(is_active=True), label="Referring organisation", required=False,
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
        if not (roles.is_manager(user) or roles.is_facilitator(user)):
            del self.fields["referring_organisation"]
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
            "occurred_to": _aware(data["occurred_to_on"], data.get("occurred_to_at") or time(23, 59))
            if data.get("occurred_to_on") else None,
            "ward": data["ward"],
            "place": data.get("place", ""),
            "postcode": data.get("postcode", ""),
            "crime_type": data["crime_type"],
            "crime_reference": data.get("crime_reference", ""),
            "perceived_by": data["perceived_by"],
            "summary": data["summary"].strip(),
        }

    def case_fields(self) -> dict:
        data = self.cleaned_data
        fields = {
            "referrer_name": data["referrer_name"].strip(),
            "referrer_contact": data["referrer_contact"].strip(),
            "enhanced_rights": bool(data["enhanced_rights"]),
            "enhanced_rights_reason": (data.get("enhanced_rights_reason") or "").strip()
            if data["enhanced_rights"] else "",
        }
        if self.route.code == "reporting-centre":
            fields["report_kind"] = data["report_kind"]
            fields["consents_to_police"] = data["consents_to_police"]
            if roles.is_centre_staff(self.user) and self.user.organisation_id:
                fields["reporting_centre"] = self.user.organisation
        if data.get("referring_organisation"):
            fields["referring_organisation"] = data["referring_organisation"]
        return fields


PARTY_CONTACT_FIELDS = [
    "first_name", "last_name", "date_of_birth", "age_band", "address", "postcode", "phone", "email",
    "preferred_contact_method", "safe_contact_times", "no_messages",
]
PARTY_NEEDS_FIELDS = [
    "language", "interpreter_needed", "interpreter_language", "large_print", "easy_read", "other_adjustments",
]


class PartyForm(GovukModelForm):
    """A person in the case: name, contact details and communication needs."""

    date_of_birth = DatePartsField(label="Date of birth", required=False, not_in_future=True,
                                   help_text="If known. For example, 31 3 1980")
    postcode = forms.CharField(label="Postcode", max_length=20, required=False)

    class Meta:
        model = Party
        fields = ["role", "supports", *PARTY_CONTACT_FIELDS, *PARTY_NEEDS_FIELDS, "caseworker", "participating"]
        labels = {
            "first_name": "First name", "last_name": "Last name", "age_band": "Age", "address": "Address",
            "postcode": "Postcode", "phone": "Phone", "email": "Email address",
            "preferred_contact_method": "How they prefer to be contacted",
            "safe_contact_times": "Safe times to contact them",
            "language": "Preferred language", "interpreter_needed": "Needs an interpreter",
            "interpreter_language": "Interpreter language", "large_print": "Needs large print",
            "easy_read": "Needs easy read", "other_adjustments": "Other adjustments",
            "supports": "Supports", "caseworker": "Victim service caseworker",
            "participating": "Taking part in the restorative process",
        }
        help_texts = {"safe_contact_times": "For example: weekday evenings after 6pm"}
        widgets = {
            "role": forms.RadioSelect, "age_band": forms.RadioSelect,
            "address": forms.Textarea(attrs={"rows": 3}), "other_adjustments": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, case: Case | None = None, fixed_role: str | None = None,
                 name_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed_role = fixed_role
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
                groups__name=roles.CASEWORKER, is_active=True).order_by("last_name", "first_name")
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
        data = dict(self.cleaned_data)
        data.pop("role", None)
        data["age_band"] = data.get("age_band") or Party.AgeBand.UNKNOWN
        for name in ("first_name", "last_name", "phone", "safe_contact_times", "interpreter_language"):
            if name in data:
                data[name] = (data[name] or "").strip()
        return data


# ---------------------------------------------------------------------------------------------------
# Case work


def facilitators():
    return User.objects.filter(groups__name=roles.FACILITATOR, is_active=True).order_by("last_name", "first_name")


class AllocationForm(GovukForm):
    facilitator = forms.ModelChoiceField(facilitators(), label="Facilitator", empty_label="Choose a facilitator",
                                         error_messages={"required": "Choose a facilitator"})
    co_facilitator = forms.ModelChoiceField(facilitators(), label="Co-facilitator", required=False,
                                            empty_label="No co-facilitator")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("facilitator", "co_facilitator"):
            self.fields[name].queryset = facilitators()
            self.fields[name].label_from_instance = lambda u: u.get_full_name() or u.username

    def clean(self):
        data = super().clean()
        if data.get("facilitator") and data.get("co_facilitator") and data["facilitator"] == data["co_facilitator"]:
            self.add_error("co_facilitator", "The co-facilitator must be someone other than the facilitator")
        return data


class AssessmentForm(GovukForm):
    assessed_on = DatePartsField(label="Date of the assessment", not_in_future=True,
                                 error_messages={"required": "Enter the date of the assessment"})
    acknowledges_facts = yes_no_field("Do they acknowledge the basic facts of what happened?",
                                      error="Select yes if they acknowledge the basic facts")
    accepts_responsibility = yes_no_field("Do they accept responsibility for the harm?",
                                          error="Select yes if they accept responsibility")
    willing = yes_no_field("Are they willing to take part?", error="Select yes if they are willing to take part")
    risk_factors = forms.CharField(label="Risk factors", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    risk_level = forms.ChoiceField(label="Risk level", choices=Assessment.RiskLevel.choices, widget=forms.RadioSelect,
                                   help_text="A high risk needs a manager's sign-off before preparation.",
                                   error_messages={"required": "Select the risk level"})
    mitigations = forms.CharField(label="How the risks will be reduced", widget=forms.Textarea(attrs={"rows": 4}),
                                  required=False)

    def __init__(self, *args, party: Party, **kwargs):
        super().__init__(*args, **kwargs)
        self.party = party
        if party.role != Party.Role.RESPONSIBLE:
            del self.fields["acknowledges_facts"]
            del self.fields["accepts_responsibility"]
        self.initial.setdefault("assessed_on", timezone.localdate())

    def clean(self):
        data = super().clean()
        if data.get("risk_level") in (Assessment.RiskLevel.MEDIUM, Assessment.RiskLevel.HIGH) and not (
            data.get("mitigations") or ""
        ).strip():
            self.add_error("mitigations", "Enter how the risks will be reduced")
        return data

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["risk_factors"] = data.get("risk_factors", "").strip()
        data["mitigations"] = data.get("mitigations", "").strip()
        return data


class SignOffForm(GovukForm):
    note = forms.CharField(label="Sign-off note", widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="Why the risk is acceptable with the mitigations recorded.",
                           error_messages={"required": "Enter a sign-off note"})


class ConsentForm(GovukForm):
    purpose = forms.ChoiceField(label="What are they consenting to?", choices=Consent.Purpose.choices,
                                widget=forms.RadioSelect, initial=Consent.Purpose.PARTICIPATE,
                                error_messages={"required": "Select what they are consenting to"})
    given_on = DatePartsField(label="Date consent was given", not_in_future=True,
                              error_messages={"required": "Enter the date consent was given"})
    method = forms.ChoiceField(label="How was consent given?", choices=Consent.Method.choices,
                               widget=forms.RadioSelect, error_messages={"required": "Select how consent was given"})
    wording_version = forms.CharField(label="Version of the consent wording shown", max_length=20, initial="2026-1",
                                      error_messages={"required": "Enter the version of the wording shown"})
    wording_shown = forms.CharField(label="Wording shown, if different from the standard form", required=False,
                                    widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("given_on", timezone.localdate())


class ConsentWithdrawalForm(GovukForm):
    withdrawn_on = DatePartsField(label="Date consent was withdrawn", not_in_future=True,
                                  error_messages={"required": "Enter the date consent was withdrawn"})
    reason = forms.CharField(label="Why they withdrew", widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Enter why consent was withdrawn"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("withdrawn_on", timezone.localdate())


class NoteForm(GovukForm):
    body = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 5}),
                           error_messages={"required": "Enter the note"})

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if not body:
            raise ValidationError("Enter the note")
        return body


class ContactForm(GovukForm):
    party = forms.ModelChoiceField(Party.objects.none(), label="Who was contacted", required=False,
                                   empty_label="Not one person (for example the referrer)")
    on = DatePartsField(label="Date of the contact", not_in_future=True,
                        error_messages={"required": "Enter the date of the contact"})
    at = forms.TimeField(label="Time", required=False, help_text="For example, 14:30",
                         error_messages={"invalid": "Enter the time like 14:30"})
    method = forms.ChoiceField(label="How", choices=ContactAttempt.Method.choices, widget=forms.RadioSelect,
                               error_messages={"required": "Select how you tried to make contact"})
    result = forms.ChoiceField(label="Result", choices=ContactAttempt.Result.choices, widget=forms.RadioSelect,
                               error_messages={"required": "Select the result"})
    rj_information_given = forms.BooleanField(label="They were told about restorative justice", required=False,
                                              help_text="This meets the Victims' Code clock for a person harmed.")
    notes = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = case.parties.all()
        self.fields["party"].label_from_instance = lambda p: f"{p.display_name} ({p.get_role_display().lower()})"
        self.initial.setdefault("on", timezone.localdate())

    def clean(self):
        data = super().clean()
        if data.get("on"):
            when = _aware(data["on"], data.get("at"))
            if when > timezone.now() + timedelta(minutes=5):
                self.add_error("at", "The time of the contact must be in the past")
            data["when"] = when
        return data


class DuplicateReviewForm(GovukForm):
    note = forms.CharField(label="What you found", max_length=80, required=False,
                           help_text="For example: a different incident with the same people.")


# ---------------------------------------------------------------------------------------------------
# Transitions


WITHDRAWN_BY_CHOICES = (
    ("person harmed", "The person harmed"),
    ("person responsible", "The person responsible"),
    ("referrer", "The referrer"),
    ("service", "The RJ service"),
)


class TransitionForm(GovukForm):
    """The fields a transition collects (from its spec), plus the state the user saw when they opened it."""

    seen_state = forms.CharField(widget=forms.HiddenInput, error_messages={
        "required": "This page was out of date. Go back to the case and try again."})

    def __init__(self, *args, spec: TransitionSpec, **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = spec
        for name in spec.fields:
            label = FIELD_LABELS.get(name, name.replace("_", " ").capitalize())
            required = name in spec.required
            if required:
                label = label.replace(" (optional)", "")
            message = {"required": f"Enter the {label.lower()}"}
            if name in spec.choices:
                field = forms.ChoiceField(label=label, choices=spec.choices[name], widget=forms.RadioSelect,
                                          required=required,
                                          error_messages={"required": f"Select the {label.lower()}"})
            elif name == "withdrawn_by":
                field = forms.ChoiceField(label=label, choices=WITHDRAWN_BY_CHOICES, widget=forms.RadioSelect,
                                          required=required, error_messages={"required": "Select who withdrew"})
            else:
                field = forms.CharField(label=label.replace(" (optional)", ""), required=required,
                                        widget=forms.Textarea(attrs={"rows": 4}), error_messages=message)
            self.fields[name] = field

    def inputs(self) -> dict:
        return {name: self.cleaned_data.get(name) or "" for name in self.spec.fields}


# ---------------------------------------------------------------------------------------------------
# Filters


class CaseFilterForm(GovukForm):
    q = forms.CharField(label="Search", required=False, max_length=100,
                        help_text="Case reference, name of a person in the case, or police crime reference")
    state = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *Case.State.choices])
    route = forms.ModelChoiceField(ReferralRoute.objects.all(), label="Referral route", required=False,
                                   empty_label="Any route", to_field_name="code")
    strand = forms.ModelChoiceField(HateStrand.objects.all(), label="Strand", required=False,
                                    empty_label="Any strand", to_field_name="code")
    ward = forms.ModelChoiceField(Ward.objects.all(), label="Ward", required=False, empty_label="Any ward",
                                  to_field_name="code")
    facilitator = forms.ChoiceField(label="Facilitator", required=False)
    overdue = forms.BooleanField(label="Only cases with an overdue Victims' Code clock", required=False)

    DETAIL_FILTERS = ("strand", "ward", "facilitator", "overdue")

    def __init__(self, *args, detailed: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if detailed:
            people = [(str(u.pk), u.get_full_name() or u.username) for u in facilitators()]
            self.fields["facilitator"].choices = [("", "Anyone"), ("none", "Not allocated"), *people]
            self.fields["q"].help_text = "Case reference, name of a person in the case, or police crime reference"
        else:
            for name in self.DETAIL_FILTERS:
                del self.fields[name]
            self.fields["q"].help_text = "Case reference or police crime reference"


class AccessLogFilterForm(GovukForm):
    case = forms.CharField(label="Case reference", required=False, max_length=20)
    user = forms.ModelChoiceField(User.objects.none(), label="Person", required=False, empty_label="Anyone")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.order_by("last_name", "first_name", "username")
        self.fields["user"].label_from_instance = lambda u: f"{u.get_full_name() or u.username} ({u.username})"


TIMELINE_KINDS = (
    ("transition", "Status changes"),
    ("change", "Changes to the record"),
    ("note", "Notes"),
    ("contact", "Contact attempts"),
    ("letter", "Letters"),
)


class TimelineFilterForm(GovukForm):
    kind = forms.MultipleChoiceField(label="Show", choices=TIMELINE_KINDS, required=False,
                                     widget=forms.CheckboxSelectMultiple,
                                     initial=[code for code, _ in TIMELINE_KINDS])
    order = forms.ChoiceField(label="Order", required=False, widget=forms.RadioSelect, initial="oldest",
                              choices=(("oldest", "Oldest first"), ("newest", "Newest first")))

    def kinds(self) -> set[str]:
        if self.is_valid() and self.cleaned_data.get("kind"):
            return set(self.cleaned_data["kind"])
        return {code for code, _ in TIMELINE_KINDS}

    def newest_first(self) -> bool:
        return self.is_valid() and self.cleaned_data.get("order") == "newest"
