"""A letter's stored PDF: written from the letter's saved content after the row has committed (never while the
case row is locked), read back checked against its SHA-256, and the files no letter points at.

``write_letter_file`` is what the task in ``letters.tasks`` and the ``write_letter_files`` command run. It is
idempotent: a letter whose file is written is skipped, and two runs racing each other store one file.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta

from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone

from letters.content import LetterContent
from letters.models import Letter
from letters.renderer import LetterRenderer
from letters.storage import LETTER_FILES_FOLDER, letter_storage

logger = logging.getLogger(__name__)

WRITTEN, FAILED, SKIPPED, MISSING = "written", "failed", "skipped", "missing"
# What writing a letter's file changes on its row.
FILE_FIELDS = ("file", "sha256", "size", "pages", "file_status", "file_error", "file_written_at")
# The file states from which a file may be written (never over a written one, nor a letter anonymised meanwhile).
WRITABLE = (Letter.FileStatus.PENDING, Letter.FileStatus.FAILED)
ERROR_LENGTH = 2000


class LetterFileProblem(Exception):
    """A letter whose PDF cannot be handed out; the message says why, in words for the page."""


class LetterFileChanged(LetterFileProblem):
    """A stored letter whose file no longer matches the checksum taken when it was generated."""


class LetterFileNotWritten(LetterFileProblem):
    """A letter whose file is still being written, or could not be written."""


class LetterStoreUnavailable(LetterFileProblem):
    """The letter store (the folder or the bucket) did not answer: nothing is wrong with the letter itself."""


STORE_UNAVAILABLE = "The letter store cannot be reached just now. Try again in a few minutes."
READ_CHUNK = 64 * 1024


def _storage():
    return letter_storage


def write_letter_file(letter_id: int, user=None, *, letter: Letter | None = None) -> str:
    """Render and store the PDF of one letter from its saved content. Returns what happened: ``written``,
    ``failed`` (the error is kept on the letter, nothing is raised), ``skipped`` (already written) or
    ``missing`` (no such letter, e.g. its move was rolled back after the task was queued).

    Rendering happens outside any transaction; the row is then marked written by one conditional UPDATE.
    ``letter``: the row just stored and committed by this process (``write_files_after_commit``), whose format and
    content are not read again; once written, it shows its file (the fields below are set on it too).
    """
    if letter is None:
        # Only what rendering needs (the conditional UPDATE below decides whether it may still be written).
        letter = Letter.objects.filter(pk=letter_id).only("pk", "format", "content", "file_status").first()
        in_hand = None
        if letter is None:
            return MISSING
    else:
        in_hand = letter
    if letter.file_status not in WRITABLE:
        return SKIPPED
    field = Letter._meta.get_field("file")
    # Any failure is kept on the letter for the retry, never raised into a request. Staff are told which step
    # failed in plain words; the error itself (which may name the store's endpoint) goes to the log only.
    try:
        pdf, pages = LetterRenderer(letter.format).render_with_page_count(LetterContent.from_dict(letter.content))
    except Exception as error:
        logger.exception("The file of letter %s could not be rendered", letter_id)
        _mark_failed(letter_id, RENDER_FAILED, error, user)
        return FAILED
    try:
        name = _storage().save(field.generate_filename(letter, f"{uuid.uuid4().hex}.pdf"), ContentFile(pdf))
    except Exception as error:
        logger.exception("The file of letter %s could not be stored", letter_id)
        _mark_failed(letter_id, STORE_FAILED, error, user)
        return FAILED
    # One conditional UPDATE marks the file written, only if nobody has since (another run, or an anonymisation):
    # the database's row lock for that statement decides a race, so no lock is held and no row read. No history
    # row: what the file is and when it was written stay on the letter (``sha256``, ``file_written_at``), in every
    # later history row of it, and each download is checked against that SHA-256 (docs/jobs.md, "Letter files").
    written = {
        "file": name,
        "sha256": hashlib.sha256(pdf).hexdigest(),
        "size": len(pdf),
        "pages": pages,
        "file_status": Letter.FileStatus.WRITTEN,
        "file_error": "",
        "file_written_at": timezone.now(),
    }
    try:
        marked = Letter.objects.filter(pk=letter_id, file_status__in=WRITABLE).order_by().update(**written)
    except Exception:
        _storage().delete(name)  # no row points at it
        raise
    if not marked:  # written by another run while this one rendered (keep theirs), removed, or deleted
        _storage().delete(name)
        return SKIPPED
    if in_hand is not None:
        for attribute, value in written.items():
            setattr(in_hand, attribute, value)
    return WRITTEN


def write_files_after_commit(letters: list[Letter]) -> None:
    """The files of letters this process has just stored, once their transaction has committed (register it with
    ``transaction.on_commit``). Where tasks run at once in this process (Django's immediate backend), the task's
    own work is done here on the rows in hand, which are then left showing their files: their format and content
    are not read back from the database. Otherwise (a worker's queue) the task is queued with their ids, as
    ``letters.tasks.enqueue_letter_files`` does."""
    from django.conf import settings
    from django.tasks.backends.immediate import ImmediateBackend

    from letters.tasks import write_letter_files

    if not letters or not settings.RJ_LETTER_FILES:
        return
    if isinstance(write_letter_files.get_backend(), ImmediateBackend):
        for letter in letters:
            write_letter_file(letter.pk, letter=letter)
    else:
        write_letter_files.enqueue([letter.pk for letter in letters])


RENDER_FAILED = "The PDF could not be made from the letter's content"
STORE_FAILED = "The letter store did not take the file (it may be unreachable or refusing the service's credentials)"


def _mark_failed(letter_id: int, step: str, error: Exception, user) -> None:
    with transaction.atomic():
        locked = Letter.objects.select_for_update().filter(pk=letter_id).first()
        if locked is None or locked.file_written:
            return
        locked.file_status = Letter.FileStatus.FAILED
        locked.file_error = f"{step} ({type(error).__name__}). The details are in the service's log."[:ERROR_LENGTH]
        if user is not None:
            locked._history_user = user
        locked._change_reason = "file could not be written"
        locked.save(update_fields=["file_status", "file_error"])


def letters_without_files():
    """Letters whose file is still to be written or could not be written, oldest first."""
    return Letter.objects.filter(file_status__in=WRITABLE).select_related("case").order_by("pk")


def open_letter_file(letter: Letter) -> File:
    """The stored PDF, open for reading from its start, after checking it is the file generated (its SHA-256):
    what a download streams. The caller closes it (a ``FileResponse`` does).

    Raises ``LetterFileNotWritten`` for a letter without its file yet, ``LetterFileChanged`` for a file that no
    longer matches, ``FileNotFoundError`` for one that has gone, ``LetterStoreUnavailable`` when the store does not
    answer.
    """
    if not letter.file_written:
        raise LetterFileNotWritten(f"{letter} cannot be opened yet. {letter.file_problem}")
    try:
        handle = _storage().open(letter.file.name, "rb")
    except FileNotFoundError:
        raise
    except Exception as error:  # a bucket that does not answer, refuses the credentials, ...: not the letter's fault
        logger.exception("The file of letter %s could not be read from the letter store", letter.pk)
        raise LetterStoreUnavailable(STORE_UNAVAILABLE) from error
    try:
        digest = hashlib.sha256()
        for chunk in iter(lambda: handle.read(READ_CHUNK), b""):
            digest.update(chunk)
        handle.seek(0)
    except Exception as error:
        handle.close()
        logger.exception("The file of letter %s could not be read from the letter store", letter.pk)
        raise LetterStoreUnavailable(STORE_UNAVAILABLE) from error
    if digest.hexdigest() != letter.sha256:
        handle.close()
        raise LetterFileChanged(
            f"The stored file of {letter} does not match its checksum. Do not send it: regenerate the letter."
        )
    return handle


def letter_bytes(letter: Letter) -> bytes:
    """The stored PDF's bytes, checked as ``open_letter_file`` checks them (and raising what it raises)."""
    with open_letter_file(letter) as handle:
        return handle.read()


# ---------------------------------------------------------------------------------------------------
# Files no letter points at


def orphaned_letter_files(older_than: timedelta) -> list[str]:
    """Stored files under ``letters/`` that no letter (nor any version in the letters' history) points at,
    last modified more than ``older_than`` ago.

    A file is stored before its letter row is updated to point at it; a worker killed between the two (or a
    database error then) leaves the file behind. The age limit keeps files of writes still in progress.
    """
    referenced = set(Letter.objects.exclude(file="").values_list("file", flat=True))
    referenced |= set(Letter.history.exclude(file="").values_list("file", flat=True))
    cutoff = timezone.now() - older_than
    return sorted(path for path, modified in _stored_letter_files() if path not in referenced and modified < cutoff)


def _stored_letter_files() -> Iterator[tuple[str, datetime]]:
    """Every file stored under ``letters/``, with when it was last modified."""
    from storages.backends.s3 import S3Storage  # boto3 is loaded only where a sweep runs

    storage = _storage()
    if isinstance(storage, S3Storage):
        # A bucket has keys, not folders: one listing by prefix gives each key's time (no request per file).
        prefix = f"{storage.location}/" if storage.location else ""
        for summary in storage.bucket.objects.filter(Prefix=f"{prefix}{LETTER_FILES_FOLDER}/"):
            yield summary.key[len(prefix) :], summary.last_modified
        return
    folders = [LETTER_FILES_FOLDER]
    while folders:
        folder = folders.pop()
        try:
            subfolders, files = storage.listdir(folder)
        except FileNotFoundError:  # no letter written yet
            continue
        folders += [f"{folder}/{name}" for name in subfolders]
        for name in files:
            yield f"{folder}/{name}", storage.get_modified_time(f"{folder}/{name}")


def delete_orphaned_letter_files(older_than: timedelta) -> list[str]:
    """Delete ``orphaned_letter_files(older_than)``; returns what was deleted. A letter row's file is never
    deleted (letters are kept: a newer version supersedes, it does not remove)."""
    deleted = orphaned_letter_files(older_than)
    for path in deleted:
        _storage().delete(path)
    return deleted
