"""Victims' Code demo data, added after the cases are made: when each recent incident was reported and by whom
(the RJ-information due dates recomputed from it), and a few complaints (Right 12) in every state.

A pass over the most recent ``RECENT`` cases only, in two bulk updates with history, so a large seed is not
noticeably slower; older cases keep "report date not recorded", as records made before the date was asked for
would. Complaints go through the real service (``rjcases.services.complaints``). Same seed, same data.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from demo.actors import Actors
from rjcases.models import Case, Complaint, Incident
from rjcases.services import complaints
from rjcases.services.victims_code import rj_information_due

RECENT = 1000
COMPLAINTS = (
    # (days before today it was received, acknowledged after n days or None, answered after n days or None, outcome)
    (75, 3, 15, "upheld"),
    (60, 6, 26, "not_upheld"),  # both late
    (30, 2, None, ""),
    (12, 4, None, ""),
    (9, None, None, ""),  # acknowledgement overdue
    (2, None, None, ""),
)
ABOUT = (
    "Nobody called back for two weeks after the referral.",
    "The letter used the wrong name.",
    "The meeting was arranged at a time I said I could not do.",
    "I was not told the other person had withdrawn.",
    "The facilitator did not explain what would happen next.",
    "I asked for an interpreter and none was booked.",
)


def add_victims_code(actors: Actors, seed: int, as_of: date) -> tuple[int, int]:
    """Report dates on the recent cases and a few complaints. Returns (report dates set, complaints made)."""
    rng = random.Random(f"victims-code-{seed}")
    manager = actors.user("manager")
    cases = list(
        Case.objects.select_related("route", "incident")
        .filter(incident__reported_on__isnull=True)
        .order_by("-received_on", "-id")[:RECENT]
    )
    incidents, moved = [], []
    for case in cases:
        incident = case.incident
        if rng.random() < 0.2:
            continue  # not every referral says when it was reported
        occurred = timezone.localtime(incident.occurred_from).date()
        if case.route.code == "reporting-centre":
            incident.reported_on, incident.reported_by = case.received_on, "reporting_centre"
        else:
            incident.reported_on = max(occurred, case.received_on - timedelta(days=rng.choice((0, 1, 1, 2, 3, 5, 9))))
            weights = (70, 12, 10, 5, 3)
            incident.reported_by = rng.choices(("harmed", "witness", "third_party", "police", "other"), weights)[0]
        # The history says it was recorded with the referral, not on the day the demo was seeded.
        incident._history_date = case._history_date = case.created_at
        incidents.append(incident)
        due = rj_information_due(case.received_on, incident.reported_on, case.enhanced_rights)
        if due != case.rj_information_due_on:
            case.rj_information_due_on = due
            moved.append(case)
    bulk_update_with_history(
        incidents,
        Incident,
        ["reported_on", "reported_by"],
        batch_size=500,
        default_user=manager,
        default_change_reason="report recorded",
    )
    bulk_update_with_history(
        moved,
        Case,
        ["rj_information_due_on"],
        batch_size=500,
        default_user=manager,
        default_change_reason="report date recorded",
    )
    return len(incidents), _complaints(rng, actors, min(as_of, timezone.localdate()))


def _complaints(rng: random.Random, actors: Actors, today: date) -> int:
    if Complaint.objects.exists():
        return 0
    allocated = list(Case.objects.filter(facilitator__isnull=False).order_by("-received_on", "id")[:60])
    made = 0
    for (ago, acknowledged, answered, outcome), about in zip(COMPLAINTS, ABOUT, strict=True):
        received = today - timedelta(days=ago)
        candidates = [c for c in allocated if c.received_on <= received]
        if not candidates:
            continue
        case = rng.choice(candidates)
        manager = actors.manager_of(case.partnership_id)
        complaint = complaints.record_complaint(
            case,
            manager,
            complainant=rng.choice(("harmed", "responsible", "supporter")),
            about=about,
            received_on=received,
        )
        if acknowledged is not None:
            complaints.acknowledge_complaint(
                complaint, manager, acknowledged_on=received + timedelta(days=acknowledged)
            )
        if answered is not None:
            complaints.respond_to_complaint(
                complaint,
                manager,
                responded_on=received + timedelta(days=answered),
                outcome=outcome,
                response="Looked into with the facilitator; the outcome was explained in a letter.",
            )
        made += 1
    return made
