"""A demonstration case for previewing wording: synthetic facts for every placeholder, nothing from the database."""

from letters.content import LetterContent, Recipient, compose
from letters.models import LetterFormat, Letterhead, LetterKind, Variant

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


def demo_facts(kind: str, variant: str) -> dict:
    recipient = DEMO_REFERRER if kind == LetterKind.REFERRAL_ACKNOWLEDGEMENT else DEMO_RECIPIENT
    letterhead = Letterhead.current()
    return {
        "recipient_name": recipient.name,
        "recipient_first_name": recipient.first_name,
        "case_reference": DEMO_REFERENCE,
        "letter_date": "2 November 2026",
        "incident_date": "1 October 2026",
        "service_name": letterhead.name,
        "service_phone": letterhead.phone,
        "service_email": letterhead.email,
        "facilitator_name": "Jo Demonstration",
        "received_on": "5 October 2026",
        "crime_reference": "06/123456/26",
        "referrer_organisation": "Example Police",
        "decision_reason": "The incident is outside the area the service covers." if variant == Variant.DECLINE else "",
        "activity_type": "face-to-face conference",
        "activity_date": "Tuesday 10 November 2026",
        "activity_time": "2:30pm",
        "activity_place": "Community room, Stretford library",
        "interpreter": "We have booked an interpreter for you (Polish): Example Language Services.",
        "interpreter_language": "Polish",
        "interpreter_provider": "Example Language Services",
        "participants": [
            "Alex Example (person harmed)",
            "Chris Sample (person responsible)",
            "Jo Demonstration (facilitator)",
        ],
        "agreement_date": "10 November 2026",
        "actions": [
            "Write a letter of apology: Chris Sample, by 24 November 2026. How it will be checked: the facilitator "
            "passes the letter on",
            "Attend an awareness session: Chris Sample, by 8 December 2026. How it will be checked: attendance "
            "record from the provider",
        ],
        "outcome": "The restorative activity took place, an agreement was made, and everything that was agreed "
        "has been done.",
        "closed_on": "15 December 2026",
    }


def demo_content(kind: str, variant: str, fmt: str, *, subject: str, body: str, closing: str) -> LetterContent:
    """A letter of this kind to a made-up person, from the given wording (saved or not)."""
    recipient = DEMO_REFERRER if kind == LetterKind.REFERRAL_ACKNOWLEDGEMENT else DEMO_RECIPIENT
    letterhead = Letterhead.current()
    facts = demo_facts(kind, variant)
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
        signatory_title=letterhead.signatory_title,
        kind=kind,
    )
