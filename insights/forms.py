"""Forms for insights: the filters every page shares, the quarter of the return, the register and the survey."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone

from accounts.models import Organisation
from govuk.forms import DatePartsField, GovukForm, GovukModelForm
from insights import survey
from insights.models import ReportingCentre, TrainedStaffMember
from insights.selectors import Filters, Period, Reference, add_months, default_period, last_complete_quarter
from rjcases.models import Ward

MAX_PERIOD_YEARS = 10
ALL = ""


def _choices(all_label: str, items) -> list[tuple[str, str]]:
    return [(ALL, all_label)] + [(str(pk), name) for pk, name in items]


class FiltersForm(GovukForm):
    """The period (default: the last 12 months) and the optional strand, crime type, route and facilitator.

    Choices come from reference data the page has already read, so the form runs no query of its own.
    """

    date_from = DatePartsField(label="From", required=False, help_text="For example, 1 12 2025")
    date_to = DatePartsField(label="To", required=False, help_text="For example, 30 11 2026")
    strand = forms.ChoiceField(label="Strand", required=False)
    crime_type = forms.ChoiceField(label="Crime type", required=False)
    route = forms.ChoiceField(label="Referral route", required=False)
    facilitator = forms.ChoiceField(label="Facilitator", required=False)

    def __init__(
        self,
        data=None,
        *,
        ref: Reference,
        facilitators: list[tuple[int, str]] | None = None,
        today: date | None = None,
        **kwargs,
    ):
        super().__init__(data, **kwargs)
        self.ref = ref
        self.today = today or timezone.localdate()
        self.fields["strand"].choices = _choices("All strands", ((s.pk, s.name) for s in ref.strands))
        self.fields["crime_type"].choices = _choices("All crime types", ((c.pk, c.name) for c in ref.crime_types))
        self.fields["route"].choices = _choices("All routes", ((r.pk, r.name) for r in ref.routes))
        if facilitators is None:
            del self.fields["facilitator"]
        else:
            self.fields["facilitator"].choices = _choices("All facilitators", facilitators)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        elif start and end and end > add_months(start.replace(day=1), 12 * MAX_PERIOD_YEARS + 1):
            self.add_error("date_to", f"Choose a period of {MAX_PERIOD_YEARS} years or less")
        return data

    def filters(self) -> Filters:
        """The filters chosen; defaults when the form was not sent. Call only when valid (or unbound)."""
        data = self.cleaned_data if self.is_bound else {}
        end = data.get("date_to") or (self.today if not data.get("date_from") else max(self.today, data["date_from"]))
        start = data.get("date_from") or default_period(end).start

        def number(name):
            value = data.get(name)
            return int(value) if value else None

        return Filters(
            period=Period(start, end),
            strand=number("strand"),
            crime_type=number("crime_type"),
            route=number("route"),
            facilitator=number("facilitator"),
            partnerships=self.ref.partnerships,
        )


def quarter_choices(today: date | None = None, count: int = 12) -> list[tuple[str, str]]:
    """This quarter (so far) and the ``count - 1`` before it, newest first."""
    today = today or timezone.localdate()
    year, quarter = today.year, (today.month - 1) // 3 + 1
    choices = []
    for i in range(count):
        label = f"{year} Q{quarter}" + (" (so far)" if i == 0 else "")
        choices.append((f"{year}-Q{quarter}", label))
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return choices


class QuarterForm(GovukForm):
    quarter = forms.ChoiceField(label="Quarter", error_messages={"invalid_choice": "Choose a quarter from the list"})

    def __init__(self, data=None, *, today: date | None = None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["quarter"].choices = quarter_choices(today)
        year, quarter = last_complete_quarter(today)
        self.fields["quarter"].initial = f"{year}-Q{quarter}"

    def chosen(self) -> tuple[int, int]:
        value = self.cleaned_data["quarter"] if self.is_bound else self.fields["quarter"].initial
        year, quarter = value.split("-Q")
        return int(year), int(quarter)


class CentreForm(GovukModelForm):
    class Meta:
        model = ReportingCentre
        fields = [
            "name",
            "organisation",
            "ward",
            "address",
            "postcode",
            "opening_times",
            "bsl",
            "hearing_loop",
            "step_free",
            "accessibility_notes",
            "is_active",
        ]
        labels = {
            "name": "Centre name",
            "organisation": "Organisation its staff sign in under",
            "opening_times": "Opening times",
            "accessibility_notes": "Other accessibility information",
        }
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "opening_times": forms.Textarea(attrs={"rows": 3}),
            "accessibility_notes": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "name": {
                "required": "Enter the centre's name",
                "unique": "A centre with this name is already on the register",
            },
            "organisation": {
                "required": "Choose the organisation",
                "unique": "This organisation already has a register entry",
            },
            "address": {"required": "Enter the centre's address"},
            "opening_times": {"required": "Enter the opening times"},
        }

    def __init__(self, *args, partnerships: tuple[int, ...] | None = None, **kwargs):
        """``partnerships``: those whose wards may be chosen (a centre belongs to its ward's partnership); None:
        every partnership's."""
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(kind=Organisation.Kind.REPORTING_CENTRE)
        self.fields["organisation"].empty_label = "Choose an organisation"
        wards = Ward.objects.order_by("name")
        if partnerships is not None:
            wards = wards.filter(partnership_id__in=partnerships)
        self.fields["ward"].queryset = wards
        self.fields["ward"].empty_label = "Choose a ward"
        self.fields["ward"].required = True
        self.fields["ward"].help_text = "The centre belongs to the partnership of the ward it is in."
        self.fields["ward"].error_messages["required"] = "Choose the ward the centre is in"


class TrainedStaffForm(GovukModelForm):
    last_trained_on = DatePartsField(
        label="Date last trained",
        not_in_future=True,
        error_messages={"required": "Enter the date they were last trained"},
    )

    class Meta:
        model = TrainedStaffMember
        fields = ["name", "job_title", "last_trained_on", "active"]
        labels = {"name": "Name", "job_title": "Job title"}
        error_messages = {"name": {"required": "Enter their name"}}


class SurveyForm(GovukForm):
    """The survey's questions as they are in the current version, in the language asked for (English, easy read or
    Welsh: ``insights.survey.QUESTION_SETS``), and an optional comment."""

    def __init__(self, *args, language: str = survey.ENGLISH, **kwargs):
        super().__init__(*args, **kwargs)
        self.question_set = survey.question_set(language)
        for question in self.question_set.questions:
            self.fields[question.code] = forms.ChoiceField(
                label=question.text,
                choices=question.choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Select an answer: {question.text[0].lower()}{question.text[1:-1]}"},
            )
        self.fields["comments"] = forms.CharField(
            label=self.question_set.comments_text.replace(" (optional)", "").replace(" (dewisol)", ""),
            help_text=self.question_set.comments_hint,
            required=False,
            max_length=survey.COMMENTS_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 4}),
            error_messages={"max_length": f"Keep the comment to {survey.COMMENTS_MAX_LENGTH} characters or fewer"},
        )
