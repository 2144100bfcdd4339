"""Forms for the restorative work pages. They check the shape of the input; the services check the rest
(state, permission, the venue, the guards) and their errors are put back on these forms."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils import timezone

from accounts.models import User
from conferences.models import Activity, AgreementAction, Feedback, FollowUp, PreparationContact, WellbeingMeasure
from conferences.services import WELLBEING_QUESTIONS, WELLBEING_SCALE
from conferences.services.interpreters import normalise_registration
from govuk.forms import DatePartsField, GovukForm, aware, yes_no
from rjcases import limits
from rjcases.models import Case, Party
from rjcases.needs import interpreter_language_for
from rjcases.services import CONCLUDE_OUTCOMES

YES_NO = (("yes", "Yes"), ("no", "No"))
YES_NO_UNANSWERED = (("yes", "Yes"), ("no", "No"), ("", "Did not answer"))


def time_field(label: str, **kwargs) -> forms.TimeField:
    """A time typed as hours and minutes (24-hour clock) in a GOV.UK text input."""
    return forms.TimeField(label=label, widget=forms.TimeInput(format="%H:%M"), **kwargs)


class PartyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Party) -> str:
        return f"{obj.display_name} ({obj.get_role_display().lower()})"


class PartiesField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Party) -> str:
        return f"{obj.display_name} ({obj.get_role_display().lower()})"


class FacilitatorField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


def facilitators():
    from accounts import roles

    return User.objects.filter(groups__name=roles.FACILITATOR, is_active=True).order_by("first_name", "last_name")


class CaseForm(GovukForm):
    """A form whose party choices are the case's own parties."""

    party_fields: tuple[str, ...] = ()

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        queryset = Party.objects.filter(case=case).order_by("role", "id")
        for name in self.party_fields:
            self.fields[name].queryset = queryset


# ---------------------------------------------------------------------------------------------------
# Preparation


