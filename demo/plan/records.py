"""What a case plan is made of: the case, its people and its steps, each step at a time of the simulated clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from django.utils import timezone


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


@lru_cache(maxsize=1)
def _zone():
    return timezone.get_default_timezone()


def local_time(day: date, minute: int) -> datetime:
    """The local time ``minute`` minutes into ``day`` (as timezone.make_aware would give, without its lookups)."""
    return datetime.combine(day, time(), tzinfo=_zone()) + timedelta(minutes=minute)


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
