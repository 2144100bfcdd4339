"""Carry a case plan out through the real services, one step at a time, on the simulated clock.

Nothing here writes a row itself: every referral, allocation, assessment, consent, note, contact,
activity, agreement and transition is made by ``rjcases.services`` or ``conferences.services``, with
their permission checks and guards, so the demo cases are the ones the application would make.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import lru_cache
from types import SimpleNamespace

from django.db import transaction
from django.utils import timezone

from conferences import services as conferences
from demo.actors import Actors
from demo.clock import SimulatedClock
from demo.plan import CasePlan, PartyPlan, Step
from rjcases import safe_times, services
from rjcases.models import Case, Consent


def party_fields(actors: Actors, party: PartyPlan) -> dict:
    """The Party fields of a planned person, other than role and names (the caseworker as a user)."""
    fields = {k: v for k, v in party.fields.items() if k not in ("first_name", "last_name")}
    if party.caseworker:
        fields["caseworker"] = actors.user("caseworker")
    return fields


def referral_parties(actors: Actors, plan: CasePlan) -> list[services.PartyData]:
    """The people a plan names at referral, as ``create_referral`` takes them."""
    return [
        services.PartyData(p.role, p.fields["first_name"], p.fields.get("last_name", ""), party_fields(actors, p))
        for p in plan.parties
        if p.at_referral
    ]


def case_fields(actors: Actors, plan: CasePlan) -> dict:
    fields = dict(plan.case_fields)
    for name in ("reporting_centre", "referring_organisation"):
        if name in fields:
            fields[name] = actors.organisations[fields[name]]
    return fields


def incident_fields(actors: Actors, plan: CasePlan) -> dict:
    data = dict(plan.incident)
    data["ward"] = actors.wards[data["ward"]]
    data["crime_type"] = actors.crime_types[data["crime_type"]]
    return data


# The demo's contacts keep no safe times of their own: one made outside the person's safe times carries this reason
# (walk and bulk writer alike), as the service asks of a real one.
OUTSIDE_SAFE_TIMES = "Demo: the only time the facilitator could make it; agreed with the person beforehand."


CALLS_AND_VISITS = ("phone", "visit", "in_person", "video")  # the methods the services hold to safe times


def safe_time_reason(party, when, method: str) -> str:
    """The reason a planned contact with ``party`` (a Party or its field values) needs at ``when``, or ""."""
    if party is None or method not in CALLS_AND_VISITS:
        return ""
    times = party.get("safe_times") if isinstance(party, dict) else party.safe_times
    if not times:
        return ""
    # The test ``outside_safe_times`` makes, without building a Party for it (a tenth of the bulk seed's time).
    safe = _parsed_safe_times(json.dumps(times, sort_keys=True))
    if not safe.recorded:
        return ""
    if isinstance(when, datetime):
        moment = timezone.localtime(when) if timezone.is_aware(when) else when
        day, clock = moment.date(), moment.time().replace(second=0, microsecond=0)
    else:
        day, clock = when, None
    return OUTSIDE_SAFE_TIMES if safe.outside(day, clock) else ""


@lru_cache(maxsize=256)
def _parsed_safe_times(times: str) -> safe_times.SafeTimes:
    return safe_times.of(SimpleNamespace(safe_times=json.loads(times)))


class _Case:
    """What the walk of one case has made so far, by the plan's keys."""

    def __init__(self, plan: CasePlan):
        self.plan = plan
        self.case: Case | None = None
        self.parties = {}
        self.assessments = {}
        self.activity = None
        self.actions = []

    def party(self, key: str | None):
        """A party of the case, tied to the case as it is now (a party loaded earlier holds an older copy)."""
        if key is None:
            return None
        party = self.parties[key]
        party.case = self.case
        return party


