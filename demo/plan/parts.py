"""The pieces of one case's story that are not yet the workflow: its random stream and timeline, the people
in it (names, contact details, needs), the incident and who referred it."""

from __future__ import annotations

import math
from datetime import date, timedelta
from random import Random
from typing import TYPE_CHECKING

from demo import people, texts
from demo.plan.records import Identity, PartyPlan, Step, local_time

if TYPE_CHECKING:
    from demo.plan.planner import Planner


class StoryParts:
    """One case's random stream, timeline and people; ``story.CaseStory`` tells the story with them."""

    def __init__(self, planner: Planner, index: int):
        self.planner = planner
        self.index = index
        self.rng = Random(f"{planner.seed}:case:{index}")
        self.received_on = planner.spread.dates[index]
        self.age = planner.spread.age(index)
        self.scenario = planner.spread.scenarios[index]
        self.steps: list[Step] = []
        self.day = 0.0
        self.later = []  # callbacks that need the steps' final times

    # --- timeline --------------------------------------------------------------------------------

    def wait(self, low: float, high: float) -> None:
        self.day += self.rng.uniform(low, high)

    def add(self, step_kind: str, **data) -> Step:
        step = Step(step_kind, self.day, self.rng.randint(9 * 60, 17 * 60 + 30), data)
        self.steps.append(step)
        return step

    def _fix_times(self) -> None:
        """Squeeze the story into the days since referral, so every step happened before today."""
        self.steps.sort(key=lambda s: s.day)  # stable: steps of one day keep the order they were told in
        last_day = max(0, self.age - 1)
        span = max(s.day for s in self.steps)
        factor = min(1.0, last_day / span) if span > 0 else 1.0
        previous = None
        for step in self.steps:
            day = min(last_day, math.floor(step.day * factor))
            at = local_time(self.received_on + timedelta(days=day), step.minute)
            if previous is not None and at <= previous:
                at = previous + timedelta(minutes=self.rng.randint(1, 5))
            step.at = previous = at
        for callback in self.later:
            callback()

    # --- people ----------------------------------------------------------------------------------

    def person(self, role: str, key: str, origin=None, first=None, last=None, strands=()) -> PartyPlan:
        rng = self.rng
        origin = origin or people.pick_origin(rng, prefer_british=role == "responsible")
        first = first or rng.choice(origin.first_names)
        last = last or rng.choice(origin.surnames)
        district = people.WARD_DISTRICT[self.ward]
        addr, postcode = people.address(rng, district)
        if role == "responsible":
            age_band = rng.choices(
                ["under_18", "18_24", "25_44", "45_64", "65_plus", "unknown"],
                [3 if self.route == "school" else 0.6, 3, 4, 2, 0.4, 0.5],
            )[0]
        else:
            age_band = rng.choices(
                ["under_18", "18_24", "25_44", "45_64", "65_plus", "unknown"],
                [2 if self.route == "school" else 0.4, 2, 4, 3, 1.2, 0.4],
            )[0]
        fields = {
            "age_band": age_band,
            "address": addr,
            "postcode": postcode,
            "phone": people.phone(rng) if rng.random() < 0.9 else "",
            "email": people.email(first, last, self.index * 10 + len(key)) if rng.random() < 0.6 else "",
            "preferred_contact_method": rng.choice(["phone", "phone", "text", "email", "letter", "in_person"]),
        }
        # In this order, so that the same seed gives the same people: times, then whether messages may be left.
        times, note = rng.choice(texts.SAFE_TIMES) if rng.random() < 0.5 else ({}, "")
        fields.update(safe_times=times, safe_contact_times=note, no_messages=rng.random() < 0.15)
        if rng.random() < 0.5:
            fields["date_of_birth"] = _birth_date(rng, age_band, self.received_on)
        if rng.random() < origin.other_language_rate:
            fields["language"] = origin.language
            if rng.random() < 0.7:
                fields["interpreter_needed"] = True
                fields["interpreter_language"] = origin.language
        elif rng.random() < 0.02:
            fields.update(
                language="British Sign Language",
                interpreter_needed=True,
                interpreter_language="British Sign Language (BSL)",
            )
        needs_boost = 0.1 if "disability" in strands and role == "harmed" else 0.0
        fields["large_print"] = rng.random() < 0.04 + needs_boost
        fields["easy_read"] = rng.random() < 0.03 + needs_boost
        if rng.random() < 0.05:
            fields["other_adjustments"] = rng.choice(texts.ADJUSTMENTS)
        return PartyPlan(key, role, {"first_name": first, "last_name": last, **fields})

    def incident(self, ident: Identity, strands: list[str]) -> dict:
        rng = self.rng
        place, where = rng.choice(texts.PLACES)
        adjective = " and ".join(dict.fromkeys(texts.ADJECTIVE[s] for s in strands))
        template = rng.choice(texts.SUMMARIES[ident.crime_type])
        summary = template.format(adj=adjective, Adj=adjective[0].upper() + adjective[1:], where=where)
        district = people.WARD_DISTRICT[ident.ward]
        data = {
            "ward": ident.ward,
            "crime_type": ident.crime_type,
            "occurred_from": ident.occurred_from,
            "place": f"{place}, {people.DISTRICTS[district]}",
            "crime_reference": ident.crime_reference,
            "perceived_by": rng.choices(["victim", "witness", "police", "other"], [80, 8, 7, 5])[0],
            "summary": summary,
            "postcode": people.postcode(rng, district) if rng.random() < 0.6 else "",
        }
        if rng.random() < 0.15:
            data["occurred_to"] = ident.occurred_from + timedelta(minutes=rng.choice((20, 45, 90, 180)))
        return data

    def referral_source(self) -> tuple[dict, str]:
        rng = self.rng
        route = self.route
        if route == "police":
            return {}, "police_other" if rng.random() < 0.1 else "police"
        if route == "reporting-centre":
            may_be_anonymous = self.scenario in ("referral", "referral_declined", "withdrawn")
            kind = "anonymous" if may_be_anonymous and rng.random() < 0.3 else "assisted"
            fields = {"report_kind": kind, "consents_to_police": None if kind == "anonymous" else rng.random() < 0.6}
            if rng.random() < 0.75:
                return {**fields, "reporting_centre": "centre_stretford"}, "centre"
            return {
                **fields,
                "reporting_centre": "centre_altrincham",
                "referring_organisation": "centre_altrincham",
                "referrer_name": "Reporting centre volunteer (demo)",
                "referrer_contact": "altrincham.centre@example.org",
            }, "manager"
        if route == "victim-service":
            return {"referring_organisation": "victim_service"}, "caseworker"
        if route == "self-referral":
            return {"referrer_name": "The person harmed (self-referral)"}, rng.choice(("manager", "facilitator"))
        names = {
            "housing": ("Housing officer, Example Homes (demo)", "housing.officer@example.org"),
            "school": ("Safeguarding lead, Example High School (demo)", "safeguarding@example.org"),
            "other": ("Community worker (demo)", "community.worker@example.org"),
        }
        name, contact = names[route]
        return {"referrer_name": name, "referrer_contact": contact}, "manager"


def _birth_date(rng: Random, age_band: str, on: date) -> date | None:
    ranges = {"under_18": (12, 17), "18_24": (18, 24), "25_44": (25, 44), "45_64": (45, 64), "65_plus": (65, 88)}
    if age_band not in ranges:
        return None
    low, high = ranges[age_band]
    return on - timedelta(days=rng.randint(low * 365 + 5, high * 365 + 360))
