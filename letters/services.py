"""Writes for letters: generating (and regenerating) a letter as a new stored version, the letters each workflow
transition calls for, editing wording, the print run, marking letters sent, and trying a letter's file again.

A letter is made in two steps. Inside the caller's transaction only its row is stored, with the content
composed from the wording in force (``file_status`` pending). Its PDF is written by the task
``letters.tasks.write_letter_files`` once that transaction has committed (``letters.files``), so a move never
renders while the case row is locked and a rolled-back move leaves no file behind."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterable
from datetime import date
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4

from accounts import roles
from accounts.models import Partnership
from letters.bsl import bsl_video_url
from letters.content import (
    PARTY_ROLES,
    REFERRED_BY_STAFF,
    LetterContent,
    LetterRefused,
    Recipient,
    activity_participants,
    agreement_signatories,
    case_parties,
    check_kind_for,
    compose,
    current_activity,
    current_agreement,
    letter_facts,
    party_recipient,
    recipient_for,
    referred_by_staff,
    referrer_recipient,
    signatory,
    variant_for,
    wording_format_for,
)
from letters.files import (
    FILE_FIELDS,
    LetterFileChanged,
    LetterFileNotWritten,
    LetterFileProblem,
    LetterStoreUnavailable,
    delete_orphaned_letter_files,
    letter_bytes,
    open_letter_file,
    orphaned_letter_files,
    write_files_after_commit,
)
from letters.languages import ENGLISH, direction, embed_facts
from letters.models import Letter, LetterFormat, Letterhead, LetterKind, LetterTemplate, WordingFormat
from letters.tasks import write_letter_files
from letters.wording import default_wording, letter_keys, template_keys
from rjcases.exceptions import ActionRefused
from rjcases.models import Case, CaseTransition, Party
from rjcases.permissions import can_edit_case_work

__all__ = [
    "LetterRefused",
    "generate_letter",
    "regenerate_letter",
    "letters_for_transition",
    "letters_for_late_party",
    "update_template",
    "add_template",
    "resolve_translation",
    "mark_sent",
    "print_run_pdf",
    "ensure_default_templates",
    "template_for",
    "render_content",
    "retry_letter_file",
    "letter_bytes",
    "open_letter_file",
    "LetterFileProblem",
    "LetterStoreUnavailable",
    "LetterFileChanged",
    "LetterFileNotWritten",
    "orphaned_letter_files",
    "delete_orphaned_letter_files",
]


# ---------------------------------------------------------------------------------------------------
# Templates


def _history_says(row: Any, user, reason: str) -> None:
    """Who made the change and why, for simple-history's row (attributes it reads, unknown to the type checker)."""
    row._history_user = user
    row._change_reason = reason


def ensure_default_templates() -> None:
    """Create the shipped wording as default wording for any (kind, variant, format, language) that has none yet.
    Run after every ``migrate`` (``letters.apps``), so the wording exists before the first move; idempotent."""
    existing = set(
        LetterTemplate.objects.filter(partnership__isnull=True).values_list("kind", "variant", "format", "language")
    )
    for key in template_keys():
        if key not in existing:
            _create_default(*key)


def ensure_default_templates_after_migrate(sender, **kwargs) -> None:
    ensure_default_templates()


def _create_default(kind: str, variant: str, fmt: str, language: str = ENGLISH) -> LetterTemplate:
    """The shipped wording for one key, stored as default wording; safe when another process stores the same key at
    the same moment (the unique constraint decides, and the loser reads the winner's row)."""
    wording = default_wording(kind, variant, fmt, language)
    template = LetterTemplate(
        kind=kind,
        variant=variant,
        format=fmt,
        language=language,
        subject=wording.subject,
        body=wording.body,
        closing=wording.closing,
    )
    template.full_clean(validate_constraints=False)
    template._change_reason = "shipped wording"
    try:
        with transaction.atomic():  # a savepoint inside a move: only this insert is undone on a clash
            template.save()
    except IntegrityError:
        return LetterTemplate.objects.get(
            partnership__isnull=True, kind=kind, variant=variant, format=fmt, language=language
        )
    return template


