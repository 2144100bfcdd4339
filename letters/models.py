"""Letters the service sends: the wording managers edit, the service's letterhead, and every letter generated,
kept as a stored, versioned file."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from letters.languages import ENGLISH, language_choices, language_name
from letters.storage import select_letter_storage
from rjcases import limits


class LetterKind(models.TextChoices):
    """The kinds of letter. The values are a contract: other apps and the tests name them."""

    REFERRAL_ACKNOWLEDGEMENT = "referral_acknowledgement", "Referral acknowledgement"
    RJ_INFORMATION = "rj_information", "Restorative justice information"
    INVITATION = "invitation", "Invitation to take part"
    ACTIVITY_CONFIRMATION = "activity_confirmation", "Activity confirmation"
    OUTCOME_AGREEMENT = "outcome_agreement", "Outcome agreement"
    CLOSURE = "closure", "Closure"
    NOT_SUITABLE = "not_suitable", "Not suitable"
    WITHDRAWAL = "withdrawal", "Withdrawal"


class Variant(models.TextChoices):
    """A second wording of one kind: the referral acknowledgement differs on accept and on decline."""

    NONE = "", "Only wording"
    ACCEPT = "accept", "Referral accepted"
    DECLINE = "decline", "Referral declined"


class WordingFormat(models.TextChoices):
    STANDARD = "standard", "Standard"
    EASY_READ = "easy_read", "Easy read"


class LetterFormat(models.TextChoices):
    """The format a letter is produced in, chosen from the recipient's communication needs."""

    STANDARD = "standard", "Standard"
    LARGE_PRINT = "large_print", "Large print"
    EASY_READ = "easy_read", "Easy read"


class Letterhead(models.Model):
    """The default letterhead (one row): what a partnership's letters print where the partnership
    (``accounts.Partnership``: the RJ service's name, address, phone and email) records nothing, and the website and
    signature title every partnership's letters share. ``for_partnership`` gives the letterhead a case's letters
    carry."""

    name = models.CharField("service name", max_length=200)
    address = models.TextField(help_text="One line of the address per line", max_length=limits.ADDRESS)
    phone = models.CharField(max_length=40, blank=True, validators=[limits.validate_phone])
    email = models.EmailField(blank=True)
    website = models.CharField(max_length=200, blank=True)
    signatory_title = models.CharField(
        "signature title",
        max_length=120,
        default="Restorative justice facilitator",
        help_text="Printed under the facilitator's name when their own job title is not recorded",
    )
    history = HistoricalRecords()

    class Meta:
        constraints = limits.bounded_text("letterhead", address=limits.ADDRESS)

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> "Letterhead":
        """The letterhead in force; created with the service's name and demonstration details on first use."""
        letterhead = cls.objects.order_by("pk").first()
        if letterhead is None:
            letterhead = cls(
                name=settings.SERVICE_NAME,
                address="Restorative Justice Team\nExample House, 1 Example Street\nStretford\nM32 0XX",
                phone="0161 496 0000",
                email="rj-service@example.org",
            )
            letterhead.save()
        return letterhead

    @classmethod
    def for_partnership(cls, partnership) -> "Letterhead":
        """The letterhead of ``partnership``'s letters (not stored): its service's name and contact details, each
        from the default letterhead where the partnership has none. The default letterhead itself without one."""
        default = cls.current()
        if partnership is None:
            return default
        return cls(
            name=partnership.service_name or default.name,
            address=partnership.address or default.address,
            phone=partnership.phone or default.phone,
            email=partnership.email or default.email,
            website=default.website,
            signatory_title=default.signatory_title,
        )

    @property
    def address_lines(self) -> list[str]:
        return [line.strip() for line in self.address.splitlines() if line.strip()]


