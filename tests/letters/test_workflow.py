"""The letters each workflow transition calls for: their rows created inside the transition's transaction, their
files written after it commits."""

import pytest

from letters.files import RENDER_FAILED
from letters.models import Letter, LetterFormat, LetterKind, Variant
from rjcases import services as case_services
from rjcases.models import Case, CaseTransition, Party
from rjcases.services import TransitionRefused
from tests.letters.conftest import files_written, letter_text, party_data, squash
from tests.walk import hold_activity, plan_activity, refer, to_agreement, to_assessment, to_conferencing, to_preparation


def made(case, transition_name: str) -> set[tuple[str, str]]:
    """(kind, recipient name) of the letters the named transition made."""
    row = case.transitions.filter(name=transition_name).latest("at", "id")
    return {(letter.kind, letter.recipient_name) for letter in row.letters.all()}


HARMED, RESPONSIBLE, SUPPORTER, REFERRER = (
    "Amina Harmedperson",
    "Kieran Responsibleperson",
    "Sara Supporterperson",
    "Pat Police",
)


def test_accept_writes_to_the_referrer_each_person_harmed_and_each_person_responsible(
    letters_case, manager, facilitator
):
    case = to_assessment(letters_case, manager, facilitator)
    assert made(case, "accept") == {
        (LetterKind.REFERRAL_ACKNOWLEDGEMENT, REFERRER),
        (LetterKind.RJ_INFORMATION, HARMED),
        (LetterKind.INVITATION, RESPONSIBLE),
    }
    acknowledgement = case.letters.get(kind=LetterKind.REFERRAL_ACKNOWLEDGEMENT)
    assert acknowledgement.variant == Variant.ACCEPT
    assert acknowledgement.recipient_key == "referrer"
    for letter in case.letters.all():
        assert (letter.generated_by, letter.status) == (manager, Letter.Status.PENDING)


def test_accept_uses_each_persons_format(police_referrer, manager, facilitator):
    case = to_assessment(
        refer(
            police_referrer,
            parties=[
                party_data(Party.Role.HARMED, large_print=True),
                party_data(Party.Role.RESPONSIBLE, easy_read=True),
            ],
        ),
        manager,
        facilitator,
    )
    assert case.letters.get(kind=LetterKind.RJ_INFORMATION).format == LetterFormat.LARGE_PRINT
    invitation = case.letters.get(kind=LetterKind.INVITATION)
    assert invitation.format == LetterFormat.EASY_READ
    assert invitation.template.format == "easy_read"


@pytest.mark.letter_files
def test_decline_writes_the_decline_acknowledgement_to_the_referrer_only(letters_case, manager):
    with files_written():
        case = case_services.case_decline(letters_case, manager, reason="Outside the borough")
    assert made(case, "decline") == {(LetterKind.REFERRAL_ACKNOWLEDGEMENT, REFERRER)}
    letter = case.letters.get()
    assert letter.variant == Variant.DECLINE
    assert squash("The reason is: Outside the borough") in squash(letter_text(letter))


def test_schedule_activity_confirms_to_each_participant_invited(letters_case, manager, facilitator):
    case = to_preparation(letters_case, manager, facilitator)
    plan_activity(case, facilitator, invited=list(case.parties.exclude(role=Party.Role.SUPPORTER)))
    case = case_services.case_schedule_activity(case, facilitator)
    assert made(case, "schedule_activity") == {
        (LetterKind.ACTIVITY_CONFIRMATION, HARMED),
        (LetterKind.ACTIVITY_CONFIRMATION, RESPONSIBLE),
    }


def test_schedule_activity_with_nobody_named_confirms_to_every_participating_party(letters_case, manager, facilitator):
    case = to_preparation(letters_case, manager, facilitator)
    plan_activity(case, facilitator, invited=[])
    case = case_services.case_schedule_activity(case, facilitator)
    assert made(case, "schedule_activity") == {
        (LetterKind.ACTIVITY_CONFIRMATION, HARMED),
        (LetterKind.ACTIVITY_CONFIRMATION, RESPONSIBLE),
        (LetterKind.ACTIVITY_CONFIRMATION, SUPPORTER),
    }