def _in_scope(partnership: Partnership | int | None) -> Q:
    """The wording a partnership's letters may use: its own and the default."""
    key = partnership.pk if isinstance(partnership, Partnership) else partnership
    return Q(partnership__isnull=True) | Q(partnership_id=key) if key is not None else Q(partnership__isnull=True)


def template_for(
    kind: str, variant: str, fmt: str, language: str = ENGLISH, partnership: Partnership | int | None = None
) -> LetterTemplate:
    """The wording for a partnership's letter: in ``language`` if there is wording in it, else in English; in each,
    the easy read wording if there is one and it is wanted, else the standard (the language matters more than the
    format); for each of those, the partnership's own wording, else the default wording."""
    formats = [fmt] if fmt == WordingFormat.STANDARD else [fmt, WordingFormat.STANDARD]
    languages = [language] if language == ENGLISH else [language, ENGLISH]
    found = {
        (t.partnership_id is not None, t.format, t.language): t
        for t in LetterTemplate.objects.filter(
            _in_scope(partnership), kind=kind, variant=variant, format__in=formats, language__in=languages
        ).order_by()
    }
    for code in languages:
        for wording_format in formats:
            template = found.get((True, wording_format, code)) or found.get((False, wording_format, code))
            if template is None and (kind, variant, wording_format, code) in template_keys():
                template = _create_default(kind, variant, wording_format, code)
            if template is not None:
                return template
    raise LetterRefused(f"There is no wording for a {LetterKind(kind).label.lower()} letter.")


def translation_needed(template: LetterTemplate, recipient: Recipient) -> str:
    """The recipient's language, by name, when the letter's wording is not in it ("Polish"); empty when it is."""
    wanted = recipient.wanted
    if wanted.code == template.language:
        return ""
    return wanted.name


def may_edit_templates(user) -> bool:
    return roles.is_manager(user) or roles.is_administrator(user)


def wording_partnerships(user) -> list[Partnership]:
    """The partnerships whose wording ``user`` edits (managers and administrators of a partnership, their own)."""
    if not may_edit_templates(user):
        return []
    return list(Partnership.objects.filter(pk__in=roles.partnership_ids(user)).order_by("name"))


def may_edit_default_wording(user) -> bool:
    """The default wording is the installation's: a superuser who works for no partnership edits it in place."""
    return bool(user and user.is_authenticated and user.is_superuser and not roles.partnership_ids(user))


def _wording_owner(user, template: LetterTemplate, partnership: Partnership | None) -> Partnership | None:
    """The partnership whose wording a save by ``user`` writes (None: the default wording itself), or a refusal."""
    if not may_edit_templates(user):
        raise ActionRefused("Only a manager can change letter wording.")
    if template.partnership_id is not None:
        if not roles.in_partnership(user, template.partnership_id):
            raise ActionRefused("This is another partnership's wording.")
        if partnership is not None and partnership.pk != template.partnership_id:
            raise ActionRefused("This is another partnership's wording.")
        return template.partnership
    if partnership is None:
        own = wording_partnerships(user)
        if len(own) == 1:
            return own[0]
        if may_edit_default_wording(user):
            return None
        raise ActionRefused("Choose the partnership whose wording this is.")
    if not roles.in_partnership(user, partnership.pk):
        raise ActionRefused("You can change only your own partnership's wording.")
    return partnership


def _own_copy(default: LetterTemplate, partnership: Partnership, user) -> LetterTemplate:
    """The partnership's own wording of this letter, begun as a copy of the default (its version 1 in history)."""
    copy = LetterTemplate(
        partnership=partnership,
        kind=default.kind,
        variant=default.variant,
        format=default.format,
        language=default.language,
        subject=default.subject,
        body=default.body,
        closing=default.closing,
        updated_by=user,
        updated_at=timezone.now(),
    )
    _history_says(copy, user, f"copied from the default wording, version {default.version}")
    copy.save()
    return copy


