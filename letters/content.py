"""What a letter says, for one recipient: their own address, and the facts its wording may use.

This is where the safety rule is enforced by construction. The facts handed to a letter are plain strings,
built here from the case; the only contact details among them are the recipient's own. Other people appear
by name only (and the referrer's letters name no party at all). Free text typed by staff (a venue, an
action) is also cleared of every other party's phone, email, postcode and address before it is used, in case
someone typed them there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.models import User
from letters.languages import (
    ENGLISH,
    Wanted,
    direction,
    html_lang,
    label,
    month_name,
    phrase,
    wanted_language,
    weekday_name,
)
from letters.models import LetterFormat, Letterhead, LetterKind, LetterTemplate, Variant, WordingFormat
from letters.wording import REFERRER_KINDS, Block, fill_body, fill_text
from rjcases.exceptions import Refused
from rjcases.models import Case, Party
from rjcases.needs import uses_bsl

REDACTED = "[removed]"
PARTY_ROLES = (Party.Role.HARMED, Party.Role.RESPONSIBLE)

OUTCOME_WORDS: dict[str, str] = {
    Case.Outcome.REFERRAL_DECLINED: "The referral was declined, so the service did not work on this case.",
    Case.Outcome.NOT_SUITABLE: "After careful assessment, restorative justice was not found to be suitable in "
    "this case.",
    Case.Outcome.NO_AGREEMENT_NEEDED: "The restorative activity took place. No written agreement was needed.",
    Case.Outcome.NO_AGREEMENT_REACHED: "The restorative activity took place, but no agreement was reached.",
    Case.Outcome.AGREEMENT_FULFILLED: "The restorative activity took place, an agreement was made, and "
    "everything that was agreed has been done.",
    Case.Outcome.AGREEMENT_PARTLY_FULFILLED: "The restorative activity took place and an agreement was made. "
    "Some of what was agreed has been done, but not all of it.",
    Case.Outcome.AGREEMENT_BREACHED: "The restorative activity took place and an agreement was made, but what "
    "was agreed was not done.",
    Case.Outcome.WITHDRAWN: "The restorative process stopped because someone decided not to continue. Taking "
    "part is always voluntary.",
}

ROLE_WORDS = {
    Party.Role.HARMED: "person harmed",
    Party.Role.RESPONSIBLE: "person responsible",
    Party.Role.SUPPORTER: "supporter",
}


ACTION_LINE = "{what}: {who}, by {due}. How it will be checked: {how}"


class LetterRefused(Refused):
    """A letter that cannot be made, with the reason in words a user understands."""


# ---------------------------------------------------------------------------------------------------
# Recipients


@dataclass(frozen=True)
class Recipient:
    """Who a letter is to, with their own name and postal address and nothing else of anyone's."""

    key: str
    name: str
    first_name: str
    address_lines: tuple[str, ...]
    has_postal_address: bool
    party_id: int | None = None
    role: str = "referrer"
    default_format: str = LetterFormat.STANDARD
    label: str = ""
    bsl: bool = False  # they use British Sign Language: their letters carry the kind's BSL video (letters.bsl)
    # The language their letters are wanted in, read from the person's recorded language (the referrer: English).
    wanted: Wanted = Wanted(ENGLISH, "English")

    @property
    def is_referrer(self) -> bool:
        return self.party_id is None


def party_key(party_id: int) -> str:
    return f"party-{party_id}"


def _split_lines(text: str) -> list[str]:
    return [line.strip() for line in re.split(r"[\n\r]+", text or "") if line.strip()]


def case_parties(case: Case) -> list[Party]:
    """The case's parties, read once per case object: a letter looks at them several times."""
    if "_letters_parties" not in case.__dict__:
        # Ordered here: the model's default ordering ("case", ...) would join the case table again.
        case.__dict__["_letters_parties"] = list(Party.objects.filter(case_id=case.pk).order_by("role", "id"))
    return case.__dict__["_letters_parties"]


def format_for(party: Party) -> str:
    """The format a party's letters are made in, from their communication needs (easy read is also large)."""
    if party.easy_read:
        return LetterFormat.EASY_READ
    if party.large_print:
        return LetterFormat.LARGE_PRINT
    return LetterFormat.STANDARD


