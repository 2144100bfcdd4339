"""The Victims' Code compliance return: exact counts on hand-built cases and complaints in 2026 Q2 (Easter,
the May bank holidays), the page, CSV and PDF (escaped), managers only, a pinned number of queries."""

import io
from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils.timezone import make_aware
from pypdf import PdfReader

from insights.selectors.compliance import compliance_return
from rjcases.models import Case
from rjcases.services import complaints
from tests.factories import incident_data
from tests.walk import refer

TODAY = date(2026, 7, 1)
Q2 = {"quarter": "2026-Q2"}


def incident(reported_on=None):
    return incident_data(occurred_from=make_aware(datetime(2026, 3, 30, 20)), reported_on=reported_on)


@pytest.fixture
def quarter(police_referrer, centre_staff, caseworker, manager):
    """Five referrals in 2026 Q2 (and one just before it), two complaints; what each clock is is noted."""
    # A: reported Thu 2 Apr, referred Wed 8 Apr (due 8 Apr: met); told 13 Apr (due 13 Apr: met); contact 13 Apr.
    a = refer(police_referrer, received_on=date(2026, 4, 8), incident=incident(date(2026, 4, 2)))
    Case.objects.filter(pk=a.pk).update(rj_information_given_on=date(2026, 4, 13), initial_contact_on=date(2026, 4, 13))
    # B: enhanced rights, reported 2 Apr, referred Fri 10 Apr (2 working days late); told 9 Apr (due 7 Apr: 2 late);
    # first contact due 24 Apr, never made: overdue by 46 working days on 1 July.
    b = refer(
        police_referrer,
        received_on=date(2026, 4, 10),
        incident=incident(date(2026, 4, 2)),
        enhanced_rights=True,
        enhanced_rights_reason="Persistently targeted",
    )
    Case.objects.filter(pk=b.pk).update(rj_information_given_on=date(2026, 4, 9))
    # C: an anonymous centre report: nothing applies.
    refer(centre_staff, route_code="reporting-centre", report_kind="anonymous", received_on=date(2026, 4, 15))
    # D: a victim service referral on Wed 20 May, no report date: told due 28 May (25 May is a bank holiday),
    # never told: 24 working days late on 1 July; first contact 21 May (met).
    d = refer(caseworker, route_code="victim-service", received_on=date(2026, 5, 20), incident=incident())
    Case.objects.filter(pk=d.pk).update(initial_contact_on=date(2026, 5, 21))
    # E: referred Mon 29 June: both contact clocks not yet due on 1 July.
    refer(police_referrer, received_on=date(2026, 6, 29), incident=incident())
    # Outside the quarter.
    refer(police_referrer, received_on=date(2026, 3, 31), incident=incident())
    # Complaint 1, received Wed 1 Apr: acknowledgement due 10 Apr, made 9 Apr (met); response due 1 May, sent 6 May
    # (4 May is a bank holiday: 2 working days late).
    first = complaints.record_complaint(a, manager, complainant="harmed", about="Slow", received_on=date(2026, 4, 1))
    complaints.acknowledge_complaint(first, manager, acknowledged_on=date(2026, 4, 9))
    complaints.respond_to_complaint(
        first, manager, responded_on=date(2026, 5, 6), response="Apology", outcome="partly_upheld"
    )
    # Complaint 2, received Mon 15 June: acknowledgement due 22 June, not made (7 working days late on 1 July);
    # response due 13 July (not yet due).
    complaints.record_complaint(b, manager, complainant="referrer", about="Rude", received_on=date(2026, 6, 15))


def figures(line):
    return (line.due, line.met, line.late, line.median_days_late, line.pending, line.not_applicable)


@pytest.mark.django_db
def test_the_counts_are_exact_on_hand_built_data(quarter, django_assert_num_queries):
    with django_assert_num_queries(2):
        period, lines = compliance_return(2026, 2, TODAY)
    assert (period.start, period.end) == (date(2026, 4, 1), date(2026, 6, 30))
    found = {line.key: figures(line) for line in lines}
    assert found == {
        "rj_information": (3, 1, 2, 13, 1, 1),  # A met; B 2 late, D 24 late; E pending; C anonymous
        "referral": (2, 1, 1, 2, 0, 3),  # A met, B 2 late; C, D not police, E no report date
        "first_contact": (3, 2, 1, 46, 1, 1),  # A, D met; B 46 late; E pending; C anonymous
        "complaint_acknowledged": (2, 1, 1, 7, 0, 0),
        "complaint_responded": (1, 0, 1, 2, 1, 0),
    }


@pytest.mark.django_db
def test_the_page_csv_and_pdf_for_managers(client, quarter, manager, settings, django_assert_max_num_queries):
    settings.SERVICE_NAME = "Smith & Sons <b>"
    client.force_login(manager)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("insights:compliance_return"), Q2)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="compliance-referral"' in html
    assert "Not applicable: the clock does not apply" in html
    csv = client.get(reverse("insights:compliance_return"), {**Q2, "format": "csv"}).content.decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("Measure,Due,Met in time,Late,Median working days late")
    assert "Police referral within 2 working days of the report" in csv
    document = client.get(reverse("insights:compliance_return"), {**Q2, "format": "pdf"})
    assert 'filename="victims-code-compliance-2026-Q2.pdf"' in document["Content-Disposition"]
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(document.content)).pages)
    assert "Smith & Sons <b>" in text
    assert "How the figures are counted" in text
    index = client.get(reverse("insights:index")).content.decode()
    assert 'data-testid="compliance-link"' in index


@pytest.mark.django_db
def test_managers_only(client, facilitator, police_referrer):
    for user in (facilitator, police_referrer):
        client.force_login(user)
        assert client.get(reverse("insights:compliance_return"), Q2).status_code == 403
        assert client.get(reverse("insights:compliance_return"), {**Q2, "format": "csv"}).status_code == 403
    client.force_login(facilitator)
    assert 'data-testid="compliance-link"' not in client.get(reverse("insights:index")).content.decode()


@pytest.mark.django_db
def test_a_quarter_not_offered_changes_nothing_and_downloads_nothing(client, manager):
    client.force_login(manager)
    assert client.get(reverse("insights:compliance_return"), {"quarter": "1999-Q9", "format": "csv"}).status_code == 400