def update_template(
    template: LetterTemplate, user, *, subject: str, body: str, closing: str, partnership: Partnership | None = None
) -> LetterTemplate:
    """Save new wording as the next version of the partnership's own wording. Editing the default wording, a
    manager (or a partnership's administrator) writes their partnership's own copy (``partnership``, needed when
    they work for several): its version 1 is the default as it was, the edit its version 2; the default and other
    partnerships' letters are untouched. Raises ``ActionRefused`` for someone who may not change this wording, and
    ``ValidationError`` (naming any unknown placeholder) when the wording cannot be used: nothing changes then."""
    owner = _wording_owner(user, template, partnership)
    wording = (subject.strip(), body.strip(), closing.strip())
    with transaction.atomic():
        locked = LetterTemplate.objects.select_for_update().get(pk=template.pk)
        if wording == (locked.subject, locked.body, locked.closing):
            return locked  # nothing changed: no new version
        if owner is not None and locked.partnership_id is None:
            own = LetterTemplate.objects.select_for_update().filter(
                partnership=owner,
                kind=locked.kind,
                variant=locked.variant,
                format=locked.format,
                language=locked.language,
            )
            locked = own.first() or locked
        if owner is not None and locked.partnership_id is None:
            locked = _own_copy(locked, owner, user)  # undone with the rest when the wording is refused below
        locked.subject, locked.body, locked.closing = wording
        locked.full_clean()
        locked.version += 1
        locked.updated_by = user
        locked.updated_at = timezone.now()
        locked._history_user = user
        locked._change_reason = f"version {locked.version}"
        locked.save()
    return locked


def add_template(
    user,
    *,
    kind: str,
    variant: str,
    fmt: str,
    language: str,
    subject: str,
    body: str,
    closing: str,
    partnership: Partnership | None = None,
) -> LetterTemplate:
    """Add a partnership's wording for a letter in a language (or format) it has none in yet, its own or the
    default's, as version 1 with its history (``partnership`` may be left out by someone who works for one only).
    Raises ``ValidationError`` (naming the language and any placeholder missing or unknown) and stores nothing
    when the wording cannot be used; ``LetterRefused`` when that wording exists already (edit it instead)."""
    if not may_edit_templates(user):
        raise ActionRefused("Only a manager can change letter wording.")
    if (kind, variant, fmt) not in letter_keys():
        raise LetterRefused("Choose a kind of letter, and a format it is written in.")
    owner = _wording_owner(user, LetterTemplate(kind=kind), partnership)
    with transaction.atomic():
        existing = LetterTemplate.objects.filter(_in_scope(owner), kind=kind, variant=variant, format=fmt)
        if existing.filter(language=language).exists():
            raise LetterRefused("This letter already has wording in that language: edit it instead.")
        template = LetterTemplate(
            partnership=owner,
            kind=kind,
            variant=variant,
            format=fmt,
            language=language,
            subject=subject.strip(),
            body=body.strip(),
            closing=closing.strip(),
            updated_by=user,
            updated_at=timezone.now(),
        )
        template.full_clean()
        _history_says(template, user, "added")
        template.save()
    return template


# ---------------------------------------------------------------------------------------------------
# Generating a letter


def render_content(
    case: Case,
    kind: str,
    recipient: Recipient,
    fmt: str,
    *,
    variant: str | None = None,
    template: LetterTemplate | None = None,
    today: date | None = None,
) -> tuple[LetterContent, LetterTemplate]:
    """The content of a letter to ``recipient``, from the wording in force (nothing is stored)."""
    variant = variant_for(case, kind) if variant is None else variant
    template = template or template_for(
        kind, variant, wording_format_for(fmt), recipient.wanted.code or ENGLISH, case.partnership_id
    )
    letterhead = Letterhead.for_partnership(case.partnership)
    facts = letter_facts(case, kind, variant, recipient, letterhead, today=today, language=template.language)
    if direction(template.language) == "rtl":
        facts = embed_facts(facts)
    name, title = signatory(case, letterhead, template.language)
    content = compose(
        template=template,
        facts=facts,
        recipient=recipient,
        letterhead=letterhead,
        fmt=fmt,
        reference=case.reference,
        signatory_name=name,
        signatory_title=title,
        kind=kind,
    )
    if recipient.bsl:
        content = dataclasses.replace(content, bsl_video_url=bsl_video_url(kind))
    return content, template


