"""A person harmed or responsible added after ``accept`` gets the letter ``accept`` wrote to the others (RJ
information, an invitation), then, in their own format; its file is written once the addition commits."""

import pytest
from django.urls import reverse

from letters.models import Letter, LetterFormat, LetterKind
from rjcases import services
from rjcases.models import Party
from tests.letters.conftest import files_written, letter_text
from tests.walk import to_assessment, to_preparation

pytestmark = pytest.mark.django_db


def test_a_person_harmed_added_after_accept_gets_the_rj_information_in_their_format(letters_case, manager, facilitator):
    case = to_assessment(letters_case, manager, facilitator)

    bea = services.add_party(
        case,
        facilitator,
        role=Party.Role.HARMED,
        first_name="Bea",
        last_name="Lateharmed",
        address="4 Late Lane\nSale",
        large_print=True,
    )

    letter = Letter.objects.get(case=case, party_id=bea.pk)
    assert (letter.kind, letter.format, letter.recipient_name) == (
        LetterKind.RJ_INFORMATION,
        LetterFormat.LARGE_PRINT,
        "Bea Lateharmed",
    )
    assert letter.generated_by == facilitator
    # The first person harmed's letter is not written again.
    assert case.letters.filter(kind=LetterKind.RJ_INFORMATION).count() == 2


def test_a_person_responsible_added_later_gets_an_invitation_in_easy_read(letters_case, manager, facilitator):
    case = to_preparation(letters_case, manager, facilitator)

    lee = services.add_party(
        case,
        facilitator,
        role=Party.Role.RESPONSIBLE,
        first_name="Lee",
        last_name="Lateresponsible",
        address="5 Late Road\nAltrincham",
        easy_read=True,
    )

    letter = Letter.objects.get(case=case, party_id=lee.pk)
    assert (letter.kind, letter.format) == (LetterKind.INVITATION, LetterFormat.EASY_READ)


def test_no_letter_for_a_supporter_nor_before_the_referral_is_accepted(letters_case, manager, facilitator):
    before = Letter.objects.count()
    services.add_party(letters_case, manager, role=Party.Role.HARMED, first_name="Early", last_name="Harmed")
    assert Letter.objects.count() == before  # accept writes it, with the others'

    case = to_assessment(letters_case, manager, facilitator)
    after_accept = Letter.objects.count()
    services.add_party(case, facilitator, role=Party.Role.SUPPORTER, first_name="Sam", last_name="Supporter")
    assert Letter.objects.count() == after_accept


def test_the_web_form_adds_the_person_and_their_letter(client, letters_case, manager, facilitator):
    case = to_assessment(letters_case, manager, facilitator)
    client.force_login(facilitator)
    response = client.post(
        reverse("rjcases:party_add", args=[case.reference]),
        {
            "role": "harmed",
            "first_name": "Bea",
            "last_name": "Lateharmed",
            "age_band": "unknown",
            "address": "4 Late Lane",
            "language": "English",
            "participating": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    bea = case.parties.get(first_name="Bea")
    assert Letter.objects.filter(case=case, party_id=bea.pk, kind=LetterKind.RJ_INFORMATION).exists()


@pytest.mark.letter_files
def test_the_late_letter_file_is_written_after_the_addition_commits(letters_case, manager, facilitator):
    case = to_assessment(letters_case, manager, facilitator)
    with files_written():
        bea = services.add_party(
            case,
            facilitator,
            role=Party.Role.HARMED,
            first_name="Bea",
            last_name="Lateharmed",
            address="4 Late Lane\nSale",
        )
        assert Letter.objects.get(party_id=bea.pk).file_status == Letter.FileStatus.PENDING
    letter = Letter.objects.get(party_id=bea.pk)
    assert letter.file_status == Letter.FileStatus.WRITTEN
    text = letter_text(letter)
    assert "Bea" in text
    assert "4 Late Lane" in text
    assert "1 Harmed Street" not in text  # nobody else's details
    assert "07700 900002" not in text