def party_recipient(party: Party) -> Recipient:
    lines = _split_lines(party.address)
    if party.postcode and party.postcode.replace(" ", "").upper() not in " ".join(lines).replace(" ", "").upper():
        lines.append(party.postcode)
    role = ROLE_WORDS.get(party.role, party.role)
    return Recipient(
        key=party_key(party.pk),
        name=party.display_name,
        first_name=party.first_name,
        address_lines=tuple(lines),
        has_postal_address=bool(lines),
        party_id=party.pk,
        role=party.role,
        default_format=format_for(party),
        label=f"{party.display_name} ({role})",
        bsl=uses_bsl(party),
        wanted=wanted_language(party.language),
    )


# A case read with this annotation (``referred_by_staff()``) already knows whether its referring user is staff.
REFERRED_BY_STAFF = "_letters_referred_by_staff"
STAFF_ROLES = (roles.FACILITATOR, roles.MANAGER)


def referred_by_staff() -> Exists:
    """Whether the case's referring user has a staff role (facilitator or manager), as an annotation of a case
    query: their roles are then not read in a query of their own."""
    return Exists(User.groups.through.objects.filter(user_id=OuterRef("referred_by_id"), group__name__in=STAFF_ROLES))


def _is_staff(case: Case, user) -> bool:
    """``roles.is_facilitator(user) or roles.is_manager(user)``, from the case's annotation when it has one."""
    known = case.__dict__.get(REFERRED_BY_STAFF)
    if known is None:
        return roles.is_facilitator(user) or roles.is_manager(user)
    return bool(known) and user.is_active  # what roles.has_role asks besides the role (a User is authenticated)


def referrer_recipient(case: Case) -> Recipient | None:
    """The person or organisation that referred the case; none for a referral made by the service's own staff
    with no referrer named."""
    user = case.referred_by
    internal = user is not None and _is_staff(case, user)
    named = case.referrer_name.strip()
    if user is not None and named == (user.get_full_name() or user.username):
        named = ""  # the intake fills in the referring user's own name: nobody else was named
    name = named or (user.get_full_name() if user and not internal else "")
    organisation = case.referring_organisation or (user.organisation if user and not internal else None)
    if not name and organisation is None:
        return None
    lines: list[str] = []
    if user and not internal and user.job_title and not named:
        lines.append(user.job_title)
    if organisation is not None:
        lines.append(organisation.name)
        postal = _split_lines(organisation.address)
        lines.extend(postal)
    else:
        postal = []
    name = name or (organisation.name if organisation else "")
    if organisation is not None and name == organisation.name:
        lines = lines[1:]
    return Recipient(
        key="referrer",
        name=name,
        first_name=name.split(" ")[0],
        address_lines=tuple(lines),
        has_postal_address=bool(postal),
        label=f"{name} (referrer)",
    )


def recipients_for(case: Case) -> list[Recipient]:
    """Everyone a letter on this case may be addressed to: the referrer, then each party."""
    found = []
    referrer = referrer_recipient(case)
    if referrer is not None:
        found.append(referrer)
    found.extend(party_recipient(p) for p in case_parties(case))
    return found


def recipient_for(case: Case, key: str) -> Recipient:
    """The recipient named by ``key`` ("referrer" or "party-<id>"), who must belong to this case."""
    if key == "referrer":
        found = referrer_recipient(case)
    else:
        found = next((party_recipient(p) for p in case_parties(case) if party_key(p.pk) == key), None)
    if found is None:
        raise LetterRefused("Choose someone on this case to write to.")
    return found


# ---------------------------------------------------------------------------------------------------
# Redaction of other people's contact details from free text


def _phone_pattern(phone: str) -> str | None:
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) < 6:
        return None
    if digits.startswith("44"):
        digits = digits[2:]
    if digits.startswith("0"):
        digits = digits[1:]
    # The same number however it is spaced, with 0, 44 or +44 in front.
    return r"(?:\+?44[\s\-().]*|0[\s\-().]*)?" + r"[\s\-().]*".join(re.escape(d) for d in digits)


