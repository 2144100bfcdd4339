"""The retention schedule and its review queue, the anonymisation record, and people's data protection requests."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from audit.chain import ChainedRow
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


class SubjectRequest(models.Model):
    """A person's request under UK GDPR about the data held on them: access (Article 15), rectification (16) or
    erasure (17). Opened by a manager for a named person; due one month after it was received, extendable with a
    reason (Article 12(3)). The party records that are the person are confirmed one by one
    (``SubjectRequestMatch``); an access request's export is made from those alone. With history."""

    class Kind(models.TextChoices):
        ACCESS = "access", "Subject access"
        RECTIFICATION = "rectification", "Rectification"
        ERASURE = "erasure", "Erasure"

    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.ACCESS)
    # The partnership the request was made to (the opening manager's): only its managers see and handle it, and
    # only its cases are searched for the person's records.
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    details = models.TextField("what the person asked for", blank=True, max_length=limits.SUMMARY)
    received_on = models.DateField()
    due_on = models.DateField("due")
    extension_reason = models.TextField(blank=True, max_length=limits.SUMMARY)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    completed_on = models.DateField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.TextField("what was done", blank=True, max_length=limits.SUMMARY)
    last_exported_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["partnership", "completed_on", "due_on"])]
        constraints = bounded_text(
            "subject_request", details=limits.SUMMARY, extension_reason=limits.SUMMARY, outcome=limits.SUMMARY
        )

    def __str__(self) -> str:
        return f"{self.get_kind_display()} request {self.pk} (due {self.due_on:%d %b %Y})"

    @property
    def is_open(self) -> bool:
        return self.completed_on is None

    @property
    def person_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class SubjectRequestMatch(models.Model):
    """A party record the service proposed as possibly the requester, and a manager's decision on it: it is them
    (confirmed) or it is not. Only confirmed records go into an export or an erasure."""

    request = models.ForeignKey(SubjectRequest, on_delete=models.PROTECT, related_name="matches")
    party = models.ForeignKey("rjcases.Party", on_delete=models.PROTECT, related_name="+")
    why = models.CharField("why it was proposed", max_length=200)
    confirmed = models.BooleanField(null=True, help_text="Empty until a manager decides.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["request", "party"], name="one_match_per_party")]


class ApprovedPassage(models.Model):
    """A passage of free text that names another person, which a manager approved for a subject access export
    (each passage by itself: ``source`` names the record and field, e.g. ``note:12:body``)."""

    request = models.ForeignKey(SubjectRequest, on_delete=models.PROTECT, related_name="approved_passages")
    source = models.CharField(max_length=80)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "source"], name="one_approval_per_passage")]


class Anonymisation(ChainedRow):
    """The record that a case (scope "case"), or one person's record on it (scope "person", an erasure request),
    was anonymised: who did it (empty when a rule of the retention schedule said to), when, and under which
    decision, rule or request, with how many rows of each table were rewritten. Append-only and part of the
    audit chain (``audit.specs``): ``verify_audit`` accepts a case's blanked audit rows because of it."""

    class Scope(models.TextChoices):
        CASE = "case", "The whole case"
        PERSON = "person", "One person's record (erasure request)"

    case = models.ForeignKey("rjcases.Case", on_delete=models.PROTECT, related_name="anonymisations")
    party = models.ForeignKey("rjcases.Party", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    scope = models.CharField(max_length=8, choices=Scope.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    review = models.ForeignKey(RetentionReview, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    rule = models.ForeignKey(RetentionRule, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    request = models.ForeignKey(SubjectRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    rows = models.JSONField("rows rewritten, by table", default=dict)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review__isnull=False) | Q(request__isnull=False), name="an_anonymisation_has_a_basis"
            ),
            models.CheckConstraint(
                condition=Q(scope="case", party__isnull=True) | Q(scope="person", party__isnull=False),
                name="a_person_anonymisation_names_the_person",
            ),
        ]

    def __str__(self) -> str:
        return f"Anonymisation of {self.case} ({self.scope}, {self.at:%d %b %Y})"
