"""One form page: the pages with one form about one case (a contact, a person no longer taking part, a note)
extend ``rjcases/form_page.html`` and fill its blocks; none repeats the page's markup (back link, error summary,
heading, form, buttons), so a change to the pattern reaches every one of them."""

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from rjcases import services
from rjcases.models import Consent, Party
from tests.walk import assess_and_consent, refer, to_assessment

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "rjcases"
ONE_FORM_PAGES = ("contact_form.html", "no_longer_taking_part.html")
PATTERN = ('<form method="post"', "govuk-back-link", "govuk/error_summary.html", "govuk-button-group", "<h1")


@pytest.mark.parametrize("name", ONE_FORM_PAGES)
def test_the_page_extends_the_one_form_page_and_repeats_none_of_it(name):
    source = (TEMPLATES / name).read_text()
    assert source.startswith('{% extends "rjcases/form_page.html" %}')
    assert [piece for piece in PATTERN if piece in source] == []


def _markup_once(page: str) -> None:
    for piece in ('id="main-form"', 'class="govuk-back-link"', 'class="govuk-heading-l"'):
        assert page.count(piece) == 1, piece


@pytest.fixture
def case(police_referrer, manager, facilitator):
    case = refer(
        police_referrer,
        parties=[
            services.PartyData(Party.Role.HARMED, "Amina", "Testharmed"),
            services.PartyData(Party.Role.HARMED, "Bea", "Secondharmed", {"no_messages": True}),
            services.PartyData(Party.Role.RESPONSIBLE, "Kieran", "Testresponsible"),
        ],
    )
    case = to_assessment(case, manager, facilitator)
    assess_and_consent(case, facilitator)
    return case


@pytest.mark.django_db
def test_the_contact_page_shows_the_safe_contact_rules_then_the_form_and_its_errors(client, case, facilitator):
    client.force_login(facilitator)
    page = client.post(reverse("rjcases:contact_add", args=[case.reference]), {"method": "phone"}).content.decode()
    _markup_once(page)
    assert page.index("How each person may be contacted") < page.index('id="main-form"')
    assert page.count('data-testid="safe-contact"') == 3
    assert "govuk-error-summary" in page
    assert "Log a contact attempt" in page


@pytest.mark.django_db
def test_the_no_longer_taking_part_page_is_the_form_page_or_says_why_not(client, case, facilitator):
    bea = case.parties.get(first_name="Bea")
    kieran = case.parties.get(first_name="Kieran")
    for party in (bea, kieran):
        consent = party.consents.get(purpose=Consent.Purpose.PARTICIPATE)
        services.withdraw_consent(consent, facilitator, withdrawn_on=timezone.localdate(), reason="Stopped.")
    client.force_login(facilitator)
    url = reverse("rjcases:no_longer_taking_part", args=[case.reference, bea.pk])
    page = client.post(url, {"reason": " "}).content.decode()
    _markup_once(page)
    assert "Case " + case.reference + ": Person harmed" in page
    assert 'data-testid="consent-withdrawn"' in page
    assert "govuk-error-summary" in page
    refused = client.get(reverse("rjcases:no_longer_taking_part", args=[case.reference, kieran.pk])).content.decode()
    assert 'data-testid="cannot-go-on"' in refused
    assert 'id="main-form"' not in refused
    assert refused.count('class="govuk-back-link"') == 1
