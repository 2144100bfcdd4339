"""What the service sends by email, and what each person has chosen to be sent.

A ``Message`` is written in the same transaction as the change it tells of (an allocation, a move), so a
rolled-back change leaves none; a task sends it once that transaction has committed. Its text is rendered when
it is written, from templates that are given a case's reference, its status and a link only: no message
carries any party's name, address, phone, email or date of birth.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Message(models.Model):
    """One email the service sends, or tried to: to whom, what kind, about which case, what became of it.

    Not historied: the row is itself the record of each attempt (``attempts``, ``last_attempt_at``, ``error``)
    and nobody edits it. The recipient is a user (``user``) or a party (``party``, the person who reported at
    a centre, with their consent); the address is read from them when the message is sent, so no address is
    copied here. A message that carries a sign-in link (``secret``) has its text wiped once it is sent or has
    expired, so the link is not kept.
    """

    class Kind(models.TextChoices):
        ALLOCATED = "allocated", "Case allocated"
        STATUS_CHANGE = "status_change", "Status change"
        DIGEST = "digest", "Morning digest"
        PASSWORD_RESET = "password_reset", "Password reset link"
        ENROLMENT = "enrolment", "Enrolment code"
        SURVEY = "survey", "Reporting centre survey link"

    class Audience(models.TextChoices):
        """Who the recipient is to the case, in the words the timeline uses (never their name or address)."""

        FACILITATOR = "facilitator", "the facilitator"
        CO_FACILITATOR = "co_facilitator", "the co-facilitator"
        REFERRER = "referrer", "the referrer"
        CASEWORKER = "caseworker", "the caseworker"
        USER = "user", "the user"
        REPORTER = "reporter", "the person who reported"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    audience = models.CharField(max_length=20, choices=Audience.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="messages"
    )
    party = models.ForeignKey("rjcases.Party", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    case = models.ForeignKey("rjcases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="messages")
    subject = models.CharField(max_length=200)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    secret = models.BooleanField(default=False, help_text="Carries a sign-in link: its text is wiped once sent")
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Not sent after this (a link that expires)")
    digest_day = models.DateField(null=True, blank=True, help_text="The morning digest's day (one per person)")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    queued_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["queued_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(party__isnull=False), name="message_has_a_recipient"
            ),
            models.UniqueConstraint(
                fields=["user", "digest_day"], condition=Q(kind="digest"), name="one_digest_per_person_per_day"
            ),
        ]
        indexes = [models.Index(fields=["case", "queued_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.get_audience_display()} ({self.get_status_display().lower()})"


class Preference(models.Model):
    """What one user has chosen to be sent. Without a row everything is on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    referral_updates = models.BooleanField(
        "Email me when a case I referred changes status",
        default=True,
        help_text="The case's reference, its new status and a link: nothing about the people in it.",
    )
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Notification preferences of {self.user}"


class SurveyInvitation(models.Model):
    """The person who reported at a third-party reporting centre agreed, when the report was recorded, to be
    emailed the centre's satisfaction survey link. One per report; ``message`` is the email once written (so the
    link is sent once). The address is the person harmed's email on the case, read when the email is sent."""

    case = models.OneToOneField("rjcases.Case", on_delete=models.PROTECT, related_name="survey_invitation")
    party = models.ForeignKey("rjcases.Party", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    message = models.OneToOneField(Message, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Survey by email for {self.case}"
