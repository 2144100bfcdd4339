"""The retention schedule and the retention review queue."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from rjcases import limits
from rjcases.limits import bounded_text


class RetentionRule(models.Model):
    """One line of the retention schedule: for one kind of record, how long it is kept after which event, and
    what happens then. Reference data: an administrator edits it (with history); the daily job reads it."""

    class Kind(models.TextChoices):
        CASE_AGREEMENT = "case_agreement", "Closed case with an outcome agreement"
        CASE_NO_AGREEMENT = "case_no_agreement", "Closed case: activity took place, no agreement"
        CASE_NOT_SUITABLE = "case_not_suitable", "Closed case: not suitable"
        REFERRAL_DECLINED = "referral_declined", "Declined referral"
        WITHDRAWN = "withdrawn", "Withdrawn referral or case"
        ANONYMOUS_REPORT = "anonymous_report", "Anonymous reporting-centre report"
        NON_CRIME = "non_crime", "Non-crime hate incident"
        SURVEY_RESPONSE = "survey_response", "Reporting-centre survey response"
        READ_ACCESS_LOG = "read_access_log", "Read access log"
        SECURITY_LOG = "security_log", "Security log"
        LETTER = "letter", "Letter"

    class Event(models.TextChoices):
        CLOSED = "closed", "the case is closed"
        RECORDED = "recorded", "it is recorded (a referral or report received, a log row written)"
        SENT = "sent", "the letter is sent"

    class Then(models.TextChoices):
        REVIEW = "review", "A manager reviews it (keep, with a reason and a next review date, or anonymise)"
        ANONYMISE = "anonymise", "It is anonymised (no review)"

    kind = models.CharField(max_length=24, choices=Kind.choices, unique=True)
    keep_months = models.PositiveSmallIntegerField("kept for (months)")
    after = models.CharField("counted from when", max_length=12, choices=Event.choices)
    then = models.CharField("and then", max_length=12, choices=Then.choices, default=Then.REVIEW)
    notes = models.TextField("why (the basis for this period)", blank=True, max_length=limits.SUMMARY)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind"]
        constraints = bounded_text("retention_rule", notes=limits.SUMMARY)

    def __str__(self) -> str:
        years, months = divmod(self.keep_months, 12)
        period = f"{years} year{'s' * (years != 1)}" if not months else f"{self.keep_months} months"
        return f"{self.get_kind_display()}: {period} after {self.get_after_display().split(' (')[0]}, then {self.then}"


class RetentionReview(models.Model):
    """A case whose retention date has come, queued by ``queue_retention_reviews`` (daily), and the decision on it.

    Open until decided. Keep: a manager's reason and the next review date (the case is queued again then).
    Anonymise: a manager's reason, or the rule's own ``then`` (``decided_by`` empty); the anonymisation itself
    is done later, by the anonymisation service, which reads these decisions. Never deleted, with history."""

    class Decision(models.TextChoices):
        KEEP = "keep", "Keep"
        ANONYMISE = "anonymise", "Anonymise"

    case = models.ForeignKey("rjcases.Case", on_delete=models.PROTECT, related_name="retention_reviews")
    rule = models.ForeignKey(RetentionRule, on_delete=models.PROTECT, related_name="reviews")
    due_on = models.DateField("retention date")
    queued_on = models.DateField()
    decision = models.CharField(max_length=12, choices=Decision.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when the rule itself says to anonymise.",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True, max_length=limits.SUMMARY)
    next_review_on = models.DateField("next review", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["decision", "due_on"])]
        constraints = [
            *bounded_text("retention_review", reason=limits.SUMMARY),
            # The job may run any number of times a day: a case has at most one review waiting.
            models.UniqueConstraint(fields=["case"], condition=Q(decision=""), name="one_open_retention_review"),
            models.CheckConstraint(
                condition=~Q(decision="keep") | Q(next_review_on__isnull=False),
                name="a_keep_decision_has_a_next_review",
            ),
        ]

    def __str__(self) -> str:
        return f"Retention review of {self.case} (due {self.due_on:%d %b %Y})"

    @property
    def is_open(self) -> bool:
        return not self.decision
