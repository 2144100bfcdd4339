"""The restorative work on a case: preparation, the activity, the agreement and its monitoring,
and what participants said of it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from rjcases import limits
from rjcases.limits import bounded_text
from rjcases.models import moment_order


class PreparationContact(models.Model):
    """A preparation meeting or contact with a party (and their supporters)."""

    class Method(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        PHONE = "phone", "Phone"
        VIDEO = "video", "Video call"
        LETTER = "letter", "Letter or email"

    case = models.ForeignKey("rjcases.Case", on_delete=models.PROTECT, related_name="preparation_contacts")
    party = models.ForeignKey("rjcases.Party", on_delete=models.PROTECT, related_name="preparation_contacts")
    held_on = models.DateField()
    method = models.CharField(max_length=12, choices=Method.choices)
    attendees = models.CharField("who took part", max_length=300, blank=True)
    notes = models.TextField(blank=True, max_length=limits.NOTE)
    interpreter_arranged = models.BooleanField(default=False)
    # Why the meeting was held on a day outside the person's safe times (the facilitator's confirmation).
    outside_safe_times_reason = models.CharField(
        "why contact was made outside their safe times", max_length=500, blank=True
    )
    adjustments_arranged = models.TextField(blank=True, max_length=limits.SUMMARY)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["held_on", "id"]
        constraints = bounded_text("preparation", notes=limits.NOTE, adjustments_arranged=limits.SUMMARY)


class Activity(models.Model):
    """A planned restorative activity. A reschedule supersedes the plan, which stays on the record."""

    class Kind(models.TextChoices):
        DIRECT_CONFERENCE = "direct_conference", "Face-to-face conference"
        SHUTTLE = "shuttle", "Indirect shuttle communication"
        LETTER = "letter", "Letter of explanation or apology"
        RECORDED_MESSAGE = "recorded_message", "Recorded message"
        COMMUNITY_CONFERENCE = "community_conference", "Community conference"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        SUPERSEDED = "superseded", "Rescheduled"
        CANCELLED = "cancelled", "Cancelled"
        TOOK_PLACE = "took_place", "Took place"

    case = models.ForeignKey("rjcases.Case", on_delete=models.PROTECT, related_name="activities")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    scheduled_for = models.DateTimeField(null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    venue = models.CharField(max_length=300, blank=True)
    method = models.CharField(max_length=300, blank=True, help_text="For indirect activity: how it will be done")
    lead_facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    co_facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    invited = models.ManyToManyField("rjcases.Party", blank=True, related_name="activities_invited")
    others_invited = models.CharField("others invited (not parties to the case)", max_length=300, blank=True)
    interpreter_booked = models.BooleanField(default=False)
    interpreter_language = models.CharField(max_length=60, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    cancellation_reason = models.TextField(blank=True, max_length=limits.SUMMARY)
    took_place_on = models.DateField(null=True, blank=True)
    attended = models.ManyToManyField("rjcases.Party", blank=True, related_name="activities_attended")
    others_attended = models.CharField("others who took part (not parties to the case)", max_length=300, blank=True)
    summary = models.TextField("what happened", blank=True, max_length=limits.SUMMARY)
    agreement_reached = models.BooleanField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(m2m_fields=[invited, attended])

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "activities"
        constraints = bounded_text("activity", cancellation_reason=limits.SUMMARY, summary=limits.SUMMARY)


class Agreement(models.Model):
    """The outcome agreement reached at an activity: itemised actions, who signed and when."""

    case = models.ForeignKey("rjcases.Case", on_delete=models.PROTECT, related_name="agreements")
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="agreements")
    signed_on = models.DateField(null=True, blank=True)
    signatories = models.ManyToManyField("rjcases.Party", blank=True, related_name="agreements_signed")
    notes = models.TextField(blank=True, max_length=limits.NOTE)
    superseded = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(m2m_fields=[signatories])

    class Meta:
        ordering = ["created_at", "id"]
        constraints = bounded_text("agreement", notes=limits.NOTE)


class AgreementAction(models.Model):
    """One action of an agreement: who does what by when, how it is checked, and whether it was done."""

    class Kind(models.TextChoices):
        APOLOGY = "apology", "Apology"
        REPARATION = "reparation", "Reparation"
        EDUCATION = "education", "Education or awareness work"
        BEHAVIOUR = "behaviour", "Behaviour undertaking"
        COMMUNITY_WORK = "community_work", "Community work"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        MISSED = "missed", "Missed"

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="actions")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    responsible_party = models.ForeignKey(
        "rjcases.Party", on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    who = models.CharField("who (if not a party)", max_length=limits.SHORT, blank=True)
    what = models.CharField(max_length=300)
    due_on = models.DateField()
    how_checked = models.CharField("how it will be checked", max_length=300)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN, db_index=True)
    resolved_on = models.DateField(null=True, blank=True)
    evidence_note = models.TextField(blank=True, max_length=limits.SUMMARY)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        constraints = bounded_text("action", evidence_note=limits.SUMMARY)


class FollowUp(models.Model):
    """A monitoring contact after the agreement (including telling the person harmed an action is done)."""

    class Kind(models.TextChoices):
        MONITORING = "monitoring", "Monitoring contact"
        ACTION_DONE_NOTICE = "action_done", "Told the person harmed an action is done"

    class Method(models.TextChoices):
        PHONE = "phone", "Phone"
        IN_PERSON = "in_person", "In person"
        VIDEO = "video", "Video call"
        LETTER = "letter", "Letter"
        EMAIL = "email", "Email"
        TEXT = "text", "Text message"
        VIA_CASEWORKER = "via_caseworker", "Through their caseworker"

    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.MONITORING)
    case = models.ForeignKey("rjcases.Case", on_delete=models.PROTECT, related_name="follow_ups")
    party = models.ForeignKey("rjcases.Party", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    action = models.ForeignKey(AgreementAction, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    # False when only the day is known: ``at`` is then that day's midnight, shown as "time not recorded".
    time_known = models.BooleanField(default=True)
    method = models.CharField(max_length=16, choices=Method.choices, blank=True)
    outside_safe_times_reason = models.CharField(
        "why contact was made outside their safe times", max_length=500, blank=True
    )
    notes = models.TextField(blank=True, max_length=limits.NOTE)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = moment_order()
        constraints = bounded_text("follow_up", notes=limits.NOTE)


class Feedback(models.Model):
    """A participant's view of the service at closure; a refusal is recorded as such."""

    class Felt(models.TextChoices):
        BETTER = "better", "Better"
        SAME = "same", "The same"
        WORSE = "worse", "Worse"

    case = models.ForeignKey("rjcases.Case", on_delete=models.PROTECT, related_name="feedback")
    party = models.ForeignKey("rjcases.Party", on_delete=models.PROTECT, related_name="feedback")
    wording_version = models.CharField(max_length=20, default="2026-1")
    refused = models.BooleanField("declined to give feedback", default=False)
    satisfied = models.BooleanField("satisfied with the process", null=True, blank=True)
    would_recommend = models.BooleanField(null=True, blank=True)
    felt = models.CharField(max_length=8, choices=Felt.choices, blank=True)
    felt_safe = models.BooleanField(null=True, blank=True)
    felt_heard = models.BooleanField(null=True, blank=True)
    comments = models.TextField(blank=True, max_length=limits.SUMMARY)
    recorded_on = models.DateField(default=timezone.localdate)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["recorded_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "party"], name="feedback_once_per_party"),
            *bounded_text("feedback", comments=limits.SUMMARY),
        ]


