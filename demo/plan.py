"""Case plans: the synthetic story of each demo case, decided before anything is written.

A plan depends only on (seed, number of cases, the as-of date, its index), never on the database or on
how it is carried out, so the walk through the services and the bulk writer produce the same cases.
Each case gets its own random stream (``Random(f"{seed}:case:{index}")``); only the received dates and
the spread of final states are drawn for all cases at once, so that every state and outcome appears.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from random import Random

from django.utils import timezone

from demo import people, texts
from rjcases import clocks

WINDOW_DAYS = 456  # received dates fall in the last 15 months

OPEN_STATES = ("referral", "assessment", "preparation", "conferencing", "agreement")
OUTCOMES = (
    "referral_declined", "not_suitable", "no_agreement_needed", "no_agreement_reached",
    "agreement_fulfilled", "agreement_partly_fulfilled", "agreement_breached", "withdrawn",
)
SCENARIOS = OPEN_STATES + OUTCOMES
# How far into the workflow each scenario goes before it stops or closes (0 referral .. 4 agreement).
_REACHES = {
    "referral": 0, "referral_declined": 0, "assessment": 1, "not_suitable": 1, "preparation": 2,
    "conferencing": 3, "no_agreement_needed": 3, "no_agreement_reached": 3, "agreement": 4,
    "agreement_fulfilled": 4, "agreement_partly_fulfilled": 4, "agreement_breached": 4,
}
# The youngest case (days since referral) each scenario plausibly fits; the coverage fix-up prefers these.
_MIN_AGE = {
    "referral": 1, "assessment": 4, "preparation": 15, "conferencing": 25, "agreement": 45,
    "referral_declined": 3, "not_suitable": 15, "withdrawn": 5, "no_agreement_needed": 40,
    "no_agreement_reached": 40, "agreement_fulfilled": 80, "agreement_partly_fulfilled": 80,
    "agreement_breached": 80,
}


def _scenario_weights(age: int) -> dict[str, float]:
    """Where a case of this age (days since referral) has got to: young cases are open, old ones closed."""
    if age < 10:
        return {"referral": 55, "assessment": 24, "referral_declined": 7, "withdrawn": 6, "preparation": 3}
    if age < 35:
        return {"referral": 12, "assessment": 30, "preparation": 16, "conferencing": 5, "referral_declined": 11,
                "not_suitable": 9, "withdrawn": 11}
    if age < 100:
        return {"referral": 3, "assessment": 12, "preparation": 11, "conferencing": 10, "agreement": 12,
                "referral_declined": 9, "not_suitable": 12, "withdrawn": 13, "no_agreement_needed": 8,
                "no_agreement_reached": 5, "agreement_fulfilled": 4}
    if age < 200:
        return {"assessment": 3, "preparation": 3, "conferencing": 3, "agreement": 10, "referral_declined": 9,
                "not_suitable": 12, "withdrawn": 14, "no_agreement_needed": 10, "no_agreement_reached": 7,
                "agreement_fulfilled": 19, "agreement_partly_fulfilled": 6, "agreement_breached": 4}
    return {"assessment": 1, "preparation": 1, "agreement": 2, "referral_declined": 9, "not_suitable": 13,
            "withdrawn": 16, "no_agreement_needed": 11, "no_agreement_reached": 8, "agreement_fulfilled": 26,
            "agreement_partly_fulfilled": 8, "agreement_breached": 5}


# --- the spread of the borough's hate incidents -----------------------------------------------------

STRANDS = {"race": 64, "sexual-orientation": 15, "disability": 8, "religion": 7, "transgender": 4,
           "alternative-subculture": 1.5, "other": 0.5}
SECOND_STRAND = {"race": "religion", "religion": "race", "sexual-orientation": "transgender",
                 "transgender": "sexual-orientation", "disability": "race"}
CRIME_TYPES = {"public-order": 47, "violence": 38, "criminal-damage": 5, "other-offences": 3, "nchi": 7}
ROUTES = {"police": 55, "reporting-centre": 15, "victim-service": 12, "self-referral": 8, "housing": 5,
          "school": 3, "other": 2}
# Uneven on purpose: the town centres and the north of the borough are the hotspot.
WARDS = {
    "TRF15": 14, "TRF18": 11, "TRF09": 10, "TRF01": 8, "TRF16": 7, "TRF12": 6, "TRF21": 5, "TRF13": 4,
    "TRF17": 4, "TRF04": 4, "TRF06": 4, "TRF14": 3, "TRF07": 3, "TRF02": 3, "TRF05": 2.5, "TRF08": 2.5,
    "TRF20": 2.5, "TRF19": 2, "TRF10": 2, "TRF11": 1.5, "TRF03": 1,
}


# --- plans ---------------------------------------------------------------------------------------


@dataclass
class PartyPlan:
    key: str
    role: str
    fields: dict
    supports: str | None = None
    caseworker: bool = False
    at_referral: bool = True


@dataclass
class Step:
    kind: str
    day: float
    minute: int
    data: dict
    at: datetime | None = None

    @property
    def on(self) -> date:
        return self.at.astimezone(_zone()).date()


@dataclass
class CasePlan:
    index: int
    scenario: str
    received_on: date
    route: str
    referrer: str
    case_fields: dict
    incident: dict
    strands: list[str]
    parties: list[PartyPlan]
    steps: list[Step] = field(default_factory=list)
    duplicate_of: int | None = None


def _weighted(rng: Random, table: dict):
    return rng.choices(list(table), list(table.values()))[0]


@lru_cache(maxsize=1)
def _zone():
    return timezone.get_default_timezone()


def _local(day: date, minute: int) -> datetime:
    """The local time ``minute`` minutes into ``day`` (as timezone.make_aware would give, without its lookups)."""
    return datetime.combine(day, time(), tzinfo=_zone()) + timedelta(minutes=minute)


class Spread:
    """The part of the demo decided for all cases together: received dates (oldest first, so references
    count up with time) and the final scenario of each case, with every state and outcome present."""

    def __init__(self, count: int, seed: int, as_of: date):
        self.count, self.seed, self.as_of = count, seed, as_of
        rng = Random(f"{seed}:spread:{count}")
        days = [as_of - timedelta(days=k) for k in range(1, WINDOW_DAYS + 1)]
        # More referrals lately (the plan promotes RJ), fewer at weekends.
        weights = [(1.0 + 0.35 * (1 - k / WINDOW_DAYS)) * (0.6 if d.weekday() >= 5 else 1.0)
                   for k, d in enumerate(days, start=1)]
        self.dates = sorted(rng.choices(days, weights, k=count))
        self.scenarios = [
            _weighted(Random(f"{seed}:scenario:{i}"), _scenario_weights(self.age(i))) for i in range(count)
        ]
        self._cover_every_scenario(Random(f"{seed}:cover:{count}"))
        # Every ward has at least one case (when there are enough cases); the rest follow the weights.
        wards = sorted(WARDS)
        self.forced_wards = {}
        if count >= len(wards):
            self.forced_wards = dict(zip(rng.sample(range(count), len(wards)), wards, strict=True))

    def age(self, index: int) -> int:
        return (self.as_of - self.dates[index]).days

    def _cover_every_scenario(self, rng: Random) -> None:
        """Make sure each state and outcome appears, by re-assigning cases of the commonest scenarios."""
        if self.count < len(SCENARIOS):
            return
        counts = {s: self.scenarios.count(s) for s in SCENARIOS}
        order = list(range(self.count))
        rng.shuffle(order)
        for scenario in SCENARIOS:
            if counts[scenario]:
                continue
            donors = [i for i in order if counts[self.scenarios[i]] > 1]
            fitting = [i for i in donors if self.age(i) >= _MIN_AGE[scenario]] or donors
            chosen = fitting[0]
            counts[self.scenarios[chosen]] -= 1
            self.scenarios[chosen] = scenario
            counts[scenario] += 1


@dataclass(frozen=True)
class Identity:
    """What a duplicate referral shares with the case it duplicates."""

    route: str
    ward: str
    occurred_from: datetime
    crime_reference: str
    crime_type: str
    harmed_origin: str
    harmed_first: str
    harmed_last: str


class Planner:
    def __init__(self, count: int, seed: int, as_of: date):
        self.spread = Spread(count, seed, as_of)
        self.seed, self.as_of = seed, as_of

    def __len__(self) -> int:
        return self.spread.count

    @lru_cache(maxsize=256)  # noqa: B019 - a planner lives for one command run
    def identity(self, index: int) -> Identity:
        rng = Random(f"{self.seed}:identity:{index}")
        received = self.spread.dates[index]
        route = _weighted(rng, ROUTES)
        ward = _weighted(rng, WARDS)
        ward = self.spread.forced_wards.get(index, ward)
        crime_type = _weighted(rng, CRIME_TYPES)
        days_before = rng.choices(range(1, 15), [14 - k for k in range(14)])[0]
        hour = rng.choices(range(7, 24), [1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 4, 4, 4, 3, 3, 2])[0]
        occurred = _local(received - timedelta(days=days_before), hour * 60 + rng.choice((0, 10, 15, 30, 45)))
        reported_to_police = route == "police" or rng.random() < 0.35
        crime_reference = ""
        if crime_type != "nchi" and reported_to_police:
            crime_reference = f"06/{100000 + index:06d}/{received.year % 100:02d}"
        origin = people.pick_origin(rng)
        return Identity(route, ward, occurred, crime_reference, crime_type, origin.code,
                        rng.choice(origin.first_names), rng.choice(origin.surnames))

    def plan(self, index: int) -> CasePlan:
        return _CaseStory(self, index).build()


class _CaseStory:
    """Writes one case's plan: the referral, then the steps of its story up to its final scenario."""

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
            at = _local(self.received_on + timedelta(days=day), step.minute)
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
            age_band = rng.choices(["under_18", "18_24", "25_44", "45_64", "65_plus", "unknown"],
                                   [3 if self.route == "school" else 0.6, 3, 4, 2, 0.4, 0.5])[0]
        else:
            age_band = rng.choices(["under_18", "18_24", "25_44", "45_64", "65_plus", "unknown"],
                                   [2 if self.route == "school" else 0.4, 2, 4, 3, 1.2, 0.4])[0]
        fields = {
            "age_band": age_band, "address": addr, "postcode": postcode,
            "phone": people.phone(rng) if rng.random() < 0.9 else "",
            "email": people.email(first, last, self.index * 10 + len(key)) if rng.random() < 0.6 else "",
            "preferred_contact_method": rng.choice(["phone", "phone", "text", "email", "letter", "in_person"]),
            "safe_contact_times": rng.choice(texts.SAFE_TIMES) if rng.random() < 0.5 else "",
            "no_messages": rng.random() < 0.15,
        }
        if rng.random() < 0.5:
            fields["date_of_birth"] = _birth_date(rng, age_band, self.received_on)
        if rng.random() < origin.other_language_rate:
            fields["language"] = origin.language
            if rng.random() < 0.7:
                fields["interpreter_needed"] = True
                fields["interpreter_language"] = origin.language
        elif rng.random() < 0.02:
            fields.update(language="British Sign Language", interpreter_needed=True,
                          interpreter_language="British Sign Language (BSL)")
        needs_boost = 0.1 if "disability" in strands and role == "harmed" else 0.0
        fields["large_print"] = rng.random() < 0.04 + needs_boost
        fields["easy_read"] = rng.random() < 0.03 + needs_boost
        if rng.random() < 0.05:
            fields["other_adjustments"] = rng.choice(texts.ADJUSTMENTS)
        return PartyPlan(key, role, {"first_name": first, "last_name": last, **fields})

    # --- the plan --------------------------------------------------------------------------------

    def build(self) -> CasePlan:
        rng, planner = self.rng, self.planner
        duplicate_of = None
        if self.scenario in ("referral", "referral_declined") and self.index >= 1 and rng.random() < 0.15:
            duplicate_of = self.index - rng.randint(1, min(self.index, 25))
        ident = planner.identity(duplicate_of if duplicate_of is not None else self.index)
        self.route = ident.route if duplicate_of is None else _other_route(rng, ident.route)
        self.ward = ident.ward
        strands = [_weighted(rng, STRANDS)]
        if strands[0] in SECOND_STRAND and rng.random() < 0.1:
            strands.append(SECOND_STRAND[strands[0]])
        self.strands = strands
        incident = self.incident(ident, strands)
        case_fields, referrer = self.referral_source()
        if rng.random() < 0.3:
            case_fields["enhanced_rights"] = True
            case_fields["enhanced_rights_reason"] = rng.choice(
                ("Persistently targeted", "Vulnerable or intimidated victim", "Victim of a serious crime"))

        origins = {o.code: o for o in people.ORIGINS}
        anonymous = case_fields.get("report_kind") == "anonymous"
        harmed = [self.person("harmed", "h1", origins[ident.harmed_origin], ident.harmed_first, ident.harmed_last,
                              strands)]
        if anonymous:
            harmed[0].fields = {"first_name": "Anonymous", "last_name": "", "preferred_contact_method": "",
                                "language": "English"}
        elif rng.random() < 0.1:
            harmed.append(self.person("harmed", "h2", strands=strands))
        responsible = [self.person("responsible", "r1")]
        if rng.random() < 0.1:
            responsible.append(self.person("responsible", "r2"))
        for party in harmed:
            if not anonymous and (self.route == "victim-service" or rng.random() < 0.2):
                party.caseworker = True
                if rng.random() < 0.3:
                    party.fields["preferred_contact_method"] = "via_caseworker"
        parties = harmed + responsible
        if len(responsible) > 1 and rng.random() < 0.3:
            responsible[1].fields["participating"] = False
        self.parties = parties
        self.plan = CasePlan(self.index, self.scenario, self.received_on, self.route, referrer, case_fields,
                             incident, strands, parties, duplicate_of=duplicate_of)
        self.story()
        self._fix_times()
        self.plan.steps = self.steps
        return self.plan

    def incident(self, ident: Identity, strands: list[str]) -> dict:
        rng = self.rng
        place, where = rng.choice(texts.PLACES)
        adjective = " and ".join(dict.fromkeys(texts.ADJECTIVE[s] for s in strands))
        template = rng.choice(texts.SUMMARIES[ident.crime_type])
        summary = template.format(adj=adjective, Adj=adjective[0].upper() + adjective[1:], where=where)
        district = people.WARD_DISTRICT[ident.ward]
        data = {
            "ward": ident.ward, "crime_type": ident.crime_type, "occurred_from": ident.occurred_from,
            "place": f"{place}, {people.DISTRICTS[district]}", "crime_reference": ident.crime_reference,
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
            return {**fields, "reporting_centre": "centre_altrincham", "referring_organisation": "centre_altrincham",
                    "referrer_name": "Reporting centre volunteer (demo)",
                    "referrer_contact": "altrincham.centre@example.org"}, "manager"
        if route == "victim-service":
            return {"referring_organisation": "victim_service"}, "caseworker"
        if route == "self-referral":
            return {"referrer_name": "The person harmed (self-referral)"}, rng.choice(("manager", "facilitator"))
        names = {"housing": ("Housing officer, Example Homes (demo)", "housing.officer@example.org"),
                 "school": ("Safeguarding lead, Example High School (demo)", "safeguarding@example.org"),
                 "other": ("Community worker (demo)", "community.worker@example.org")}
        name, contact = names[route]
        return {"referrer_name": name, "referrer_contact": contact}, "manager"

    # --- the story -------------------------------------------------------------------------------

    def story(self) -> None:
        rng, scenario = self.rng, self.scenario
        self.add("refer", by=self.plan.referrer)
        self.facilitator = "facilitator" if rng.random() < 0.7 else "facilitator2"
        other = "facilitator2" if self.facilitator == "facilitator" else "facilitator"
        self.co_facilitator = other if rng.random() < 0.2 else None
        self.allocated = False
        self.harmed = [p for p in self.parties if p.role == "harmed"]
        self.participants = [p for p in self.parties if p.role != "supporter" and p.fields.get("participating", True)]
        reaches = _REACHES.get(scenario)
        withdraw_at = None
        if scenario == "withdrawn":
            withdraw_at = rng.choices(range(5), [25, 35, 20, 12, 8])[0]
            reaches = withdraw_at
        self.first_contact(open_referral=scenario == "referral")
        if reaches == 0:
            if scenario == "referral":
                if rng.random() < 0.5 and self.age > 2:
                    self.wait(0.5, 5)
                    self.allocate()
                if rng.random() < 0.3:
                    self.note("manager")
            elif scenario == "referral_declined":
                self.wait(1, 8)
                reasons = texts.DECLINE_REASONS
                reason = reasons[1] if self.plan.duplicate_of is not None else rng.choice(reasons)
                self.add("transition", name="decline", by="manager", inputs={"reason": reason})
            else:
                self.withdraw(stage=0)
            return
        self.wait(0.5, 6)
        self.allocate()
        self.wait(0, 2)
        self.add("transition", name="accept", by="manager", inputs={"note": ""})
        self.assessment(final=reaches == 1 and scenario != "withdrawn")
        if scenario == "not_suitable":
            self.wait(1, 7)
            self.add("transition", name="find_unsuitable", by=self.facilitator,
                     inputs={"reason": self.unsuitable_reason})
            self.closure(had_activity=False)
            return
        if withdraw_at == 1:
            self.withdraw(stage=1)
            return
        if reaches == 1:
            return
        self.wait(1, 7)
        self.add("transition", name="find_suitable", by=self.facilitator, inputs={"note": ""})
        self.preparation(final=reaches == 2)
        if withdraw_at == 2:
            self.withdraw(stage=2)
            return
        if reaches == 2:
            return
        took_place = scenario != "conferencing" or rng.random() < 0.3
        self.conferencing(take_place=took_place and withdraw_at != 3)
        if withdraw_at == 3:
            self.withdraw(stage=3)
            return
        if scenario == "conferencing":
            if took_place:
                self.draft_agreement()
            return
        if scenario in ("no_agreement_needed", "no_agreement_reached"):
            self.wait(0, 5)
            self.add("transition", name="conclude", by=self.facilitator,
                     inputs={"outcome": scenario, "summary": "Activity held; closed without an agreement."})
            self.closure(had_activity=True)
            return
        self.draft_agreement()
        self.wait(0, 3)
        self.add("transition", name="record_agreement", by=self.facilitator, inputs={"note": ""})
        self.monitoring()
        if withdraw_at == 4:
            self.withdraw(stage=4)
            return
        if scenario == "agreement":
            return
        self.wait(1, 10)
        self.add("transition", name="complete", by=self.facilitator,
                 inputs={"summary": "Monitoring finished; the actions were followed up."})
        self.closure(had_activity=True)

    def first_contact(self, open_referral: bool) -> None:
        """Telling the person harmed about RJ: usually within the Victims' Code time, sometimes late or not yet."""
        rng = self.rng
        target = next((p for p in self.harmed if p.fields.get("first_name") != "Anonymous"), None)
        if target is None or (open_referral and rng.random() < (0.6 if self.age < 4 else 0.25)):
            return
        due = clocks.rj_information_due(self.received_on, self.plan.case_fields.get("enhanced_rights", False))
        due_days = max(1, (due - self.received_on).days)
        on_time = rng.random() < 0.7
        start = self.day
        if rng.random() < 0.35:
            self.day = start + rng.uniform(0.05, 0.5 * due_days)
            result = "no_answer" if target.fields.get("no_messages") else rng.choice(("no_answer", "message_left"))
            self.add("contact", by="manager", party=target.key, method="phone", result=result,
                     rj_information_given=False, notes="")
        low = self.day - start
        self.day = start + (rng.uniform(low, 0.9 * due_days) if on_time else due_days + rng.uniform(1, 10))
        self.add("contact", by="manager", party=target.key,
                 method="via_caseworker" if target.caseworker and rng.random() < 0.5 else "phone",
                 result="reached", rj_information_given=True,
                 notes="Explained restorative justice and sent the leaflet.")
        self.day = start

    def allocate(self) -> None:
        self.add("allocate", by="manager", facilitator=self.facilitator, co_facilitator=self.co_facilitator)
        self.allocated = True

    def note(self, author: str) -> None:
        self.add("note", by=author, body=self.rng.choice(texts.NOTE_BODIES))

    def assessment(self, final: bool) -> None:
        rng, fac = self.rng, self.facilitator
        self.unsuitable_reason = rng.choice(texts.UNSUITABLE_REASONS)
        for party in self.participants:
            if party.role == "responsible":
                self.wait(0.5, 5)
                self.add("contact", by=fac, party=party.key, method=rng.choice(("phone", "letter", "visit")),
                         result="reached", rj_information_given=True,
                         notes="First contact with the person responsible.")
        if rng.random() < 0.2:
            self.wait(0, 3)
            supported = rng.choice(self.participants)
            supporter = self.person("supporter", "s1")
            supporter.supports, supporter.at_referral = supported.key, False
            self.parties.append(supporter)
            self.add("add_party", by=fac, party="s1")
        reopen = self.scenario not in ("not_suitable", "withdrawn") and rng.random() < 0.04
        to_assess = list(self.participants)
        if final:
            to_assess = to_assess[: rng.randint(0, len(to_assess))]
        high = rng.random() < 0.1
        for n, party in enumerate(to_assess):
            self.wait(1, 8)
            self.assess(party, high_risk=high and n == 0)
            if party.role == "harmed" and rng.random() < 0.5:
                self.add("wellbeing", by=fac, party=party.key, stage="before", answers=_answers(rng, 2.6))
            if n == 0 and reopen:
                self.reopen_after_withdrawal(party)
        if high and to_assess and not (final and rng.random() < 0.5):
            self.wait(0.5, 3)
            self.add("sign_off", by="manager", party=to_assess[0].key, note="Mitigations agreed; safe to proceed.")
        if rng.random() < 0.5:
            self.wait(0, 3)
            self.note(fac)
        if any(p.caseworker for p in self.harmed) and rng.random() < 0.3:
            self.note("caseworker")

    def assess(self, party: PartyPlan, high_risk: bool) -> None:
        rng, fac = self.rng, self.facilitator
        unsuitable = self.scenario == "not_suitable" and party.role == "responsible"
        risk = "high" if high_risk else rng.choices(["low", "medium"], [65, 35])[0]
        fields = {
            "risk_level": risk, "willing": not (unsuitable and "willing" in self.unsuitable_reason),
            "risk_factors": rng.choice(texts.RISK_FACTORS) if risk != "low" else "",
            "mitigations": rng.choice(texts.MITIGATIONS) if risk != "low" else "",
        }
        if party.role == "responsible":
            denies = unsuitable and "denies" in self.unsuitable_reason
            fields["acknowledges_facts"] = not denies
            fields["accepts_responsibility"] = not denies
        self.add("assess", by=fac, party=party.key, fields=fields)
        if unsuitable:
            return
        self.wait(0, 4)
        by = "caseworker" if party.caseworker and rng.random() < 0.4 else fac
        self.add("consent", by=by, party=party.key, purpose="participate",
                 method=rng.choice(("signed_form", "signed_form", "email", "recorded_verbal", "online")))
        if party.role == "harmed" and rng.random() < 0.4:
            self.add("consent", by=by, party=party.key, purpose="feedback", method="signed_form")

    def reopen_after_withdrawal(self, party: PartyPlan) -> None:
        """The person harmed pulls out, then asks to carry on: withdrawal, reopening and fresh consent."""
        rng = self.rng
        self.wait(1, 5)
        self.add("withdraw_consent", by=self.facilitator, party=party.key, reason="Felt it was too soon.")
        self.add("transition", name="withdraw", by=self.facilitator,
                 inputs={"withdrawn_by": "The person harmed", "reason": "Felt it was too soon."})
        self.wait(5, 20)
        self.add("transition", name="reopen", by="manager",
                 inputs={"reason": "The person harmed asked to carry on with restorative justice."})
        self.wait(0, 3)
        self.add("consent", by=self.facilitator, party=party.key, purpose="participate",
                 method=rng.choice(("signed_form", "recorded_verbal")))

    def preparation(self, final: bool) -> None:
        rng, fac = self.rng, self.facilitator
        for party in self.participants:
            for _ in range(rng.randint(1, 2)):
                self.wait(1, 7)
                self.add("prep_contact", by=fac, party=party.key,
                         method=rng.choice(("in_person", "in_person", "phone", "video")),
                         attendees="The facilitator and the person"
                         + (" with their supporter" if rng.random() < 0.3 else ""),
                         notes="Talked through what will happen and what they want to say.",
                         interpreter_arranged=bool(party.fields.get("interpreter_needed")),
                         adjustments_arranged=party.fields.get("other_adjustments", ""))
        if rng.random() < 0.4:
            self.note(fac)
        if final and rng.random() < 0.5:
            self.wait(1, 5)
            self.plan_activity(future=True)

    def plan_activity(self, future: bool) -> Step:
        rng = self.rng
        kind = rng.choices(["direct_conference", "shuttle", "letter", "recorded_message", "community_conference"],
                           [45, 25, 15, 5, 10])[0]
        face_to_face = kind in ("direct_conference", "community_conference")
        town = people.DISTRICTS[people.WARD_DISTRICT[self.ward]]
        interpreters = [p.fields["interpreter_language"] for p in self.participants
                        if p.fields.get("interpreter_needed")]
        step = self.add(
            "plan_activity", by=self.facilitator, kind=kind,
            duration_minutes=rng.choice((60, 90, 120)) if face_to_face else None,
            venue=rng.choice(texts.VENUES).format(town=town) if face_to_face else "",
            method="" if face_to_face else {"shuttle": "Shuttle by phone through the facilitator",
                                            "letter": "Letter passed on by the facilitator",
                                            "recorded_message": "Recorded video message"}[kind],
            lead=self.facilitator, co=self.co_facilitator, invited=[p.key for p in self.participants],
            interpreter_booked=bool(interpreters), interpreter_language=interpreters[0] if interpreters else "",
        )
        hour = rng.choice((10, 11, 14, 15, 17))
        if future:
            ahead = rng.randint(3, 30)
            self.later.append(lambda: step.data.__setitem__(
                "scheduled_for", _local(self.planner.as_of + timedelta(days=ahead), hour * 60)))
        else:
            step.data["scheduled_for"] = None  # set from the day it took place (or was cancelled)
            step.data["_hour"] = hour
        return step

    def conferencing(self, take_place: bool) -> None:
        rng, fac = self.rng, self.facilitator
        planned = self.plan_activity(future=not take_place)
        self.wait(0, 2)
        self.add("transition", name="schedule_activity", by=fac, inputs={"note": ""})
        if rng.random() < 0.08:
            self.wait(1, 10)
            cancel = self.add("transition", name="cancel_activity", by=fac,
                              inputs={"reason": rng.choice(texts.CANCEL_REASONS)})
            self._schedule_on(planned, cancel)
            self.wait(1, 7)
            planned = self.plan_activity(future=not take_place)
            self.wait(0, 2)
            self.add("transition", name="schedule_activity", by=fac, inputs={"note": ""})
        if not take_place:
            return
        self.wait(3, 21)
        held = self.add("hold_activity", by=fac, attended=[p.key for p in self.participants],
                        summary=rng.choice(("Both parties spoke and listened.",
                                            "The person responsible explained and apologised.",
                                            "Messages were passed both ways through the facilitator.")),
                        agreement_reached=self.scenario not in ("no_agreement_needed", "no_agreement_reached"))
        self._schedule_on(planned, held)

    def _schedule_on(self, planned: Step, event: Step) -> None:
        """An activity's date is the day it took place (or was due before it was cancelled)."""
        if planned.data.get("scheduled_for", 0) is None:
            hour = planned.data.pop("_hour")
            self.later.append(lambda: planned.data.__setitem__(
                "scheduled_for", _local(event.on, hour * 60) if event.kind == "hold_activity"
                else _local(event.on + timedelta(days=2), hour * 60)))

    def draft_agreement(self) -> None:
        rng = self.rng
        self.wait(0, 1)
        signatories = [p.key for p in self.participants]
        saved = self.add("save_agreement", by=self.facilitator, signatories=signatories, notes="")
        scenario = self.scenario
        count = rng.randint(2 if scenario == "agreement_partly_fulfilled" else 1, 4)
        responsible = [p for p in self.participants if p.role == "responsible"]
        self.actions = []
        for n in range(count):
            kind = "apology" if n == 0 else rng.choice(("reparation", "education", "behaviour", "community_work"))
            step = self.add("add_action", by=self.facilitator, kind=kind, what=rng.choice(texts.ACTION_TEXTS[kind]),
                            how_checked=rng.choice(texts.ACTION_CHECKS), responsible=rng.choice(responsible).key,
                            due_on=None)
            self._due_after(step, saved, rng.randint(14, 60))
            self.actions.append(step)

    def _due_after(self, action: Step, saved: Step, days: int) -> None:
        self.later.append(lambda: action.data.__setitem__("due_on", saved.on + timedelta(days=days)))

    def monitoring(self) -> None:
        rng, fac, scenario = self.rng, self.facilitator, self.scenario
        count = len(self.actions)
        if scenario == "agreement_fulfilled":
            statuses = ["done"] * count
        elif scenario == "agreement_partly_fulfilled":
            statuses = ["done"] + ["missed"] + [rng.choice(("done", "missed")) for _ in range(count - 2)]
        elif scenario == "agreement_breached":
            statuses = ["missed"] * count
        else:
            statuses = [rng.choice(("done", "missed", None, None)) for _ in range(count)]
            statuses[-1] = None
        for n, status in enumerate(statuses):
            if rng.random() < 0.5:
                self.wait(3, 14)
                self.add("follow_up", by=fac, party=rng.choice(self.participants).key, action=n,
                         method=rng.choice(("phone", "in_person", "email", "via_caseworker")),
                         notes="Checked progress with the person; on track.")
            if status is None:
                continue
            self.wait(5, 25)
            if status == "done":
                self.add("action_done", by=fac, action=n, evidence_note="Confirmed by the facilitator.",
                         told_method=rng.choice(("phone", "letter", "via_caseworker")))
            else:
                self.add("action_missed", by=fac, action=n,
                         evidence_note="Not done by the date agreed; the person responsible did not reply.")

    def closure(self, had_activity: bool) -> None:
        rng = self.rng
        if not had_activity:
            return
        for party in self.participants:
            chance = 0.75 if party.role == "harmed" else 0.45
            if rng.random() > chance:
                continue
            self.wait(0, 6)
            by = "caseworker" if party.caseworker and rng.random() < 0.5 else self.facilitator
            if rng.random() < 0.1:
                self.add("feedback", by=by, party=party.key, refused=True)
            else:
                satisfied = rng.random() < 0.85
                self.add("feedback", by=by, party=party.key, refused=False, satisfied=satisfied,
                         would_recommend=satisfied and rng.random() < 0.92,
                         felt=rng.choices(["better", "same", "worse"], [62, 36, 2])[0],
                         felt_safe=rng.random() < 0.85, felt_heard=rng.random() < 0.9,
                         comments=rng.choice(("", "", "It helped to be listened to.", "Glad it is over.",
                                              "I wish it had happened sooner.")))
            if party.role == "harmed" and rng.random() < 0.6:
                self.add("wellbeing", by=by, party=party.key, stage="after", answers=_answers(rng, 3.6))

    def withdraw(self, stage: int) -> None:
        rng = self.rng
        who, reason = rng.choice(texts.WITHDRAW_REASONS[:4])
        if stage == 0:
            if self.plan.referrer in ("police", "police_other", "centre") and rng.random() < 0.5:
                by = self.plan.referrer
                who, reason = texts.WITHDRAW_REASONS[4]
            else:
                by = "manager"
        else:
            options = [self.facilitator] * 7 + ["manager"] * 2
            if any(p.caseworker for p in self.harmed) and who == "The person harmed":
                options += ["caseworker"] * 2
            by = rng.choice(options)
            party = next((p for p in self.participants if (p.role == "harmed") == (who == "The person harmed")), None)
            if party is not None and rng.random() < 0.6:
                self.wait(0.5, 5)
                self.add("withdraw_consent", by=self.facilitator if by != "caseworker" else "caseworker",
                         party=party.key, reason=reason)
        self.wait(0.5, 6)
        self.add("transition", name="withdraw", by=by, inputs={"withdrawn_by": who, "reason": reason})


def _answers(rng: Random, centre: float) -> dict[str, int]:
    return {key: max(1, min(5, round(rng.gauss(centre, 0.9))))
            for key in ("safe", "daily_life", "calm", "supported", "hopeful")}


def _other_route(rng: Random, route: str) -> str:
    return rng.choice([r for r in ("police", "victim-service", "reporting-centre") if r != route])


def _birth_date(rng: Random, age_band: str, on: date) -> date | None:
    ranges = {"under_18": (12, 17), "18_24": (18, 24), "25_44": (25, 44), "45_64": (45, 64), "65_plus": (65, 88)}
    if age_band not in ranges:
        return None
    low, high = ranges[age_band]
    return on - timedelta(days=rng.randint(low * 365 + 5, high * 365 + 360))
