"""seed_demo's reporting centres: on the register, with trained staff (one training out of date) and survey answers
across the year, the same for the same seed."""

from datetime import date, timedelta

import pytest

from insights.models import CentreSurveyResponse, ReportingCentre, TrainedStaffMember
from tests.demo.test_seed_demo import AS_OF, demo_users, seed  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_users")]


def centres_summary() -> list:
    return [
        (
            centre.name,
            centre.ward.code,
            sorted((m.name, m.job_title, m.last_trained_on, m.active) for m in centre.trained_staff.all()),
            sorted(
                (r.submitted_on, r.satisfaction, r.treated_with_respect, r.would_recommend, r.comments)
                for r in centre.survey_responses.all()
            ),
        )
        for centre in ReportingCentre.objects.order_by("name")
    ]


def test_the_demo_has_reporting_centres_with_staff_and_answers_across_the_year():
    out = seed(cases=2, seed=3, walk_limit=2)
    as_of = date.fromisoformat(AS_OF)
    assert ReportingCentre.objects.count() == 3  # Trafford's two, Salford's one
    assert "3 reporting centres" in out
    for centre in ReportingCentre.objects.all():
        staff = list(centre.trained_staff.all())
        assert len(staff) >= 3
        assert any(member.training_overdue(as_of) for member in staff)
        assert any(not member.training_overdue(as_of) for member in staff)
        days = [r.submitted_on for r in centre.survey_responses.all()]
        assert len(days) >= 14
        assert min(days) >= as_of - timedelta(days=364)
        assert max(days) <= as_of
        assert len({(d.year, d.month) for d in days}) >= 6  # spread across the year
    assert CentreSurveyResponse.history.count() == CentreSurveyResponse.objects.count()
    assert TrainedStaffMember.objects.filter(user__username="centre").exists()
    assert TrainedStaffMember.objects.filter(user__username="salford_centre", centre__ward__code="SLF07").exists()


def test_the_same_seed_gives_the_same_centres():
    from django.db import transaction

    def seeded(number):
        point = transaction.savepoint_create()
        try:
            seed(cases=1, seed=number, walk_limit=1)
            return centres_summary()
        finally:
            transaction.savepoint_rollback(point)

    first, again, other = seeded(5), seeded(5), seeded(6)
    assert first == again
    assert first != other
