"""The part of the demo decided for all cases together: the borough's spread of hate incidents (strands,
crime types, routes, wards), the received dates and each case's final scenario."""

from __future__ import annotations

from datetime import date, timedelta
from random import Random

WINDOW_DAYS = 456  # received dates fall in the last 15 months

OPEN_STATES = ("referral", "assessment", "preparation", "conferencing", "agreement")
OUTCOMES = (
    "referral_declined",
    "not_suitable",
    "no_agreement_needed",
    "no_agreement_reached",
    "agreement_fulfilled",
    "agreement_partly_fulfilled",
    "agreement_breached",
    "withdrawn",
)
SCENARIOS = OPEN_STATES + OUTCOMES
# How far into the workflow each scenario goes before it stops or closes (0 referral .. 4 agreement).
REACHES = {
    "referral": 0,
    "referral_declined": 0,
    "assessment": 1,
    "not_suitable": 1,
    "preparation": 2,
    "conferencing": 3,
    "no_agreement_needed": 3,
    "no_agreement_reached": 3,
    "agreement": 4,
    "agreement_fulfilled": 4,
    "agreement_partly_fulfilled": 4,
    "agreement_breached": 4,
}
# The youngest case (days since referral) each scenario plausibly fits; the coverage fix-up prefers these.
_MIN_AGE = {
    "referral": 1,
    "assessment": 4,
    "preparation": 15,
    "conferencing": 25,
    "agreement": 45,
    "referral_declined": 3,
    "not_suitable": 15,
    "withdrawn": 5,
    "no_agreement_needed": 40,
    "no_agreement_reached": 40,
    "agreement_fulfilled": 80,
    "agreement_partly_fulfilled": 80,
    "agreement_breached": 80,
}


def _scenario_weights(age: int) -> dict[str, float]:
    """Where a case of this age (days since referral) has got to: young cases are open, old ones closed."""
    if age < 10:
        return {"referral": 55, "assessment": 24, "referral_declined": 7, "withdrawn": 6, "preparation": 3}
    if age < 35:
        return {
            "referral": 12,
            "assessment": 30,
            "preparation": 16,
            "conferencing": 5,
            "referral_declined": 11,
            "not_suitable": 9,
            "withdrawn": 11,
        }
    if age < 100:
        return {
            "referral": 3,
            "assessment": 12,
            "preparation": 11,
            "conferencing": 10,
            "agreement": 12,
            "referral_declined": 9,
            "not_suitable": 12,
            "withdrawn": 13,
            "no_agreement_needed": 8,
            "no_agreement_reached": 5,
            "agreement_fulfilled": 4,
        }
    if age < 200:
        return {
            "assessment": 3,
            "preparation": 3,
            "conferencing": 3,
            "agreement": 10,
            "referral_declined": 9,
            "not_suitable": 12,
            "withdrawn": 14,
            "no_agreement_needed": 10,
            "no_agreement_reached": 7,
            "agreement_fulfilled": 19,
            "agreement_partly_fulfilled": 6,
            "agreement_breached": 4,
        }
    return {
        "assessment": 1,
        "preparation": 1,
        "agreement": 2,
        "referral_declined": 9,
        "not_suitable": 13,
        "withdrawn": 16,
        "no_agreement_needed": 11,
        "no_agreement_reached": 8,
        "agreement_fulfilled": 26,
        "agreement_partly_fulfilled": 8,
        "agreement_breached": 5,
    }


# --- the spread of the borough's hate incidents -----------------------------------------------------

STRANDS = {
    "race": 64,
    "sexual-orientation": 15,
    "disability": 8,
    "religion": 7,
    "transgender": 4,
    "alternative-subculture": 1.5,
    "other": 0.5,
}
SECOND_STRAND = {
    "race": "religion",
    "religion": "race",
    "sexual-orientation": "transgender",
    "transgender": "sexual-orientation",
    "disability": "race",
}
CRIME_TYPES = {"public-order": 47, "violence": 38, "criminal-damage": 5, "other-offences": 3, "nchi": 7}
ROUTES = {
    "police": 55,
    "reporting-centre": 15,
    "victim-service": 12,
    "self-referral": 8,
    "housing": 5,
    "school": 3,
    "other": 2,
}
# Uneven on purpose: the town centres and the north of the borough are the hotspot.
WARDS = {
    "TRF15": 14,
    "TRF18": 11,
    "TRF09": 10,
    "TRF01": 8,
    "TRF16": 7,
    "TRF12": 6,
    "TRF21": 5,
    "TRF13": 4,
    "TRF17": 4,
    "TRF04": 4,
    "TRF06": 4,
    "TRF14": 3,
    "TRF07": 3,
    "TRF02": 3,
    "TRF05": 2.5,
    "TRF08": 2.5,
    "TRF20": 2.5,
    "TRF19": 2,
    "TRF10": 2,
    "TRF11": 1.5,
    "TRF03": 1,
    # Salford, the second partnership (about two cases in five): the city centre and the inner wards are its hotspot.
    "SLF02": 9,
    "SLF04": 7,
    "SLF11": 7,
    "SLF07": 6,
    "SLF13": 6,
    "SLF09": 4,
    "SLF14": 4,
    "SLF19": 4,
    "SLF06": 3,
    "SLF10": 3,
    "SLF17": 2.5,
    "SLF15": 2,
    "SLF01": 2,
    "SLF08": 1.5,
    "SLF05": 1.5,
    "SLF12": 1.5,
    "SLF16": 1,
    "SLF18": 1,
    "SLF03": 1,
    "SLF20": 1,
}


def weighted(rng: Random, table: dict):
    return rng.choices(list(table), list(table.values()))[0]


class Spread:
    """The part of the demo decided for all cases together: received dates (oldest first, so references
    count up with time) and the final scenario of each case, with every state and outcome present."""

    def __init__(self, count: int, seed: int, as_of: date):
        self.count, self.seed, self.as_of = count, seed, as_of
        rng = Random(f"{seed}:spread:{count}")
        days = [as_of - timedelta(days=k) for k in range(1, WINDOW_DAYS + 1)]
        # More referrals lately (the plan promotes RJ), fewer at weekends.
        weights = [
            (1.0 + 0.35 * (1 - k / WINDOW_DAYS)) * (0.6 if d.weekday() >= 5 else 1.0)
            for k, d in enumerate(days, start=1)
        ]
        self.dates = sorted(rng.choices(days, weights, k=count))
        self.scenarios = [
            weighted(Random(f"{seed}:scenario:{i}"), _scenario_weights(self.age(i))) for i in range(count)
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
