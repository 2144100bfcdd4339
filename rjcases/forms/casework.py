"""Forms for case work, transitions and the list filters. They validate what a person typed; the services do
the writing."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts import roles
from accounts.models import Partnership, User
from govuk.forms import DatePartsField, GovukForm, ListedModelChoiceField, aware, time_known, yes_no_field
from rjcases import limits
from rjcases.choices import WITHDRAWN_BY_CHOICES
from rjcases.models import Assessment, Case, Consent, ContactAttempt, HateStrand, Party, ReferralRoute, Ward
from rjcases.services import FIELD_LABELS, TransitionSpec
from rjcases.services.transitions import FIELD_LIMITS


def facilitators(partnership_ids=None):
    """Active facilitators; of these partnerships only, where given (a case's, or the user's)."""
    people = User.objects.filter(groups__name=roles.FACILITATOR, is_active=True)
    if isinstance(partnership_ids, QuerySet):  # a subquery of partnership keys
        people = people.filter(partnerships__in=partnership_ids).distinct()
    elif partnership_ids is not None:
        people = people.filter(partnerships__in=sorted(partnership_ids)).distinct()
    return people.order_by("last_name", "first_name")


def open_caseloads(partnership_id=None) -> dict[int, int]:
    """Open cases of each facilitator (in this partnership, where given), as facilitator or co-facilitator: two
    queries, whatever the number."""
    loads: dict[int, int] = {}
    open_cases = Case.objects.exclude(state=Case.State.CLOSED).order_by()
    if partnership_id is not None:
        open_cases = open_cases.filter(partnership_id=partnership_id)
    for field in ("facilitator", "co_facilitator"):
        for pk, n in open_cases.filter(**{f"{field}__isnull": False}).values_list(field).annotate(n=Count("id")):
            loads[pk] = loads.get(pk, 0) + n
    return loads


def allocation_label(user, open_count: int) -> str:
    """ "Fay Facilitator: 12 open cases; on leave 14 to 18 December": whom a manager allocates to, and their load."""
    label = f"{user.get_full_name() or user.username}: {open_count} open case{'' if open_count == 1 else 's'}"
    return f"{label}; {user.availability_note}" if user.availability_note else label


class AllocationForm(GovukForm):
    facilitator = forms.ModelChoiceField(
        facilitators(),
        label="Facilitator",
        empty_label="Choose a facilitator",
        error_messages={"required": "Choose a facilitator"},
    )
    co_facilitator = forms.ModelChoiceField(
        facilitators(), label="Co-facilitator", required=False, empty_label="No co-facilitator"
    )

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        loads = open_caseloads(None if case is None else case.partnership_id)
        for name in ("facilitator", "co_facilitator"):
            # The case's partnership's facilitators only (allocate refuses anyone else).
            self.fields[name].queryset = facilitators(None if case is None else [case.partnership_id])
            self.fields[name].label_from_instance = lambda u: allocation_label(u, loads.get(u.pk, 0))
        self.fields["facilitator"].help_text = "Each with their open cases and their next leave or availability."

    def clean(self):
        data = super().clean()
        if data.get("facilitator") and data.get("co_facilitator") and data["facilitator"] == data["co_facilitator"]:
            self.add_error("co_facilitator", "The co-facilitator must be someone other than the facilitator")
        return data


class AssessmentForm(GovukForm):
    assessed_on = DatePartsField(
        label="Date of the assessment",
        not_in_future=True,
        error_messages={"required": "Enter the date of the assessment"},
    )
    acknowledges_facts = yes_no_field(
        "Do they acknowledge the basic facts of what happened?", error="Select yes if they acknowledge the basic facts"
    )
    accepts_responsibility = yes_no_field(
        "Do they accept responsibility for the harm?", error="Select yes if they accept responsibility"
    )
    willing = yes_no_field("Are they willing to take part?", error="Select yes if they are willing to take part")
    risk_factors = forms.CharField(
        label="Risk factors", max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    risk_level = forms.ChoiceField(
        label="Risk level",
        choices=Assessment.RiskLevel.choices,
        widget=forms.RadioSelect,
        help_text="A high risk needs a manager's sign-off before preparation.",
        error_messages={"required": "Select the risk level"},
    )
    mitigations = forms.CharField(
        label="How the risks will be reduced",
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    review_on = DatePartsField(
        label="Risk review date",
        required=False,
        help_text="When to look at the risk again (optional): your dashboard lists it once it is due. "
        "For example, 27 3 2026",
    )

    def __init__(self, *args, party: Party, **kwargs):
        super().__init__(*args, **kwargs)
        self.party = party
        if party.role != Party.Role.RESPONSIBLE:
            del self.fields["acknowledges_facts"]
            del self.fields["accepts_responsibility"]
        self.initial.setdefault("assessed_on", timezone.localdate())

    def clean(self):
        data = super().clean()
        if (
            data.get("risk_level") in (Assessment.RiskLevel.MEDIUM, Assessment.RiskLevel.HIGH)
            and not (data.get("mitigations") or "").strip()
        ):
            self.add_error("mitigations", "Enter how the risks will be reduced")
        if data.get("review_on") and data.get("assessed_on") and data["review_on"] < data["assessed_on"]:
            self.add_error("review_on", "The risk review date must be on or after the date of the assessment")
        return data

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["risk_factors"] = data.get("risk_factors", "").strip()
        data["mitigations"] = data.get("mitigations", "").strip()
        return data


class SignOffForm(GovukForm):
    note = forms.CharField(
        label="Sign-off note",
        max_length=limits.SUMMARY,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why the risk is acceptable with the mitigations recorded.",
        error_messages={"required": "Enter a sign-off note"},
    )


class ConsentForm(GovukForm):
    purposes = forms.MultipleChoiceField(
        label="What are they consenting to?",
        choices=Consent.Purpose.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[Consent.Purpose.PARTICIPATE],
        help_text="Select all that apply. Each is recorded on its own, so each can be withdrawn on its own later.",
        error_messages={"required": "Select what they are consenting to"},
    )
    given_on = DatePartsField(
        label="Date consent was given",
        not_in_future=True,
        error_messages={"required": "Enter the date consent was given"},
    )
    method = forms.ChoiceField(
        label="How was consent given?",
        choices=Consent.Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how consent was given"},
    )
    wording_version = forms.CharField(
        label="Version of the consent wording shown",
        max_length=20,
        initial="2026-1",
        error_messages={"required": "Enter the version of the wording shown"},
    )
    wording_shown = forms.CharField(
        label="Wording shown, if different from the standard form",
        max_length=limits.NOTE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("given_on", timezone.localdate())


class ConsentWithdrawalForm(GovukForm):
    withdrawn_on = DatePartsField(
        label="Date consent was withdrawn",
        not_in_future=True,
        error_messages={"required": "Enter the date consent was withdrawn"},
    )
    reason = forms.CharField(
        label="Why they withdrew",
        max_length=limits.SUMMARY,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why consent was withdrawn"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("withdrawn_on", timezone.localdate())


def caseworker_choice(caseworkers) -> forms.ModelMultipleChoiceField:
    """Which of the case's caseworkers may read a note (``rjcases.services.note_caseworkers``), by name."""
    field = forms.ModelMultipleChoiceField(
        caseworkers,
        label="Share it with these caseworkers",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="A caseworker reads only the notes shared with them. Leave them all unticked to share it with none.",
    )
    field.label_from_instance = lambda u: (
        f"{u.get_full_name() or u.username}{f', {u.organisation}' if u.organisation_id else ''}"
    )
    return field