def _store(
    case: Case, user, *, kind: str, recipient: Recipient, fmt: str, transition: CaseTransition | None = None
) -> Letter:
    """The letter's row, as the next version, with its content composed now; its file is written after commit."""
    variant = variant_for(case, kind)
    content, template = render_content(case, kind, recipient, fmt, variant=variant)
    previous = list(
        Letter.objects.filter(case=case, kind=kind, recipient_key=recipient.key)
        .order_by()
        .values_list("pk", "version", "status")
    )
    version = max((v for _, v, _ in previous), default=0) + 1
    pending = [pk for pk, _, status in previous if status == Letter.Status.PENDING]
    letter = Letter(
        case=case,
        kind=kind,
        variant=variant,
        recipient_key=recipient.key,
        party_id=recipient.party_id,
        recipient_name=recipient.name,
        format=fmt,
        language=template.language,
        translation_needed=translation_needed(template, recipient),
        template=template,
        template_version=template.version,
        version=version,
        content=content.as_dict(),
        generated_by=user,
        generated_at=timezone.now(),
        transition=transition,
        file_status=Letter.FileStatus.PENDING,
    )
    letter._history_user = user
    letter._change_reason = f"version {version} generated" + (
        f" in English: translation needed: {letter.translation_needed}" if letter.translation_needed else ""
    )
    letter.save()
    for older in Letter.objects.filter(pk__in=pending) if pending else ():
        older.status = Letter.Status.SUPERSEDED
        older._history_user = user
        older._change_reason = f"replaced by version {version}"
        older.save(update_fields=["status"])
    return letter


def _locked_case(case: Case, *, referrer: bool = True) -> Case:
    """The case, row-locked, with what every letter reads about it loaded in the same query; with ``referrer``,
    also what a letter to the referrer reads (``letters.content.referrer_recipient``): the referring user, their
    organisation and whether they are the service's own staff, and the referring organisation."""
    related = ["incident", "facilitator", "partnership"]
    cases = Case.objects.select_for_update(of=("self",))
    if referrer:
        related += ["referred_by__organisation", "referring_organisation"]
        cases = cases.annotate(**{REFERRED_BY_STAFF: referred_by_staff()})
    return cases.select_related(*related).get(pk=case.pk)


def generate_letter(case: Case, user, *, kind: str, recipient_key: str, fmt: str | None = None) -> Letter:
    """Make a letter on demand, as the next version for this case, kind and recipient.

    ``fmt`` defaults to the format the recipient's communication needs call for.
    Raises ``ActionRefused`` for a user who may not, ``LetterRefused`` with the reason for a letter that
    cannot be made now; nothing is stored then. The file is written once the letter's transaction commits
    (at once, when the caller has no transaction open and tasks run immediately).
    """
    if not can_edit_case_work(case, user):
        raise ActionRefused("Only the case's facilitator or a manager can create letters.")
    with transaction.atomic():
        locked = _locked_case(case, referrer=recipient_key == "referrer")
        recipient = recipient_for(locked, recipient_key)
        check_kind_for(locked, kind, recipient)
        fmt = fmt or recipient.default_format
        if fmt not in LetterFormat.values:
            raise LetterRefused("Choose a format: standard, large print or easy read.")
        letter = _store(locked, user, kind=kind, recipient=recipient, fmt=fmt)
        transaction.on_commit(partial(write_files_after_commit, [letter]), robust=True)
    if letter.file_status != Letter.FileStatus.WRITTEN:  # not written by this process just now
        letter.refresh_from_db(fields=FILE_FIELDS)  # a worker may have written it since (nothing else changes)
    return letter


def regenerate_letter(letter: Letter, user) -> Letter:
    """A new version of the same letter (same kind, recipient and format), from today's facts and wording."""
    return generate_letter(letter.case, user, kind=letter.kind, recipient_key=letter.recipient_key, fmt=letter.format)


# ---------------------------------------------------------------------------------------------------
# Letters the workflow calls for