def forbidden_patterns(parties: list[Party]) -> list[re.Pattern]:
    """Patterns matching these parties' phone numbers, emails, postcodes and address lines."""
    patterns: list[str] = []
    for party in parties:
        if party.email:
            patterns.append(re.escape(party.email))
        phone = _phone_pattern(party.phone)
        if phone:
            patterns.append(phone)
        if party.postcode:
            compact = party.postcode.replace(" ", "")
            patterns.append(r"\s*".join(re.escape(c) for c in compact))
        address = " ".join(_split_lines(party.address))
        if address:
            patterns.append(r"\s*".join(re.escape(word) for word in address.split()))
        for line in _split_lines(party.address):
            for piece in [line, *[p.strip() for p in line.split(",")]]:
                # A house-number line or a long line is specific to the person; a town name alone is not.
                if len(piece) >= 12 or re.search(r"\d", piece):
                    patterns.append(r"\s*".join(re.escape(word) for word in piece.split()))
    patterns = sorted(set(patterns), key=len, reverse=True)
    return [re.compile(p, re.IGNORECASE) for p in patterns]


def redact(text: str, patterns: list[re.Pattern]) -> str:
    for pattern in patterns:
        text = pattern.sub(REDACTED, text)
    return text


# ---------------------------------------------------------------------------------------------------
# The facts a letter's wording may use


def long_date(day: date | datetime | None, language: str = ENGLISH) -> str:
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    month = month_name(language, day.month)
    return f"{day.day} {month} {day.year}" if month else f"{day.day} {day:%B %Y}"


def _weekday(day: datetime, language: str) -> str:
    return weekday_name(language, day.weekday()) or f"{day:%A}"


def _time(moment: datetime) -> str:
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    hour = local.hour % 12 or 12
    return f"{hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


def current_activity(case: Case):
    """The case's activity in force, read once per case object (a letter asks more than once)."""
    if "_letters_activity" not in case.__dict__:
        # With the facilitators the letter names, in the same query.
        activity = case.activities_in_force().select_related("lead_facilitator", "co_facilitator").first()
        case.__dict__["_letters_activity"] = activity
    return case.__dict__["_letters_activity"]


def current_agreement(case: Case):
    if "_letters_agreement" not in case.__dict__:
        case.__dict__["_letters_agreement"] = case.current_agreement
    return case.__dict__["_letters_agreement"]


def _facilitator_name(case: Case, language: str = ENGLISH) -> str:
    return case.facilitator.get_full_name() if case.facilitator else phrase(language, "The restorative justice team")


def _other_parties(case: Case, recipient: Recipient) -> list[Party]:
    return [p for p in case_parties(case) if p.pk != recipient.party_id]


def activity_participants(case: Case, activity) -> list[Party]:
    """Who is invited to the activity: those named on it, or else every participating party."""
    invited = _invited(case, activity) if activity is not None else []
    if invited:
        return invited
    return [p for p in case_parties(case) if p.participating]


def _invited(case: Case, activity) -> list[Party]:
    """The parties named on the activity, in the case's order: only their keys are read, the parties themselves are
    the case's, read already (``case_parties``)."""
    keys = set(activity.invited.through.objects.filter(activity_id=activity.pk).values_list("party_id", flat=True))
    if not keys:
        return []
    invited = [p for p in case_parties(case) if p.pk in keys]
    if len(invited) < len(keys):  # someone named who is not a party to this case (not expected): read them all
        return list(activity.invited.all())
    return invited


def agreement_signatories(case: Case, agreement) -> list[Party]:
    """Who signed the agreement: those recorded, or else every participating person harmed or responsible."""
    signed = list(agreement.signatories.all()) if agreement is not None else []
    if signed:
        return signed
    return [p for p in case_parties(case) if p.participating and p.role in PARTY_ROLES]


