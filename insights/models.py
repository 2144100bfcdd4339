"""The third-party reporting centre register, its trained staff, and the centre satisfaction survey.

Everything else in insights is read-only analysis over the case and conference models.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import Organisation
from insights import survey
from rjcases import limits
from rjcases.models import validate_postcode

TRAINING_VALID_MONTHS = 12


def training_due_on(last_trained_on: date) -> date:
    """The date training runs out: 12 months after it was last done (28 February for a 29 February)."""
    try:
        return last_trained_on.replace(year=last_trained_on.year + TRAINING_VALID_MONTHS // 12)
    except ValueError:
        return last_trained_on.replace(year=last_trained_on.year + TRAINING_VALID_MONTHS // 12, day=28)


class ReportingCentre(models.Model):
    """A third-party reporting centre on the partnership's register: where it is, when it is open, how
    accessible it is. Reports taken there are cases whose ``reporting_centre`` is its organisation."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        related_name="centre_register_entry",
        limit_choices_to={"kind": Organisation.Kind.REPORTING_CENTRE},
        help_text="The organisation its staff sign in under; reports they take are counted against it.",
    )
    name = models.CharField(max_length=200, unique=True, help_text="The name the public knows the centre by")
    ward = models.ForeignKey(
        "rjcases.Ward", on_delete=models.PROTECT, null=True, blank=True, related_name="reporting_centres"
    )
    address = models.TextField(max_length=limits.ADDRESS)
    postcode = models.CharField(max_length=10, blank=True, validators=[validate_postcode])
    opening_times = models.TextField(
        help_text="For example: Monday to Friday 9am to 5pm; Saturday 10am to 1pm", max_length=limits.ADDRESS
    )
    bsl = models.BooleanField("British Sign Language (BSL) available", default=False)
    hearing_loop = models.BooleanField("hearing loop", default=False)
    step_free = models.BooleanField("step-free access", default=False)
    accessibility_notes = models.TextField(blank=True, max_length=limits.SUMMARY)
    is_active = models.BooleanField("open to the public", default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = limits.bounded_text(
            "reporting_centre", address=limits.ADDRESS, opening_times=limits.ADDRESS, accessibility_notes=limits.SUMMARY
        )

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.organisation_id and self.organisation.kind != Organisation.Kind.REPORTING_CENTRE:
            raise ValidationError({"organisation": "Choose an organisation that is a third-party reporting centre."})


class TrainedStaffMember(models.Model):
    """A member of a centre's staff trained to take hate incident reports, and when they were last trained."""

    centre = models.ForeignKey(ReportingCentre, on_delete=models.PROTECT, related_name="trained_staff")
    name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=120, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Their sign-in account, if they have one",
    )
    last_trained_on = models.DateField("date last trained")
    active = models.BooleanField("still works at the centre", default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def training_due_on(self) -> date:
        return training_due_on(self.last_trained_on)

    def training_overdue(self, today: date | None = None) -> bool:
        """Training is out of date when it was last done more than 12 months ago."""
        return (today or timezone.localdate()) > self.training_due_on


class SurveyLink(models.Model):
    """A one-use link for a person who reported at a centre to answer the survey without signing in.

    Only a hash of the token is kept: the link is shown once, when it is made. It records the centre
    and nothing about the report or the person.
    """

    centre = models.ForeignKey(ReportingCentre, on_delete=models.PROTECT, related_name="survey_links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        ordering = ["-created_at", "-id"]


class CentreSurveyResponse(models.Model):
    """One person's answers to the centre survey after making a report, entered by staff or on a link."""

    class Via(models.TextChoices):
        STAFF = "staff", "Entered by centre staff"
        LINK = "link", "Answered on a link"

    centre = models.ForeignKey(ReportingCentre, on_delete=models.PROTECT, related_name="survey_responses")
    questions_version = models.CharField(max_length=20, default=survey.CURRENT_VERSION)
    # The question set's language (insights.survey.LANGUAGES): answers are stored and counted alike in every one.
    questions_language = models.CharField(max_length=12, choices=survey.LANGUAGES, default=survey.ENGLISH)
    via = models.CharField(max_length=8, choices=Via.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_on = models.DateField(default=timezone.localdate, db_index=True)
    satisfaction = models.CharField(max_length=20, choices=survey.SATISFACTION)
    treated_with_respect = models.CharField(max_length=8, choices=survey.YES_PARTLY_NO)
    knew_what_next = models.CharField(max_length=8, choices=survey.YES_PARTLY_NO)
    would_recommend = models.CharField(max_length=8, choices=survey.YES_NO_NOT_SURE)
    comments = models.TextField(blank=True, max_length=survey.COMMENTS_MAX_LENGTH)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_on", "-id"]
        indexes = [models.Index(fields=["centre", "submitted_on"])]
        constraints = limits.bounded_text("survey_response", comments=survey.COMMENTS_MAX_LENGTH)


# ---------------------------------------------------------------------------------------------------
# The performance summary (insights.summary): counts of the performance page by month, refreshed by a job.
# Keys are plain numbers, not foreign keys: a cell is a count, and it must never stop a record from being
# deleted or anonymised; the next refresh counts what is there.


class PerformanceSummary(models.Model):
    """When the summary tables were last counted (one row, pk 1): the page says so, and counts from the case
    records instead when the summary is missing or older than ``insights.summary.MAX_AGE``."""

    made_at = models.DateTimeField()
    as_of = models.DateField(help_text="The day the clocks were followed up to (overdue means due before it)")
    seconds = models.FloatField(help_text="How long the count took")
    cases = models.PositiveIntegerField(help_text="The cases counted")


class PerformanceCell(models.Model):
    """The measures of the cases received in one month, of one partnership, route, reporting centre and
    facilitator (``strand_id`` 0); or of one partnership and strand (``strand_id`` the strand: a case with two
    strands is in two strand cells, as in the strand table)."""

    month = models.DateField()
    partnership_id = models.IntegerField()
    route_id = models.IntegerField(null=True)
    centre_id = models.IntegerField(null=True)
    facilitator_id = models.IntegerField(null=True)
    strand_id = models.IntegerField(default=0)
    referrals = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    declined = models.PositiveIntegerField(default=0)
    awaiting = models.PositiveIntegerField(default=0)
    activity = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    fulfilled = models.PositiveIntegerField(default=0)
    partly_fulfilled = models.PositiveIntegerField(default=0)
    breached = models.PositiveIntegerField(default=0)
    rj_met = models.PositiveIntegerField(default=0)
    rj_late = models.PositiveIntegerField(default=0)
    rj_overdue = models.PositiveIntegerField(default=0)
    contact_met = models.PositiveIntegerField(default=0)
    contact_late = models.PositiveIntegerField(default=0)
    contact_overdue = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["month", "partnership_id"], name="performance_cell_month")]


class PerformanceDays(models.Model):
    """How many of the cases received in one month, of one partnership, took ``days`` working days (kind
    "state": in the state ``grp``; "closure": from referral to closure; "facilitator": the same, for the
    facilitator ``grp``). Medians and 90th percentiles of any run of months are worked out from these."""

    month = models.DateField()
    partnership_id = models.IntegerField()
    kind = models.CharField(max_length=12)
    grp = models.CharField(max_length=40, null=True)
    days = models.IntegerField()
    n = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["month", "partnership_id"], name="performance_days_month")]


