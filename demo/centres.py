"""The demo's third-party reporting centres: the demo centre organisations on the register, each with trained staff
(one member's training out of date, one who has left) and survey answers across the 12 months before the as-of day,
so a newcomer's register and satisfaction pages have something to show. Same seed, same data.

Everything goes through the register's and the survey's own services (``insights.services``), as the manager
(the register) and the centre's staff (the answers they enter for people), on the simulated clock, so each answer's
date and history row fall on its own day.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from demo.actors import Actors
from demo.clock import SimulatedClock, simulated_time
from insights import services, survey
from insights.models import ReportingCentre, TrainedStaffMember

CENTRES = (
    # (organisation key in Actors.organisations, ward code, address, postcode, opening times, bsl, loop, step-free)
    (
        "centre_stretford",
        "TRF18",
        "Stretford Library, Kingsway, Stretford",
        "M32 8AP",
        "Monday to Friday 9am to 5pm; Saturday 10am to 1pm",
        True,
        True,
        True,
    ),
    (
        "centre_altrincham",
        "TRF01",
        "Altrincham Community Hub, Market Street, Altrincham",
        "WA14 1PF",
        "Tuesday and Thursday 10am to 4pm",
        False,
        True,
        False,
    ),
    # Salford's (the second partnership's) own centre.
    (
        "centre_eccles",
        "SLF07",
        "Eccles Library, Church Street, Eccles",
        "M30 0EP",
        "Monday to Friday 10am to 5pm",
        True,
        True,
        True,
    ),
)
STAFF_NAMES = ("Priya Example", "Tom Sample", "Grace Demo", "Yusuf Placeholder", "Ewa Testowa", "Sean Fictional")
JOB_TITLES = ("Library assistant", "Volunteer", "Hub coordinator", "Customer services officer")
# How the answers lean: most people satisfied, as published evaluations of such centres find, some not.
ANSWER_WEIGHTS = {
    "satisfaction": (35, 40, 12, 8, 5),
    "treated_with_respect": (80, 15, 5),
    "knew_what_next": (60, 28, 12),
    "would_recommend": (72, 10, 18),
}
COMMENTS = (
    "The staff member was patient and explained everything.",
    "It would help to have a private room.",
    "I did not know what would happen next.",
    "Quick and kind. Thank you.",
    "Longer opening hours at weekends, please.",
)


def add_reporting_centres(actors: Actors, seed: int, as_of: date) -> tuple[int, int, int]:
    """Register the demo centres (if not on the register yet) with staff and survey answers. Returns (centres,
    staff, answers) added."""
    rng = random.Random(f"centres-{seed}")
    centre_users = [actors.user("centre"), actors.user("salford_centre")]
    added = staff_added = answers_added = 0
    clock = SimulatedClock()
    organisations = []
    for key, *details in CENTRES:
        organisation = actors.organisations[key]
        if organisation in organisations or ReportingCentre.objects.filter(organisation=organisation).exists():
            continue  # both demo keys can name one centre when the fixture has only one
        organisations.append(organisation)
        ward, address, postcode, opening, bsl, loop, step_free = details
        # Each centre's partnership's manager registers it; its own volunteer (where it has one) answers for it.
        manager = actors.manager_of(actors.wards[ward].partnership_id)
        centre_user = next((u for u in centre_users if u.organisation_id == organisation.pk), centre_users[0])
        with simulated_time(clock):
            clock.at = _moment(as_of - timedelta(days=400), 10)
            centre = services.save_centre(
                ReportingCentre(
                    organisation=organisation,
                    name=organisation.name.replace(" Reporting Centre", "").replace(" (demo)", "") + " (demo)",
                    ward=actors.wards[ward],
                    address=address,
                    postcode=postcode,
                    opening_times=opening,
                    bsl=bsl,
                    hearing_loop=loop,
                    step_free=step_free,
                ),
                manager,
            )
            added += 1
            for number in range(rng.randint(3, 4)):
                trained = as_of - timedelta(days=rng.randint(20, 330))
                if number == 0:
                    trained = as_of - timedelta(days=rng.randint(380, 500))  # training out of date
                member = TrainedStaffMember(
                    centre=centre,
                    name=rng.choice(STAFF_NAMES),
                    job_title=rng.choice(JOB_TITLES),
                    user=centre_user if number == 1 and centre_user.organisation_id == organisation.pk else None,
                    last_trained_on=trained,
                    active=number != 3,  # the fourth, where there is one, has left
                )
                services.save_trained_staff(member, manager)
                staff_added += 1
            staff = centre_user if centre_user.organisation_id == organisation.pk else manager
            for day in sorted(as_of - timedelta(days=rng.randint(0, 364)) for _ in range(rng.randint(14, 22))):
                clock.at = _moment(day, rng.randint(9, 16))
                answers = {
                    question.code: rng.choices(
                        [code for code, _label in question.choices], weights=ANSWER_WEIGHTS[question.code]
                    )[0]
                    for question in survey.questions()
                }
                answers["comments"] = rng.choice(COMMENTS) if rng.random() < 0.3 else ""
                services.record_survey_response(centre, staff, answers)
                answers_added += 1
    return added, staff_added, answers_added


def _moment(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))
