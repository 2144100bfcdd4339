from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from simple_history.models import HistoricalRecords

from audit.chain import AppendOnly, ChainedQuerySet, ChainedRow


class Organisation(models.Model):
    """A partner organisation: the RJ service, a police force or division, a victim service, a reporting centre."""

    class Kind(models.TextChoices):
        RJ_SERVICE = "rj_service", "RJ service"
        POLICE = "police", "Police force or division"
        VICTIM_SERVICE = "victim_service", "Victim service"
        REPORTING_CENTRE = "reporting_centre", "Third-party reporting centre"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    # The limits of rjcases.limits (ADDRESS 500), written out: accounts sits below rjcases in the layers.
    address = models.TextField(blank=True, max_length=500)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("address"), 500),
                name="organisation_address_length",
                violation_error_message="Address must be 500 characters or fewer",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Partnership(models.Model):
    """A community safety partnership (one borough): its RJ service, wards, staff and cases are its own.

    One installation serves several; every case belongs to exactly one (``rjcases.Case.partnership``), every ward
    to one (``rjcases.Ward.partnership``), and staff belong to the partnerships they work for
    (``User.partnerships``). Managers, facilitators and a partnership's administrators see and act only within
    theirs; the regional lead sees every partnership's figures and no case."""

    name = models.CharField(max_length=200, unique=True)
    code = models.SlugField(max_length=40, unique=True, help_text="Short code partner systems send, like trafford.")
    area = models.CharField(max_length=200, blank=True, help_text="The area it covers, like Trafford (borough).")
    service_name = models.CharField("the RJ service's name", max_length=200)
    # The limits of rjcases.limits (ADDRESS 500), written out: accounts sits below rjcases in the layers.
    address = models.TextField(blank=True, max_length=500)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("address"), 500),
                name="partnership_address_length",
                violation_error_message="Address must be 500 characters or fewer",
            )
        ]

    def __str__(self) -> str:
        return self.name


# The partnership every installation starts with (the migration gives it every case, ward and staff member
# there was before partnerships existed); new partnerships copy its letter wording and letterhead.
DEFAULT_PARTNERSHIP_CODE = "trafford"


class User(AbstractUser):
    """A person who signs in. Their role is their Group; their organisation and partnerships scope what they see."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    partnerships = models.ManyToManyField(
        Partnership,
        blank=True,
        related_name="members",
        help_text="The partnerships this person works for: managers, facilitators and administrators see and act "
        "only within them; referrers refer into them.",
    )
    job_title = models.CharField(max_length=120, blank=True)
    # A facilitator's next leave or availability, in their words ("On leave 14 to 18 December"): shown beside their
    # caseload when a manager allocates. Historied with the rest of the profile.
    availability_note = models.CharField("next leave or availability", max_length=200, blank=True)
    # When this person last opened their dashboard ("new to you since your last visit"): a bookmark, not a record,
    # so it is left out of the profile's history (accounts.apps) and written with a plain update.
    dashboard_seen_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set by fixtures/demo_users only: such an account, whose password is published, never signs in with debug off.
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def role_names(self) -> frozenset[str]:
        """The user's role (group) names, read once per user object."""
        cached = self.__dict__.get("_role_names")
        if cached is None:
            if self.pk is None:
                cached = frozenset()
            elif "groups" in getattr(self, "_prefetched_objects_cache", {}):
                cached = frozenset(g.name for g in self.groups.all())
            else:
                cached = frozenset(self.groups.values_list("name", flat=True))
            self.__dict__["_role_names"] = cached
        return cached

    @property
    def partnership_ids(self) -> frozenset[int]:
        """The keys of the partnerships this user belongs to, read once per user object."""
        return frozenset(self._partnership_services)

    @property
    def partnership_service_names(self) -> frozenset[str]:
        """The RJ services' names of this user's partnerships (read with their keys, in the same query): the name
        the pages show a member of staff of one partnership."""
        return frozenset(self._partnership_services.values())

    @property
    def _partnership_services(self) -> dict[int, str]:
        # Kept under the name the keys alone were cached by, which code and tests clear to read them afresh.
        cached = self.__dict__.get("_partnership_ids")
        if cached is None:
            if self.pk is None:
                cached = {}
            elif "partnerships" in getattr(self, "_prefetched_objects_cache", {}):
                cached = {p.pk: p.service_name for p in self.partnerships.all()}
            else:
                cached = dict(self.partnerships.values_list("pk", "service_name"))
            self.__dict__["_partnership_ids"] = cached
        return cached


class SecurityLogIsAppendOnly(AppendOnly):
    """Raised on any attempt to change or delete a security log row."""


class SecurityEventQuerySet(ChainedQuerySet):
    """Rows are added, never changed or removed: bulk changes and bulk deletes are refused."""

    refusal = SecurityLogIsAppendOnly


class SecurityEvent(ChainedRow):
    """One privileged act in the security log: who did what to whom, when and why. Append-only and hash-chained
    (``audit.chain``): the model and its queryset refuse changes and deletions, and on PostgreSQL a trigger
    refuses UPDATE and DELETE.

    Written only by ``accounts.services.record_security_event``; managers and administrators read it."""

    class Action(models.TextChoices):
        ROLE_GRANTED = "role_granted", "Role granted"
        ROLE_REMOVED = "role_removed", "Role removed"
        SUPERUSER_CHANGED = "superuser_changed", "Superuser status changed"
        STAFF_CHANGED = "staff_changed", "Administration access changed"
        PERMISSION_CHANGED = "permission_changed", "Individual permissions changed"
        SECOND_FACTOR_RESET = "second_factor_reset", "Second factor reset"
        BACKUP_CODE_USED = "backup_code_used", "Backup code used (authenticator to be set up again)"
        ENROLMENT_CODE_ISSUED = "enrolment_code_issued", "Enrolment code issued"
        PASSWORD_RESET_LINK_ISSUED = "password_reset_link_issued", "Password reset link issued"
        ACCOUNT_UNLOCKED = "account_unlocked", "Account unlocked"
        SIGNIN_LOCKED = "signin_locked", "Sign-in locked after failed attempts"
        SIGNIN_LOCK_ENDED = "signin_lock_ended", "Sign-in lock ended by a password change"
        USER_ORGANISATION_CHANGED = "user_organisation_changed", "User's organisation changed"
        ORGANISATION_ADDED = "organisation_added", "Organisation added"
        ORGANISATION_CHANGED = "organisation_changed", "Organisation changed"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who did it; empty when done by the system or a command run outside the service.",
    )
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=40, choices=Action.choices, db_index=True)
    subject_user = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    subject_type = models.CharField(max_length=100, blank=True)
    subject_id = models.CharField(max_length=40, blank=True)
    subject_name = models.CharField(max_length=200, blank=True)
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["subject_user", "at"])]

    def __str__(self) -> str:
        who = self.actor_name or "system"
        return f"{self.at:%Y-%m-%d %H:%M} {who}: {self.get_action_display()} {self.subject_name}".strip()

    def refuse(self, message: str) -> Exception:
        return SecurityLogIsAppendOnly(message)


class EnrolmentCode(models.Model):
    """A one-time code an administrator issues so that a user may set up an authenticator app.

    Without one, a password alone would be enough to enrol a thief's own app. Only the code's SHA-256 is
    stored (the administrator sees the code once); it is single use and expires after 72 hours.
    """

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="enrolment_codes")
    token_hash = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when issued on the server (manage.py issue_enrolment_code).",
    )
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"Enrolment code for {self.user} issued {self.issued_at:%d %b %Y %H:%M}"