class LetterTemplate(models.Model):
    """The wording of one kind of letter (and variant, and standard or easy read, and language), with placeholders:
    a partnership's own (``partnership`` set), or the default wording every partnership without its own uses
    (``partnership`` empty: the wording the service had before partnerships, and the shipped wording).

    Managers edit their partnership's wording in the interface (editing the default makes their partnership's own
    copy); each saved edit raises ``version`` and is kept in the history, and every letter records the version it
    was made from. Wording is plain text: it is escaped like user text.
    """

    partnership = models.ForeignKey(
        "accounts.Partnership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letter_templates",
        help_text="Whose wording this is; empty for the default wording of every partnership without its own.",
    )
    kind = models.CharField(max_length=32, choices=LetterKind.choices)
    variant = models.CharField(max_length=12, choices=Variant.choices, blank=True, default="")
    format = models.CharField(max_length=12, choices=WordingFormat.choices, default=WordingFormat.STANDARD)
    language = models.CharField(max_length=8, choices=language_choices(), default=ENGLISH)
    subject = models.CharField(max_length=200)
    body = models.TextField(
        help_text="Paragraphs separated by a blank line. A line starting with '- ' is a bullet point.",
        max_length=limits.NOTE,
    )
    closing = models.CharField(max_length=100, default="Yours sincerely,")
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "variant", "format", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "variant", "format", "language"],
                condition=models.Q(partnership__isnull=True),
                name="one_default_template_per_kind_variant_format_language",
            ),
            models.UniqueConstraint(
                fields=["partnership", "kind", "variant", "format", "language"],
                condition=models.Q(partnership__isnull=False),
                name="one_template_per_partnership_kind_variant_format_language",
            ),
            *limits.bounded_text("letter_template", body=limits.NOTE),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        parts = [LetterKind(self.kind).label]
        if self.variant:
            parts.append(f"({Variant(self.variant).label.lower()})")
        if self.format == WordingFormat.EASY_READ:
            parts.append("– easy read")
        if self.language != ENGLISH:
            parts.append(f"– {language_name(self.language)}")
        return " ".join(parts)

    @property
    def language_name(self) -> str:
        return language_name(self.language)

    @property
    def whose(self) -> str:
        """Whose wording this is, for the pages that list and edit it."""
        return f"{self.partnership.name}'s own" if self.partnership_id else "Default"

    def english_wording(self) -> tuple[str, str, str] | None:
        """The English wording of the same letter (the partnership's own, else the default in force, else as
        shipped), which a translation is held to."""
        from letters.wording import default_wording, letter_keys

        found = (
            LetterTemplate.objects.filter(kind=self.kind, variant=self.variant, format=self.format, language=ENGLISH)
            .filter(models.Q(partnership__isnull=True) | models.Q(partnership_id=self.partnership_id))
            .order_by(models.F("partnership_id").asc(nulls_last=True))
            .values_list("subject", "body", "closing")
            .first()
        )
        if found is None and (self.kind, self.variant, self.format) in letter_keys():
            shipped = default_wording(self.kind, self.variant, self.format)
            found = (shipped.subject, shipped.body, shipped.closing)
        return found

    def clean(self):
        from letters.wording import template_problems

        problems = template_problems(
            self.kind,
            subject=self.subject,
            body=self.body,
            closing=self.closing,
            language=self.language,
            english=self.english_wording() if self.language != ENGLISH else None,
        )
        if problems:
            raise ValidationError(problems)


class LetterQuerySet(models.QuerySet):
    def latest_versions(self) -> "LetterQuerySet":
        """Only the newest version of each (case, kind, recipient)."""
        newer = Letter.objects.filter(
            case_id=models.OuterRef("case_id"),
            kind=models.OuterRef("kind"),
            recipient_key=models.OuterRef("recipient_key"),
            version__gt=models.OuterRef("version"),
        )
        return self.exclude(models.Exists(newer))