class PreparationContactForm(CaseForm):
    party_fields = ("party",)
    party = PartyChoiceField(
        queryset=Party.objects.none(),
        label="Who was the contact with",
        error_messages={"required": "Choose who the contact was with"},
    )
    held_on = DatePartsField(label="Date", error_messages={"required": "Enter the date of the contact"})
    method = forms.ChoiceField(
        label="How",
        choices=PreparationContact.Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the contact was made"},
    )
    attendees = forms.CharField(
        label="Who took part",
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-!-width-two-thirds"}),
        help_text="For example the person, their supporter and the facilitators",
    )
    notes = forms.CharField(
        label="Notes", max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    interpreter_arranged = forms.BooleanField(label="An interpreter was arranged", required=False)
    adjustments_arranged = forms.CharField(
        label="Adjustments arranged",
        max_length=limits.SUMMARY,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="For example a step-free room, breaks, large print",
    )
    outside_safe_times_reason = forms.CharField(
        label="If this was outside their safe times: why",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="A call, video call or meeting outside the person's safe times is recorded only with the reason.",
    )


# ---------------------------------------------------------------------------------------------------
# The activity


class ActivityPlanForm(CaseForm):
    party_fields = ("invited",)
    reveals = {"interpreter_booked": ("on", "interpreter_language")}

    kind = forms.ChoiceField(
        label="Type of activity",
        choices=Activity.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of activity"},
    )
    scheduled_date = DatePartsField(label="Date", error_messages={"required": "Enter the date of the activity"})
    scheduled_time = time_field(
        "Start time",
        help_text="24-hour clock, for example 14:30",
        error_messages={"required": "Enter the start time", "invalid": "Enter a real time, like 14:30"},
    )
    duration_minutes = forms.IntegerField(
        label="Duration in minutes",
        min_value=5,
        max_value=600,
        required=False,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
        error_messages={"invalid": "Enter the duration as a number of minutes"},
    )
    venue = forms.CharField(
        label="Venue",
        max_length=300,
        required=False,
        help_text="For a face-to-face or community conference. Never a party's home.",
    )
    method = forms.CharField(
        label="How it will be done",
        max_length=300,
        required=False,
        help_text="For indirect activity, for example 'shuttle by phone' or 'letter by post'",
    )
    lead_facilitator = FacilitatorField(
        queryset=User.objects.none(),
        label="Lead facilitator",
        error_messages={"required": "Choose the lead facilitator"},
    )
    co_facilitator = FacilitatorField(queryset=User.objects.none(), label="Co-facilitator", required=False)
    invited = PartiesField(queryset=Party.objects.none(), label="Invited", required=False)
    others_invited = forms.CharField(
        label="Others invited",
        max_length=300,
        required=False,
        help_text="People who are not parties to the case, for example community members",
    )
    interpreter_booked = forms.BooleanField(label="An interpreter is booked", required=False)
    interpreter_language = forms.CharField(
        label="Interpreter's language",
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_facilitator"].queryset = facilitators()
        self.fields["co_facilitator"].queryset = facilitators()
        self.fields["co_facilitator"].empty_label = "No co-facilitator"

    def clean(self):
        data = super().clean()
        day, at = data.get("scheduled_date"), data.get("scheduled_time")
        if day and at:
            data["scheduled_for"] = aware(day, at)
        return data

    def plan(self) -> dict:
        """The keyword arguments the planning services take."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "scheduled_for": data.get("scheduled_for"),
            "duration_minutes": data.get("duration_minutes"),
            "venue": data.get("venue", ""),
            "method": data.get("method", ""),
            "lead_facilitator": data.get("lead_facilitator"),
            "co_facilitator": data.get("co_facilitator"),
            "invited": list(data.get("invited") or []),
            "others_invited": data.get("others_invited", ""),
            "interpreter_booked": data.get("interpreter_booked", False),
            "interpreter_language": data.get("interpreter_language", ""),
        }

    @classmethod
    def initial_from(cls, activity: Activity) -> dict:
        local = timezone.localtime(activity.scheduled_for) if activity.scheduled_for else None
        return {
            "kind": activity.kind,
            "scheduled_date": local.date() if local else None,
            "scheduled_time": local.time() if local else None,
            "duration_minutes": activity.duration_minutes,
            "venue": activity.venue,
            "method": activity.method,
            "lead_facilitator": activity.lead_facilitator_id,
            "co_facilitator": activity.co_facilitator_id,
            "invited": [p.pk for p in activity.invited.all()],
            "others_invited": activity.others_invited,
            "interpreter_booked": activity.interpreter_booked,
            "interpreter_language": activity.interpreter_language,
        }


class RescheduleForm(ActivityPlanForm):
    reason = forms.CharField(
        label="Why is it being rescheduled",
        max_length=limits.SUMMARY,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter why the activity is being rescheduled"},
    )


class TookPlaceForm(CaseForm):
    party_fields = ("attended",)
    took_place_on = DatePartsField(
        label="Date it took place", error_messages={"required": "Enter the date the activity took place"}
    )
    attended = PartiesField(
        queryset=Party.objects.none(), label="Who took part", error_messages={"required": "Choose who took part"}
    )
    others_attended = forms.CharField(label="Others who took part", max_length=300, required=False)
    summary = forms.CharField(
        label="What happened",
        max_length=limits.SUMMARY,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter a summary of what happened"},
    )
    agreement_reached = forms.ChoiceField(
        label="Was an agreement reached?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether an agreement was reached"},
    )


class ReasonForm(GovukForm):
    reason = forms.CharField(
        label="Reason",
        max_length=limits.SUMMARY,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason"},
    )


class NoteForm(GovukForm):
    note = forms.CharField(
        label="Note", max_length=limits.SUMMARY, widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


# ---------------------------------------------------------------------------------------------------
# The agreement


class AgreementForm(CaseForm):
    party_fields = ("signatories",)
    signed_on = DatePartsField(
        label="Date signed", error_messages={"required": "Enter the date the agreement was signed"}
    )
    signatories = PartiesField(
        queryset=Party.objects.none(),
        label="Who signed",
        error_messages={"required": "Choose who signed the agreement"},
    )
    notes = forms.CharField(
        label="Notes", max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ActionForm(CaseForm):
    party_fields = ("responsible_party",)
    kind = forms.ChoiceField(
        label="Kind of action",
        choices=AgreementAction.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of action"},
    )
    responsible_party = PartyChoiceField(
        queryset=Party.objects.none(),
        label="Who will do it",
        required=False,
        empty_label="Someone else (name them below)",
    )
    who = forms.CharField(label="Name, if not a party to the case", max_length=200, required=False)
    what = forms.CharField(
        label="What will be done", max_length=300, error_messages={"required": "Enter what will be done"}
    )
    due_on = DatePartsField(label="Done by", error_messages={"required": "Enter the date it will be done by"})
    how_checked = forms.CharField(
        label="How it will be checked", max_length=300, error_messages={"required": "Enter how it will be checked"}
    )


# ---------------------------------------------------------------------------------------------------
# Monitoring


class FollowUpForm(CaseForm):
    party_fields = ("party",)
    party = PartyChoiceField(
        queryset=Party.objects.none(),
        label="Who was the contact with",
        required=False,
        empty_label="No one in particular",
    )
    on = DatePartsField(label="Date", error_messages={"required": "Enter the date of the contact"})
    at_time = time_field(
        "Time",
        required=False,
        help_text="For example, 14:30. Leave empty if not known.",
        error_messages={"invalid": "Enter the time like 14:30"},
    )
    method = forms.ChoiceField(
        label="How",
        choices=FollowUp.Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the contact was made"},
    )
    notes = forms.CharField(
        label="What was said or found",
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what was said or found"},
    )
    outside_safe_times_reason = forms.CharField(
        label="If this was outside their safe times: why",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="A call, video call or meeting outside the person's safe times is recorded only with the reason.",
    )

    def at(self) -> datetime:
        """The contact's day and time; with no time typed, the day's midnight (``time_known`` is then False)."""
        return aware(self.cleaned_data["on"], self.cleaned_data.get("at_time"))

    def time_known(self) -> bool:
        return self.cleaned_data.get("at_time") is not None


class ActionDoneForm(GovukForm):
    resolved_on = DatePartsField(label="Date done", error_messages={"required": "Enter the date"})
    evidence_note = forms.CharField(
        label="Evidence that it was done",
        max_length=limits.SUMMARY,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the evidence that it was done"},
    )
    told_method = forms.ChoiceField(
        label="How was the person harmed told?",
        choices=FollowUp.Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the person harmed was told"},
    )


class ActionMissedForm(GovukForm):
    resolved_on = DatePartsField(label="Date recorded as missed", error_messages={"required": "Enter the date"})
    evidence_note = forms.CharField(
        label="What happened and how you know",
        max_length=limits.SUMMARY,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what happened and how you know"},
    )


# ---------------------------------------------------------------------------------------------------
# Closure


class ConcludeForm(GovukForm):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=CONCLUDE_OUTCOMES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome"},
    )
    summary = forms.CharField(
        label="Closure summary",
        max_length=limits.SUMMARY,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the closure summary"},
    )


class CompleteForm(GovukForm):
    summary = forms.CharField(
        label="Closure summary",
        max_length=limits.SUMMARY,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the closure summary"},
    )


# ---------------------------------------------------------------------------------------------------
# Feedback and wellbeing


class FeedbackForm(GovukForm):
    refused = forms.ChoiceField(
        label="Did they agree to give feedback?",
        choices=(("no", "Yes, they gave feedback"), ("yes", "No, they declined to give feedback")),
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether they agreed to give feedback"},
    )
    satisfied = forms.ChoiceField(
        label="Were they satisfied with the process?",
        choices=YES_NO_UNANSWERED,
        widget=forms.RadioSelect,
        required=False,
    )
    would_recommend = forms.ChoiceField(
        label="Would they recommend it to someone else?",
        choices=YES_NO_UNANSWERED,
        widget=forms.RadioSelect,
        required=False,
    )
    felt = forms.ChoiceField(
        label="Since taking part, do they feel better, the same or worse?",
        choices=[*Feedback.Felt.choices, ("", "Did not answer")],
        widget=forms.RadioSelect,
        required=False,
    )
    felt_safe = forms.ChoiceField(
        label="Did they feel safe taking part?", choices=YES_NO_UNANSWERED, widget=forms.RadioSelect, required=False
    )
    felt_heard = forms.ChoiceField(
        label="Did they feel heard?", choices=YES_NO_UNANSWERED, widget=forms.RadioSelect, required=False
    )
    comments = forms.CharField(
        label="What they said, in their words",
        max_length=limits.SUMMARY,
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def answers(self) -> dict:
        data = self.cleaned_data
        refused = data["refused"] == "yes"
        if refused:
            return {"refused": True}
        return {
            "refused": False,
            "satisfied": yes_no(data.get("satisfied")),
            "would_recommend": yes_no(data.get("would_recommend")),
            "felt": data.get("felt") or "",
            "felt_safe": yes_no(data.get("felt_safe")),
            "felt_heard": yes_no(data.get("felt_heard")),
            "comments": data.get("comments", ""),
        }


class WellbeingForm(GovukForm):
    """One radio question per wellbeing question of a wording version, each answered 1 to 5."""

    def __init__(self, *args, version: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        for key, text in WELLBEING_QUESTIONS[version]:
            self.fields[key] = forms.TypedChoiceField(
                label=text,
                choices=[(str(n), f"{n} – {label}") for n, label in WELLBEING_SCALE],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": f"Answer '{text}'"},
            )

    def answers(self) -> dict:
        return {key: self.cleaned_data[key] for key, _text in WELLBEING_QUESTIONS[self.version]}


STAGES = dict(WellbeingMeasure.Stage.choices)


# ---------------------------------------------------------------------------------------------------
# Interpreters booked for the activity


def pence(value: str) -> int | None:
    """'85.50', '£85.50' or '85' as pence (8550, 8500); None for an empty box. Raises ValueError otherwise."""
    text = (value or "").strip().replace(",", "").removeprefix("£").strip()
    if not text:
        return None
    pounds, _, part = text.partition(".")
    if not pounds.isdigit() or (part and (not part.isdigit() or len(part) > 2)):
        raise ValueError(text)
    return int(pounds) * 100 + int(part.ljust(2, "0") or 0)


class CostField(forms.CharField):
    """A cost typed in pounds and pence, cleaned to whole pence (never negative)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "decimal"}))
        super().__init__(max_length=20, **kwargs)

    def clean(self, value):
        try:
            return pence(super().clean(value))
        except ValueError:
            raise forms.ValidationError("Enter the cost in pounds and pence, for example 85.50") from None


