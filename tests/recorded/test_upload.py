"""The managers' upload page: a file with rejected rows imports nothing and explains each; with the choice to
skip them, the valid rows are imported; anyone else is refused."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from recorded.models import RecordedIncident
from tests.recorded.conftest import csv_text, police_row

pytestmark = pytest.mark.django_db


def upload(rows, **extra):
    return {"file": SimpleUploadedFile("extract.csv", csv_text(rows).encode(), "text/csv"), **extra}


def test_rejected_rows_are_explained_and_nothing_is_imported(police_reference, client, manager):
    client.force_login(manager)
    response = client.post(reverse("recorded:import"), upload([police_row(1), police_row(2, occurred_on="2026-13-01")]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing imported: 1 of 2 rows could not be read" in page
    assert "occurred_on &#x27;2026-13-01&#x27; is not a date written YYYY-MM-DD" in page
    assert not RecordedIncident.objects.exists()

    response = client.post(
        reverse("recorded:import"), upload([police_row(1), police_row(2, occurred_on="2026-13-01")], skip_invalid="on")
    )
    assert "Imported 1 of 2 rows: 1 new" in response.content.decode()
    assert RecordedIncident.objects.count() == 1


def test_a_file_that_is_not_csv_is_refused_with_a_message(police_reference, client, manager):
    client.force_login(manager)
    response = client.post(
        reverse("recorded:import"), {"file": SimpleUploadedFile("x.csv", b"\xff\xfe\x00bad", "text/csv")}
    )
    assert "The file is not UTF-8 text" in response.content.decode()
    assert not RecordedIncident.objects.exists()


def test_only_managers_may_upload(police_reference, client, facilitator, police_referrer):
    for user in (facilitator, police_referrer):
        client.force_login(user)
        assert client.post(reverse("recorded:import"), upload([police_row(1)])).status_code == 403
    assert not RecordedIncident.objects.exists()
