"""A letter to one party never contains another party's address, phone or email; the referrer's letters
contain no party's contact details (nor names). Enforced by what a letter is given, and checked in the PDF
of every kind."""

import dataclasses

import pytest

from letters import services
from letters.content import letter_facts, party_recipient, recipients_for, referrer_recipient
from letters.models import LetterFormat, Letterhead, LetterKind
from letters.renderer import LetterRenderer
from letters.wording import REFERRER_KINDS, Variant
from rjcases.models import Party
from tests.letters.conftest import CONTACTS, contact_strings, files_written, pdf_text, squash
from tests.walk import hold_activity, to_conferencing


@pytest.fixture
def agreed_case(letters_case, manager, facilitator):
    return _agreed(letters_case, manager, facilitator)


def _agreed(letters_case, manager, facilitator):
    """At agreement, with an action whose text names the person harmed's phone and street (typed by staff)."""
    from conferences import services as conference_services
    from conferences.models import AgreementAction

    case = to_conferencing(letters_case, manager, facilitator)
    hold_activity(case, facilitator, agreement_actions=1)
    conference_services.add_action(
        case,
        facilitator,
        kind=AgreementAction.Kind.APOLOGY,
        due_on=case.received_on.replace(year=2027),
        what="Apologise to Amina (call 07700900001, or write to 1 Harmed Street, M32 0AA)",
        how_checked="Amina confirms by email from amina.harmed@example.org",
        responsible_party=case.parties.get(role=Party.Role.RESPONSIBLE),
    )
    from rjcases import services as case_services

    return case_services.case_record_agreement(case, facilitator)


def render_text(case, kind, recipient, fmt=LetterFormat.STANDARD) -> str:
    content, _ = services.render_content(case, kind, recipient, fmt)
    return pdf_text(LetterRenderer(fmt).render(content))


def role_of(party: Party) -> str:
    return {Party.Role.HARMED: "harmed", Party.Role.RESPONSIBLE: "responsible", Party.Role.SUPPORTER: "supporter"}[
        party.role
    ]


@pytest.mark.parametrize("kind", [k for k in LetterKind.values if k != LetterKind.REFERRAL_ACKNOWLEDGEMENT])
def test_a_party_letter_of_every_kind_holds_only_the_recipients_own_contact_details(agreed_case, kind):
    for party in agreed_case.parties.all():
        text = squash(render_text(agreed_case, kind, party_recipient(party)))
        for other in CONTACTS:
            if other == role_of(party):
                continue
            for detail in contact_strings(other):
                assert squash(detail) not in text, f"{other}'s {detail!r} is in the {kind} letter to {party}"
        own = CONTACTS[role_of(party)]
        assert squash(own["address"].split("\n")[0]) in text
        assert squash(own["postcode"]) in text


@pytest.mark.parametrize("kind", sorted(REFERRER_KINDS))
def test_the_referrers_letters_hold_no_party_contact_details_or_names(agreed_case, kind):
    text = squash(render_text(agreed_case, kind, referrer_recipient(agreed_case)))
    for role, details in CONTACTS.items():
        for detail in contact_strings(role):
            assert squash(detail) not in text, f"{role}'s {detail!r} is in the referrer's {kind} letter"
        assert squash(details["last_name"]) not in text
    assert squash("Pat Police") in text


def test_the_referrers_decline_letter_clears_party_details_typed_into_the_reason(letters_case, manager):
    from rjcases import services as case_services

    case = case_services.case_decline(
        letters_case, manager, reason="Kieran lives at 2 Responsible Road and his number is 07700 900002"
    )
    text = squash(render_text(case, LetterKind.REFERRAL_ACKNOWLEDGEMENT, referrer_recipient(case)))
    assert squash("2 Responsible Road") not in text
    assert "07700900002" not in text
    assert squash("[removed]") in text


def test_free_text_keeps_the_recipients_own_details_but_not_anyone_elses(agreed_case):
    harmed = agreed_case.parties.get(role=Party.Role.HARMED)
    responsible = agreed_case.parties.get(role=Party.Role.RESPONSIBLE)
    to_harmer = squash(render_text(agreed_case, LetterKind.OUTCOME_AGREEMENT, party_recipient(responsible)))
    to_harmed = squash(render_text(agreed_case, LetterKind.OUTCOME_AGREEMENT, party_recipient(harmed)))
    assert "07700900001" not in to_harmer
    assert squash("amina.harmed@example.org") not in to_harmer
    assert squash("Apologise to Amina (call [removed], or write to [removed]") in to_harmer
    assert "07700900001" in to_harmed


def test_what_a_letter_is_given_is_plain_text_with_only_the_recipients_own_address(agreed_case):
    letterhead = Letterhead.current()
    for recipient in recipients_for(agreed_case):
        assert set(f.name for f in dataclasses.fields(recipient)) == {
            "key",
            "name",
            "first_name",
            "address_lines",
            "has_postal_address",
            "party_id",
            "role",
            "default_format",
            "label",
            "wanted",
            "bsl",
        }
        kinds = (
            sorted(REFERRER_KINDS)
            if recipient.is_referrer
            else [k for k in LetterKind.values if k != LetterKind.REFERRAL_ACKNOWLEDGEMENT]
        )
        for kind in kinds:
            variant = Variant.ACCEPT if kind == LetterKind.REFERRAL_ACKNOWLEDGEMENT else ""
            facts = letter_facts(agreed_case, kind, variant, recipient, letterhead)
            for name, value in facts.items():
                assert isinstance(value, str) or all(isinstance(item, str) for item in value), name
            flat = squash(" ".join(v if isinstance(v, str) else " ".join(v) for v in facts.values()))
            for role in CONTACTS:
                if recipient.party_id and role == role_of(agreed_case.parties.get(pk=recipient.party_id)):
                    continue
                for detail in contact_strings(role):
                    assert squash(detail) not in flat, f"{detail!r} given to a {kind} letter to {recipient.name}"


@pytest.mark.letter_files
def test_stored_letters_from_the_workflow_keep_the_rule(letters_case, manager, facilitator):
    with files_written():  # every move's letters, written as each move commits
        agreed_case = _agreed(letters_case, manager, facilitator)
    letters = list(agreed_case.letters.select_related("party"))
    assert len(letters) >= 7
    for letter in letters:
        with letter.file.open("rb") as handle:
            text = squash(pdf_text(handle.read()))
        own = role_of(letter.party) if letter.party else None
        for role in CONTACTS:
            if role == own:
                continue
            for detail in contact_strings(role):
                assert squash(detail) not in text, f"{detail!r} in stored {letter}"
