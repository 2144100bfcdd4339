"""A demonstration case for previewing wording: synthetic facts for every placeholder, nothing from the database."""

from datetime import date

from accounts.models import Partnership
from letters.content import ACTION_LINE, OUTCOME_WORDS, LetterContent, Recipient, compose, long_date
from letters.languages import ENGLISH, direction, embed_facts, phrase, weekday_name
from letters.models import LetterFormat, Letterhead, LetterKind, Variant
from rjcases.models import Case

DEMO_REFERENCE = "RJ-2026-00000"

DEMO_RECIPIENT = Recipient(
    key="demo",
    name="Alex Example",
    first_name="Alex",
    address_lines=("Flat 1, 10 Demonstration Street", "Stretford", "M32 0ZZ"),
    has_postal_address=True,
    party_id=0,
    role="harmed",
)
DEMO_REFERRER = Recipient(
    key="referrer",
    name="PC Sam Sample",
    first_name="Sam",
    address_lines=("Example Police, Stretford Division", "1 Sample Road", "Stretford", "M32 0YY"),
    has_postal_address=True,
)


def demo_facts(kind: str, variant: str, language: str = ENGLISH, letterhead: Letterhead | None = None) -> dict:
    recipient = DEMO_REFERRER if kind == LetterKind.REFERRAL_ACKNOWLEDGEMENT else DEMO_RECIPIENT
    letterhead = letterhead or Letterhead.current()

    def dated(year: int, month: int, day: int) -> str:
        return long_date(date(year, month, day), language)

    def words(english: str) -> str:
        return phrase(language, english)

    action = words(ACTION_LINE)
    facts = {
        "recipient_name": recipient.name,
        "recipient_first_name": recipient.first_name,
        "case_reference": DEMO_REFERENCE,
        "letter_date": dated(2026, 11, 2),
        "incident_date": dated(2026, 10, 1),
        "service_name": letterhead.name,
        "service_phone": letterhead.phone,
        "service_email": letterhead.email,
        "facilitator_name": "Jo Demonstration",
        "received_on": dated(2026, 10, 5),
        "crime_reference": "06/123456/26",
        "referrer_organisation": "Example Police",
        "decision_reason": "The incident is outside the area the service covers." if variant == Variant.DECLINE else "",
        "activity_type": words("face-to-face conference"),
        "activity_date": f"{weekday_name(language, 1) or 'Tuesday'} {dated(2026, 11, 10)}",
        "activity_time": "2:30pm",
        "activity_place": "Community room, Stretford library",
        "interpreter": "We have booked an interpreter for you (Polish): Example Language Services.",
        "interpreter_language": "Polish",
        "interpreter_provider": "Example Language Services",
        "participants": [
            f"Alex Example ({words('person harmed')})",
            f"Chris Sample ({words('person responsible')})",
            f"Jo Demonstration ({words('facilitator')})",
        ],
        "agreement_date": dated(2026, 11, 10),
        "actions": [
            action.format(
                what="Write a letter of apology",
                who="Chris Sample",
                due=dated(2026, 11, 24),
                how="the facilitator passes the letter on",
            ),
            action.format(
                what="Attend an awareness session",
                who="Chris Sample",
                due=dated(2026, 12, 8),
                how="attendance record from the provider",
            ),
        ],
        "outcome": words(OUTCOME_WORDS[Case.Outcome.AGREEMENT_FULFILLED]),
        "closed_on": dated(2026, 12, 15),
    }
    return embed_facts(facts) if direction(language) == "rtl" else facts


def demo_content(
    kind: str,
    variant: str,
    fmt: str,
    *,
    subject: str,
    body: str,
    closing: str,
    language: str = ENGLISH,
    partnership: Partnership | None = None,
) -> LetterContent:
    """A letter of this kind to a made-up person, from the given wording (saved or not), in its language, on the
    letterhead of ``partnership`` (the default letterhead without one)."""
    recipient = DEMO_REFERRER if kind == LetterKind.REFERRAL_ACKNOWLEDGEMENT else DEMO_RECIPIENT
    letterhead = Letterhead.for_partnership(partnership)
    facts = demo_facts(kind, variant, language, letterhead)
    return compose(
        template=None,
        subject=subject,
        body=body,
        closing=closing,
        facts=facts,
        recipient=recipient,
        letterhead=letterhead,
        fmt=fmt if fmt in LetterFormat.values else LetterFormat.STANDARD,
        reference=DEMO_REFERENCE,
        signatory_name="Jo Demonstration",
        signatory_title=phrase(language, letterhead.signatory_title),
        kind=kind,
        language=language,
    )
