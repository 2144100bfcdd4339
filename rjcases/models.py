"""The case workflow: the case and its incident, parties, consent, assessment, the transition log, notes and
contacts. The reference data (wards, strands, crime types, routes, the calendar) is in ``rjcases.reference``, the
read access log in ``rjcases.access_log``."""

import re
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.functional import cached_property
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from accounts import roles
from accounts.aggregates import json_list
from audit.chain import ChainedRow
from rjcases import choices, guards, limits
from rjcases.access_log import ReadAccess  # noqa: F401 (the read access log's model, in its own module)
from rjcases.held_reads import first_held
from rjcases.limits import bounded_text, validate_phone
from rjcases.permissions import can_facilitate, can_manage, can_withdraw
from rjcases.reference import CalendarDay, CrimeType, HateStrand, ReferralRoute, Ward  # noqa: F401  (models of this app)
from rjcases.safe_times import validate_safe_times
from rjcases.search import folded_name


def moment_order(field: str = "at", known: str = "time_known", *, newest_first: bool = False) -> list:
    """Order by day (service time), then the entries of known time in time order, then the day's entries whose
    time was not recorded (stored as its midnight, which would otherwise put them first); newest first mirrors it."""
    if newest_first:
        return [TruncDate(field).desc(), F(known).asc(), F(field).desc(), F("id").desc()]
    return [TruncDate(field).asc(), F(known).desc(), F(field).asc(), F("id").asc()]


# ---------------------------------------------------------------------------------------------------
# The case


