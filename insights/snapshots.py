"""The two quarterly returns counted by a job and kept as they were counted: a page, not a wait, at any size.

Counted from the case records, the quarterly monitoring return runs its 23 queries over the quarter's cases,
transitions, activities and feedback (1.9 to 2.3 s at 100,000 cases, growing with them), and the Victims' Code
compliance return judges every clock of the quarter's cases in Python (1.1 s). Their lines are few (counts,
labels and definitions: never a person or a case), so ``refresh`` counts each return for the last complete
quarter and the current one, for each partnership's scope (its id alone, as ``insights.access.partnership_scope``
gives its staff) and for every partnership's (the regional lead's), and stores the lines as they came out in
``ReturnSnapshot``; a page, its CSV and its PDF read one row back and are what counting them live on the day
counted gives.

Why hourly (``jobs.schedule``: ``refresh_return_snapshots`` at :40), rather than daily: the current quarter's
return is watched while it fills, and a manager should not read figures older than the performance page's
(counted every hour); the snapshot's day (``as_of``) is the day its clocks are followed to, so an hourly count
also moves the "overdue on" day on soon after midnight. At :40, twenty minutes after the performance summary
(:20), so the two counts do not share a small host's cores. The count is of 12 returns with two partnerships
(2 returns, 2 quarters, 3 scopes): 23 s at 100,000 cases on PostgreSQL (bench/insights.py), against 1.8 to 2.5 s
for each request it saves. A quarter other than those two, a reader of several partnerships, or no snapshot
younger than ``MAX_AGE`` is counted from the case records (the page says which).
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Partnership
from insights.models import ReturnSnapshot
from insights.selectors import ReturnLine, load_reference, quarterly_return
from insights.selectors.common import last_complete_quarter, quarter_of
from insights.selectors.compliance import ComplianceLine, compliance_return

# A snapshot older than this is not shown: the page counts from the case records instead.
MAX_AGE = timedelta(days=1)
# How often the job counts again (jobs.schedule), said on the page.
EVERY = "every hour"
QUARTERLY, COMPLIANCE = "quarterly", "compliance"  # ReturnSnapshot.Kind's values


def scope_key(partnerships: tuple[int, ...] | None) -> str:
    """The snapshot's key of a partnership scope: 'all' for every partnership's, else the ids joined."""
    return "all" if partnerships is None else ",".join(str(p) for p in sorted(partnerships))


def quarterly_lines(year: int, quarter: int, partnerships: tuple[int, ...] | None, today: date) -> list[ReturnLine]:
    """The quarterly monitoring return counted from the case records (its reference data, then its lines)."""
    return quarterly_return(year, quarter, load_reference(partnerships), today=today)[1]


def compliance_lines(
    year: int, quarter: int, partnerships: tuple[int, ...] | None, today: date
) -> list[ComplianceLine]:
    """The Victims' Code compliance return counted from the case records."""
    return compliance_return(year, quarter, today, partnerships)[1]


COUNT = {QUARTERLY: quarterly_lines, COMPLIANCE: compliance_lines}
LINE = {QUARTERLY: ReturnLine, COMPLIANCE: ComplianceLine}


def quarters(today: date) -> list[tuple[int, int]]:
    """The quarters the job counts: the last complete one (the form's default) and the current one."""
    return [last_complete_quarter(today), quarter_of(today)]


def scopes() -> list[tuple[int, ...] | None]:
    """Every partnership's scope (None) and each partnership's own (one query)."""
    return [None, *((pk,) for pk in Partnership.objects.order_by("pk").values_list("pk", flat=True))]


@dataclass(frozen=True)
class Refreshed:
    snapshots: int
    as_of: date
    seconds: float


def refresh(today: date | None = None) -> Refreshed:
    """Count both returns for ``quarters`` and ``scopes`` as of ``today``, and replace the snapshots in one
    transaction (a page reads the old ones or the new, never half of each), dropping any other quarter's or an
    old partnership's. Safe to run twice and at once: each row is written by its unique key."""
    started = time.monotonic()
    today = today or timezone.localdate()
    counted = [
        (kind, year, quarter, scope_key(scope), [asdict(line) for line in COUNT[kind](year, quarter, scope, today)])
        for kind in (QUARTERLY, COMPLIANCE)
        for year, quarter in quarters(today)
        for scope in scopes()
    ]
    made_at = timezone.now()
    with transaction.atomic():
        kept = Q(pk__in=[])
        for kind, year, quarter, scope, lines in counted:
            snapshot, _ = ReturnSnapshot.objects.update_or_create(
                kind=kind,
                year=year,
                quarter=quarter,
                scope=scope,
                defaults={"lines": lines, "made_at": made_at, "as_of": today},
            )
            kept |= Q(pk=snapshot.pk)
        ReturnSnapshot.objects.exclude(kept).delete()
    return Refreshed(snapshots=len(counted), as_of=today, seconds=round(time.monotonic() - started, 3))


def current(
    kind: str, year: int, quarter: int, partnerships: tuple[int, ...] | None, now: datetime | None = None
) -> ReturnSnapshot | None:
    """The snapshot of this return, quarter and scope, if one was counted within ``MAX_AGE`` (one query)."""
    return ReturnSnapshot.objects.filter(
        kind=kind,
        year=year,
        quarter=quarter,
        scope=scope_key(partnerships),
        made_at__gte=(now or timezone.now()) - MAX_AGE,
    ).first()


def lines_of(snapshot: ReturnSnapshot) -> list:
    """The snapshot's lines as the selector gave them (``ReturnLine`` or ``ComplianceLine``)."""
    return [LINE[snapshot.kind](**line) for line in snapshot.lines]


def return_lines(
    kind: str, year: int, quarter: int, partnerships: tuple[int, ...] | None
) -> tuple[list, date, ReturnSnapshot | None]:
    """A return's lines for a page: from a current snapshot (with the day it was counted for), else counted from
    the case records now (today, and no snapshot)."""
    snapshot = current(kind, year, quarter, partnerships)
    if snapshot is not None:
        return lines_of(snapshot), snapshot.as_of, snapshot
    today = timezone.localdate()
    return COUNT[kind](year, quarter, partnerships, today), today, None