def interpreter_facts(activity, recipient: Recipient) -> dict[str, str]:
    """The interpreter placeholders of an activity confirmation, from the activity's confirmed bookings
    (``conferences.models.InterpreterBooking``): the recipient's own booking in full (its language and who was
    booked); of anyone else's only that an interpreter will be there. Without any booking recorded, the activity's
    own "interpreter booked" note (plans made before bookings were recorded)."""
    if "_letters_bookings" not in activity.__dict__:  # read once per activity: each recipient's letter asks
        activity.__dict__["_letters_bookings"] = [b for b in activity.interpreter_bookings.all() if b.confirmed]
    bookings = activity.__dict__["_letters_bookings"]
    own = next((b for b in bookings if b.party_id is not None and b.party_id == recipient.party_id), None)
    facts = {"interpreter_language": own.language if own else "", "interpreter_provider": own.provider if own else ""}
    if own is not None:
        facts["interpreter"] = f"We have booked an interpreter for you ({own.language}): {own.provider}."
    elif bookings:
        facts["interpreter"] = "An interpreter will also be there for someone taking part."
    elif activity.interpreter_booked:
        language = f" ({activity.interpreter_language})" if activity.interpreter_language else ""
        facts["interpreter"] = f"We have booked an interpreter{language}."
    else:
        facts["interpreter"] = ""
    return facts


def letter_facts(
    case: Case,
    kind: str,
    variant: str,
    recipient: Recipient,
    letterhead: Letterhead,
    today: date | None = None,
    language: str = ENGLISH,
) -> dict[str, str | list[str]]:
    """The placeholder values for this letter: strings and lists of strings only. Dates and the service's own
    words are in ``language`` (the wording's); what staff typed stays as typed."""
    today = today or timezone.localdate()
    incident = case.incident_or_none

    def dated(day) -> str:
        return long_date(day, language)

    def words(english: str) -> str:
        return phrase(language, english)

    facts: dict[str, str | list[str]] = {
        "recipient_name": recipient.name,
        "recipient_first_name": recipient.first_name,
        "case_reference": case.reference,
        "letter_date": dated(today),
        "incident_date": dated(incident.occurred_from) if incident else "",
        "service_name": letterhead.name,
        "service_phone": letterhead.phone,
        "service_email": letterhead.email,
        "facilitator_name": _facilitator_name(case, language),
    }
    # Everyone's contact details but the recipient's own are cleared from free text.
    patterns = forbidden_patterns(_other_parties(case, recipient))

    if kind == LetterKind.REFERRAL_ACKNOWLEDGEMENT:
        facts["received_on"] = dated(case.received_on)
        facts["crime_reference"] = (incident.crime_reference if incident else "") or words("none given")
        organisation = case.referring_organisation or (case.referred_by.organisation if case.referred_by else None)
        facts["referrer_organisation"] = organisation.name if organisation else ""
        if variant == Variant.DECLINE:
            facts["decision_reason"] = redact(case.outcome_reason, patterns)
    elif kind == LetterKind.ACTIVITY_CONFIRMATION:
        activity = current_activity(case)
        if activity is None:
            raise LetterRefused("There is no planned activity to confirm. Plan the activity first.")
        facts["activity_type"] = words(activity.get_kind_display().lower())
        when = activity.scheduled_for
        later = words("to be confirmed")
        facts["activity_date"] = f"{_weekday(timezone.localtime(when), language)} {dated(when)}" if when else later
        facts["activity_time"] = _time(when) if when else later
        facts["activity_place"] = redact(activity.venue or activity.method or later, patterns)
        facts.update(interpreter_facts(activity, recipient))
        people = [
            f"{p.display_name} ({words(ROLE_WORDS.get(p.role, p.role))})" for p in activity_participants(case, activity)
        ]
        for facilitator in filter(None, [activity.lead_facilitator or case.facilitator, activity.co_facilitator]):
            people.append(f"{facilitator.get_full_name()} ({words('facilitator')})")
        others = getattr(activity, "others_invited", "")
        if others:
            people.append(redact(others, patterns))
        facts["participants"] = people
    elif kind == LetterKind.OUTCOME_AGREEMENT:
        agreement = current_agreement(case)
        if agreement is None:
            raise LetterRefused("There is no outcome agreement recorded on this case yet.")
        facts["agreement_date"] = dated(agreement.signed_on or agreement.created_at)
        items = []
        parties = {p.pk: p for p in case_parties(case)}  # those responsible for actions are the case's parties
        for action in agreement.actions.all():
            responsible = None
            if action.responsible_party_id is not None:
                responsible = parties.get(action.responsible_party_id) or action.responsible_party
            who = responsible.display_name if responsible else (action.who or "")
            line = words(ACTION_LINE).format(
                what=action.what, who=who, due=dated(action.due_on), how=action.how_checked
            )
            items.append(redact(line, patterns))
        facts["actions"] = items
    elif kind in (LetterKind.CLOSURE, LetterKind.NOT_SUITABLE, LetterKind.WITHDRAWAL):
        facts["closed_on"] = dated(case.closed_at or today)
        facts["outcome"] = words(OUTCOME_WORDS.get(case.outcome, ""))
    return facts