class CaseReferenceSequence(models.Model):
    """The last case number issued in a year; references are issued in order, under a row lock."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CaseQuerySet":
        """The cases this user may open at all; everything else is a 404 for them."""
        if not user or not user.is_authenticated or not user.is_active:
            return self.none()
        own = sorted(roles.partnership_ids(user))
        scope = Q(pk__in=[])
        if roles.is_manager(user):
            # Everything in their partnerships; and, beside it, what any other role gives them elsewhere.
            scope |= Q(partnership_id__in=own)
        if roles.is_facilitator(user):
            mine_or_queue = Q(facilitator=user) | Q(co_facilitator=user) | Q(facilitator__isnull=True)
            scope |= Q(partnership_id__in=own) & mine_or_queue
        if roles.is_caseworker(user):
            scope |= Q(Exists(Party.objects.filter(case=OuterRef("pk"), role=Party.Role.HARMED, caseworker=user)))
        if roles.is_referrer(user) and user.organisation_id:
            scope |= Q(referring_organisation_id=user.organisation_id) | Q(reporting_centre_id=user.organisation_id)
        return self.filter(scope)


class Case(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    """One restorative process about one hate incident, moved through its states only by the services."""

    class State(models.TextChoices):
        REFERRAL = "referral", "Referral"
        ASSESSMENT = "assessment", "Assessment"
        PREPARATION = "preparation", "Preparation"
        CONFERENCING = "conferencing", "Conferencing"
        AGREEMENT = "agreement", "Agreement"
        CLOSED = "closed", "Closed"

    class Outcome(models.TextChoices):
        REFERRAL_DECLINED = "referral_declined", "Referral declined"
        NOT_SUITABLE = "not_suitable", "Not suitable"
        NO_AGREEMENT_NEEDED = "no_agreement_needed", "Activity took place, no agreement needed"
        NO_AGREEMENT_REACHED = "no_agreement_reached", "Activity took place, no agreement reached"
        AGREEMENT_FULFILLED = "agreement_fulfilled", "Agreement fulfilled"
        AGREEMENT_PARTLY_FULFILLED = "agreement_partly_fulfilled", "Agreement partly fulfilled"
        AGREEMENT_BREACHED = "agreement_breached", "Agreement breached"
        WITHDRAWN = "withdrawn", "Withdrawn"

    reference = models.CharField(max_length=20, unique=True, editable=False)
    # The partnership whose case this is: set at referral from the incident's ward (or chosen where the referrer
    # works for several), changed only by rjcases.services.partnerships.move_to_partnership.
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="cases")
    route = models.ForeignKey(ReferralRoute, on_delete=models.PROTECT, related_name="cases")
    referring_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="referred_cases"
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="referred_cases"
    )
    referrer_name = models.CharField("referrer's name", max_length=limits.SHORT, blank=True)
    referrer_contact = models.CharField(
        "referrer's phone or email", max_length=limits.SHORT, blank=True, validators=[limits.validate_phone_or_email]
    )
    received_on = models.DateField(default=date.today)
    # Third-party reporting centre reports.
    reporting_centre = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="centre_reports"
    )
    report_kind = models.CharField(
        max_length=12, blank=True, choices=[("assisted", "Assisted report"), ("anonymous", "Anonymous report")]
    )
    consents_to_police = models.BooleanField("consents to police involvement", null=True, blank=True)

    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="facilitated_cases"
    )
    co_facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="co_facilitated_cases"
    )
    # When the facilitator was last allocated (rjcases.services.allocate): "new to you" on their dashboard.
    allocated_at = models.DateTimeField("allocated on", null=True, blank=True)
    state = FSMField(max_length=20, choices=State.choices, default=State.REFERRAL, protected=True, db_index=True)
    state_changed_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=40, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(blank=True, max_length=limits.SUMMARY)
    closed_at = models.DateTimeField(null=True, blank=True)
    closure_summary = models.TextField(blank=True, max_length=limits.SUMMARY)

    enhanced_rights = models.BooleanField("entitled to enhanced rights (Victims' Code)", default=False)
    enhanced_rights_reason = models.CharField(max_length=300, blank=True)
    # Victims' Code clocks, set when the referral is made; met when the date is recorded.
    rj_information_due_on = models.DateField("told about restorative justice: due by", null=True, blank=True)
    rj_information_given_on = models.DateField("told about restorative justice on", null=True, blank=True)
    initial_contact_due_on = models.DateField("first contact: due by", null=True, blank=True)
    initial_contact_on = models.DateField("first contact made on", null=True, blank=True)

    possible_duplicate_of = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="+")
    duplicate_reviewed = models.BooleanField(default=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[])

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        permissions = [
            ("allocate_case", "Can allocate cases to facilitators"),
            ("sign_off_risk", "Can sign off high-risk assessments"),
            ("view_readaccess", "Can read the read access log"),
        ]
        # The case list's order (newest first) with and without a status; the API's sync order (updated_at, id);
        # the "overdue" filter's two clocks, each over the open cases whose clock is not yet met (rjcases.search).
        indexes = [
            models.Index(fields=["state", "received_on", "id"], name="case_state_received"),
            models.Index(fields=["received_on", "id"], name="case_received"),
            models.Index(fields=["updated_at", "id"], name="case_updated"),
            models.Index(
                fields=["rj_information_due_on"],
                condition=Q(rj_information_given_on__isnull=True) & ~Q(state="closed"),
                name="case_rj_information_open",
            ),
            models.Index(
                fields=["initial_contact_due_on"],
                condition=Q(initial_contact_on__isnull=True) & ~Q(state="closed"),
                name="case_initial_contact_open",
            ),
            # A partnership's list in the same order (id too: the list's first page among other partnerships' cases
            # reads 25 index entries, not the others' newer ones; bench/partnerships.py).
            models.Index(fields=["partnership", "received_on", "id"], name="case_partnership_received"),
            models.Index(fields=["partnership", "state", "received_on", "id"], name="case_partnership_state"),
        ]
        constraints = bounded_text("case", outcome_reason=limits.SUMMARY, closure_summary=limits.SUMMARY)

    def __str__(self) -> str:
        return self.reference

    # --- transitions: declared here, performed only by rjcases.services ---------------------------
    # Bodies write nothing: the service sets the fields each move collects.

    @transition(
        state,
        source=State.REFERRAL,
        target=State.ASSESSMENT,
        conditions=[guards.facilitator_allocated],
        permission=can_manage,
    )
    def accept(self):
        pass

    @transition(state, source=State.REFERRAL, target=State.CLOSED, permission=can_manage)
    def decline(self):
        pass

    @transition(
        state,
        source=State.ASSESSMENT,
        target=State.PREPARATION,
        conditions=[guards.ready_for_preparation, guards.no_consent_withdrawn],
        permission=can_facilitate,
    )
    def find_suitable(self):
        pass

    @transition(state, source=State.ASSESSMENT, target=State.CLOSED, permission=can_facilitate)
    def find_unsuitable(self):
        pass

    @transition(
        state,
        source=State.PREPARATION,
        target=State.CONFERENCING,
        conditions=[
            guards.activity_planned,
            guards.no_consent_withdrawn,
            guards.activity_invites_only_participants,
            guards.interpreters_confirmed,
        ],
        permission=can_facilitate,
    )
    def schedule_activity(self):
        pass

    @transition(state, source=State.CONFERENCING, target=State.PREPARATION, permission=can_facilitate)
    def cancel_activity(self):
        pass

    @transition(
        state,
        source=State.CONFERENCING,
        target=State.AGREEMENT,
        conditions=[guards.activity_took_place, guards.agreement_recorded, guards.no_consent_withdrawn],
        permission=can_facilitate,
    )
    def record_agreement(self):
        pass

    @transition(
        state,
        source=State.CONFERENCING,
        target=State.CLOSED,
        conditions=[guards.activity_took_place, guards.no_consent_withdrawn],
        permission=can_facilitate,
    )
    def conclude(self):
        pass

    @transition(
        state,
        source=State.AGREEMENT,
        target=State.CLOSED,
        conditions=[guards.every_action_resolved, guards.no_consent_withdrawn],
        permission=can_facilitate,
    )
    def complete(self):
        pass

    @transition(
        state,
        source=[State.REFERRAL, State.ASSESSMENT, State.PREPARATION, State.CONFERENCING, State.AGREEMENT],
        target=State.CLOSED,
        permission=can_withdraw,
    )
    def withdraw(self):
        pass

    @transition(state, source=State.CLOSED, target=State.ASSESSMENT, permission=can_manage)
    def reopen(self):
        pass

    # --- reads used by guards and pages --------------------------------------------------------------

    @property
    def is_closed(self) -> bool:
        return self.state == self.State.CLOSED

    @cached_property
    def incident_or_none(self):
        try:
            return self.incident
        except Incident.DoesNotExist:
            return None

    def activities_in_force(self):
        """The activities not cancelled or superseded, newest first: the first is ``current_activity``."""
        from conferences.models import Activity

        return self.activities.exclude(status__in=[Activity.Status.CANCELLED, Activity.Status.SUPERSEDED]).order_by(
            "-created_at", "-id"
        )

    @property
    def current_activity(self):
        """The activity now in force: the newest one not cancelled or superseded (read once on a page's case)."""
        activities = self.activities_in_force()
        invited = json_list(activities.model.invited.through.objects, "activity", "party_id")
        return first_held(self, "activity", activities, listed_invited=invited)

    @property
    def current_agreement(self):
        agreements = self.agreements.filter(superseded=False).order_by("-created_at", "-id")
        return first_held(self, "agreement", agreements, prefetch=("actions",))


POSTCODE_RE = re.compile(r"^(GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKMNP-RTUVWXY]? ?[0-9][ABD-HJLNP-UW-Z]{2})$")
validate_postcode = RegexValidator(POSTCODE_RE, "Enter a real UK postcode, like M32 0TH")
validate_crime_reference = RegexValidator(
    r"^[A-Z0-9]{2,5}/[0-9]{4,8}/[0-9]{2}$",
    "Enter the police crime reference as it appears on the record, like 06/123456/26",
)


def normalise_postcode(value: str) -> str:
    compact = re.sub(r"\s+", "", value or "").upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


class Incident(models.Model):
    """The hate incident a case is about: when, where, what kind, which strands."""

    class PerceivedBy(models.TextChoices):
        VICTIM = "victim", "The person harmed"
        WITNESS = "witness", "A witness"
        POLICE = "police", "A police officer or member of staff"
        OTHER = "other", "Someone else"

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="incident")
    occurred_from = models.DateTimeField()
    # False when only the day is known: occurred_from is then that day's midnight, shown as "time not recorded".
    occurred_time_known = models.BooleanField("time of the incident known", default=True)
    occurred_to = models.DateTimeField(null=True, blank=True)
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="incidents")
    place = models.CharField("place (in words)", max_length=limits.SHORT, blank=True)
    postcode = models.CharField(max_length=10, blank=True, validators=[validate_postcode])
    crime_type = models.ForeignKey(CrimeType, on_delete=models.PROTECT, related_name="incidents")
    crime_reference = models.CharField(
        "police crime reference", max_length=24, blank=True, validators=[validate_crime_reference], db_index=True
    )
    strands = models.ManyToManyField(HateStrand, related_name="incidents")
    perceived_by = models.CharField(max_length=12, choices=PerceivedBy.choices, default=PerceivedBy.VICTIM)
    # The Victims' Code clocks run from the report (rjcases.victims_code.clocks); empty when not recorded.
    reported_on = models.DateField("reported to the police or the reporting centre on", null=True, blank=True)
    reported_by = models.CharField("who reported it", max_length=20, choices=choices.REPORTED_BY_CHOICES, blank=True)
    summary = models.TextField(max_length=limits.SUMMARY)
    # A non-crime hate incident's recording duties (Home Office code of practice, PCSC Act 2022 s60): set on the
    # case's "Non-crime hate incident record" page (privacy.services.record_non_crime_duties).
    nchi_threshold_met = models.BooleanField("recording threshold met", null=True, blank=True)
    nchi_threshold_reason = models.TextField("why it was, or was not, met", blank=True, max_length=limits.SUMMARY)
    nchi_person_told = models.BooleanField("the person recorded has been told", null=True, blank=True)
    nchi_person_told_on = models.DateField("told on", null=True, blank=True)
    nchi_review_on = models.DateField("review date", null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[strands])

    class Meta:
        indexes = [models.Index(fields=["ward", "crime_type"]), models.Index(fields=["occurred_from"])]
        constraints = bounded_text("incident", summary=limits.SUMMARY, nchi_threshold_reason=limits.SUMMARY)

    def clean(self):
        if self.occurred_to and self.occurred_from and self.occurred_to < self.occurred_from:
            raise ValidationError({"occurred_to": "The end of the time range must be after its start."})
        if self.postcode:
            self.postcode = normalise_postcode(self.postcode)

    @property
    def is_crime(self) -> bool:
        return self.crime_type.is_crime