class InterpreterBookingForm(GovukForm):
    party = PartyChoiceField(
        queryset=Party.objects.none(),
        label="Who the interpreter is for",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who the interpreter is for"},
    )
    language = forms.CharField(
        label="Language",
        max_length=60,
        required=False,
        help_text="Leave empty for the language recorded for the person, for example British Sign Language (BSL)",
    )
    provider = forms.CharField(
        label="Agency or interpreter booked", max_length=200, error_messages={"required": "Enter who was booked"}
    )
    registration_number = forms.CharField(
        label="Registration number",
        max_length=30,
        required=False,
        help_text="For a BSL interpreter, their NRCPD number: 4 to 8 digits, for example 1234567",
    )
    cost_pence = CostField(label="Cost in pounds (optional)", required=False, help_text="For example 85.50")
    confirmed = forms.BooleanField(label="The booking is confirmed", required=False)

    def __init__(self, *args, people: list[Party], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = Party.objects.filter(pk__in=[p.pk for p in people]).order_by("role", "id")

    def clean(self):
        # The registration number's shape is checked here too, so that one page shows every mistake at once.
        data = super().clean()
        party = data.get("party")
        language = data.get("language") or (interpreter_language_for(party) if party else "")
        for problem in normalise_registration(language, data.get("registration_number") or "")[1]:
            self.add_error("registration_number", problem)
        return data


class ConfirmBookingForm(GovukForm):
    confirmed_on = DatePartsField(label="Date confirmed", error_messages={"required": "Enter the date confirmed"})
    registration_number = forms.CharField(
        label="Registration number",
        max_length=30,
        required=False,
        help_text="Needed for a BSL interpreter: their NRCPD number, 4 to 8 digits",
    )
    cost_pence = CostField(label="Cost in pounds (optional)", required=False, help_text="For example 85.50")