def _parties(case: Case, roles_wanted=PARTY_ROLES) -> list[Party]:
    return [p for p in case_parties(case) if p.role in roles_wanted]


def letters_called_for(case: Case, transition: CaseTransition) -> list[tuple[str, Recipient]]:
    """The (kind, recipient) pairs a transition sends, in order. Parties get their format from their needs.

    Closing moves with their own letter (not suitable, withdrawal) send it to the parties in place of the
    closure letter; the referrer is told the outcome by a closure letter. A decline sends only the referrer's
    acknowledgement, and a withdrawal while still a referral writes to no party: nobody has contacted them.
    """
    referrer = referrer_recipient(case)
    to_referrer = [referrer] if referrer is not None else []
    name = transition.name
    planned: list[tuple[str, Recipient]] = []
    if name == "accept":
        planned += [(LetterKind.REFERRAL_ACKNOWLEDGEMENT, r) for r in to_referrer]
        planned += [(LetterKind.RJ_INFORMATION, party_recipient(p)) for p in _parties(case, [Party.Role.HARMED])]
        planned += [(LetterKind.INVITATION, party_recipient(p)) for p in _parties(case, [Party.Role.RESPONSIBLE])]
    elif name == "decline":
        planned += [(LetterKind.REFERRAL_ACKNOWLEDGEMENT, r) for r in to_referrer]
    elif name == "schedule_activity":
        people = activity_participants(case, current_activity(case))
        planned += [(LetterKind.ACTIVITY_CONFIRMATION, party_recipient(p)) for p in people]
    elif name == "record_agreement":
        people = agreement_signatories(case, current_agreement(case))
        planned += [(LetterKind.OUTCOME_AGREEMENT, party_recipient(p)) for p in people]
    elif name == "find_unsuitable":
        planned += [(LetterKind.NOT_SUITABLE, party_recipient(p)) for p in _parties(case)]
        planned += [(LetterKind.CLOSURE, r) for r in to_referrer]
    elif name == "withdraw":
        if transition.source != Case.State.REFERRAL:
            planned += [(LetterKind.WITHDRAWAL, party_recipient(p)) for p in _parties(case)]
        planned += [(LetterKind.CLOSURE, r) for r in to_referrer]
    elif transition.target == Case.State.CLOSED:
        planned += [(LetterKind.CLOSURE, party_recipient(p)) for p in _parties(case)]
        planned += [(LetterKind.CLOSURE, r) for r in to_referrer]
    return planned


def letters_for_transition(case: Case, user, transition: CaseTransition) -> list[Letter]:
    """Store the rows of the letters this transition calls for, inside the transition's transaction.

    No file is written here: the caller registers ``letters.tasks.enqueue_letter_files`` with
    ``transaction.on_commit`` for the letters returned. The user has already been allowed the transition, so
    no further permission is asked.
    """
    made = []
    case = _locked_case(case)  # already locked by the transition; this loads what the letters read, once
    for kind, recipient in letters_called_for(case, transition):
        made.append(
            _store(case, user, kind=kind, recipient=recipient, fmt=recipient.default_format, transition=transition)
        )
    return made


# The first letter each person gets, written by ``accept``: a person added to the case after it has their own then.
FIRST_LETTER = {Party.Role.HARMED: LetterKind.RJ_INFORMATION, Party.Role.RESPONSIBLE: LetterKind.INVITATION}


def letters_for_late_party(case: Case, user, party: Party) -> list[Letter]:
    """Store the row of the letter a person added after ``accept`` would have had from it (RJ information to a
    person harmed, an invitation to a person responsible), in their format; none for a supporter, nor while the
    case is a referral (``accept`` writes it then) or closed. Inside the caller's transaction; the caller
    registers ``letters.tasks.enqueue_letter_files`` for the letters returned, as a move does."""
    kind = FIRST_LETTER.get(party.role)
    if kind is None or case.state in (Case.State.REFERRAL, Case.State.CLOSED):
        return []
    locked = _locked_case(case, referrer=False)
    if locked.state in (Case.State.REFERRAL, Case.State.CLOSED):
        return []
    recipient = party_recipient(party)
    return [_store(locked, user, kind=kind, recipient=recipient, fmt=recipient.default_format)]


