"""Background work for letters (Django's ``django.tasks``): writing the PDFs of letters whose rows have committed.

Tasks take letter primary keys, never instances (arguments are serialised), and may run twice: a letter whose
file is already written is skipped.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.tasks import task

from letters.files import write_letter_file


@task
def write_letter_files(letter_ids: list[int]) -> dict[str, list[int]]:
    """Write the file of each letter; returns the ids by outcome (written, failed, skipped, missing)."""
    outcomes: dict[str, list[int]] = {}
    for letter_id in letter_ids:
        outcomes.setdefault(write_letter_file(letter_id), []).append(letter_id)
    return outcomes


def enqueue_letter_files(letter_ids: Iterable[int]) -> None:
    """Queue the writing of these letters' files. Register it with ``transaction.on_commit``.

    With ``settings.RJ_LETTER_FILES`` False (the tests that are not about letter files) nothing is queued and
    the letters stay pending: ``manage.py write_letter_files`` or the letter's "Try again" button writes them.
    """
    ids = list(letter_ids)
    if ids and settings.RJ_LETTER_FILES:
        write_letter_files.enqueue(ids)
