"""The quarterly return's non-crime hate incident lines: recording threshold, telling the person, review."""

from __future__ import annotations

from django.db.models import Count, Q

from insights.selectors.common import Period, in_partnerships
from rjcases.models import Case


def non_crime_lines(
    period: Period, partnerships: tuple[int, ...] | None = None
) -> list[tuple[str, str, str, int, str]]:
    """(code, section, measure, value, definition) of each line, of these partnerships' cases (all where None);
    one query."""
    received = Q(received_on__gte=period.start, received_on__lte=period.end)
    cases = in_partnerships(Case.objects.filter(incident__crime_type__is_crime=False), "partnership_id", partnerships)
    figures = cases.aggregate(
        n=Count("pk", filter=received),
        met=Count("pk", filter=received & Q(incident__nchi_threshold_met=True)),
        not_met=Count("pk", filter=received & Q(incident__nchi_threshold_met=False)),
        undecided=Count("pk", filter=received & Q(incident__nchi_threshold_met__isnull=True)),
        told=Count("pk", filter=received & Q(incident__nchi_person_told=True)),
        reviews=Count(
            "pk", filter=Q(incident__nchi_review_on__gte=period.start, incident__nchi_review_on__lte=period.end)
        ),
    )
    section = "Non-crime hate incidents"
    return [
        ("N1", section, "Non-crime hate incidents received", figures["n"], "A1 where no offence is recorded."),
        ("N2", section, "Recording threshold met", figures["met"], "N1 recorded as meeting the threshold."),
        ("N3", section, "Recording threshold not met", figures["not_met"], "N1 recorded as not meeting it."),
        ("N4", section, "Threshold not yet decided", figures["undecided"], "N1 with no threshold decision recorded."),
        ("N5", section, "Person recorded told", figures["told"], "N1 where the person recorded has been told."),
        (
            "N6",
            section,
            "Reviews due in the quarter",
            figures["reviews"],
            "Non-crime hate incident records whose review date falls in the quarter, whenever they were received.",
        ),
    ]
