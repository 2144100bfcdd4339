"""Guards for case transitions: cheap checks that each name what is missing, in words a user understands.

django-fsm calls a condition and wants a yes or no; the service also wants the reasons. A ``Guard`` is
both: calling it answers yes or no, ``guard.problems(case)`` lists what is unmet.
"""

from collections.abc import Callable
from datetime import date

from accounts.aggregates import listed


class Problem(str):
    """A guard's message that also names the page that fixes it: ``fix`` is a URL name and the arguments after the
    case's reference (``("rjcases:assess", (party.pk,))``); pages turn it into a link (``rjcases.templatetags``).
    Still a plain string wherever a message is all that is wanted (the API, messages, tests)."""

    fix: tuple[str, tuple] | None

    def __new__(cls, text: str, fix: str | None = None, *args):
        problem = super().__new__(cls, text)
        problem.fix = (fix, tuple(args)) if fix else None
        return problem


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
    return (
        []
        if case.facilitator_id
        else [Problem("Allocate a facilitator before accepting the referral.", "rjcases:allocate")]
    )


@guard
def ready_for_preparation(case) -> list[str]:
    """Every participating party assessed with consent recorded; harmers acknowledge; high risk signed off."""
    from rjcases.models import Party

    problems = []
    parties = [p for p in case.parties.all() if p.participating and p.role != Party.Role.SUPPORTER]
    if not any(p.role == Party.Role.HARMED for p in parties):
        problems.append(Problem("Add at least one participating person harmed.", "rjcases:party_add"))
    if not any(p.role == Party.Role.RESPONSIBLE for p in parties):
        problems.append(Problem("Add at least one participating person responsible.", "rjcases:party_add"))
    for party in parties:
        assessment = party.current_assessment
        if assessment is None:
            problems.append(
                Problem(
                    f"Assess {party.display_name} ({party.get_role_display().lower()}).", "rjcases:assess", party.pk
                )
            )
        else:
            if party.role == Party.Role.RESPONSIBLE and not (
                assessment.acknowledges_facts and assessment.accepts_responsibility
            ):
                problems.append(
                    Problem(
                        f"{party.display_name} must acknowledge the basic facts and accept responsibility.",
                        "rjcases:assess",
                        party.pk,
                    )
                )
            if assessment.risk_level == assessment.RiskLevel.HIGH and not assessment.signed_off_at:
                problems.append(
                    Problem(
                        f"A manager must sign off the high risk assessed for {party.display_name}.",
                        "rjcases:sign_off",
                        assessment.pk,
                    )
                )
            if not assessment.willing:
                problems.append(
                    Problem(
                        f"{party.display_name} is not recorded as willing to take part.", "rjcases:assess", party.pk
                    )
                )
        if not party.has_active_consent and withdrawn_participation(party) is None:
            problems.append(
                Problem(f"Record {party.display_name}'s written consent to take part.", "rjcases:consent_add", party.pk)
            )
    return problems


@guard
def activity_planned(case) -> list[str]:
    """A restorative activity is planned with its type, date and place or method."""
    activity = case.current_activity
    if activity is None:
        return [
            Problem("Plan a restorative activity (type, date, and place or method) first.", "conferences:activity_plan")
        ]
    problems = []
    if not activity.scheduled_for:
        problems.append(Problem("Give the activity's date and time.", "conferences:activity_reschedule", activity.pk))
    if not (activity.venue or activity.method):
        problems.append(
            Problem(
                "Give the activity's venue or, for indirect activity, its method.",
                "conferences:activity_reschedule",
                activity.pk,
            )
        )
    return problems


@guard
def activity_took_place(case) -> list[str]:
    """The activity took place."""
    activity = case.current_activity
    if activity is None or activity.took_place_on is None:
        if activity is None:
            return [Problem("Record that the restorative activity took place first.", "conferences:activity")]
        return [
            Problem(
                "Record that the restorative activity took place first.", "conferences:activity_took_place", activity.pk
            )
        ]
    return []


@guard
def agreement_recorded(case) -> list[str]:
    """An agreement with at least one action is recorded."""
    agreement = case.current_agreement
    if agreement is None:
        return [Problem("Record the outcome agreement first.", "conferences:agreement")]
    if not agreement.actions.exists():
        return [Problem("Add at least one action to the agreement.", "conferences:action_add")]
    return []


@guard
def every_action_resolved(case) -> list[str]:
    """Every agreement action is done or missed."""
    agreement = case.current_agreement
    if agreement is None:
        return ["There is no agreement to complete."]
    actions = list(agreement.actions.all())
    open_actions = [a for a in actions if a.status == a.Status.OPEN]
    if open_actions:
        names = ", ".join(a.what for a in open_actions[:3])
        return [
            Problem(
                f"Mark every action done or missed first ({len(open_actions)} still open: {names}).",
                "conferences:monitoring",
            )
        ]
    if not actions:
        return ["The agreement has no actions."]
    return []


