"""Guards for case transitions: cheap checks that each name what is missing, in words a user understands.

django-fsm calls a condition and wants a yes or no; the service also wants the reasons. A ``Guard`` is
both: calling it answers yes or no, ``guard.problems(case)`` lists what is unmet.
"""

from collections.abc import Callable


class Guard:
    def __init__(self, check: Callable[["object"], list[str]]):
        self.check = check
        self.__name__ = check.__name__
        self.__doc__ = check.__doc__

    def __call__(self, case) -> bool:
        return not self.check(case)

    def problems(self, case) -> list[str]:
        return list(self.check(case))


def guard(check: Callable) -> Guard:
    return Guard(check)


@guard
def facilitator_allocated(case) -> list[str]:
    """A facilitator is allocated."""
    return [] if case.facilitator_id else ["Allocate a facilitator before accepting the referral."]


@guard
def ready_for_preparation(case) -> list[str]:
    """Every participating party assessed with consent recorded; harmers acknowledge; high risk signed off."""
    from rjcases.models import Party

    problems = []
    parties = [p for p in case.parties.all() if p.participating and p.role != Party.Role.SUPPORTER]
    if not any(p.role == Party.Role.HARMED for p in parties):
        problems.append("Add at least one participating person harmed.")
    if not any(p.role == Party.Role.RESPONSIBLE for p in parties):
        problems.append("Add at least one participating person responsible.")
    for party in parties:
        assessment = party.current_assessment
        if assessment is None:
            problems.append(f"Assess {party.display_name} ({party.get_role_display().lower()}).")
        else:
            if party.role == Party.Role.RESPONSIBLE and not (
                assessment.acknowledges_facts and assessment.accepts_responsibility
            ):
                problems.append(
                    f"{party.display_name} must acknowledge the basic facts and accept responsibility."
                )
            if assessment.risk_level == assessment.RiskLevel.HIGH and not assessment.signed_off_at:
                problems.append(f"A manager must sign off the high risk assessed for {party.display_name}.")
            if not assessment.willing:
                problems.append(f"{party.display_name} is not recorded as willing to take part.")
        if not party.has_active_consent:
            problems.append(f"Record {party.display_name}'s written consent to take part.")
    return problems


@guard
def activity_planned(case) -> list[str]:
    """A restorative activity is planned with its type, date and place or method."""
    activity = case.current_activity
    if activity is None:
        return ["Plan a restorative activity (type, date, and place or method) first."]
    problems = []
    if not activity.scheduled_for:
        problems.append("Give the activity's date and time.")
    if not (activity.venue or activity.method):
        problems.append("Give the activity's venue or, for indirect activity, its method.")
    return problems


@guard
def activity_took_place(case) -> list[str]:
    """The activity took place."""
    activity = case.current_activity
    if activity is None or activity.took_place_on is None:
        return ["Record that the restorative activity took place first."]
    return []


@guard
def agreement_recorded(case) -> list[str]:
    """An agreement with at least one action is recorded."""
    agreement = case.current_agreement
    if agreement is None:
        return ["Record the outcome agreement first."]
    if not agreement.actions.exists():
        return ["Add at least one action to the agreement."]
    return []


@guard
def every_action_resolved(case) -> list[str]:
    """Every agreement action is done or missed."""
    agreement = case.current_agreement
    if agreement is None:
        return ["There is no agreement to complete."]
    open_actions = [a for a in agreement.actions.all() if a.status == a.Status.OPEN]
    if open_actions:
        names = ", ".join(a.what for a in open_actions[:3])
        return [f"Mark every action done or missed first ({len(open_actions)} still open: {names})."]
    if not agreement.actions.exists():
        return ["The agreement has no actions."]
    return []