class Letter(models.Model):
    """One generated letter: the stored PDF, its checksum, and what it was made from, for whom and by whom.

    A letter is never overwritten: regenerating makes the next ``version`` for the same case, kind and
    recipient. ``content`` keeps the exact text rendered, from which the accessible HTML version is built.

    The row is made inside the move's transaction; its PDF is written after that commits (``letters.files``),
    so ``file_status`` says whether the file is there yet. The fields the file gives (``file``, ``sha256``,
    ``size``, ``pages``, ``file_written_at``) are blank until it is written.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENT = "sent", "Sent"
        SUPERSEDED = "superseded", "Replaced by a newer version"

    class Translation(models.TextChoices):
        """How a letter held for translation was let go to the print run."""

        NOT_RESOLVED = "", "Waiting for a translation"
        COPY_ATTACHED = "copy_attached", "Translated copy attached"
        SEND_IN_ENGLISH = "send_in_english", "Sending in English confirmed"

    class FileStatus(models.TextChoices):
        PENDING = "pending", "Being written"
        WRITTEN = "written", "Written"
        FAILED = "failed", "Could not be written"
        REMOVED = "removed", "Removed when the case was anonymised"

    REFERRER = "referrer"

    case = models.ForeignKey("rjcases.Case", on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(max_length=32, choices=LetterKind.choices)
    variant = models.CharField(max_length=12, choices=Variant.choices, blank=True, default="")
    # "referrer", or "party-<id>": one key per recipient, so versions count per recipient.
    recipient_key = models.CharField(max_length=24)
    party = models.ForeignKey("rjcases.Party", on_delete=models.PROTECT, null=True, blank=True, related_name="letters")
    recipient_name = models.CharField(max_length=200)
    format = models.CharField(max_length=12, choices=LetterFormat.choices, default=LetterFormat.STANDARD)
    language = models.CharField(max_length=8, default=ENGLISH, help_text="The language the letter is written in")
    # The recipient's language when the service had no wording in it (the letter is then in English): "Polish".
    translation_needed = models.CharField(max_length=60, blank=True)
    translation = models.CharField(max_length=16, choices=Translation.choices, blank=True, default="")
    translation_resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    translation_resolved_at = models.DateTimeField(null=True, blank=True)
    template = models.ForeignKey(LetterTemplate, on_delete=models.PROTECT, related_name="letters")
    template_version = models.PositiveIntegerField()
    version = models.PositiveIntegerField(default=1)
    file_status = models.CharField(max_length=8, choices=FileStatus.choices, default=FileStatus.PENDING)
    file_error = models.TextField(blank=True, help_text="Why the file could not be written, the last time it was tried")
    file = models.FileField(upload_to="letters/%Y/%m/", max_length=200, blank=True, storage=select_letter_storage)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    # Set by the one UPDATE that marks the file written (no history row of its own: later ones copy it).
    file_written_at = models.DateTimeField("file written at", null=True, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    pages = models.PositiveSmallIntegerField(null=True, blank=True)
    content = models.JSONField(default=dict)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    generated_at = models.DateTimeField(default=timezone.now, db_index=True)
    transition = models.ForeignKey(
        "rjcases.CaseTransition", on_delete=models.PROTECT, null=True, blank=True, related_name="letters"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["content"])

    objects = LetterQuerySet.as_manager()

    class Meta:
        ordering = ["-generated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind", "recipient_key", "version"], name="one_letter_per_version")
        ]
        indexes = [models.Index(fields=["status", "generated_at"]), models.Index(fields=["case", "generated_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient_name} (version {self.version})"

    @property
    def to_referrer(self) -> bool:
        return self.recipient_key == self.REFERRER

    @property
    def recipient_role(self) -> str:
        """Whom the letter is for, by role ("the person harmed", "the referrer"): names a letter in a list without
        repeating the recipient's name."""
        if self.to_referrer or self.party is None:
            return "the referrer"
        return f"the {self.party.get_role_display().lower()}"

    @property
    def link_name(self) -> str:
        """ "Closure, to the person harmed": a letter's name in a list of links, by kind and recipient's role."""
        return f"{self.get_kind_display()}, to {self.recipient_role}"

    @property
    def download_name(self) -> str:
        return f"{self.case.reference}-{self.kind.replace('_', '-')}-v{self.version}.pdf"

    @property
    def file_written(self) -> bool:
        return self.file_status == self.FileStatus.WRITTEN

    @property
    def file_problem(self) -> str:
        """Why the letter cannot be printed or opened yet, in words for the page; empty once its file is written."""
        if self.file_status == self.FileStatus.REMOVED:
            return "Its file and its text were removed when the case was anonymised."
        if self.file_status == self.FileStatus.FAILED:
            return "Its file could not be written. Try again, or regenerate the letter."
        if self.file_status == self.FileStatus.PENDING:
            return "It is still being prepared. Refresh the page in a moment, or try again."
        return ""

    @property
    def held_for_translation(self) -> bool:
        """Written in English for someone whose language it is not, and nobody has yet attached a translated copy
        or confirmed sending it in English: the print run holds it."""
        return bool(self.translation_needed) and not self.translation

    @property
    def printable(self) -> bool:
        return self.file_written and not self.held_for_translation

    @property
    def language_name(self) -> str:
        return language_name(self.language)

    @property
    def has_postal_address(self) -> bool:
        return bool(self.content.get("has_postal_address"))


def validate_https(value: str) -> None:
    """A link the partnership hosts, over HTTPS only: a letter must never send someone to an unencrypted page."""
    if not (value or "").lower().startswith("https://"):
        raise ValidationError("Enter a link that starts with https://")


class BslVideo(models.Model):
    """A British Sign Language video explaining one kind of letter, or the reporting-centre survey: a link (HTTPS
    only) to a video the partnership hosts. A letter of that kind to a person who uses BSL prints the link and a QR
    code to it, and its accessible version links to it (``letters.bsl``). Managers set it, with history."""

    CENTRE_SURVEY = "centre_survey"
    SUBJECTS = [*LetterKind.choices, (CENTRE_SURVEY, "Reporting-centre survey")]

    subject = models.CharField(max_length=32, choices=SUBJECTS, unique=True)
    url = models.URLField("video link", max_length=500, validators=[validate_https])
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["subject"]
        verbose_name = "BSL video"

    def __str__(self) -> str:
        return f"BSL video: {self.get_subject_display()}"
