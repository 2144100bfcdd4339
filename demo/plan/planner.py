"""``Planner``: the plan of case ``index`` of a run, from the run's spread and the case's own random stream."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from random import Random

from demo import people
from demo.plan.partnerships import carried_by_its_partnership
from demo.plan.records import CasePlan, Identity, local_time
from demo.plan.spread import CRIME_TYPES, ROUTES, WARDS, Spread, weighted
from demo.plan.story import CaseStory


class Planner:
    """The plans of one run: ``count`` cases from ``seed``, as of a day; ``plan(index)`` is case ``index``."""

    def __init__(self, count: int, seed: int, as_of: date):
        self.spread = Spread(count, seed, as_of)
        self.seed, self.as_of = seed, as_of

    def __len__(self) -> int:
        return self.spread.count

    @lru_cache(maxsize=256)  # noqa: B019 - a planner lives for one command run
    def identity(self, index: int) -> Identity:
        rng = Random(f"{self.seed}:identity:{index}")
        received = self.spread.dates[index]
        route = weighted(rng, ROUTES)
        ward = weighted(rng, WARDS)
        ward = self.spread.forced_wards.get(index, ward)
        crime_type = weighted(rng, CRIME_TYPES)
        days_before = rng.choices(range(1, 15), [14 - k for k in range(14)])[0]
        hour = rng.choices(range(7, 24), [1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 4, 4, 4, 3, 3, 2])[0]
        occurred = local_time(received - timedelta(days=days_before), hour * 60 + rng.choice((0, 10, 15, 30, 45)))
        reported_to_police = route == "police" or rng.random() < 0.35
        crime_reference = ""
        if crime_type != "nchi" and reported_to_police:
            crime_reference = f"06/{100000 + index:06d}/{received.year % 100:02d}"
        origin = people.pick_origin(rng)
        return Identity(
            route,
            ward,
            occurred,
            crime_reference,
            crime_type,
            origin.code,
            rng.choice(origin.first_names),
            rng.choice(origin.surnames),
        )

    def plan(self, index: int) -> CasePlan:
        return carried_by_its_partnership(CaseStory(self, index).build())
