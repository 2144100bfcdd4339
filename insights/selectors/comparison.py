"""The regional lead's comparison between partnerships: each partnership's referrals, acceptance and restorative
activity in the period, and its referrals per 10,000 residents of its wards. Counts only, never a case."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Sum

from accounts.models import Partnership
from insights import stats
from insights.selectors.common import Filters, Period, cases_for, count_in_sets


@dataclass
class PartnershipFigures:
    partnership: Partnership
    population: int
    referrals: int
    accepted: int
    activity: int

    @property
    def per_10000(self) -> float | None:
        return None if not self.population else 10000 * self.referrals / self.population

    @property
    def accepted_share(self) -> float | None:
        return stats.share(self.accepted, self.referrals)

    @property
    def activity_share(self) -> float | None:
        return stats.share(self.activity, self.accepted)


def partnership_comparison(period: Period) -> list[PartnershipFigures]:
    """Every active partnership, by name, with its figures for cases received in the period. Three queries."""
    partnerships = list(
        Partnership.objects.filter(is_active=True).annotate(population=Sum("wards__population")).order_by("name")
    )
    cases = cases_for(Filters(period=period))
    referrals = dict(
        cases.order_by().values("partnership_id").annotate(n=Count("pk")).values_list("partnership_id", "n")
    )
    in_sets = count_in_sets(cases, ["accepted", "activity"], "partnership_id")
    return [
        PartnershipFigures(
            partnership=p,
            population=p.population or 0,
            referrals=referrals.get(p.pk, 0),
            accepted=in_sets.get((p.pk,), {}).get("accepted", 0),
            activity=in_sets.get((p.pk,), {}).get("activity", 0),
        )
        for p in partnerships
    ]
