"""Which partnership's staff carry a case's story: a plan is written with Trafford's demo staff, and a case in a
Salford ward (``SLF`` codes) is carried by Salford's own instead (its manager, facilitators and reporting centre),
since staff act only within their partnerships. The police, the victim service's caseworker and the force's
referrers work across both and keep their names."""

from __future__ import annotations

from demo.plan.records import CasePlan

SALFORD_WARD_PREFIX = "SLF"
SALFORD_STAFF = {
    "manager": "salford_manager",
    "facilitator": "salford_facilitator",
    "facilitator2": "salford_facilitator2",
    "centre": "salford_centre",
}
SALFORD_ORGANISATIONS = {"centre_stretford": "centre_eccles", "centre_altrincham": "centre_eccles"}
_USER_KEYS = ("by", "facilitator", "co_facilitator")


def carried_by_its_partnership(plan: CasePlan) -> CasePlan:
    """The plan with the staff of its ward's partnership (changed in place, and returned)."""
    if not plan.incident["ward"].startswith(SALFORD_WARD_PREFIX):
        return plan
    plan.referrer = SALFORD_STAFF.get(plan.referrer, plan.referrer)
    for key in ("reporting_centre", "referring_organisation"):
        if plan.case_fields.get(key) in SALFORD_ORGANISATIONS:
            plan.case_fields[key] = SALFORD_ORGANISATIONS[plan.case_fields[key]]
    if plan.case_fields.get("referrer_contact") == "altrincham.centre@example.org":
        plan.case_fields["referrer_contact"] = "eccles.centre@example.org"
    for step in plan.steps:
        for key in _USER_KEYS:
            if step.data.get(key) in SALFORD_STAFF:
                step.data[key] = SALFORD_STAFF[step.data[key]]
    return plan
