"""Letters and their PDFs through the API (for those who may see a case's details), and the hotspot counts
(the insights app's own selector, its access rule)."""

from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from rjcases.models import ReadAccess
from tests.factories import incident_data
from tests.walk import refer, to_assessment

pytestmark = pytest.mark.django_db


@pytest.mark.letter_files
def test_a_facilitator_lists_the_letters_and_downloads_a_pdf(
    api_client, facilitator, manager, police_referrer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the letters' files are written after the move commits
        case = to_assessment(refer(police_referrer), manager, facilitator)
    client = api_client(facilitator)
    letters = client.get(f"/api/v1/cases/{case.reference}/letters/").json()
    assert {letter["kind"] for letter in letters} >= {"referral_acknowledgement", "rj_information", "invitation"}
    assert {letter["file_status"] for letter in letters} == {"written"}
    first = letters[0]
    response = client.get(first["pdf_url"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content) if response.streaming else response.content
    assert data.startswith(b"%PDF")
    assert PdfReader(BytesIO(data)).pages
    assert ReadAccess.objects.filter(user=facilitator, what="document", object_id=str(first["id"])).exists()


def test_the_police_get_no_letters(api_client, police_referrer, manager, facilitator):
    case = to_assessment(refer(police_referrer), manager, facilitator)
    letter = case.letters.first()
    client = api_client(police_referrer)
    assert client.get(f"/api/v1/cases/{case.reference}/letters/").status_code == 403
    assert client.get(f"/api/v1/cases/{case.reference}/letters/{letter.pk}/pdf/").status_code == 403


def test_a_letter_whose_file_is_not_written_yet_answers_409(api_client, facilitator, manager, police_referrer):
    case = to_assessment(refer(police_referrer), manager, facilitator)  # the move never commits here
    client = api_client(facilitator)
    letters = client.get(f"/api/v1/cases/{case.reference}/letters/").json()
    assert {(letter["file_status"], letter["sha256"], letter["size"]) for letter in letters} == {("pending", "", None)}
    response = client.get(letters[0]["pdf_url"])
    assert (response.status_code, response.json()["error"]["code"]) == (409, "letter_file_not_written")
    assert not ReadAccess.objects.filter(what="document").exists()


def test_a_letter_of_another_case_is_404(api_client, manager, facilitator, police_referrer):
    one = to_assessment(refer(police_referrer), manager, facilitator)
    other = refer(police_referrer)
    response = api_client(manager).get(f"/api/v1/cases/{other.reference}/letters/{one.letters.first().pk}/pdf/")
    assert response.status_code == 404


def test_hotspots_count_cases_by_ward_crime_type_and_strand(api_client, police_referrer, manager):
    refer(police_referrer, strands=("race", "religion"))
    refer(police_referrer, strands=("race",))
    refer(police_referrer, strands=("race",), incident=incident_data(ward_code="TRF02"))
    today = date.today().isoformat()
    response = api_client(police_referrer).get("/api/v1/insights/hotspots/", {"from": "2026-01-01", "to": today})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["total_cases"] == 3
    assert body["strand_links"] == 4
    counts = {(c["ward"]["code"], c["crime_type"]["code"], c["strand"]["code"]): c["count"] for c in body["counts"]}
    assert counts == {
        ("TRF01", "public-order", "race"): 2,
        ("TRF01", "public-order", "religion"): 1,
        ("TRF02", "public-order", "race"): 1,
    }
    assert "Poisson" in body["method"]


def test_hotspots_need_both_dates_in_order(api_client, manager):
    client = api_client(manager)
    missing = client.get("/api/v1/insights/hotspots/", {"from": "2026-01-01"})
    assert missing.status_code == 422
    assert "to" in missing.json()["error"]["fields"]
    backwards = client.get("/api/v1/insights/hotspots/", {"from": "2026-06-01", "to": "2026-01-01"})
    assert backwards.status_code == 422


def test_reporting_centre_staff_do_not_see_hotspots(api_client, centre_staff):
    response = api_client(centre_staff).get("/api/v1/insights/hotspots/", {"from": "2026-01-01", "to": "2026-02-01"})
    assert response.status_code == 403
