"""A stored letter file that no letter points at (a writer stopped between storing the file and updating the
letter's row) is found and, when asked, deleted; letters' own files never are."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from letters import services
from letters.models import Letter, LetterKind
from tests.letters.conftest import files_written
from tests.walk import to_assessment

pytestmark = [pytest.mark.django_db, pytest.mark.letter_files]


def stored_files(media_root) -> set[str]:
    root = Path(media_root)
    return {str(p.relative_to(root)) for p in root.rglob("*.pdf")}


def test_a_file_no_letter_points_at_is_swept_and_kept_letters_are_not(
    letters_case, manager, facilitator, letters_media_root
):
    with files_written():
        case = to_assessment(letters_case, manager, facilitator)
    kept = set(Letter.objects.values_list("file", flat=True))
    assert len(kept) == 3
    orphan = default_storage.save("letters/2026/01/left-behind.pdf", ContentFile(b"%PDF-1.4 half written"))
    assert stored_files(letters_media_root) == kept | {orphan}

    assert services.orphaned_letter_files(timedelta(hours=1)) == []  # too recent: may still be in progress
    assert services.orphaned_letter_files(timedelta(0)) == [orphan]

    out = io.StringIO()
    call_command("sweep_letter_files", "--older-than-hours", "0", stdout=out)
    assert out.getvalue().splitlines()[:-1] == [orphan]
    assert stored_files(letters_media_root) == kept | {orphan}  # listing deletes nothing

    call_command("sweep_letter_files", "--older-than-hours", "0", "--delete", stdout=io.StringIO())
    assert stored_files(letters_media_root) == kept
    letter = case.letters.get(kind=LetterKind.RJ_INFORMATION)
    with letter.file.open("rb") as handle:
        assert handle.read().startswith(b"%PDF-")


def test_a_superseded_versions_file_is_kept(letters_case, manager, facilitator, letters_media_root):
    with files_written():
        case = to_assessment(letters_case, manager, facilitator)
    first = case.letters.get(kind=LetterKind.RJ_INFORMATION)
    with files_written():
        second = services.regenerate_letter(first, manager)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.version) == (Letter.Status.SUPERSEDED, 2)
    assert services.delete_orphaned_letter_files(timedelta(0)) == []
    assert {first.file.name, second.file.name} <= stored_files(letters_media_root)