class WellbeingMeasure(models.Model):
    """A short, fixed wellbeing measure before the activity and after closure (answers 1 to 5)."""

    class Stage(models.TextChoices):
        BEFORE = "before", "Before the activity"
        AFTER = "after", "After closure"

    case = models.ForeignKey("rjcases.Case", on_delete=models.PROTECT, related_name="wellbeing")
    party = models.ForeignKey("rjcases.Party", on_delete=models.PROTECT, related_name="wellbeing")
    stage = models.CharField(max_length=8, choices=Stage.choices)
    wording_version = models.CharField(max_length=20, default="2026-1")
    answers = models.JSONField(default=dict)
    recorded_on = models.DateField(default=timezone.localdate)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["recorded_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "party", "stage"], name="wellbeing_once_per_party_and_stage")
        ]


class InterpreterBooking(models.Model):
    """An interpreter booked for one person at one restorative activity: the language, who was booked (an agency
    or an interpreter), their registration number where the profession keeps a register (NRCPD for British Sign
    Language; see ``conferences.services.interpreters.registration_problems``), whether and when the booking was
    confirmed, and what it costs. The workflow's ``schedule_activity`` is refused while an invited person who needs
    an interpreter has no confirmed booking (``rjcases.guards.interpreters_confirmed``)."""

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="interpreter_bookings")
    party = models.ForeignKey("rjcases.Party", on_delete=models.PROTECT, related_name="interpreter_bookings")
    language = models.CharField(max_length=60)
    provider = models.CharField("agency or interpreter", max_length=limits.SHORT)
    registration_number = models.CharField(max_length=20, blank=True)
    confirmed = models.BooleanField(default=False)
    confirmed_on = models.DateField("date confirmed", null=True, blank=True)
    cost_pence = models.PositiveIntegerField("cost in pence", null=True, blank=True)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cost_pence__isnull=True) | models.Q(cost_pence__gte=0),
                name="interpreter_booking_cost_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(confirmed=False) | models.Q(confirmed_on__isnull=False),
                name="interpreter_booking_confirmed_has_a_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.language} interpreter ({self.provider})"

    @property
    def cost_pounds(self) -> str:
        """'£85.50', or '' when no cost is recorded."""
        if self.cost_pence is None:
            return ""
        return f"£{self.cost_pence // 100:,}.{self.cost_pence % 100:02d}"
