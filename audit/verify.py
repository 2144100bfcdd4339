"""Walk the audit chains and say where each was first broken: a row changed, removed, or inserted out of order.

Read-only. Each chain is read in its own order (``chain_seq``) in batches, and every row is checked four ways:
its place follows the row before it (a gap: rows removed); its personal fields still match their salted
digest and its content still matches its hash (otherwise: changed, or forged with a made-up hash); it points
at the hash of the row before it and has a higher id (otherwise: inserted out of order). After a problem the
walk carries on from the row found, so later breaks are reported too.

A row whose personal fields and salt are blank is accepted only where an anonymisation vouches for it: a row of
the anonymisation record's own chain (``audit.specs.ANONYMISATION``) of scope "case" for the same case. Any other
blanked row is reported ("blanked with no anonymisation recorded").
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.apps import apps

from audit.chain import GENESIS, ChainedRow, personal_digest, row_hash
from audit.specs import ANONYMISATION, BLANKABLE, SPECS, Spec

BATCH = 5000
MOST_PROBLEMS = 100


@dataclass(frozen=True)
class Problem:
    chain: str
    kind: str  # "changed", "removed", "out of order", "head"
    row_id: int | None
    place: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.chain}: {self.kind}: {self.message}"


@dataclass
class ChainReport:
    chain: str
    rows: int = 0
    head_place: int = 0
    head_hash: str = GENESIS
    problems: list[Problem] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


def chained_models() -> list[tuple[Spec, type[ChainedRow]]]:
    """Every chained model installed, with its spec, in the order of ``audit.specs.SPECS``."""
    found = []
    for spec in SPECS:
        app_label, model_name = spec.label.split(".")
        found.append((spec, apps.get_model(app_label, model_name)))
    return found


def _rows(model, spec: Spec, using: str) -> Iterator[dict]:
    columns = ["id", *spec.fields, *spec.personal, "chain_seq", "chain_prev", "chain_hash"]
    columns += ["personal_salt", "personal_digest"]
    last = None
    manager = model._base_manager.using(using)
    while True:
        page = manager.order_by("chain_seq").values(*columns)
        if last is not None:
            page = page.filter(chain_seq__gt=last)
        batch = list(page[:BATCH])
        if not batch:
            return
        yield from batch
        last = batch[-1]["chain_seq"]


def anonymised_case_ids(using: str = "default") -> set[int]:
    """The cases a recorded anonymisation (scope "case") vouches for: their blanked audit rows are expected."""
    app_label, model_name = ANONYMISATION.split(".")
    model = apps.get_model(app_label, model_name)
    return set(model._base_manager.using(using).filter(scope="case").values_list("case_id", flat=True))


def _personal_problem(spec: Spec, row: dict, vouched: set[int]) -> str:
    if not spec.personal:
        return ""
    if not row["personal_salt"]:
        # An anonymisation blanks the personal fields and the salt together, and records it in its own chain.
        texts_blank = all(row[name] in ("", None) for name in spec.personal if not isinstance(row[name], dict))
        if texts_blank and spec.name in BLANKABLE and row.get("case_id") in vouched:
            return ""  # blanked by the case's anonymisation (a JSON field may keep the keys the figures read)
        if texts_blank:
            return "its personal fields were blanked with no anonymisation recorded"
        return "its personal fields carry no salt for their digest"
    if personal_digest(spec, row, row["personal_salt"]) != row["personal_digest"]:
        names = ", ".join(spec.personal)
        return f"its {names} no longer match what was recorded"
    return ""


def verify_chain(
    spec: Spec, model, using: str = "default", heads: dict[int, str] | None = None, vouched: set[int] | None = None
) -> ChainReport:
    """Check one chain; ``heads`` are published heads (place: hash) that must still be in it; ``vouched`` the
    cases whose blanked rows an anonymisation record accounts for (read from the database when not given)."""
    report = ChainReport(spec.name)
    if vouched is None:
        vouched = anonymised_case_ids(using) if spec.name in BLANKABLE else set()
    expected_place, prev_hash, prev_id = 1, GENESIS, None
    seen_heads: dict[int, str] = {}

    def problem(kind: str, row: dict | None, message: str) -> None:
        if len(report.problems) < MOST_PROBLEMS:
            place = row["chain_seq"] if row else None
            report.problems.append(Problem(spec.name, kind, row["id"] if row else None, place, message))

    for row in _rows(model, spec, using):
        report.rows += 1
        rid, place = row["id"], row["chain_seq"]
        after = f"id {prev_id}" if prev_id is not None else "the start of the chain"
        if place != expected_place:
            gap = f"place {expected_place}" if place == expected_place + 1 else f"places {expected_place}-{place - 1}"
            problem("removed", row, f"row(s) removed between {after} and id {rid}: {gap} missing")
        if reason := _personal_problem(spec, row, vouched):
            problem("changed", row, f"id {rid} (place {place}) was changed or forged: {reason}")
        elif row_hash(spec, row) != row["chain_hash"]:
            problem("changed", row, f"id {rid} (place {place}) was changed or forged: its content and hash disagree")
        elif place == expected_place and row["chain_prev"] != prev_hash:
            problem(
                "out of order",
                row,
                f"id {rid} (place {place}) was inserted out of order: it does not follow the row before it ({after})",
            )
        elif prev_id is not None and rid <= prev_id:
            problem("out of order", row, f"id {rid} (place {place}) was inserted out of order: its id is below {after}")
        if heads and place in heads:
            seen_heads[place] = row["chain_hash"]
        expected_place, prev_hash, prev_id = place + 1, row["chain_hash"], rid
    report.head_place, report.head_hash = expected_place - 1, prev_hash
    for place, published in sorted((heads or {}).items()):
        if place not in seen_heads:
            problem("head", None, f"the published head at place {place} is gone: rows removed from the end")
        elif seen_heads[place] != published:
            problem("head", None, f"the row at the published head's place {place} no longer has the published hash")
    return report


def verify_all(using: str = "default", heads: dict[str, dict[int, str]] | None = None) -> list[ChainReport]:
    vouched = anonymised_case_ids(using)
    return [verify_chain(spec, model, using, (heads or {}).get(spec.name), vouched) for spec, model in chained_models()]


def chain_heads(using: str = "default") -> list[tuple[str, int, str]]:
    """(chain, place, hash) of each chain's last row, read without walking the chain."""
    heads = []
    for spec, model in chained_models():
        last = model._base_manager.using(using).order_by("-chain_seq").values("chain_seq", "chain_hash").first()
        heads.append((spec.name, last["chain_seq"], last["chain_hash"]) if last else (spec.name, 0, GENESIS))
    return heads
