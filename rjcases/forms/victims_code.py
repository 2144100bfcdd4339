"""Forms of the Victims' Code pages: the report date, enhanced rights, and complaints (Right 12)."""

from __future__ import annotations

from django import forms

from govuk.forms import DatePartsField, GovukForm, yes_no_field
from rjcases import limits
from rjcases.choices import REPORTED_BY_CHOICES
from rjcases.models import Complaint


class ReportForm(GovukForm):
    reported_on = DatePartsField(
        label="When was it reported to the police or the reporting centre?",
        required=False,
        not_in_future=True,
        help_text="Leave empty if not known: the deadlines are then counted from the referral. For example, 27 3 2026",
    )
    reported_by = forms.ChoiceField(
        label="Who reported it?",
        choices=[("", "Not recorded"), *REPORTED_BY_CHOICES],
        widget=forms.RadioSelect,
        required=False,
    )


class EnhancedRightsForm(GovukForm):
    enhanced = yes_no_field(
        "Is the person harmed entitled to enhanced rights under the Victims' Code?",
        help_text="With enhanced rights they must be told about restorative justice within 1 working day.",
        error="Select yes if the person harmed is entitled to enhanced rights",
    )
    reason = forms.CharField(
        label="Why this is changing",
        max_length=300,
        help_text="Switching on: why they are entitled. Switching off: why they are not.",
        error_messages={"required": "Enter why enhanced rights are being changed"},
    )


class ComplaintForm(GovukForm):
    complainant = forms.ChoiceField(
        label="Who is the complaint from?",
        choices=Complaint.From.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who the complaint is from"},
    )
    complainant_name = forms.CharField(label="Their name", max_length=limits.SHORT, required=False)
    about = forms.CharField(
        label="What the complaint is about",
        max_length=limits.SUMMARY,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter what the complaint is about"},
    )
    received_on = DatePartsField(
        label="When was the complaint received?",
        not_in_future=True,
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date the complaint was received"},
    )


class AcknowledgementForm(GovukForm):
    acknowledged_on = DatePartsField(
        label="When was the complaint acknowledged?",
        not_in_future=True,
        error_messages={"required": "Enter the date the complaint was acknowledged"},
    )


class ResponseForm(GovukForm):
    responded_on = DatePartsField(
        label="When was the response sent?",
        not_in_future=True,
        error_messages={"required": "Enter the date the response was sent"},
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=Complaint.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome of the complaint"},
    )
    response = forms.CharField(
        label="The response, in summary",
        max_length=limits.SUMMARY,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the response, in summary"},
    )