class Party(models.Model):
    """A person in a case: a person harmed, a person responsible, or a supporter of one of them."""

    class Role(models.TextChoices):
        HARMED = "harmed", "Person harmed"
        RESPONSIBLE = "responsible", "Person responsible"
        SUPPORTER = "supporter", "Supporter"

    class AgeBand(models.TextChoices):
        UNDER_18 = "under_18", "Under 18"
        AGE_18_24 = "18_24", "18 to 24"
        AGE_25_44 = "25_44", "25 to 44"
        AGE_45_64 = "45_64", "45 to 64"
        AGE_65_PLUS = "65_plus", "65 or over"
        UNKNOWN = "unknown", "Not known"

    class ContactMethod(models.TextChoices):
        PHONE = "phone", "Phone"
        TEXT = "text", "Text message"
        EMAIL = "email", "Email"
        LETTER = "letter", "Letter"
        IN_PERSON = "in_person", "In person"
        VIA_CASEWORKER = "via_caseworker", "Through their caseworker"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="parties")
    role = models.CharField(max_length=12, choices=Role.choices)
    supports = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="supporters")
    first_name = models.CharField(max_length=limits.NAME)
    last_name = models.CharField(max_length=limits.NAME, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    age_band = models.CharField(max_length=10, choices=AgeBand.choices, default=AgeBand.UNKNOWN)
    address = models.TextField(blank=True, max_length=limits.ADDRESS)
    postcode = models.CharField(max_length=10, blank=True, validators=[validate_postcode])
    phone = models.CharField(max_length=limits.PHONE, blank=True, validators=[validate_phone])
    email = models.EmailField(max_length=limits.EMAIL, blank=True)
    preferred_contact_method = models.CharField(max_length=16, choices=ContactMethod.choices, blank=True)
    safe_contact_times = models.CharField(max_length=limits.SHORT, blank=True)  # a note; the rule reads safe_times
    safe_times = models.JSONField(default=dict, blank=True, validators=[validate_safe_times])  # rjcases.safe_times
    no_messages = models.BooleanField("do not leave messages", default=False)
    asked_not_to_be_contacted = models.BooleanField(default=False)  # the contact clocks then do not apply
    language = models.CharField("preferred language", max_length=60, blank=True, default="English")
    interpreter_needed = models.BooleanField(default=False)
    interpreter_language = models.CharField(
        max_length=60, blank=True, help_text="For example Polish, Urdu or British Sign Language (BSL)"
    )
    bsl = models.BooleanField("uses British Sign Language (BSL)", default=False)  # rjcases.needs
    large_print = models.BooleanField(default=False)
    easy_read = models.BooleanField(default=False)
    other_adjustments = models.TextField(blank=True, max_length=limits.SUMMARY)
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supported_parties",
        help_text="The victim service caseworker supporting this person harmed",
    )
    participating = models.BooleanField(default=True)
    # Set by rjcases.services.record_no_longer_taking_part: when and why this person's part in the process ended.
    stopped_taking_part_on = models.DateField("no longer taking part since", null=True, blank=True)
    stopped_taking_part_reason = models.CharField("why they no longer take part", max_length=500, blank=True)
    # The name folded for search (rjcases.search.fold: case, accents, ł and ß ignored), set by save() from the
    # names; on PostgreSQL a trigram index serves it (migration 0018). Derived, so not in the history.
    search_name = models.TextField(blank=True, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["search_name"])

    class Meta:
        ordering = ["case", "role", "id"]
        verbose_name_plural = "parties"
        indexes = [models.Index(fields=["last_name", "first_name"])]
        constraints = bounded_text("party", address=limits.ADDRESS, other_adjustments=limits.SUMMARY)

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs):
        self.search_name = folded_name(self.first_name, self.last_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"first_name", "last_name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def current_assessment(self):
        cache = getattr(self, "_prefetched_objects_cache", {})
        if "assessments" in cache:
            items = sorted(cache["assessments"], key=lambda a: (a.assessed_on, a.id), reverse=True)
            return items[0] if items else None
        return self.assessments.order_by("-assessed_on", "-id").first()

    @property
    def has_active_consent(self) -> bool:
        cache = getattr(self, "_prefetched_objects_cache", {})
        if "consents" in cache:
            return any(c.purpose == Consent.Purpose.PARTICIPATE and c.is_active for c in cache["consents"])
        return self.consents.filter(purpose=Consent.Purpose.PARTICIPATE, withdrawn_on__isnull=True).exists()


class Consent(models.Model):
    """Written consent from one party for one purpose; withdrawal is recorded on it, never deleted."""

    class Purpose(models.TextChoices):
        PARTICIPATE = "participate", "To take part in restorative justice"
        SHARE_WITH_POLICE = "share_police", "To share information with the police"
        SHARE_WITH_PARTIES = "share_parties", "To share information with the other party"
        FEEDBACK = "feedback", "To be contacted for feedback"

    class Method(models.TextChoices):
        SIGNED_FORM = "signed_form", "Signed form"
        EMAIL = "email", "Email"
        RECORDED_VERBAL = "recorded_verbal", "Verbal, recorded by the facilitator"
        ONLINE = "online", "Online form"

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="consents")
    purpose = models.CharField(max_length=16, choices=Purpose.choices, default=Purpose.PARTICIPATE)
    wording_version = models.CharField(max_length=20, default="2026-1")
    wording_shown = models.TextField(blank=True, max_length=limits.NOTE)
    given_on = models.DateField()
    method = models.CharField(max_length=16, choices=Method.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True, max_length=limits.SUMMARY)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["party", "-given_on", "-id"]
        constraints = bounded_text("consent", wording_shown=limits.NOTE, withdrawal_reason=limits.SUMMARY)

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None


