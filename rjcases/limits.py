"""What free text the service accepts: the longest each kind of text may be, and the formats of phone numbers.

The limits are the one source for the models (``max_length`` and a database check on every ``TextField``), the web
forms (a model form inherits the model's limit; ``govuk.forms`` words the error) and the API (a model serializer
derives ``max_length`` from the model field; a plain serializer names the same constant). docs/architecture.md
lists them. A limit is generous for its purpose: it is there so that one paste cannot fill a page or the database.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

NAME = 100  # a first or last name, a closing line
SHORT = 200  # one line: a place, a job title, a subject, who took part
ADDRESS = 500  # a postal address, a centre's opening times
SUMMARY = 5_000  # what happened, a closure summary, a reason, what a participant said
NOTE = 10_000  # a case note, contact notes, risk factors, a letter's wording

PHONE = 30  # the longest phone number as typed, spaces and all
EMAIL = 254  # RFC 5321's longest address, Django's EmailField default


def bounded_text(prefix: str, **fields: int) -> list[models.CheckConstraint]:
    """Database checks that each named ``TextField`` is at most its limit long (``prefix`` keeps names unique).

    ``TextField(max_length=...)`` alone is not enforced by the database; ``LENGTH(field) <= n`` is, on SQLite and
    PostgreSQL alike (both count characters, not bytes).
    """
    return [
        models.CheckConstraint(
            condition=LessThanOrEqual(Length(name), limit),
            name=f"{prefix}_{name}_length",
            violation_error_message=f"{name.replace('_', ' ').capitalize()} must be {limit:,} characters or fewer",
        )
        for name, limit in fields.items()
    ]


# ---------------------------------------------------------------------------------------------------
# Phone numbers

# Spaces, dots, hyphens and brackets are how people write numbers; they are kept as typed.
_SEPARATORS = re.compile(r"[\s.\-()]")
# A UK number: 0 then 9 or 10 digits (01632 960001, 07700 900982, 0800 123456), or the same after +44 / 0044
# without the 0. An international number: + (or 00) and a country code, 8 to 15 digits in all (E.164).
_UK = re.compile(r"^0\d{9,10}$")
_UK_INTERNATIONAL = re.compile(r"^(\+|00)44\d{9,10}$")
_INTERNATIONAL = re.compile(r"^(\+|00)[1-9]\d{7,14}$")
PHONE_MESSAGE = "Enter a phone number, like 01632 960 001, 07700 900 982 or +33 1 23 45 67 89"


def is_phone(value: str) -> bool:
    compact = _SEPARATORS.sub("", value or "")
    if compact.startswith(("+44", "0044")):
        return bool(_UK_INTERNATIONAL.match(compact))
    return bool(_UK.match(compact) or _INTERNATIONAL.match(compact))


def validate_phone(value: str) -> None:
    if value and not is_phone(value):
        raise ValidationError(PHONE_MESSAGE, code="invalid_phone")


def validate_phone_or_email(value: str) -> None:
    """A referrer's contact: either a phone number or an email address."""
    value = (value or "").strip()
    if not value:
        return
    if "@" in value:
        validate_email(value)
    elif not is_phone(value):
        raise ValidationError(
            "Enter a phone number or an email address, like 0161 496 0000 or name@example.org", code="invalid_contact"
        )