def test_record_agreement_sends_the_agreement_to_each_signatory(letters_case, manager, facilitator):
    case = to_agreement(letters_case, manager, facilitator)
    signatories = {p.display_name for p in case.current_agreement.signatories.all()}
    assert signatories
    assert made(case, "record_agreement") == {(LetterKind.OUTCOME_AGREEMENT, name) for name in signatories}


def _resolve_actions(case, facilitator):
    from django.utils import timezone

    from conferences import services as conference_services

    for action in case.current_agreement.actions.all():
        conference_services.mark_action_done(
            action, facilitator, resolved_on=timezone.localdate(), evidence_note="Seen", told_method="phone"
        )


@pytest.mark.letter_files
def test_complete_sends_closure_to_each_party_and_the_referrer(letters_case, manager, facilitator):
    case = to_agreement(letters_case, manager, facilitator, actions=1)
    _resolve_actions(case, facilitator)
    with files_written():
        case = case_services.case_complete(Case.objects.get(pk=case.pk), facilitator, summary="All done")
    assert made(case, "complete") == {
        (LetterKind.CLOSURE, HARMED),
        (LetterKind.CLOSURE, RESPONSIBLE),
        (LetterKind.CLOSURE, REFERRER),
    }
    text = squash(letter_text(case.letters.get(kind=LetterKind.CLOSURE, recipient_key="referrer")))
    assert squash("everything that was agreed has been done") in text


@pytest.mark.letter_files
def test_conclude_sends_closure_with_the_outcome_in_plain_words(letters_case, manager, facilitator):
    case = to_conferencing(letters_case, manager, facilitator)
    hold_activity(case, facilitator)
    with files_written():
        case = case_services.case_conclude(case, facilitator, outcome=Case.Outcome.NO_AGREEMENT_NEEDED)
    assert {kind for kind, _ in made(case, "conclude")} == {LetterKind.CLOSURE}
    assert len(made(case, "conclude")) == 3
    harmed_letter = case.letters.get(kind=LetterKind.CLOSURE, party__role=Party.Role.HARMED)
    assert squash("The restorative activity took place. No written agreement was needed.") in squash(
        letter_text(harmed_letter)
    )


@pytest.mark.letter_files
def test_find_unsuitable_writes_not_suitable_to_the_parties_and_closure_to_the_referrer(
    letters_case, manager, facilitator
):
    case = to_assessment(letters_case, manager, facilitator)
    with files_written():
        case = case_services.case_find_unsuitable(case, facilitator, reason="Risk too high")
    assert made(case, "find_unsuitable") == {
        (LetterKind.NOT_SUITABLE, HARMED),
        (LetterKind.NOT_SUITABLE, RESPONSIBLE),
        (LetterKind.CLOSURE, REFERRER),
    }
    for letter in case.letters.filter(kind=LetterKind.NOT_SUITABLE):
        assert "Risk too high" not in letter_text(letter), "the reason is not told to the parties"


def test_withdraw_writes_withdrawal_to_the_parties_and_closure_to_the_referrer(letters_case, manager, facilitator):
    case = to_assessment(letters_case, manager, facilitator)
    case = case_services.case_withdraw(case, facilitator, withdrawn_by="harmed", reason="Changed their mind")
    assert made(case, "withdraw") == {
        (LetterKind.WITHDRAWAL, HARMED),
        (LetterKind.WITHDRAWAL, RESPONSIBLE),
        (LetterKind.CLOSURE, REFERRER),
    }


def test_withdraw_before_acceptance_writes_only_to_the_referrer(letters_case, manager):
    case = case_services.case_withdraw(letters_case, manager, withdrawn_by="referrer", reason="Sent in error")
    assert made(case, "withdraw") == {(LetterKind.CLOSURE, REFERRER)}


def test_moves_without_letters_make_none(letters_case, manager, facilitator):
    case = to_preparation(letters_case, manager, facilitator)
    assert made(case, "find_suitable") == set()


