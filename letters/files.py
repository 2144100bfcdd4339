"""A letter's stored PDF: written from the letter's saved content after the row has committed (never while the
case row is locked), read back checked against its SHA-256, and the files no letter points at.

``write_letter_file`` is what the task in ``letters.tasks`` and the ``write_letter_files`` command run. It is
idempotent: a letter whose file is written is skipped, and two runs racing each other store one file.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from letters.content import LetterContent
from letters.models import Letter
from letters.renderer import LetterRenderer

logger = logging.getLogger(__name__)

WRITTEN, FAILED, SKIPPED, MISSING = "written", "failed", "skipped", "missing"
LETTER_FILES_FOLDER = "letters"
ERROR_LENGTH = 2000


class LetterFileProblem(Exception):
    """A letter whose PDF cannot be handed out; the message says why, in words for the page."""


class LetterFileChanged(LetterFileProblem):
    """A stored letter whose file no longer matches the checksum taken when it was generated."""


class LetterFileNotWritten(LetterFileProblem):
    """A letter whose file is still being written, or could not be written."""


def _storage():
    return Letter._meta.get_field("file").storage


def write_letter_file(letter_id: int, user=None) -> str:
    """Render and store the PDF of one letter from its saved content. Returns what happened: ``written``,
    ``failed`` (the error is kept on the letter, nothing is raised), ``skipped`` (already written) or
    ``missing`` (no such letter, e.g. its move was rolled back after the task was queued).

    Rendering happens outside any transaction; only the short update of the row is locked.
    """
    letter = Letter.objects.filter(pk=letter_id).first()
    if letter is None:
        return MISSING
    if letter.file_written:
        return SKIPPED
    field = Letter._meta.get_field("file")
    try:
        pdf, pages = LetterRenderer(letter.format).render_with_page_count(LetterContent.from_dict(letter.content))
        name = _storage().save(field.generate_filename(letter, f"{uuid.uuid4().hex}.pdf"), ContentFile(pdf))
    except Exception as error:  # any failure is kept on the letter for the retry, never raised into a request
        logger.exception("The file of letter %s could not be written", letter_id)
        _mark_failed(letter_id, error, user)
        return FAILED
    try:
        with transaction.atomic():
            locked = Letter.objects.select_for_update().get(pk=letter_id)
            if locked.file_written:  # another run wrote it while this one rendered: keep theirs
                _storage().delete(name)
                return SKIPPED
            locked.file.name = name
            locked.sha256, locked.size, locked.pages = hashlib.sha256(pdf).hexdigest(), len(pdf), pages
            locked.file_status, locked.file_error = Letter.FileStatus.WRITTEN, ""
            if user is not None:
                locked._history_user = user
            locked._change_reason = "file written"
            locked.save(update_fields=["file", "sha256", "size", "pages", "file_status", "file_error"])
    except Exception:
        _storage().delete(name)  # no row points at it
        raise
    return WRITTEN


def _mark_failed(letter_id: int, error: Exception, user) -> None:
    with transaction.atomic():
        locked = Letter.objects.select_for_update().filter(pk=letter_id).first()
        if locked is None or locked.file_written:
            return
        locked.file_status = Letter.FileStatus.FAILED
        locked.file_error = f"{type(error).__name__}: {error}"[:ERROR_LENGTH]
        if user is not None:
            locked._history_user = user
        locked._change_reason = "file could not be written"
        locked.save(update_fields=["file_status", "file_error"])


def letters_without_files():
    """Letters whose file is still to be written or could not be written, oldest first."""
    return Letter.objects.exclude(file_status=Letter.FileStatus.WRITTEN).select_related("case").order_by("pk")


def letter_bytes(letter: Letter) -> bytes:
    """The stored PDF, after checking it is the file generated (its SHA-256).

    Raises ``LetterFileNotWritten`` for a letter without its file yet, ``LetterFileChanged`` for a file that
    no longer matches, ``FileNotFoundError`` for one that has gone.
    """
    if not letter.file_written:
        raise LetterFileNotWritten(f"{letter} cannot be opened yet. {letter.file_problem}")
    with letter.file.open("rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != letter.sha256:
        raise LetterFileChanged(
            f"The stored file of {letter} does not match its checksum. Do not send it: regenerate the letter."
        )
    return data


# ---------------------------------------------------------------------------------------------------
# Files no letter points at


def orphaned_letter_files(older_than: timedelta) -> list[str]:
    """Stored files under ``letters/`` that no letter (nor any version in the letters' history) points at,
    last modified more than ``older_than`` ago.

    A file is stored before its letter row is updated to point at it; a worker killed between the two (or a
    database error then) leaves the file behind. The age limit keeps files of writes still in progress.
    """
    storage = _storage()
    referenced = set(Letter.objects.exclude(file="").values_list("file", flat=True))
    referenced |= set(Letter.history.exclude(file="").values_list("file", flat=True))
    cutoff = timezone.now() - older_than
    found, folders = [], [LETTER_FILES_FOLDER]
    while folders:
        folder = folders.pop()
        if not storage.exists(folder):
            continue
        subfolders, files = storage.listdir(folder)
        folders += [f"{folder}/{name}" for name in subfolders]
        for name in files:
            path = f"{folder}/{name}"
            if path not in referenced and storage.get_modified_time(path) < cutoff:
                found.append(path)
    return sorted(found)


def delete_orphaned_letter_files(older_than: timedelta) -> list[str]:
    """Delete ``orphaned_letter_files(older_than)``; returns what was deleted. A letter row's file is never
    deleted (letters are kept: a newer version supersedes, it does not remove)."""
    deleted = orphaned_letter_files(older_than)
    for path in deleted:
        _storage().delete(path)
    return deleted