class Walker:
    def __init__(self, actors: Actors, clock: SimulatedClock, *, letters: bool = True):
        self.actors = actors
        self.clock = clock
        self.letters = letters

    def run(self, plan: CasePlan) -> Case:
        story = _Case(plan)
        with transaction.atomic():
            for step in plan.steps:
                self.clock.at = step.at
                getattr(self, f"_{step.kind}")(story, step, self.actors.user(step.data["by"]))
        return story.case

    # --- referral and case work -----------------------------------------------------------------

    def _refer(self, s: _Case, step: Step, user) -> None:
        plan, actors = s.plan, self.actors
        at_referral = [p for p in plan.parties if p.at_referral]
        case = services.create_referral(
            user,
            route=actors.routes[plan.route],
            incident=incident_fields(actors, plan),
            strands=[actors.strands[code] for code in plan.strands],
            parties=referral_parties(actors, plan),
            received_on=plan.received_on,
            **case_fields(actors, plan),
        )
        s.case = case
        s.parties = dict(zip([p.key for p in at_referral], case.parties.order_by("id"), strict=True))

    def _allocate(self, s: _Case, step: Step, user) -> None:
        s.case = services.allocate(
            s.case,
            user,
            facilitator=self.actors.user(step.data["facilitator"]),
            co_facilitator=self.actors.user(step.data["co_facilitator"]),
            notify=False,
        )

    def _contact(self, s: _Case, step: Step, user) -> None:
        d = step.data
        party = s.party(d["party"])
        services.record_contact(
            s.case,
            user,
            party=party,
            at=step.at,
            method=d["method"],
            result=d["result"],
            rj_information_given=d["rj_information_given"],
            notes=d["notes"],
            outside_safe_times_reason=safe_time_reason(party, step.at, d["method"]),
        )

    def _note(self, s: _Case, step: Step, user) -> None:
        services.add_note(s.case, user, body=step.data["body"])

    def _transition(self, s: _Case, step: Step, user) -> None:
        s.case = services.take_transition(
            s.case, user, step.data["name"], letters=self.letters, notify=False, **step.data["inputs"]
        )

    def _add_party(self, s: _Case, step: Step, user) -> None:
        planned = next(p for p in s.plan.parties if p.key == step.data["party"])
        fields = party_fields(self.actors, planned)
        if planned.supports:
            fields["supports"] = s.party(planned.supports)
        s.parties[planned.key] = services.add_party(
            s.case,
            user,
            role=planned.role,
            first_name=planned.fields["first_name"],
            last_name=planned.fields.get("last_name", ""),
            **fields,
        )

    def _assess(self, s: _Case, step: Step, user) -> None:
        s.assessments[step.data["party"]] = services.record_assessment(
            s.party(step.data["party"]), user, assessed_on=step.on, **step.data["fields"]
        )

    def _sign_off(self, s: _Case, step: Step, user) -> None:
        services.sign_off_assessment(s.assessments[step.data["party"]], user, note=step.data["note"])

    def _consent(self, s: _Case, step: Step, user) -> None:
        d = step.data
        services.record_consent(s.party(d["party"]), user, purpose=d["purpose"], given_on=step.on, method=d["method"])

    def _withdraw_consent(self, s: _Case, step: Step, user) -> None:
        consent = (
            Consent.objects.filter(
                party=s.party(step.data["party"]), purpose=Consent.Purpose.PARTICIPATE, withdrawn_on__isnull=True
            )
            .order_by("-id")
            .first()
        )
        if consent is not None:
            services.withdraw_consent(consent, user, withdrawn_on=step.on, reason=step.data["reason"])

    # --- the restorative work -------------------------------------------------------------------

    def _prep_contact(self, s: _Case, step: Step, user) -> None:
        d = step.data
        conferences.add_preparation_contact(
            s.case,
            user,
            party=s.party(d["party"]),
            held_on=step.on,
            method=d["method"],
            attendees=d["attendees"],
            notes=d["notes"],
            interpreter_arranged=d["interpreter_arranged"],
            adjustments_arranged=d["adjustments_arranged"],
            outside_safe_times_reason=safe_time_reason(s.party(d["party"]), step.on, d["method"]),
        )

    def _plan_activity(self, s: _Case, step: Step, user) -> None:
        d = step.data
        s.activity = conferences.plan_activity(
            s.case,
            user,
            kind=d["kind"],
            scheduled_for=d["scheduled_for"],
            duration_minutes=d["duration_minutes"],
            venue=d["venue"],
            method=d["method"],
            lead_facilitator=self.actors.user(d["lead"]),
            co_facilitator=self.actors.user(d["co"]),
            invited=[s.party(k) for k in d["invited"]],
            interpreter_booked=d["interpreter_booked"],
            interpreter_language=d["interpreter_language"],
        )

    def _book_interpreter(self, s: _Case, step: Step, user) -> None:
        d = step.data
        conferences.book_interpreter(
            s.activity,
            user,
            party=s.party(d["party"]),
            provider=d["provider"],
            language=d["language"],
            registration_number=d["registration_number"],
            cost_pence=d["cost_pence"],
            confirmed=True,
            confirmed_on=step.on,
        )

    def _hold_activity(self, s: _Case, step: Step, user) -> None:
        d = step.data
        s.activity = conferences.record_activity_took_place(
            s.activity,
            user,
            took_place_on=step.on,
            attended=[s.party(k) for k in d["attended"]],
            summary=d["summary"],
            agreement_reached=d["agreement_reached"],
        )

    def _save_agreement(self, s: _Case, step: Step, user) -> None:
        conferences.save_agreement(
            s.case,
            user,
            signed_on=step.on,
            signatories=[s.party(k) for k in step.data["signatories"]],
            notes=step.data["notes"],
        )

    def _add_action(self, s: _Case, step: Step, user) -> None:
        d = step.data
        s.actions.append(
            conferences.add_action(
                s.case,
                user,
                kind=d["kind"],
                what=d["what"],
                due_on=d["due_on"],
                how_checked=d["how_checked"],
                responsible_party=s.party(d["responsible"]),
            )
        )

    def _follow_up(self, s: _Case, step: Step, user) -> None:
        d = step.data
        party = s.party(d["party"])
        conferences.record_follow_up(
            s.case,
            user,
            party=party,
            at=step.at,
            method=d["method"],
            notes=d["notes"],
            action=s.actions[d["action"]],
            outside_safe_times_reason=safe_time_reason(party, step.at, d["method"]),
        )

    def _action_done(self, s: _Case, step: Step, user) -> None:
        d = step.data
        conferences.mark_action_done(
            s.actions[d["action"]],
            user,
            resolved_on=step.on,
            evidence_note=d["evidence_note"],
            told_method=d["told_method"],
            told_at=step.at,
        )

    def _action_missed(self, s: _Case, step: Step, user) -> None:
        d = step.data
        conferences.mark_action_missed(
            s.actions[d["action"]], user, resolved_on=step.on, evidence_note=d["evidence_note"]
        )

    def _feedback(self, s: _Case, step: Step, user) -> None:
        answers = {k: v for k, v in step.data.items() if k not in ("by", "party")}
        conferences.record_feedback(s.case, user, party=s.party(step.data["party"]), recorded_on=step.on, **answers)

    def _wellbeing(self, s: _Case, step: Step, user) -> None:
        d = step.data
        conferences.record_wellbeing(
            s.case, user, party=s.party(d["party"]), stage=d["stage"], answers=d["answers"], recorded_on=step.on
        )
