"""The retention review decision, the non-crime hate incident record, and people's data protection requests."""

from django import forms

from govuk.forms import DatePartsField, GovukForm, yes_no_field
from privacy.models import RetentionReview, SubjectRequest
from rjcases import limits


class ReviewDecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="Decision",
        choices=RetentionReview.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose keep or anonymise"},
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=limits.SUMMARY,
        error_messages={"required": "Enter the reason for the decision"},
    )
    next_review_on = DatePartsField(
        label="Next review", required=False, help_text="If you keep the case: when to look at it again"
    )


class NonCrimeDutiesForm(GovukForm):
    threshold_met = yes_no_field("Was the recording threshold met?", required=False)
    threshold_reason = forms.CharField(
        label="Why it was, or was not, met",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=limits.SUMMARY,
    )
    person_told = yes_no_field("Has the person recorded been told?", required=False)
    person_told_on = DatePartsField(label="Told on", required=False, help_text="For example, 27 3 2026")
    review_on = DatePartsField(label="Review date", required=False, help_text="When this record is next reviewed")

    @staticmethod
    def initial_for(incident) -> dict:
        def yes_no(value):
            return None if value is None else ("yes" if value else "no")

        return {
            "threshold_met": yes_no(incident.nchi_threshold_met),
            "threshold_reason": incident.nchi_threshold_reason,
            "person_told": yes_no(incident.nchi_person_told),
            "person_told_on": incident.nchi_person_told_on,
            "review_on": incident.nchi_review_on,
        }

    def cleaned_values(self) -> dict:
        data = self.cleaned_data
        return {
            "threshold_met": data.get("threshold_met"),
            "threshold_reason": data.get("threshold_reason", ""),
            "person_told": data.get("person_told"),
            "person_told_on": data.get("person_told_on"),
            "review_on": data.get("review_on"),
        }


class SubjectRequestForm(GovukForm):
    kind = forms.ChoiceField(
        label="Kind of request",
        choices=SubjectRequest.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of request"},
    )
    first_name = forms.CharField(
        label="First name", max_length=100, error_messages={"required": "Enter the person's first name"}
    )
    last_name = forms.CharField(label="Last name", max_length=100, required=False)
    date_of_birth = DatePartsField(label="Date of birth", required=False, help_text="For example, 27 3 1985")
    email = forms.EmailField(label="Email address", required=False)
    phone = forms.CharField(label="Phone number", max_length=40, required=False)
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    details = forms.CharField(
        label="What the person asked for",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=limits.SUMMARY,
    )
    received_on = DatePartsField(label="Received on", help_text="The request is due one month after this date")
    partnership = forms.ModelChoiceField(
        label="Partnership the request was made to",
        queryset=None,
        required=False,
        widget=forms.RadioSelect,
        empty_label=None,
        help_text="Only its cases are searched, and only its managers see the request",
    )

    def __init__(self, *args, partnerships, **kwargs):
        """``partnerships``: the manager's own; the choice is offered only when there is more than one."""
        super().__init__(*args, **kwargs)
        if len(partnerships) > 1:
            self.fields["partnership"].queryset = partnerships
            self.fields["partnership"].required = True
            self.fields["partnership"].error_messages["required"] = "Choose the partnership the request was made to"
        else:
            del self.fields["partnership"]


class ExtendRequestForm(GovukForm):
    due_on = DatePartsField(label="New due date", help_text="At most three months after the request was received")
    reason = forms.CharField(
        label="Why the request needs longer",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=limits.SUMMARY,
        error_messages={"required": "Enter why the request needs longer"},
    )


class CompleteRequestForm(GovukForm):
    outcome = forms.CharField(
        label="What was done",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=limits.SUMMARY,
        error_messages={"required": "Enter what was done"},
    )


class EraseRecordForm(GovukForm):
    reason = forms.CharField(
        label="Why nothing requires keeping this record",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=limits.SUMMARY,
        error_messages={"required": "Say why nothing requires keeping this record"},
    )
