"""Object-level rules: who may see a case, see its details, and take each transition.

Plain predicates built from the role facts in ``accounts.roles``; the model's transitions, the
querysets and the views all use these, so a rule is written once.
"""

from accounts import roles


def is_case_facilitator(case, user) -> bool:
    return roles.is_facilitator(user) and user.pk in (case.facilitator_id, case.co_facilitator_id)


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


def can_manage(case, user) -> bool:
    return roles.is_manager(user)


def can_facilitate(case, user) -> bool:
    return is_case_facilitator(case, user)


def can_withdraw(case, user) -> bool:
    if roles.is_manager(user) or is_case_facilitator(case, user) or is_case_caseworker(case, user):
        return True
    return case.state == "referral" and is_referring_organisation(case, user)


def can_see_details(case, user) -> bool:
    """Parties, contact details, notes: not for referrers, who see status, dates and outcome only."""
    if roles.is_manager(user):
        return True
    if roles.is_facilitator(user) and (case.facilitator_id is None or is_case_facilitator(case, user)):
        return True
    return is_case_caseworker(case, user)


def can_edit_case_work(case, user) -> bool:
    """Parties, assessments, consent, notes, contacts: the case's facilitators and managers."""
    return roles.is_manager(user) or is_case_facilitator(case, user)