# ---------------------------------------------------------------------------------------------------
# The content: everything the renderer prints, as plain text


@dataclass(frozen=True)
class LetterContent:
    """A letter's full text in order, plain strings only: the PDF and the HTML version are both made from it."""

    format: str
    service_name: str
    service_address: tuple[str, ...]
    service_phone: str
    service_email: str
    service_website: str
    recipient_name: str
    recipient_address: tuple[str, ...]
    has_postal_address: bool
    letter_date: str
    reference: str
    subject: str
    blocks: tuple[Block, ...]
    closing: str
    signatory_name: str
    signatory_title: str
    kind: str = ""
    extra: dict = field(default_factory=dict)
    bsl_video_url: str = ""  # printed with its QR code, and linked in the accessible version
    language: str = ENGLISH  # the wording's: the frame's labels and the dates are in it too

    @property
    def direction(self) -> str:
        return direction(self.language)

    @property
    def rtl(self) -> bool:
        return self.direction == "rtl"

    @property
    def labels(self) -> dict[str, str]:
        """The frame's words in the letter's language (the accessible version prints them)."""
        return {key: label(self.language, key) for key in ("confidential", "date", "reference", "phone", "email")}

    @property
    def html_lang(self) -> str:
        return html_lang(self.language)

    def as_dict(self) -> dict:
        return {
            "format": self.format,
            "kind": self.kind,
            "service_name": self.service_name,
            "service_address": list(self.service_address),
            "service_phone": self.service_phone,
            "service_email": self.service_email,
            "service_website": self.service_website,
            "recipient_name": self.recipient_name,
            "recipient_address": list(self.recipient_address),
            "has_postal_address": self.has_postal_address,
            "letter_date": self.letter_date,
            "reference": self.reference,
            "subject": self.subject,
            "blocks": [b.as_dict() for b in self.blocks],
            "closing": self.closing,
            "signatory_name": self.signatory_name,
            "signatory_title": self.signatory_title,
            "bsl_video_url": self.bsl_video_url,
            "language": self.language,
        }

    @classmethod
    def from_dict(cls, data: dict) -> LetterContent:
        return cls(
            format=data["format"],
            kind=data.get("kind", ""),
            service_name=data["service_name"],
            service_address=tuple(data["service_address"]),
            service_phone=data["service_phone"],
            service_email=data["service_email"],
            service_website=data.get("service_website", ""),
            recipient_name=data["recipient_name"],
            recipient_address=tuple(data["recipient_address"]),
            has_postal_address=data.get("has_postal_address", False),
            letter_date=data["letter_date"],
            reference=data["reference"],
            subject=data["subject"],
            blocks=tuple(Block(b["kind"], b.get("text", ""), tuple(b.get("items", ()))) for b in data["blocks"]),
            closing=data["closing"],
            signatory_name=data["signatory_name"],
            signatory_title=data["signatory_title"],
            bsl_video_url=data.get("bsl_video_url", ""),
            language=data.get("language", ENGLISH),
        )

    def all_text(self) -> list[str]:
        """Every string printed, in order (for checks)."""
        texts = [
            self.service_name,
            *self.service_address,
            self.service_phone,
            self.service_email,
            self.service_website,
            self.recipient_name,
            *self.recipient_address,
            self.letter_date,
            self.reference,
            self.subject,
        ]
        for block in self.blocks:
            texts.extend([block.text, *block.items])
        texts.extend([self.closing, self.signatory_name, self.signatory_title, self.bsl_video_url])
        return [t for t in texts if t]


