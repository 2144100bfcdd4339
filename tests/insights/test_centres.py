"""Third-party reporting centres: the register, the training flag, reports taken at each centre, the survey
analysis per centre and over time, and the register's forms."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse

from accounts.models import Organisation
from insights import selectors
from insights.models import CentreSurveyResponse, ReportingCentre, TrainedStaffMember, training_due_on
from insights.selectors import Period
from rjcases.models import Ward
from tests.factories import OrganisationFactory, days_ago, reference
from tests.insights.conftest import make_case
from tests.walk import to_assessment

pytestmark = pytest.mark.django_db

YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))


def test_training_runs_out_twelve_months_after_it_was_done():
    assert training_due_on(date(2025, 11, 24)) == date(2026, 11, 24)
    assert training_due_on(date(2024, 2, 29)) == date(2025, 2, 28)
    member = TrainedStaffMember(last_trained_on=date(2025, 11, 24))
    assert not member.training_overdue(date(2026, 11, 24))
    assert member.training_overdue(date(2026, 11, 25))
    # The database's cut-off agrees with the model, including on 29 February.
    for today in (date(2026, 11, 25), date(2028, 2, 29), date(2029, 3, 1), date(2029, 2, 28)):
        cutoff = selectors.training_cutoff(today)
        for last in (today - timedelta(days=n) for n in range(360, 372)):
            assert (last < cutoff) == TrainedStaffMember(last_trained_on=last).training_overdue(today), (today, last)


def test_the_register_counts_staff_and_flags_old_training(centre, other_centre):
    TrainedStaffMember.objects.create(centre=centre, name="Asha", last_trained_on=days_ago(400))
    TrainedStaffMember.objects.create(centre=centre, name="Ben", last_trained_on=days_ago(300))
    TrainedStaffMember.objects.create(centre=centre, name="Cal", last_trained_on=days_ago(800), active=False)
    summaries, _ = selectors.centre_register(YEAR, ReportingCentre.objects.all())
    by_name = {s.centre.name: s for s in summaries}
    assert (by_name[centre.name].staff, by_name[centre.name].staff_overdue) == (2, 1)
    assert (by_name[other_centre.name].staff, by_name[other_centre.name].staff_overdue) == (0, 0)


def test_reports_taken_at_each_centre(centre, other_centre, centre_staff, police_referrer, manager, facilitator):
    org = centre_staff.organisation
    for kind, consent in (("assisted", True), ("assisted", False), ("anonymous", False)):
        make_case(
            centre_staff,
            route="reporting-centre",
            reporting_centre=org,
            report_kind=kind,
            consents_to_police=consent,
            received_on=date(2026, 2, 3),
        )
    accepted = make_case(
        centre_staff,
        route="reporting-centre",
        reporting_centre=org,
        report_kind="assisted",
        consents_to_police=True,
        received_on=date(2026, 5, 3),
    )
    to_assessment(accepted, manager, facilitator)
    make_case(
        manager,
        route="reporting-centre",
        reporting_centre=other_centre.organisation,
        report_kind="assisted",
        consents_to_police=False,
        received_on=date(2026, 2, 3),
    )
    make_case(police_referrer, received_on=date(2026, 2, 3))
    make_case(
        centre_staff,
        route="reporting-centre",
        reporting_centre=org,
        report_kind="assisted",
        consents_to_police=False,
        received_on=date(2025, 6, 1),
    )  # outside the period

    summaries, _ = selectors.centre_register(YEAR, ReportingCentre.objects.all())
    reports = {s.centre.name: s.reports for s in summaries}
    mine = reports[centre.name]
    assert (mine.reports, mine.assisted, mine.anonymous, mine.consented_to_police, mine.accepted) == (4, 3, 1, 2, 1)
    assert reports[other_centre.name].reports == 1

    detail = selectors.centre_detail(centre, YEAR, with_comments=False)
    assert detail.reports.reports == 4
    assert dict(detail.reports_by_month)[date(2026, 2, 1)] == 3
    assert dict(detail.reports_by_month)[date(2026, 5, 1)] == 1
    assert len(detail.reports_by_month) == 12


def answer(
    centre, day, satisfaction="satisfied", respect="yes", informed="yes", recommend="yes", comments="", via="staff"
):
    return CentreSurveyResponse.objects.create(
        centre=centre,
        via=via,
        submitted_on=day,
        satisfaction=satisfaction,
        treated_with_respect=respect,
        knew_what_next=informed,
        would_recommend=recommend,
        comments=comments,
    )


def test_survey_analysis_per_centre_and_over_time(centre, other_centre):
    answer(centre, date(2026, 2, 1), "very_satisfied")
    answer(centre, date(2026, 2, 2), "satisfied", informed="partly")
    answer(centre, date(2026, 5, 2), "dissatisfied", respect="partly", informed="no", recommend="not_sure")
    answer(centre, date(2026, 5, 3), "neither", recommend="no")
    answer(other_centre, date(2026, 5, 3), "very_dissatisfied", respect="no", informed="no", recommend="no")
    answer(centre, date(2025, 5, 3), "very_dissatisfied")  # outside the period

    summaries, by_quarter = selectors.centre_register(YEAR, ReportingCentre.objects.all())
    mine = {s.centre.name: s.survey for s in summaries}[centre.name]
    assert mine.responses == 4
    assert mine.positive == {"satisfaction": 2, "treated_with_respect": 3, "knew_what_next": 2, "would_recommend": 2}
    assert mine.share("satisfaction") == 50.0
    assert [(label, f.responses, f.positive["satisfaction"]) for label, f in by_quarter] == [
        ("2026 Q1", 2, 2),
        ("2026 Q2", 3, 0),
    ]

    detail = selectors.centre_detail(centre, YEAR, with_comments=False)
    assert detail.survey.answers["satisfaction"] == {
        "very_satisfied": 1,
        "satisfied": 1,
        "neither": 1,
        "dissatisfied": 1,
        "very_dissatisfied": 0,
    }
    assert detail.survey.answers["would_recommend"] == {"yes": 2, "no": 1, "not_sure": 1}
    assert [(label, f.responses) for label, f in detail.survey_by_quarter] == [("2026 Q1", 2), ("2026 Q2", 2)]


def test_comments_are_for_the_centre_and_managers_only(client, centre, centre_staff, manager, facilitator):
    answer(centre, days_ago(3), comments="The waiting room was too public")
    url = reverse("insights:centre", args=[centre.pk])
    for user, shown in ((centre_staff, True), (manager, True), (facilitator, False)):
        client.force_login(user)
        html = client.get(url).content.decode()
        assert ("The waiting room was too public" in html) is shown, user


def test_the_register_page_and_its_csv(client, centre, other_centre, manager):
    TrainedStaffMember.objects.create(centre=centre, name="Asha", last_trained_on=days_ago(400))
    client.force_login(manager)
    page = client.get(reverse("insights:centres"))
    html = page.content.decode()
    assert centre.name in html
    assert other_centre.name in html
    assert "1 training over 12 months old" in html
    download = client.get(reverse("insights:centres"), {"format": "csv", "table": "register"})
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Centre", "Ward", "Open"]
    row = next(r for r in rows if r[0] == centre.name)
    assert row[3:8] == ["Yes", "No", "Yes", "1", "1"]


def test_the_centre_page_downloads_each_table(client, centre, centre_staff):
    TrainedStaffMember.objects.create(centre=centre, name="Asha", last_trained_on=days_ago(10))
    answer(centre, days_ago(2))
    client.force_login(centre_staff)
    url = reverse("insights:centre", args=[centre.pk])
    tables = client.get(url).context["tables"]
    for key, table in tables.items():
        rows = list(
            csv.reader(io.StringIO(client.get(url, {"format": "csv", "table": key}).content.decode("utf-8-sig")))
        )
        assert rows[0] == table.columns
        assert len(rows) == len(table.rows) + 1


def test_a_manager_adds_a_centre_and_trained_staff(client, manager):
    organisation = OrganisationFactory(name="Urmston Library", kind=Organisation.Kind.REPORTING_CENTRE)
    client.force_login(manager)
    response = client.post(
        reverse("insights:centre_create"),
        {
            "name": "Urmston Library reporting point",
            "organisation": organisation.pk,
            "ward": reference(Ward, "TRF20").pk,
            "address": "Golden Way",
            "opening_times": "Tuesday 10am to 6pm",
            "bsl": "on",
            "is_active": "on",
        },
    )
    centre = ReportingCentre.objects.get()
    assert response.status_code == 302
    assert centre.bsl
    assert not centre.hearing_loop
    assert centre.history.get().history_user == manager

    response = client.post(
        reverse("insights:staff_create", args=[centre.pk]),
        {
            "name": "Dee",
            "job_title": "Librarian",
            "last_trained_on-day": "3",
            "last_trained_on-month": "2",
            "last_trained_on-year": "2026",
            "active": "on",
        },
    )
    member = TrainedStaffMember.objects.get()
    assert response.status_code == 302
    assert member.last_trained_on == date(2026, 2, 3)
    assert member.centre == centre

    response = client.post(
        reverse("insights:staff_edit", args=[member.pk]),
        {"name": "Dee", "last_trained_on-day": "3", "last_trained_on-month": "2", "last_trained_on-year": "2099"},
    )
    assert "must be today or in the past" in response.content.decode()
    member.refresh_from_db()
    assert member.last_trained_on == date(2026, 2, 3)


def test_the_register_refuses_an_organisation_that_is_not_a_reporting_centre(client, manager, police_force):
    client.force_login(manager)
    response = client.post(
        reverse("insights:centre_create"),
        {"name": "Police station", "organisation": police_force.pk, "address": "x", "opening_times": "y"},
    )
    assert "Select a valid choice" in response.content.decode()
    assert not ReportingCentre.objects.exists()


def test_only_managers_change_the_register(client, facilitator, centre_staff, centre):
    for user in (facilitator, centre_staff):
        client.force_login(user)
        assert client.post(reverse("insights:centre_create"), {"name": "X"}).status_code == 403
        assert client.post(reverse("insights:centre_edit", args=[centre.pk]), {"name": "X"}).status_code == 403
        assert client.post(reverse("insights:staff_create", args=[centre.pk]), {"name": "X"}).status_code == 403
    centre.refresh_from_db()
    assert centre.name == "Stretford Library reporting point"
    assert not TrainedStaffMember.objects.exists()