class NoteForm(GovukForm):
    body = forms.CharField(
        label="Note",
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the note"},
    )

    def __init__(self, *args, caseworkers=None, **kwargs):
        """``caseworkers``: those the author may share it with (None or none: the choice is not offered)."""
        super().__init__(*args, **kwargs)
        if caseworkers is not None and caseworkers.exists():
            self.fields["shared_with"] = caseworker_choice(caseworkers)

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if not body:
            raise ValidationError("Enter the note")
        return body


class NoteSharingForm(GovukForm):
    """Who of the case's caseworkers may read one note: those ticked, and no one else."""

    def __init__(self, *args, caseworkers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shared_with"] = caseworker_choice(caseworkers)


class ContactForm(GovukForm):
    party = forms.ModelChoiceField(
        Party.objects.none(),
        label="Who was contacted",
        required=False,
        empty_label="Not one person (for example the referrer)",
    )
    on = DatePartsField(
        label="Date of the contact", not_in_future=True, error_messages={"required": "Enter the date of the contact"}
    )
    at = forms.TimeField(
        label="Time",
        required=False,
        help_text="For example, 14:30",
        error_messages={"invalid": "Enter the time like 14:30"},
    )
    method = forms.ChoiceField(
        label="How",
        choices=ContactAttempt.Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you tried to make contact"},
    )
    result = forms.ChoiceField(
        label="Result",
        choices=ContactAttempt.Result.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the result"},
    )
    rj_information_given = forms.BooleanField(
        label="They were told about restorative justice",
        required=False,
        help_text="This meets the Victims' Code clock for a person harmed.",
    )
    notes = forms.CharField(
        label="Notes", max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    outside_safe_times_reason = forms.CharField(
        label="If this was outside their safe times: why",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="A call or visit outside the person's safe times is recorded only with the reason.",
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = case.parties.all()
        self.fields["party"].label_from_instance = lambda p: f"{p.display_name} ({p.get_role_display().lower()})"
        self.initial.setdefault("on", timezone.localdate())

    def clean(self):
        data = super().clean()
        if data.get("on"):
            when = aware(data["on"], data.get("at"))
            if when > timezone.now() + timedelta(minutes=5):
                self.add_error("at", "The time of the contact must be in the past")
            data["when"] = when
            data["time_known"] = time_known(data.get("at"))
        return data


class DuplicateReviewForm(GovukForm):
    note = forms.CharField(
        label="What you found",
        max_length=80,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-!-width-two-thirds"}),
        help_text="For example: a different incident with the same people.",
    )


# ---------------------------------------------------------------------------------------------------
# Transitions


class TransitionForm(GovukForm):
    """The fields a transition collects (from its spec), plus the state the user saw when they opened it."""

    seen_state = forms.CharField(
        max_length=limits.NAME,
        widget=forms.HiddenInput,
        error_messages={"required": "This page was out of date. Go back to the case and try again."},
    )

    def __init__(self, *args, spec: TransitionSpec, withdrawn_by: tuple[str, ...] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = spec
        # A caseworker is offered a withdrawal on their client's behalf only (rjcases.permissions); any other valid
        # choice still validates, so that the service refuses it as not theirs to do (a 403, as in the API).
        withdrawn_by_choices = [c for c in WITHDRAWN_BY_CHOICES if withdrawn_by is None or c[0] in withdrawn_by]
        for name in spec.fields:
            label = FIELD_LABELS.get(name, name.replace("_", " ").capitalize())
            required = name in spec.required
            if required:
                label = label.replace(" (optional)", "")
            message = {"required": f"Enter the {label.lower()}"}
            if name in spec.choices:
                field = forms.ChoiceField(
                    label=label,
                    choices=spec.choices[name],
                    widget=forms.RadioSelect,
                    required=required,
                    error_messages={"required": f"Select the {label.lower()}"},
                )
            elif name == "withdrawn_by":
                field = forms.ChoiceField(
                    label=label,
                    choices=WITHDRAWN_BY_CHOICES,
                    widget=forms.RadioSelect,
                    required=required,
                    error_messages={"required": "Select who withdrew"},
                )
                field.widget.choices = withdrawn_by_choices
            else:
                field = forms.CharField(
                    label=label.replace(" (optional)", ""),
                    required=required,
                    max_length=FIELD_LIMITS.get(name),
                    widget=forms.Textarea(attrs={"rows": 4}),
                    error_messages=message,
                )
            self.fields[name] = field

    def inputs(self) -> dict:
        return {name: self.cleaned_data.get(name) or "" for name in self.spec.fields}


# ---------------------------------------------------------------------------------------------------
# Filters


class CaseFilterForm(GovukForm):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        help_text="Case reference, name of a person in the case, or police crime reference",
    )
    state = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), ("open", "Open (not closed)"), *Case.State.choices]
    )
    route = ListedModelChoiceField(
        ReferralRoute.objects.all(),
        label="Referral route",
        required=False,
        empty_label="Any route",
        to_field_name="code",
    )
    strand = ListedModelChoiceField(
        HateStrand.objects.all(), label="Strand", required=False, empty_label="Any strand", to_field_name="code"
    )
    ward = ListedModelChoiceField(
        Ward.objects.all(), label="Ward", required=False, empty_label="Any ward", to_field_name="code"
    )
    facilitator = forms.ChoiceField(label="Facilitator", required=False)
    overdue = forms.BooleanField(label="Only cases with an overdue Victims' Code clock", required=False)
    stale = forms.BooleanField(label="Only open cases with nothing recorded for a while", required=False)

    DETAIL_FILTERS = ("strand", "ward", "facilitator", "overdue", "stale")

    def __init__(self, *args, detailed: bool, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if detailed:
            # Wards and facilitators of the user's partnerships; a caseworker's clients may be in any partnership, so
            # theirs are their own and those of their clients' cases (a subquery: no query of its own).
            own: QuerySet | list[int] | None = None
            if user is not None and roles.is_caseworker(user):
                own = (
                    Partnership.objects.filter(
                        Q(pk__in=sorted(roles.partnership_ids(user)))
                        | Q(pk__in=Case.objects.filter(parties__caseworker=user).values("partnership_id"))
                    )
                    .order_by()
                    .values("pk")
                )
            elif user is not None:
                own = sorted(roles.partnership_ids(user))
            if own is not None:
                self.fields["ward"].queryset = Ward.objects.filter(partnership__in=own)
            people = [(str(u.pk), u.get_full_name() or u.username) for u in facilitators(own)]
            self.fields["facilitator"].choices = [("", "Anyone"), ("none", "Not allocated"), *people]
            self.fields["q"].help_text = "Case reference, name of a person in the case, or police crime reference"
        else:
            for name in self.DETAIL_FILTERS:
                del self.fields[name]
            self.fields["q"].help_text = "Case reference or police crime reference"


class AccessLogFilterForm(GovukForm):
    case = forms.CharField(label="Case reference", required=False, max_length=20)
    user = forms.ModelChoiceField(User.objects.none(), label="Person", required=False, empty_label="Anyone")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        people = User.objects.order_by("last_name", "first_name", "username")
        if user is not None:  # the people of the manager's partnerships (and whoever reads their cases from outside)
            people = people.filter(partnerships__in=sorted(roles.partnership_ids(user))).distinct()
        self.fields["user"].queryset = people
        self.fields["user"].label_from_instance = lambda u: f"{u.get_full_name() or u.username} ({u.username})"


TIMELINE_KINDS = (
    ("transition", "Status changes"),
    ("change", "Changes to the record"),
    ("note", "Notes"),
    ("contact", "Contact attempts"),
    ("letter", "Letters"),
    ("message", "Emails"),
)


class TimelineFilterForm(GovukForm):
    kind = forms.MultipleChoiceField(
        label="Show",
        choices=TIMELINE_KINDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        initial=[code for code, _ in TIMELINE_KINDS],
    )
    order = forms.ChoiceField(
        label="Order",
        required=False,
        widget=forms.RadioSelect,
        initial="oldest",
        choices=(("oldest", "Oldest first"), ("newest", "Newest first")),
    )

    def kinds(self) -> set[str]:
        if self.is_valid() and self.cleaned_data.get("kind"):
            return set(self.cleaned_data["kind"])
        return {code for code, _ in TIMELINE_KINDS}

    def newest_first(self) -> bool:
        return self.is_valid() and self.cleaned_data.get("order") == "newest"


class NoLongerTakingPartForm(GovukForm):
    reason = forms.CharField(
        label="Why they no longer take part",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why they no longer take part"},
        help_text="For example: withdrew consent after the preparation meeting.",
    )