def test_a_referral_made_by_the_services_own_staff_has_no_referrer_letter(manager, facilitator):
    case = to_assessment(
        refer(manager, parties=[party_data(Party.Role.HARMED), party_data(Party.Role.RESPONSIBLE)]),
        manager,
        facilitator,
    )
    assert not case.letters.filter(recipient_key="referrer").exists()
    assert case.letters.count() == 2


def test_the_referrers_own_name_filled_in_by_the_intake_keeps_their_job_title_on_the_letter(
    letters_case, police_referrer
):
    from letters.content import referrer_recipient

    police_referrer.job_title = "PC, Hate Crime Unit"
    police_referrer.save(update_fields=["job_title"])
    recipient = referrer_recipient(letters_case)
    assert recipient.name == police_referrer.get_full_name()
    assert recipient.address_lines[0] == "PC, Hate Crime Unit"


def test_a_letter_that_cannot_be_made_refuses_the_whole_transition(letters_case, manager, facilitator, monkeypatch):
    import letters.services

    case = case_services.allocate(letters_case, manager, facilitator=facilitator)

    def broken(*args, **kwargs):
        raise RuntimeError("no wording")

    monkeypatch.setattr(letters.services, "render_content", broken)
    with pytest.raises(RuntimeError):
        case_services.case_accept(case, manager)
    case.refresh_from_db()
    assert case.state == Case.State.REFERRAL
    assert not CaseTransition.objects.filter(case=case, name="accept").exists()
    assert not Letter.objects.filter(case=case).exists()


@pytest.mark.letter_files
def test_a_file_that_cannot_be_rendered_leaves_the_move_taken_and_the_letters_failed(
    letters_case, manager, facilitator, monkeypatch
):
    from letters.renderer import LetterRenderer

    case = case_services.allocate(letters_case, manager, facilitator=facilitator)

    def broken(self, content):
        raise RuntimeError("renderer broke")

    monkeypatch.setattr(LetterRenderer, "render_with_page_count", broken)
    with files_written():
        case = case_services.case_accept(case, manager)  # no exception reaches the caller
    case.refresh_from_db()
    assert case.state == Case.State.ASSESSMENT
    letters = list(case.letters.all())
    assert len(letters) == 3
    assert {(letter.file_status, letter.file_error, letter.file.name) for letter in letters} == {
        (Letter.FileStatus.FAILED, f"{RENDER_FAILED} (RuntimeError). The details are in the service's log.", "")
    }


def test_a_refused_transition_makes_no_letter(letters_case, facilitator):
    with pytest.raises(TransitionRefused):
        case_services.case_accept(letters_case, facilitator)
    assert not Letter.objects.exists()


def test_letters_name_the_transition_that_made_them(letters_case, manager, facilitator):
    case = to_assessment(letters_case, manager, facilitator)
    row = case.transitions.get(name="accept")
    assert set(case.letters.values_list("transition_id", flat=True)) == {row.pk}


def test_whether_the_referrer_is_staff_read_with_the_case_gives_the_same_recipient_as_their_roles(
    letters_case, manager, facilitator
):
    """Letters read the case with whether its referring user is staff (in the case's query, not from their roles);
    the recipient is the one their roles give: a police referrer is written to, a referral by a manager has no
    referrer to write to, and a manager no longer active is written to by name (``roles.has_role`` counts only
    active users)."""
    from letters.content import REFERRED_BY_STAFF, referrer_recipient
    from letters.services import _locked_case

    by_staff = refer(manager, parties=[party_data(Party.Role.HARMED), party_data(Party.Role.RESPONSIBLE)])
    for case in (letters_case, by_staff):
        annotated = _locked_case(case, referrer=True)
        assert REFERRED_BY_STAFF in annotated.__dict__
        assert referrer_recipient(annotated) == referrer_recipient(Case.objects.get(pk=case.pk))
    assert referrer_recipient(_locked_case(letters_case)) is not None
    assert referrer_recipient(_locked_case(by_staff)) is None
    manager.is_active = False
    manager.save(update_fields=["is_active"])
    inactive = _locked_case(by_staff)
    assert referrer_recipient(inactive) == referrer_recipient(Case.objects.get(pk=by_staff.pk))
    assert referrer_recipient(inactive).name == manager.get_full_name()
