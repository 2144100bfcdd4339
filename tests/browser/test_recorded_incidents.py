"""A manager imports a CSV of police records in a real browser: the rejected rows are explained and nothing is
imported; with the valid rows only, they are; the hotspot page for the last 12 months flags a new hotspot; the
open-data file downloads with small counts suppressed. axe finds nothing serious or critical on either page."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from recorded.models import RecordedIncident
from rjcases.models import CrimeType, HateStrand, Ward
from tests.factories import reference
from tests.recorded.conftest import STRANDS, csv_text, police_row

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser


@pytest.fixture
def extract(db):
    for code in ("TRF01", "TRF02", "TRF03"):
        reference(Ward, code)
    for code in ("public-order", "violence", "nchi"):
        reference(CrimeType, code)
    for code in STRANDS:
        reference(HateStrand, code)
    today = timezone.localdate()
    rows = []
    for i in range(1, 9):  # eight violent incidents in one ward this year, none the year before
        day = (today - timedelta(days=5 + i)).isoformat()
        rows.append(police_row(i, ward="TRF01", crime_type="violence", occurred_on=day, reported_at=f"{day} 10:15"))
    for i in range(9, 11):
        day = (today - timedelta(days=40 + i)).isoformat()
        rows.append(police_row(i, ward="TRF02", occurred_on=day, reported_at=day))
    rows.append(police_row(11, ward="Nowhere", occurred_on=today.isoformat(), reported_at=today.isoformat()))
    return csv_text(rows).encode()


def choose_file(page, content: bytes):
    page.get_by_label("CSV file of police records").set_input_files(
        files=[{"name": "gmp-extract.csv", "mimeType": "text/csv", "buffer": content}]
    )


def test_a_manager_imports_police_records_and_sees_a_new_hotspot(
    browser_page, login_as, manager, extract, assert_accessible, browser_errors
):
    page = login_as(browser_page, manager)
    page.goto("/insights/hotspots/")
    page.get_by_role("link", name="Import police records").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import police records")

    choose_file(page, extract)
    with page.expect_navigation():
        page.get_by_role("button", name="Import").click()
    expect(page.get_by_test_id("import-result")).to_contain_text("Nothing imported: 1 of 11 rows could not be read")
    rejected = page.get_by_test_id("rejected-rows")
    expect(rejected).to_contain_text("12")  # line 12 of the file: the header is line 1
    expect(rejected).to_contain_text("06/100011/26")
    expect(rejected).to_contain_text("ward 'Nowhere' is not a ward of the borough")
    assert not RecordedIncident.objects.exists()
    assert_accessible(page, "the import with rejected rows")

    choose_file(page, extract)
    page.get_by_label("Import the valid rows even if some are rejected").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Import").click()
    expect(page.get_by_test_id("import-result")).to_contain_text("Imported 10 of 11 rows: 10 new")
    expect(page.get_by_test_id("rejected-rows")).to_contain_text("ward 'Nowhere'")
    expect(page.get_by_test_id("import-runs")).to_contain_text("gmp-extract.csv")
    assert_accessible(page, "the import of the valid rows")

    page.get_by_role("link", name="Hate incident hotspots").click()
    expect(page.get_by_test_id("filter-summary")).to_contain_text("Counted by: date of the incident")
    expect(page.get_by_test_id("total-incidents")).to_contain_text("10 recorded incidents")
    expect(page.get_by_test_id("new-hotspot-count")).to_contain_text("2 new hotspots")
    new = page.get_by_test_id("table-new-hotspots")
    expect(new).to_contain_text("Violence")
    expect(new.get_by_role("row").nth(1)).to_contain_text("Trf01")
    expect(page.get_by_text("X ~ Binomial(n, p), is below 0.01")).to_be_visible()
    assert_accessible(page, "hotspots with a new hotspot")

    with page.expect_download() as info:
        page.get_by_test_id("open-data").click()
    download = info.value
    assert download.suggested_filename == "hate-incidents-open-data.csv"
    lines = list(csv.reader(io.StringIO(open(download.path(), encoding="utf-8-sig").read())))
    assert lines[1][0].startswith("Suppression rule: Counts of 1 to 4 are shown as 'fewer than 5'")
    counts = [row[-1] for row in lines[4:]]
    assert counts
    assert set(counts) <= {"fewer than 5", "5", "6", "7", "8"}
    assert "fewer than 5" in counts  # TRF02's two incidents
    text = open(download.path(), encoding="utf-8-sig").read()
    assert "06/1000" not in text
    assert browser_errors == []
