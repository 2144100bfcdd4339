"""Letters are files: every test here stores them under its own temporary MEDIA_ROOT.

A letter's file is written by a task queued when its transaction commits, and pytest-django's ``db`` tests
never commit: a test that reads files is marked ``letter_files`` and makes its letters inside
``with files_written():``, which runs the block's on-commit callbacks at its end as a real commit would.

``letters_case`` is a referral with a person harmed, a person responsible and a supporter, each with their
own address, postcode, phone and email, so that a test can look for one person's details in another's letter.
"""

import io
import re
import unicodedata

import pytest
from django.test import TestCase
from pypdf import PdfReader

from rjcases import services
from rjcases.models import Party
from tests.walk import refer

CONTACTS = {
    "harmed": {
        "first_name": "Amina",
        "last_name": "Harmedperson",
        "address": "1 Harmed Street\nStretford",
        "postcode": "M32 0AA",
        "phone": "07700 900001",
        "email": "amina.harmed@example.org",
    },
    "responsible": {
        "first_name": "Kieran",
        "last_name": "Responsibleperson",
        "address": "2 Responsible Road\nSale",
        "postcode": "M33 7BB",
        "phone": "07700 900002",
        "email": "kieran.responsible@example.org",
    },
    "supporter": {
        "first_name": "Sara",
        "last_name": "Supporterperson",
        "address": "3 Supporter Lane\nUrmston",
        "postcode": "M41 0DD",
        "phone": "07700 900003",
        "email": "sara.supporter@example.org",
    },
}


@pytest.fixture(autouse=True)
def letters_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def files_written():
    """Run the on-commit callbacks of the block at its end (the letters' files are written, when the test is
    marked ``letter_files``); the same as pytest-django's ``django_capture_on_commit_callbacks(execute=True)``."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def party_data(role: str, **overrides) -> services.PartyData:
    details = {**CONTACTS[role], **overrides}
    first, last = details.pop("first_name"), details.pop("last_name")
    return services.PartyData(role, first, last, details)


def add_supporter(case, user, **overrides):
    """A supporter is added to a case after the referral (a referral names only the people harmed and responsible)."""
    details = {**CONTACTS["supporter"], **overrides}
    return services.add_party(case, user, role=Party.Role.SUPPORTER, **details)


@pytest.fixture
def letters_case(police_referrer, manager):
    case = refer(police_referrer, parties=[party_data(Party.Role.HARMED), party_data(Party.Role.RESPONSIBLE)])
    add_supporter(case, manager)
    return case


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def letter_text(letter) -> str:
    letter.refresh_from_db()  # the file is written after the row
    with letter.file.open("rb") as handle:
        return pdf_text(handle.read())


def squash(text: str) -> str:
    """Text compared without spaces or line breaks, after NFKC (Arabic presentation forms become letters)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def contact_strings(role: str) -> list[str]:
    """Every form of one person's contact details that must not appear in someone else's letter."""
    details = CONTACTS[role]
    found = [
        details["email"],
        details["phone"],
        details["phone"].replace(" ", ""),
        details["postcode"],
        details["postcode"].replace(" ", ""),
    ]
    found += details["address"].split("\n")[:1]  # the street line (the town alone is not a contact detail)
    return found