class Assessment(models.Model):
    """A suitability and risk assessment of one party by a facilitator; high risk needs a manager's sign-off."""

    class RiskLevel(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="assessments")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_on = models.DateField()
    acknowledges_facts = models.BooleanField("acknowledges the basic facts", null=True, blank=True)
    accepts_responsibility = models.BooleanField(null=True, blank=True)
    willing = models.BooleanField("willing to take part", default=True)
    risk_factors = models.TextField(blank=True, max_length=limits.NOTE)
    risk_level = models.CharField(max_length=8, choices=RiskLevel.choices)
    mitigations = models.TextField(blank=True, max_length=limits.NOTE)
    # When the risk is to be looked at again: the facilitator's dashboard lists it once it is due.
    review_on = models.DateField("risk review date", null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    sign_off_note = models.TextField(blank=True, max_length=limits.SUMMARY)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["party", "-assessed_on", "-id"]
        constraints = bounded_text(
            "assessment", risk_factors=limits.NOTE, mitigations=limits.NOTE, sign_off_note=limits.SUMMARY
        )


class CaseTransition(ChainedRow):
    """One move of a case through the workflow: who, when, from, to, why. Written only by the service; append-only
    and hash-chained (``audit.chain``)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="transitions")
    name = models.CharField(max_length=32)
    source = models.CharField(max_length=20)
    target = models.CharField(max_length=20)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True, max_length=limits.NOTE)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        # (name, case): the insights read "the cases that were ever accepted / declined" from this index alone.
        indexes = [
            models.Index(fields=["case", "at"]),
            models.Index(fields=["target", "at"]),
            models.Index(fields=["name", "case"]),
        ]
        constraints = bounded_text("transition", reason=limits.NOTE)


class Note(models.Model):
    """A case note written by a person: the narrative layer of the audit trail."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=limits.NOTE)
    # The caseworkers the facilitator chose to share it with (rjcases.services.notes); each choice is historied.
    shared_with = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="notes_shared_with_them")
    # Read only by the code before ``shared_with`` (migration 0008 copied it there); dropped in the next release.
    shared_with_caseworker = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(m2m_fields=[shared_with])

    class Meta:
        ordering = ["created_at", "id"]
        constraints = bounded_text("note", body=limits.NOTE)


