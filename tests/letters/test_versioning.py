"""Each generated letter is kept: file, SHA-256, wording version, recipient, format, who and when. Regenerating
makes a new version and never overwrites."""

import hashlib

import pytest
from django.db import IntegrityError

from letters import services
from letters.content import LetterRefused
from letters.models import Letter, LetterFormat, LetterKind
from rjcases.models import Party
from rjcases.services import ActionRefused
from tests.letters.conftest import files_written
from tests.walk import to_assessment


@pytest.fixture
def accepted_case(letters_case, manager, facilitator):
    with files_written():  # the letters' files, in tests marked letter_files
        return to_assessment(letters_case, manager, facilitator)


def stored_bytes(letter) -> bytes:
    with letter.file.open("rb") as handle:
        return handle.read()


@pytest.mark.letter_files
def test_a_stored_letter_keeps_its_file_checksum_and_provenance(accepted_case, manager):
    letter = accepted_case.letters.get(kind=LetterKind.RJ_INFORMATION)
    data = stored_bytes(letter)
    assert data.startswith(b"%PDF-")
    assert letter.sha256 == hashlib.sha256(data).hexdigest()
    assert letter.size == len(data)
    assert letter.party == accepted_case.parties.get(role=Party.Role.HARMED)
    assert letter.recipient_key == f"party-{letter.party_id}"
    assert (letter.format, letter.version, letter.status) == (LetterFormat.STANDARD, 1, Letter.Status.PENDING)
    assert letter.generated_by == manager
    assert letter.generated_at is not None
    assert letter.template.kind == LetterKind.RJ_INFORMATION
    assert letter.template_version == 1
    assert letter.content["recipient_name"] == "Amina Harmedperson"


@pytest.mark.letter_files
def test_letter_files_are_stored_under_media_root_with_no_name_in_the_path(accepted_case, letters_media_root):
    letter = accepted_case.letters.get(kind=LetterKind.RJ_INFORMATION)
    path = letter.file.path
    assert path.startswith(str(letters_media_root))
    assert "Amina" not in path
    assert accepted_case.reference not in path


@pytest.mark.letter_files
def test_regenerating_makes_a_new_version_and_keeps_the_old_one(accepted_case, facilitator):
    first = accepted_case.letters.get(kind=LetterKind.RJ_INFORMATION)
    first_bytes = stored_bytes(first)
    with files_written():
        second = services.regenerate_letter(first, facilitator)
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.pk != first.pk
    assert second.version == 2
    assert second.file.name != first.file.name
    assert stored_bytes(first) == first_bytes
    assert hashlib.sha256(first_bytes).hexdigest() == first.sha256
    assert second.generated_by == facilitator
    # The pending first version will not be posted as well.
    assert (first.status, second.status) == (Letter.Status.SUPERSEDED, Letter.Status.PENDING)
    assert list(accepted_case.letters.filter(kind=LetterKind.RJ_INFORMATION).latest_versions()) == [second]


@pytest.mark.letter_files
def test_regenerating_a_sent_letter_leaves_it_sent(accepted_case, facilitator):
    first = accepted_case.letters.get(kind=LetterKind.RJ_INFORMATION)
    services.mark_sent(facilitator, [first])
    services.regenerate_letter(first, facilitator)
    first.refresh_from_db()
    assert first.status == Letter.Status.SENT


def test_versions_count_per_recipient(accepted_case, facilitator):
    responsible = accepted_case.parties.get(role=Party.Role.RESPONSIBLE)
    supporter = accepted_case.parties.get(role=Party.Role.SUPPORTER)
    a = services.generate_letter(
        accepted_case, facilitator, kind=LetterKind.RJ_INFORMATION, recipient_key=f"party-{supporter.pk}"
    )
    b = services.generate_letter(
        accepted_case,
        facilitator,
        kind=LetterKind.INVITATION,
        recipient_key=f"party-{responsible.pk}",
        fmt=LetterFormat.LARGE_PRINT,
    )
    assert (a.version, b.version, b.format) == (1, 2, LetterFormat.LARGE_PRINT)


def test_the_same_version_cannot_be_stored_twice(accepted_case):
    letter = accepted_case.letters.get(kind=LetterKind.RJ_INFORMATION)
    letter.pk = None
    with pytest.raises(IntegrityError):
        letter.save()


def test_a_letter_that_makes_no_sense_now_is_refused_and_nothing_is_stored(accepted_case, facilitator):
    harmed = accepted_case.parties.get(role=Party.Role.HARMED)
    before = Letter.objects.count()
    for kind, key, reason in [
        (LetterKind.CLOSURE, f"party-{harmed.pk}", "not closed"),
        (LetterKind.OUTCOME_AGREEMENT, f"party-{harmed.pk}", "no outcome agreement"),
        (LetterKind.ACTIVITY_CONFIRMATION, f"party-{harmed.pk}", "no planned activity"),
        (LetterKind.RJ_INFORMATION, "referrer", "not to the referrer"),
        (LetterKind.REFERRAL_ACKNOWLEDGEMENT, f"party-{harmed.pk}", "referrer only"),
        (LetterKind.RJ_INFORMATION, "party-999999", "Choose someone on this case"),
    ]:
        with pytest.raises(LetterRefused, match=reason):
            services.generate_letter(accepted_case, facilitator, kind=kind, recipient_key=key)
    assert Letter.objects.count() == before


def test_only_the_cases_facilitator_or_a_manager_generates(accepted_case, other_facilitator, police_referrer):
    for user in (other_facilitator, police_referrer):
        with pytest.raises(ActionRefused):
            services.generate_letter(accepted_case, user, kind=LetterKind.RJ_INFORMATION, recipient_key="referrer")


@pytest.mark.letter_files
def test_a_changed_file_is_refused_rather_than_sent(accepted_case):
    letter = accepted_case.letters.get(kind=LetterKind.RJ_INFORMATION)
    with open(letter.file.path, "ab") as handle:
        handle.write(b"tampered")
    with pytest.raises(services.LetterFileChanged):
        services.letter_bytes(letter)
