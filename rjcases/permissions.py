"""Object-level rules: who may see a case, see its details, and take each transition.

Plain predicates built from the role facts in ``accounts.roles``; the model's transitions, the
querysets and the views all use these, so a rule is written once.
"""

from accounts import roles


def is_case_facilitator(case, user) -> bool:
    return (
        roles.is_facilitator(user)
        and user.pk in (case.facilitator_id, case.co_facilitator_id)
        and roles.in_partnership(user, case.partnership_id)
    )


def is_case_caseworker(case, user) -> bool:
    if not roles.is_caseworker(user):
        return False
    from rjcases.models import Party

    return case.parties.filter(role=Party.Role.HARMED, caseworker=user).exists()


def is_referring_organisation(case, user) -> bool:
    return (
        roles.is_referrer(user)
        and user.organisation_id is not None
        and user.organisation_id in (case.referring_organisation_id, case.reporting_centre_id)
    )


def is_case_manager(case, user) -> bool:
    """A manager of the case's partnership (a manager elsewhere is nobody to this case)."""
    return roles.is_manager(user) and roles.in_partnership(user, case.partnership_id)


def is_queue_facilitator(case, user) -> bool:
    """A facilitator of the case's partnership while it is unallocated (its queue is theirs to see)."""
    return (
        roles.is_facilitator(user) and case.facilitator_id is None and roles.in_partnership(user, case.partnership_id)
    )


def can_manage(case, user) -> bool:
    return is_case_manager(case, user)


def can_facilitate(case, user) -> bool:
    return is_case_facilitator(case, user)


def can_withdraw(case, user) -> bool:
    if is_case_manager(case, user) or is_case_facilitator(case, user) or is_case_caseworker(case, user):
        return True
    return case.state == "referral" and is_referring_organisation(case, user)


def can_see_details(case, user) -> bool:
    """Parties, contact details, notes: not for referrers, who see status, dates and outcome only."""
    if is_case_manager(case, user):
        return True
    if is_queue_facilitator(case, user) or is_case_facilitator(case, user):
        return True
    return is_case_caseworker(case, user)


def can_edit_case_work(case, user) -> bool:
    """Parties, assessments, consent, notes, contacts: the case's facilitators and managers."""
    return is_case_manager(case, user) or is_case_facilitator(case, user)


# ---------------------------------------------------------------------------------------------------
# A caseworker's scope: their own client in full; of everyone else the role and first name only.


def sees_whole_case(case, user) -> bool:
    """Every party's details, every note and the full timeline: managers and the case's facilitators (or any
    facilitator while it is unallocated). A caseworker's view is cut to their own client."""
    if is_case_manager(case, user):
        return True
    return is_queue_facilitator(case, user) or is_case_facilitator(case, user)


def is_party_caseworker(party, user) -> bool:
    """The caseworker of this person harmed (the victim service supporting them)."""
    return (
        roles.is_caseworker(user) and party.role == "harmed" and user.pk is not None and party.caseworker_id == user.pk
    )


def may_see_party_details(case, user, party) -> bool:
    """A person's contact details, date of birth, needs, assessments, consents and letters: RJ staff who see
    the whole case, and the caseworker of that person only."""
    return sees_whole_case(case, user) or is_party_caseworker(party, user)


def may_record_for_party(case, user, party) -> bool:
    """Consent, feedback and wellbeing of this person: the case's facilitators and managers, and this person's
    own caseworker (for their client only)."""
    return can_edit_case_work(case, user) or is_party_caseworker(party, user)


def party_name_for(case, user, party) -> str:
    """How this person is named to this user: in full where they may see the person's details; otherwise the
    first name only, or the role where no first name is recorded ("the person responsible")."""
    if may_see_party_details(case, user, party):
        return party.display_name
    if party.first_name:
        return party.first_name
    return {"harmed": "the person harmed", "responsible": "the person responsible"}.get(party.role, "a supporter")


def may_see_note(case, user, note) -> bool:
    """A case note: RJ staff who see the whole case; a caseworker only a note the facilitator shared with them by
    name (``Note.shared_with``), or one they wrote themselves."""
    if sees_whole_case(case, user):
        return True
    return is_case_caseworker(case, user) and (
        note.author_id == user.pk or note.shared_with.filter(pk=user.pk).exists()
    )


def notes_visible_to(case, user):
    """The case's notes this user may read (``may_see_note`` as one query): all of them for RJ staff who see the
    whole case; for a caseworker those shared with them and those they wrote; for anyone else none."""
    from django.db.models import Q

    from rjcases.models import Note

    notes = Note.objects.filter(case=case)
    if sees_whole_case(case, user):
        return notes
    if not is_case_caseworker(case, user):
        return notes.none()
    shared = Note.shared_with.through.objects.filter(user_id=user.pk).values("note_id")
    return notes.filter(Q(author_id=user.pk) | Q(pk__in=shared))


# Who withdrew (``rjcases.choices.WITHDRAWN_BY_CHOICES``) as a caseworker may record it: their client only.
CASEWORKER_WITHDRAWN_BY = ("person harmed",)


def withdrawn_by_allowed(case, user) -> tuple[str, ...] | None:
    """The ``withdrawn_by`` values this user may record on the case's withdrawal; None means any of them.

    A caseworker who is not also the case's facilitator or a manager withdraws on their client's behalf only."""
    if is_case_manager(case, user) or is_case_facilitator(case, user) or is_referring_organisation(case, user):
        return None
    if is_case_caseworker(case, user):
        return CASEWORKER_WITHDRAWN_BY
    return None


# ---------------------------------------------------------------------------------------------------
# Consent to share with the police: once withdrawn, the referrer sees that the case is closed, not how it ended.


def police_consent_withdrawn_q():
    """True (as a query expression over cases) where someone on the case has withdrawn their consent to share with
    the police and has not given it again. Annotate list querysets with it as ``police_consent_withdrawn``."""
    from django.db.models import Exists, OuterRef

    from rjcases.models import Consent

    share = Consent.Purpose.SHARE_WITH_POLICE
    given_again = Consent.objects.filter(party=OuterRef("party"), purpose=share, withdrawn_on__isnull=True)
    return Exists(
        Consent.objects.filter(party__case=OuterRef("pk"), purpose=share, withdrawn_on__isnull=False).exclude(
            Exists(given_again)
        )
    )


def police_may_see_outcome(case) -> bool:
    """Whether those who see only a case's status (police referrers, reporting centres) may see its outcome
    category: not once a person on the case has withdrawn consent to share with the police. One query, or none
    where the queryset was annotated with ``police_consent_withdrawn``."""
    if hasattr(case, "police_consent_withdrawn"):
        return not case.police_consent_withdrawn
    from rjcases.models import Case

    return not Case.objects.filter(pk=case.pk).filter(police_consent_withdrawn_q()).exists()


def may_see_outcome(case, user) -> bool:
    """The outcome category: everyone who sees the case's details; the others while police sharing stands."""
    return can_see_details(case, user) or police_may_see_outcome(case)


def may_see_supervision(case, user) -> bool:
    """Case supervision records: the partnership's managers and the case's own facilitators, nobody else."""
    if roles.is_manager(user):
        return True
    return roles.is_facilitator(user) and user.pk in (case.facilitator_id, case.co_facilitator_id)