class PerformanceTally(models.Model):
    """A count of the cases received in one month, of one partnership: with an activity of a kind that took
    place (topic "activity"), closed with an outcome ("outcome"); or of their agreement actions by status
    ("action")."""

    month = models.DateField()
    partnership_id = models.IntegerField()
    topic = models.CharField(max_length=12)
    value = models.CharField(max_length=40)
    n = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["month", "partnership_id"], name="performance_tally_month")]


class ReturnSnapshot(models.Model):
    """The lines of one return (the quarterly monitoring return or the Victims' Code compliance return) for one
    quarter and one partnership scope, counted by a job (``insights.snapshots``): counts, labels and definitions,
    never a person or a case. The pages read it while it is younger than ``insights.snapshots.MAX_AGE``."""

    class Kind(models.TextChoices):
        QUARTERLY = "quarterly", "Quarterly monitoring return"
        COMPLIANCE = "compliance", "Victims' Code compliance return"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    scope = models.CharField(
        max_length=200, help_text="Whose cases: 'all' (every partnership's), or partnership ids joined by commas"
    )
    lines = models.JSONField(help_text="The return's lines, each a mapping of its fields")
    made_at = models.DateTimeField()
    as_of = models.DateField(help_text="The day the return was counted for (its 'today')")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "quarter", "scope"], name="return_snapshot_unique")
        ]
