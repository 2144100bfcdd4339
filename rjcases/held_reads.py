"""What a page that only reads a case keeps of it once read: the current activity (with whom it invites, as their
keys: ``listed_invited``, which ``guards.invited`` finds among the case's people already read) and the current
agreement (with its actions), which several guards of the transitions it offers each ask for
(``Case.current_activity``, ``Case.current_agreement``).

Held only on a case the case page's summary reads (``selectors.get_case_for_user(..., summary=True)``): a case being
changed, in a service, reads them afresh each time, as before."""

from __future__ import annotations

from django.db.models import QuerySet

HELD = "_held_reads"


def hold_reads(case) -> None:
    """From now on, read this case's current activity and agreement once (with what the guards read of them)."""
    case.__dict__[HELD] = {}


def first_held(case, name: str, rows: QuerySet, prefetch: tuple[str, ...] = (), **annotations):
    """``rows.first()``; on a case holding its reads, read once, with ``prefetch`` and ``annotations``, and kept under
    ``name``."""
    held = case.__dict__.get(HELD)
    if held is None:
        return rows.first()
    if name not in held:
        held[name] = rows.prefetch_related(*prefetch).annotate(**annotations).first()
    return held[name]
