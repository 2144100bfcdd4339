"""A letter file whose move was rolled back is found and, when asked, deleted; letters' own files never are."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction

from letters import services
from letters.models import Letter, LetterKind
from tests.walk import to_assessment

pytestmark = pytest.mark.django_db


class RolledBack(Exception):
    pass


def stored_files(media_root) -> set[str]:
    root = Path(media_root)
    return {str(p.relative_to(root)) for p in root.rglob("*.pdf")}


def test_a_rolled_back_moves_letter_file_is_swept_and_kept_letters_are_not(letters_case, manager, facilitator,
                                                                          letters_media_root):
    def move_then_fail():
        with transaction.atomic():
            to_assessment(letters_case, manager, facilitator)  # writes its letters' files, then the block fails
            raise RolledBack

    with pytest.raises(RolledBack):
        move_then_fail()
    orphans = stored_files(letters_media_root)
    assert orphans
    assert not Letter.objects.exists()

    case = to_assessment(letters_case, manager, facilitator)  # this time it stands, with its letters
    kept = set(Letter.objects.values_list("file", flat=True))
    assert kept
    assert stored_files(letters_media_root) == orphans | kept

    assert services.orphaned_letter_files(timedelta(hours=1)) == []  # too recent: may still be in progress
    assert services.orphaned_letter_files(timedelta(0)) == sorted(orphans)

    out = io.StringIO()
    call_command("sweep_letter_files", "--older-than-hours", "0", stdout=out)
    assert sorted(orphans) == out.getvalue().splitlines()[:-1]
    assert stored_files(letters_media_root) == orphans | kept  # listing deletes nothing

    call_command("sweep_letter_files", "--older-than-hours", "0", "--delete", stdout=io.StringIO())
    assert stored_files(letters_media_root) == kept
    letter = case.letters.get(kind=LetterKind.RJ_INFORMATION)
    with letter.file.open("rb") as handle:
        assert handle.read().startswith(b"%PDF-")


def test_a_superseded_versions_file_is_kept(letters_case, manager, facilitator, letters_media_root):
    case = to_assessment(letters_case, manager, facilitator)
    first = case.letters.get(kind=LetterKind.RJ_INFORMATION)
    second = services.regenerate_letter(first, manager)
    first.refresh_from_db()
    assert (first.status, second.version) == (Letter.Status.SUPERSEDED, 2)
    assert services.delete_orphaned_letter_files(timedelta(0)) == []
    assert {first.file.name, second.file.name} <= stored_files(letters_media_root)
