"""Two workers writing the same letter at the same moment (PostgreSQL, two real connections): both render, the
conditional update lets one mark it written, and the other deletes the file it stored: one file, one version, and
the letter's SHA-256 and time written are the stored file's."""

import hashlib
import threading

import pytest
from django.db import connection

from letters import files
from letters.models import Letter
from letters.renderer import LetterRenderer
from letters.storage import letter_storage
from tests.walk import refer, to_assessment

pytestmark = [pytest.mark.postgres, pytest.mark.letter_files, pytest.mark.django_db(transaction=True)]


def test_two_workers_on_one_letter_store_one_file(settings, police_referrer, manager, facilitator, monkeypatch):
    settings.RJ_LETTER_FILES = False  # the letters stay pending: the two "workers" below write one of them
    letter = to_assessment(refer(police_referrer), manager, facilitator).letters.first()
    both_rendering = threading.Barrier(2, timeout=60)
    real = LetterRenderer.render_with_page_count

    def render_together(self, content):
        both_rendering.wait()  # neither has stored its file yet: each saw the letter pending
        return real(self, content)

    monkeypatch.setattr(LetterRenderer, "render_with_page_count", render_together)
    outcomes, errors = [], []

    def worker():
        try:
            outcomes.append(files.write_letter_file(letter.pk))
        except Exception as error:  # pragma: no cover - shown by the assertion
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(outcomes) == [files.SKIPPED, files.WRITTEN]
    letter.refresh_from_db()
    assert letter.file_status == Letter.FileStatus.WRITTEN
    _, stored = letter_storage.listdir(letter.file.name.rsplit("/", 1)[0])
    assert [f"{letter.file.name.rsplit('/', 1)[0]}/{name}" for name in stored] == [letter.file.name]
    with letter_storage.open(letter.file.name, "rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == letter.sha256
    assert letter.file_written_at is not None
    # Marking the file written adds no history row: the letter's only one is its generation.
    assert list(letter.history.values_list("history_change_reason", flat=True)) == ["version 1 generated"]
