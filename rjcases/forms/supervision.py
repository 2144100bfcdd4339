"""The form a manager records a case's supervision with (``rjcases.services.record_supervision``)."""

from django import forms
from django.utils import timezone

from govuk.forms import DatePartsField, GovukForm
from rjcases import limits


class SupervisionForm(GovukForm):
    held_on = DatePartsField(
        label="Date of the supervision",
        not_in_future=True,
        error_messages={"required": "Enter the date of the supervision"},
    )
    discussion = forms.CharField(
        label="What was discussed",
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter what was discussed"},
    )
    decisions = forms.CharField(
        label="What was decided", max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    next_review_on = DatePartsField(
        label="Next review",
        required=False,
        help_text="When to supervise the case again (optional): it is listed on the managers' dashboard once due. "
        "For example, 27 3 2026",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("held_on", timezone.localdate())

    def clean(self):
        data = super().clean()
        if data.get("next_review_on") and data.get("held_on") and data["next_review_on"] < data["held_on"]:
            self.add_error("next_review_on", "The next review must be on or after the date of the supervision")
        return data