def compose(
    *,
    template: LetterTemplate | None,
    subject: str = "",
    body: str = "",
    closing: str = "",
    facts: dict,
    recipient: Recipient,
    letterhead: Letterhead,
    fmt: str,
    reference: str,
    signatory_name: str,
    signatory_title: str,
    kind: str,
    language: str = ENGLISH,
) -> LetterContent:
    """Fill the wording with the facts and lay out the parts of the letter. ``subject``, ``body`` and ``closing``
    override the template's (the unsaved wording of a preview); the language is the template's."""
    if template is not None:
        subject, body, closing = template.subject, template.body, template.closing
        language = template.language
    return LetterContent(
        language=language,
        format=fmt,
        kind=kind,
        service_name=letterhead.name,
        service_address=tuple(letterhead.address_lines),
        service_phone=letterhead.phone,
        service_email=letterhead.email,
        service_website=letterhead.website,
        recipient_name=recipient.name,
        recipient_address=recipient.address_lines,
        has_postal_address=recipient.has_postal_address,
        letter_date=str(facts["letter_date"]),
        reference=reference,
        subject=fill_text(subject, facts),
        blocks=(*fill_body(body, facts), privacy_notice_block()),
        closing=fill_text(closing, facts),
        signatory_name=signatory_name,
        signatory_title=signatory_title,
    )


def privacy_notice_url() -> str:
    return f"{settings.RJ_SITE_URL}{reverse('privacy_notice')}"


def privacy_notice_block() -> Block:
    """The line every letter ends its body with, whatever its wording: where the privacy notice is."""
    return Block("paragraph", text=f"How we use your personal information, and your rights: {privacy_notice_url()}")


def signatory(case: Case, letterhead: Letterhead, language: str = ENGLISH) -> tuple[str, str]:
    if case.facilitator:
        return case.facilitator.get_full_name(), case.facilitator.job_title or phrase(
            language, letterhead.signatory_title
        )
    return phrase(language, "The restorative justice team"), letterhead.name


def wording_format_for(fmt: str) -> str:
    return WordingFormat.EASY_READ if fmt == LetterFormat.EASY_READ else WordingFormat.STANDARD


def check_kind_for(case: Case, kind: str, recipient: Recipient) -> None:
    """Refuse a letter that makes no sense for this recipient or this case now, saying why."""
    if kind not in LetterKind.values:
        raise LetterRefused("Choose a kind of letter.")
    label = LetterKind(kind).label.lower()
    if recipient.is_referrer and kind not in REFERRER_KINDS:
        raise LetterRefused(f"A {label} letter is written to the people taking part, not to the referrer.")
    if not recipient.is_referrer and kind == LetterKind.REFERRAL_ACKNOWLEDGEMENT:
        raise LetterRefused("A referral acknowledgement is written to the referrer only.")
    if kind == LetterKind.REFERRAL_ACKNOWLEDGEMENT and case.state == Case.State.REFERRAL:
        raise LetterRefused("The referral has not been accepted or declined yet.")
    if kind == LetterKind.ACTIVITY_CONFIRMATION and current_activity(case) is None:
        raise LetterRefused("There is no planned activity to confirm. Plan the activity first.")
    if kind == LetterKind.OUTCOME_AGREEMENT and current_agreement(case) is None:
        raise LetterRefused("There is no outcome agreement recorded on this case yet.")
    if kind == LetterKind.CLOSURE and not case.is_closed:
        raise LetterRefused("The case is not closed, so a closure letter cannot be written yet.")
    if kind == LetterKind.NOT_SUITABLE and case.outcome != Case.Outcome.NOT_SUITABLE:
        raise LetterRefused("The case was not closed as not suitable.")
    if kind == LetterKind.WITHDRAWAL and case.outcome != Case.Outcome.WITHDRAWN:
        raise LetterRefused("The case was not closed by a withdrawal.")


def variant_for(case: Case, kind: str) -> str:
    if kind == LetterKind.REFERRAL_ACKNOWLEDGEMENT:
        return Variant.DECLINE if case.outcome == Case.Outcome.REFERRAL_DECLINED else Variant.ACCEPT
    return Variant.NONE
