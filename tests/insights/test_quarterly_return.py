"""The quarterly monitoring return: each line exact on hand-built data, definitions printed, CSV and PDF."""

import csv
import io
import shutil
import subprocess
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import Organisation
from conferences import services as conference_services
from conferences.models import Feedback
from insights import selectors
from insights.models import CentreSurveyResponse
from rjcases.models import Party
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

Q1 = {"quarter": "2026-Q1"}


@pytest.fixture
def feedback_and_surveys(march_cases, facilitator, other_facilitator, centre):
    a, b = march_cases["a"], march_cases["b"]
    harmed_a = a.parties.get(role=Party.Role.HARMED)
    responsible_a = a.parties.get(role=Party.Role.RESPONSIBLE)
    conference_services.record_feedback(
        a,
        facilitator,
        party=harmed_a,
        satisfied=True,
        would_recommend=True,
        felt=Feedback.Felt.BETTER,
        recorded_on=date(2026, 3, 30),
    )
    conference_services.record_feedback(
        a,
        facilitator,
        party=responsible_a,
        satisfied=False,
        would_recommend=True,
        felt=Feedback.Felt.SAME,
        recorded_on=date(2026, 3, 30),
    )
    conference_services.record_feedback(
        b, other_facilitator, party=b.parties.get(role=Party.Role.HARMED), refused=True, recorded_on=date(2026, 3, 10)
    )
    for answer in ("very_satisfied", "satisfied", "dissatisfied"):
        CentreSurveyResponse.objects.create(
            centre=centre,
            via="staff",
            submitted_on=date(2026, 2, 10),
            satisfaction=answer,
            treated_with_respect="yes",
            knew_what_next="partly",
            would_recommend="yes",
        )
    CentreSurveyResponse.objects.create(  # in April: another quarter
        centre=centre,
        via="link",
        submitted_on=date(2026, 4, 10),
        satisfaction="very_dissatisfied",
        treated_with_respect="no",
        knew_what_next="no",
        would_recommend="no",
    )
    return march_cases


def lines_of(today=date(2026, 11, 24)):
    _, lines = selectors.quarterly_return(2026, 1, selectors.load_reference(), today=today)
    return {line.measure: line for line in lines}


def value(lines, measure):
    return lines[measure].value


def test_every_line_is_exact(feedback_and_surveys):
    lines = lines_of()
    expected = {
        "Referrals received": 5,
        "Referrals received: Police": 4,
        "Referrals received: Self-Referral": 1,
        "Referrals received: Race": 4,
        "Referrals received: Religion": 1,
        "Referrals received: Disability": 1,
        "Reports taken at Test Reporting Centre": 0,
        "Referrals accepted": 3,
        "Referrals declined": 1,
        "Acceptance rate (%)": 75.0,
        "Restorative activities that took place": 1,
        "Activities: Face-to-face conference": 1,
        "Activities: Indirect shuttle communication": 0,
        "Cases closed": 3,
        "Closed: Agreement fulfilled": 1,
        "Closed: Not suitable": 1,
        "Closed: Referral declined": 1,
        "Closed: Withdrawn": 0,
        "Agreements fulfilled in full (%)": 100.0,
        "Actions completed": 1,
        "Actions missed": 0,
        "Action completion rate (%)": 100.0,
        "Referrals told about restorative justice in time": 2,
        "Referrals told about restorative justice late": 1,
        "Referrals not yet told about restorative justice, past the due date": 2,
        "Referrals first contact made in time": 3,
        "Referrals not yet first contact made, past the due date": 2,
        "Closures timed": 3,
        "Median working days, referral to closure": 3,
        "90th percentile working days, referral to closure": 19,
        "Feedback given: persons harmed": 1,
        "Share satisfied (%): persons harmed": 100.0,
        "Feedback given: all participants": 2,
        "Share satisfied (%): all participants": 50.0,
        "Share would recommend (%): all participants": 100.0,
        "Share felt better (%): all participants": 50.0,
        "Centre survey responses": 3,
        "Satisfied with how the centre took the report (%)": 66.7,
        "Deadline met (%): told about restorative justice": 40.0,
        "Deadline met (%): first contact made": 60.0,
    }
    assert {measure: value(lines, measure) for measure in expected} == expected


def test_every_line_has_a_definition_and_a_unique_code(feedback_and_surveys):
    _, lines = selectors.quarterly_return(2026, 1, selectors.load_reference())
    assert all(line.definition for line in lines)
    assert len({line.code for line in lines}) == len(lines)


def test_an_empty_quarter_gives_zeros_and_dashes(db):
    lines = lines_of()
    assert value(lines, "Referrals received") == 0
    assert value(lines, "Acceptance rate (%)") is None
    assert value(lines, "Median working days, referral to closure") is None


def test_the_page_csv_and_pdf(client, manager, feedback_and_surveys, tmp_path):
    OrganisationFactory(name="Café & Co <b>", kind=Organisation.Kind.REPORTING_CENTRE)
    client.force_login(manager)

    page = client.get(reverse("insights:quarterly_return"), Q1)
    html = page.content.decode()
    assert "Quarterly monitoring return: 2026 Q1" in html
    assert "B1 / (B1 + B2) x 100." in html
    assert "Reports taken at Café &amp; Co &lt;b&gt;" in html

    download = client.get(reverse("insights:quarterly_return"), {**Q1, "format": "csv"})
    assert 'filename="quarterly-return-2026-Q1-return.csv"' in download["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[0] == ["Code", "Section", "Measure", "Value", "Definition"]
    assert [
        "A1",
        "Referrals",
        "Referrals received",
        "5",
        "Cases whose referral or report was received in the quarter (each case once).",
    ] in rows

    document = client.get(reverse("insights:quarterly_return"), {**Q1, "format": "pdf"})
    assert document["Content-Type"] == "application/pdf"
    assert 'filename="quarterly-return-2026-Q1.pdf"' in document["Content-Disposition"]
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(document.content)).pages)
    assert "Quarterly monitoring return: 2026 Q1" in text
    assert "Reports taken at Café & Co <b>" in text
    assert "Acceptance rate (%)" in text
    assert "75.0" in text
    if shutil.which("qpdf"):
        path = tmp_path / "return.pdf"
        path.write_bytes(document.content)
        check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, check=False)
        assert check.returncode == 0, check.stdout


def test_the_default_is_the_last_complete_quarter_and_a_bad_quarter_is_refused(client, manager):
    client.force_login(manager)
    page = client.get(reverse("insights:quarterly_return"))
    year, quarter = selectors.last_complete_quarter()
    assert page.context["label"] == f"{year} Q{quarter}"
    bad = client.get(reverse("insights:quarterly_return"), {"quarter": "1999-Q9"})
    assert "Choose a quarter from the list" in bad.content.decode()
    assert "lines" not in bad.context
    assert client.get(reverse("insights:quarterly_return"), {"quarter": "1999-Q9", "format": "pdf"}).status_code == 400