class ContactAttempt(models.Model):
    """An attempt to contact a party, whether or not it reached them."""

    class Method(models.TextChoices):
        PHONE = "phone", "Phone"
        TEXT = "text", "Text message"
        EMAIL = "email", "Email"
        LETTER = "letter", "Letter"
        VISIT = "visit", "Visit"
        VIA_CASEWORKER = "via_caseworker", "Through their caseworker"

    class Result(models.TextChoices):
        REACHED = "reached", "Spoke to them"
        NO_ANSWER = "no_answer", "No answer"
        MESSAGE_LEFT = "message_left", "Left a message"
        SENT = "sent", "Sent"
        REFUSED = "refused", "Did not want contact"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="contacts")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, null=True, blank=True, related_name="contacts")
    at = models.DateTimeField(default=timezone.now)
    # False when only the day is known: ``at`` is then that day's midnight, shown as "time not recorded".
    time_known = models.BooleanField(default=True)
    method = models.CharField(max_length=16, choices=Method.choices)
    result = models.CharField(max_length=16, choices=Result.choices)
    rj_information_given = models.BooleanField("told about restorative justice", default=False)
    # Why a call or visit was made outside the person's safe times (the facilitator's confirmation).
    outside_safe_times_reason = models.CharField(
        "why contact was made outside their safe times", max_length=500, blank=True
    )
    notes = models.TextField(blank=True, max_length=limits.NOTE)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = moment_order()
        constraints = bounded_text("contact", notes=limits.NOTE)


from rjcases.supervision import Supervision  # noqa: E402, F401  (case supervision: the rjcases app's)
from rjcases.victims_code.models import Complaint  # noqa: E402, F401  (complaints, Right 12: the rjcases app's)