# ---------------------------------------------------------------------------------------------------
# Withdrawn consent: a person who withdrew consent to take part stops the process until the facilitator
# records that they no longer take part (rjcases.services.record_no_longer_taking_part) or withdraws the case.


def long_date(day: date) -> str:
    """3 December 2026."""
    return f"{day.day} {day:%B %Y}"


def _consents(party) -> list:
    """The party's consents, from the prefetch cache where the caller loaded it (the case page does)."""
    cache = getattr(party, "_prefetched_objects_cache", {})
    if "consents" in cache:
        return list(cache["consents"])
    return list(party.consents.all())


def withdrawn_participation(party, consents: list | None = None):
    """The date this party withdrew consent to take part, if that withdrawal is in force (no consent to take
    part given since); None otherwise."""
    from rjcases.models import Consent

    given = [
        c for c in (consents if consents is not None else _consents(party)) if c.purpose == Consent.Purpose.PARTICIPATE
    ]
    if not given or any(c.withdrawn_on is None for c in given):
        return None
    return max(c.withdrawn_on for c in given)


def withdrawals_in_force(case) -> list[tuple[object, date]]:
    """(party, date) for each person still recorded as taking part whose consent to take part is withdrawn.

    One query for the case's participation consents (none when the case's parties were prefetched with their
    consents), whatever the number of people: guards run whenever transitions are listed.
    """
    from rjcases.models import Consent

    parties = [p for p in case.parties.all() if p.participating]
    if not parties:
        return []
    if all("consents" in getattr(p, "_prefetched_objects_cache", {}) for p in parties):
        by_party = {p.pk: list(p._prefetched_objects_cache["consents"]) for p in parties}
    else:
        by_party = {p.pk: [] for p in parties}
        rows = Consent.objects.filter(party__in=[p.pk for p in parties], purpose=Consent.Purpose.PARTICIPATE)
        for consent in rows.order_by():
            by_party[consent.party_id].append(consent)
    found = []
    for party in parties:
        day = withdrawn_participation(party, by_party[party.pk])
        if day is not None:
            found.append((party, day))
    return found


def withdrawal_message(party, day: date) -> str:
    return f"{party.display_name} withdrew consent to take part on {long_date(day)}."


@guard
def no_consent_withdrawn(case) -> list[str]:
    """Nobody still taking part has withdrawn their consent to take part."""
    return [
        Problem(
            withdrawal_message(party, day) + " Record that they no longer take part, or withdraw the case.",
            "rjcases:no_longer_taking_part",
            party.pk,
        )
        for party, day in withdrawals_in_force(case)
    ]


def invited(case, activity) -> list:
    """The people the activity invites, read once per activity object (two guards ask). On the case page's summary,
    whose case holds its current activity with their keys (``rjcases.held_reads``), the case's people already read."""
    if "_invited" not in activity.__dict__:
        if "listed_invited" in activity.__dict__:
            keys = set(listed(activity.listed_invited))
            activity.__dict__["_invited"] = [party for party in case.parties.all() if party.pk in keys]
        else:
            activity.__dict__["_invited"] = list(activity.invited.all())
    return activity.__dict__["_invited"]


@guard
def activity_invites_only_participants(case) -> list[str]:
    """The planned activity invites nobody who no longer takes part or has withdrawn consent to take part."""
    activity = case.current_activity
    if activity is None:
        return []
    stopped = {party.pk for party, _day in withdrawals_in_force(case)}
    return [
        Problem(
            f"The planned activity invites {party.display_name}, who "
            + ("has withdrawn consent to take part" if party.pk in stopped else "no longer takes part")
            + ": reschedule it without them.",
            "conferences:activity_reschedule",
            activity.pk,
        )
        for party in invited(case, activity)
        if not party.participating or party.pk in stopped
    ]


@guard
def interpreters_confirmed(case) -> list[str]:
    """Everyone invited to the planned activity who needs an interpreter has a confirmed booking for it, in their
    language (``conferences.models.InterpreterBooking``)."""
    from rjcases.needs import interpreter_language_for, needs_interpreter, same_language

    activity = case.current_activity
    if activity is None:
        return []
    people = invited(case, activity) or [p for p in case.parties.all() if p.participating]
    needing = [p for p in people if needs_interpreter(p)]
    if not needing:
        return []
    bookings = list(activity.interpreter_bookings.all())
    problems = []
    for party in needing:
        language = interpreter_language_for(party)
        own = [b for b in bookings if b.party_id == party.pk and same_language(b.language, language)]
        if not own:
            problems.append(f"Book an interpreter ({language}) for {party.display_name}, and confirm the booking.")
        elif not any(b.confirmed for b in own):
            problems.append(f"Confirm the interpreter ({language}) booked for {party.display_name}.")
    return problems
