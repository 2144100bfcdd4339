"""Pages of a long list without counting all of it.

``CappedPaginator`` counts at most ``CAP`` rows (``SELECT COUNT(*) FROM (... LIMIT CAP + 1)``): a list of a
million cases costs the count of 10,001 rows, not of a million, and the page says "more than 10,000". Pages go
as far as the cap (400 pages of 25): further than anyone pages by hand, and it keeps ``OFFSET`` under 10,000 rows.
A longer list is narrowed with its filters. Why a cap, not the planner's estimate or keyset pages: docs/performance.md.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

CAP = 10_000


class CappedPaginator(Paginator):
    """A Django paginator whose ``count`` stops at ``cap``; ``count_capped`` says whether there are more rows."""

    def __init__(self, object_list, per_page, *, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = CAP if cap is None else cap

    @cached_property
    def _capped_count(self) -> tuple[int, bool]:
        rows = self.object_list
        if isinstance(rows, QuerySet):  # which rows are counted does not matter, nor what they show
            counted = rows.order_by().values("pk")[: self.cap + 1].count()
        else:
            counted = len(rows[: self.cap + 1])
        return min(counted, self.cap), counted > self.cap

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        return self._capped_count[0]

    @property
    def count_capped(self) -> bool:
        return self._capped_count[1]