# ---------------------------------------------------------------------------------------------------
# The print run, marking sent, trying a file again


def print_run_pdf(letters: Iterable[Letter], *, double_sided: bool = False) -> bytes:
    """One PDF of these letters for posting, each starting on a new page (a new sheet when double-sided).
    Raises ``LetterFileProblem`` if one of them has no good file."""
    writer = PdfWriter()
    for letter in letters:
        reader = PdfReader(io.BytesIO(letter_bytes(letter)))
        writer.append(reader)
        if double_sided and len(reader.pages) % 2:
            writer.add_blank_page(width=A4[0], height=A4[1])
    writer.add_metadata({"/Title": "Letters for posting"})
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def mark_sent(user, letters: Iterable[Letter]) -> tuple[int, int]:
    """Mark these letters sent now. Returns (marked, skipped): letters already sent or replaced, letters whose
    file is not written (they cannot have been printed) and letters held for translation are skipped."""
    marked = skipped = 0
    now = timezone.now()
    with transaction.atomic():
        for letter in letters:
            if not can_edit_case_work(letter.case, user):
                raise ActionRefused("Only the case's facilitator or a manager can mark its letters sent.")
            locked = Letter.objects.select_for_update().get(pk=letter.pk)
            if locked.status != Letter.Status.PENDING or not locked.printable:
                skipped += 1
                continue
            locked.status, locked.sent_at, locked.sent_by = Letter.Status.SENT, now, user
            locked._history_user = user
            locked._change_reason = "sent"
            locked.save(update_fields=["status", "sent_at", "sent_by"])
            marked += 1
    return marked, skipped


def resolve_translation(letter: Letter, user, resolution: str) -> Letter:
    """Let a letter held for translation go to the print run: a translated copy is attached to it
    (``copy_attached``), or sending it in English is confirmed (``send_in_english``). Who and when are kept on
    the letter and in its history, and the case timeline shows it. Refused, with nothing changed, for a letter that
    is not held, or is already sent or replaced, and for anyone but the case's facilitators and managers."""
    if not can_edit_case_work(letter.case, user):
        raise ActionRefused("Only the case's facilitator or a manager can release a letter held for translation.")
    if resolution not in (Letter.Translation.COPY_ATTACHED, Letter.Translation.SEND_IN_ENGLISH):
        raise LetterRefused("Choose whether a translated copy is attached or the letter is to be sent in English.")
    with transaction.atomic():
        locked = Letter.objects.select_for_update().get(pk=letter.pk)
        if not locked.held_for_translation:
            raise LetterRefused("This letter is not waiting for a translation.")
        if locked.status != Letter.Status.PENDING:
            raise LetterRefused("This letter has already been sent or replaced by a newer version.")
        locked.translation = resolution
        locked.translation_resolved_by = user
        locked.translation_resolved_at = timezone.now()
        _history_says(
            locked,
            user,
            f"translated copy ({locked.translation_needed}) attached"
            if resolution == Letter.Translation.COPY_ATTACHED
            else f"sending in English confirmed (wanted in {locked.translation_needed})",
        )
        locked.save(update_fields=["translation", "translation_resolved_by", "translation_resolved_at"])
    return locked


def retry_letter_file(letter: Letter, user) -> Letter:
    """Write again the file of a letter whose file could not be written (or is still waiting); returns the letter
    as it is afterwards. A written file is left alone. Queued even when ``RJ_LETTER_FILES`` is off: someone
    asked for it."""
    if not can_edit_case_work(letter.case, user):
        raise ActionRefused("Only the case's facilitator or a manager can write a letter's file again.")
    with transaction.atomic():
        locked = Letter.objects.select_for_update().get(pk=letter.pk)
        if locked.file_written:
            return locked
        locked.file_status = Letter.FileStatus.PENDING
        locked._history_user = user
        locked._change_reason = "file tried again"
        locked.save(update_fields=["file_status"])
        transaction.on_commit(partial(write_letter_files.enqueue, [locked.pk]), robust=True)
    locked.refresh_from_db()
    return locked
