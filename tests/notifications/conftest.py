"""Notifications are sent by a task queued when the change's transaction commits, and pytest-django's ``db`` tests
never commit: each test makes its change inside ``with sent():`` (``django_capture_on_commit_callbacks`` with
``execute=True``), which runs the on-commit callbacks at its end as a real commit would; the immediate task
backend then sends at once into Django's locmem outbox.

``people_case`` is a police referral whose person harmed (with a caseworker) and person responsible have
distinctive names, addresses, postcodes, phones, emails and dates of birth: ``assert_no_party_data`` looks for
every one of them in the whole of each message, headers included.
"""

from datetime import date

import pytest
from django.core import mail

from rjcases import services
from rjcases.models import Party
from tests.walk import refer

PEOPLE = {
    Party.Role.HARMED: {
        "first_name": "Zebedee",
        "last_name": "Quillfeather",
        "address": "77 Marigold Crescent, Davyhulme Nook",
        "postcode": "M32 9ZQ",
        "phone": "07700 900777",
        "email": "zebedee.q@example.net",
        "date_of_birth": date(1961, 3, 17),
    },
    Party.Role.RESPONSIBLE: {
        "first_name": "Ottoline",
        "last_name": "Brackenridge",
        "address": "5 Juniper Walk, Sale",
        "postcode": "M33 4QB",
        "phone": "07700 900888",
        "email": "ottoline.b@example.net",
        "date_of_birth": date(1988, 11, 2),
    },
}


def party_values() -> list[str]:
    """Every distinctive value of the people above, as it could appear in a message."""
    values = []
    for person in PEOPLE.values():
        for name, value in person.items():
            if isinstance(value, date):
                values += [value.isoformat(), f"{value.day} {value:%B %Y}", f"{value:%d/%m/%Y}"]
            else:
                values.append(value)
                if name == "address":
                    values += [part.strip() for part in value.split(",")]
                if name == "phone":
                    values.append(value.replace(" ", ""))
    return values


def assert_no_party_data(email) -> None:
    whole = email.message().as_string()
    import quopri

    decoded = quopri.decodestring(whole.encode()).decode("utf-8", "replace")
    for text in (whole, decoded, email.body, *(content for content, _ in getattr(email, "alternatives", []))):
        for value in party_values():
            assert value.lower() not in text.lower(), f"{value!r} is in the message {email.subject!r}"


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def people_case(police_referrer, caseworker):
    parties = []
    for role, person in PEOPLE.items():
        extra = {k: v for k, v in person.items() if k not in ("first_name", "last_name")}
        if role == Party.Role.HARMED:
            extra["caseworker"] = caseworker
        parties.append(services.PartyData(role, person["first_name"], person["last_name"], extra))
    case = refer(police_referrer, parties=parties)
    mail.outbox.clear()
    return case
