"""Helpers for the insights tests: cases built by walking the real services, then dated where a test needs
a duration (transition rows, activity and action dates are moved in the test's own set-up)."""

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from accounts.models import Organisation
from conferences.models import Activity
from insights.models import ReportingCentre
from rjcases.models import CaseTransition, Ward
from tests.audit_tools import rewrite_audit_rows
from tests.factories import OrganisationFactory, incident_data, reference
from tests.walk import refer


def aware(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def make_case(
    referrer,
    *,
    ward="TRF01",
    crime="public-order",
    strands=("race",),
    received_on=None,
    route="police",
    occurred=None,
    **fields,
):
    """A referral of a hate incident in ``ward`` of ``crime`` type with ``strands``, received on a date (and
    happened on ``occurred``, else 1 October 2026, ``incident_data``'s day)."""
    extra = {"occurred_from": aware(occurred, 9)} if occurred else {}
    return refer(
        referrer,
        route_code=route,
        strands=strands,
        received_on=received_on,
        incident=incident_data(ward_code=ward, crime_code=crime, **extra),
        **fields,
    )


def date_transition(case, name: str, day: date) -> None:
    """Set the date of a case's move (set-up only: the transition log is append-only and hash-chained, so this
    breaks its chain, which these tests do not verify)."""
    assert rewrite_audit_rows(CaseTransition.objects.filter(case=case, name=name), at=aware(day)) >= 1


def date_activity(case, day: date) -> None:
    assert Activity.objects.filter(case=case, status=Activity.Status.TOOK_PLACE).update(took_place_on=day) == 1


def set_population(code: str, population: int) -> Ward:
    ward = reference(Ward, code)
    ward.population = population
    ward.save()
    return ward


@pytest.fixture
def centre(reporting_centre):
    """The register entry of the persona ``centre_staff``'s organisation."""
    return ReportingCentre.objects.create(
        organisation=reporting_centre,
        name="Stretford Library reporting point",
        ward=reference(Ward, "TRF18"),
        address="Kingsway, Stretford",
        opening_times="Monday to Friday 9am to 5pm",
        bsl=True,
        step_free=True,
    )


@pytest.fixture
def other_centre(db):
    organisation = OrganisationFactory(name="Sale Mosque reporting centre", kind=Organisation.Kind.REPORTING_CENTRE)
    return ReportingCentre.objects.create(
        organisation=organisation,
        name="Sale Mosque",
        ward=reference(Ward, "TRF16"),
        address="Sale",
        opening_times="Daily 10am to 4pm",
    )


def _harmed(case):
    from rjcases.models import Party

    return case.parties.get(role=Party.Role.HARMED)


def _told_about_rj(case, manager, day: date) -> None:
    from rjcases import services

    services.record_contact(
        case, manager, party=_harmed(case), at=aware(day), method="phone", result="reached", rj_information_given=True
    )


@pytest.fixture
def march_cases(police_referrer, manager, facilitator, other_facilitator):
    """Five cases received in March 2026 (and one in April), walked through the services and dated.

    A (Fay): received Mon 2 Mar; accepted 4 Mar; suitable 11 Mar; activity confirmed 13 Mar; agreement 16 Mar;
      its one action done 20 Mar; completed (fulfilled) 27 Mar. Told about RJ 5 Mar (due 9 Mar: met).
    B (Otto): received 2 Mar; accepted 3 Mar; not suitable 5 Mar. Told 12 Mar (late).
    C (not allocated): self-referral received Mon 9 Mar; declined 10 Mar. Never told (overdue).
    D: received 16 Mar; awaiting a decision. Never told (overdue).
    E (Fay): received 2 Mar, race and religion, enhanced rights; accepted 6 Mar; in assessment. Told 3 Mar
      (due 3 Mar: met).
    F: received 1 Apr 2026: outside the first quarter.
    """
    from conferences import services as conference_services
    from rjcases import services
    from tests.walk import to_agreement, to_assessment

    a = make_case(police_referrer, received_on=date(2026, 3, 2))
    a = to_agreement(a, manager, facilitator, actions=1)
    action = a.current_agreement.actions.get()
    conference_services.mark_action_done(
        action, facilitator, resolved_on=date(2026, 3, 20), evidence_note="Seen", told_method="phone"
    )
    a = services.case_complete(a, facilitator, summary="Done")
    for name, day in (
        ("accept", date(2026, 3, 4)),
        ("find_suitable", date(2026, 3, 11)),
        ("schedule_activity", date(2026, 3, 13)),
        ("record_agreement", date(2026, 3, 16)),
        ("complete", date(2026, 3, 27)),
    ):
        date_transition(a, name, day)
    date_activity(a, date(2026, 3, 13))
    _told_about_rj(a, manager, date(2026, 3, 5))

    b = make_case(police_referrer, received_on=date(2026, 3, 2))
    b = to_assessment(b, manager, other_facilitator)
    b = services.case_find_unsuitable(b, other_facilitator, reason="Not ready")
    date_transition(b, "accept", date(2026, 3, 3))
    date_transition(b, "find_unsuitable", date(2026, 3, 5))
    _told_about_rj(b, manager, date(2026, 3, 12))

    c = make_case(manager, received_on=date(2026, 3, 9), route="self-referral", strands=("disability",))
    c = services.case_decline(c, manager, reason="Out of area")
    date_transition(c, "decline", date(2026, 3, 10))

    d = make_case(police_referrer, received_on=date(2026, 3, 16))

    e = make_case(
        police_referrer,
        received_on=date(2026, 3, 2),
        strands=("race", "religion"),
        enhanced_rights=True,
        enhanced_rights_reason="Persistently targeted",
    )
    e = to_assessment(e, manager, facilitator)
    date_transition(e, "accept", date(2026, 3, 6))
    _told_about_rj(e, manager, date(2026, 3, 3))

    f = make_case(police_referrer, received_on=date(2026, 4, 1))
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f}
