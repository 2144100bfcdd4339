"""Insights in a real browser: a manager filters the hotspots to one strand and downloads the CSV; a person
answers the reporting-centre survey on a link without signing in; axe finds nothing serious on any insights page."""

import csv
import io
from datetime import date, timedelta

import pytest

from insights import services
from insights.models import CentreSurveyResponse, ReportingCentre, TrainedStaffMember
from rjcases.models import Ward
from tests.factories import days_ago, reference
from tests.insights.conftest import make_case

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser


@pytest.fixture
def centre(reporting_centre):
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
def cases(police_referrer, centre_staff, centre):
    for code in ("TRF01", "TRF02", "TRF03", "TRF04"):
        reference(Ward, code)
    for i in range(8):
        make_case(police_referrer, ward="TRF01", crime="violence", strands=("race",), received_on=days_ago(10 + i))
    make_case(police_referrer, ward="TRF02", crime="violence", strands=("race", "religion"), received_on=days_ago(40))
    make_case(police_referrer, ward="TRF03", crime="public-order", strands=("religion",), received_on=days_ago(70))
    make_case(
        centre_staff,
        ward="TRF04",
        crime="violence",
        strands=("race",),
        received_on=days_ago(100),
        route="reporting-centre",
        reporting_centre=centre_staff.organisation,
        report_kind="anonymous",
        consents_to_police=False,
    )


def test_a_manager_filters_hotspots_to_one_strand_and_downloads_the_csv(
    browser_page, login_as, manager, cases, assert_accessible, browser_errors
):
    page = login_as(browser_page, manager)
    page.goto("/insights/hotspots/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hate incident hotspots")
    expect(page.get_by_test_id("total-incidents")).to_contain_text("11 recorded incidents")
    expect(page.get_by_test_id("flagged-cell").first).to_be_visible()  # 8 violence cases in one ward of four
    expect(page.locator("svg[role=img]")).to_have_count(3)
    assert_accessible(page, "hotspots")

    page.get_by_role("combobox", name="Strand").select_option(label="Religion")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_test_id("filter-summary")).to_contain_text("Strand: Religion")
    expect(page.get_by_test_id("total-incidents")).to_contain_text("2 recorded incidents")
    assert_accessible(page, "hotspots filtered to one strand")

    with page.expect_download() as info:
        page.get_by_test_id("csv-ward-strand").click()
    download = info.value
    assert download.suggested_filename == "hotspots-ward-strand.csv"
    rows = list(csv.reader(io.StringIO(open(download.path(), encoding="utf-8-sig").read())))
    assert rows[0] == ["Ward", "Population", "Religion", "All incidents (each counted once)"]
    assert rows[-1] == ["Borough", "50000", "2", "2"]  # five wards: four with cases and the centre's
    assert {row[0]: row[2] for row in rows[1:-1]} == {
        "Trf01": "0",
        "Trf02": "1",
        "Trf03": "1",
        "Trf04": "0",
        "Trf18": "0",
    }
    assert browser_errors == []


def test_a_survey_is_answered_on_a_link_without_signing_in(
    browser_page, centre, centre_staff, assert_accessible, browser_errors
):
    _, token = services.create_survey_link(centre, centre_staff)
    page = browser_page
    page.goto(f"/insights/survey/{token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tell us how your report was taken")
    assert_accessible(page, "the survey on a link")

    page.get_by_role("button", name="Send your answers").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select an answer")
    assert_accessible(page, "the survey with errors")

    page.get_by_role("group", name="Overall, how satisfied").get_by_label("Very satisfied").check()
    page.get_by_role("group", name="Did the staff treat you with respect?").get_by_label("Yes", exact=True).check()
    page.get_by_role("group", name="Did you get the information").get_by_label("Partly").check()
    page.get_by_role("group", name="Would you tell someone").get_by_label("Yes", exact=True).check()
    page.get_by_label("Is there anything the centre could do better?").fill("A quieter room, please")
    with page.expect_navigation():
        page.get_by_role("button", name="Send your answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    assert_accessible(page, "the survey's thank-you page")

    saved = CentreSurveyResponse.objects.get()
    assert (saved.via, saved.satisfaction, saved.knew_what_next, saved.comments) == (
        "link",
        "very_satisfied",
        "partly",
        "A quieter room, please",
    )
    assert browser_errors == []
    page.goto(f"/insights/survey/{token}/")  # a used link answers 410 Gone, which the console reports
    expect(page.get_by_test_id("survey-unavailable")).to_contain_text("already been used")


def test_every_insights_page_passes_axe(
    browser_page, login_as, manager, cases, centre, assert_accessible, browser_errors
):
    TrainedStaffMember.objects.create(centre=centre, name="Asha", last_trained_on=date.today() - timedelta(days=400))
    CentreSurveyResponse.objects.create(
        centre=centre,
        via="staff",
        satisfaction="satisfied",
        treated_with_respect="yes",
        knew_what_next="yes",
        would_recommend="yes",
    )
    page = login_as(browser_page, manager)
    for path in (
        "/insights/",
        "/insights/performance/",
        "/insights/quarterly-return/",
        "/insights/satisfaction/",
        "/insights/centres/",
        f"/insights/centres/{centre.pk}/",
        f"/insights/centres/{centre.pk}/survey/",
        "/insights/centres/new/",
    ):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page, path)
    assert browser_errors == []
