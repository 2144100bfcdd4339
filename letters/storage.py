"""Where letter files are kept: Django's ``STORAGES["letters"]`` (config/storages.py builds it from
``RJ_STORAGE_URL``): the local folder ``DJANGO_MEDIA_ROOT`` by default, or an S3-compatible bucket that several app
servers share. Nothing here hands out a URL to a stored file: downloads are read through the app.

``storage_ready()`` is the readiness check (``/readyz``): it asks the letter store a cheap question and says whether
it answered.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

logger = logging.getLogger(__name__)

LETTERS_ALIAS = "letters"
# The folder (or key prefix) under which every letter file is stored; Letter.file's upload_to starts with it.
LETTER_FILES_FOLDER = "letters"


class LetterStorage(LazyObject):
    """The storage named ``letters`` in ``STORAGES``, looked up on first use (as ``default_storage`` is), so that
    nothing is connected at import time and ``override_settings(STORAGES=...)`` is followed."""

    def _setup(self):
        self._wrapped = storages[LETTERS_ALIAS]


letter_storage = LetterStorage()


def select_letter_storage():
    """``Letter.file``'s storage (a callable, so migrations name this function rather than a storage's settings)."""
    return letter_storage


@receiver(setting_changed)
def _forget_letter_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        letter_storage._wrapped = empty


@dataclass(frozen=True)
class StorageCheck:
    """The answer of ``storage_ready()``: ``ok``, how long it took, and on failure the error's type (never its
    message, which may name the bucket or the endpoint)."""

    name: str
    ok: bool
    seconds: float
    error: str = ""


def storage_ready() -> StorageCheck:
    """Whether the letter store answers: one listing of the letters folder (a missing folder counts as an answer:
    a new deployment has no letters yet). Takes as long as the store's connect timeout at worst."""
    started = time.monotonic()
    try:
        letter_storage.listdir(LETTER_FILES_FOLDER)
    except FileNotFoundError:
        pass
    except Exception as error:  # any backend's failure means "not ready"; the details go to the log only
        logger.warning("The letter store did not answer: %s", type(error).__name__, exc_info=True)
        return StorageCheck("storage", False, time.monotonic() - started, type(error).__name__)
    return StorageCheck("storage", True, time.monotonic() - started)
