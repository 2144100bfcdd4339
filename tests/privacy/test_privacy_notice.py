"""The privacy notice: a public page with the retention schedule, linked from every page's footer and from every
letter (its PDF and its accessible HTML version), whatever the letter's wording."""

import io

import pytest
from django.test import override_settings
from django.urls import reverse
from pypdf import PdfReader

from letters import services as letter_services
from letters.models import LetterKind
from letters.renderer import LetterRenderer
from letters.services import party_recipient, referrer_recipient
from rjcases.models import Party
from tests.walk import refer

pytestmark = pytest.mark.django_db


def test_the_notice_is_public_and_shows_the_retention_schedule(client):
    response = client.get(reverse("privacy_notice"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Privacy notice" in page
    assert "subject access" in page
    assert "Declined referral" in page
    assert "24 months" in page


def test_every_page_links_to_it_from_the_footer(client, manager):
    client.force_login(manager)
    assert f'href="{reverse("privacy_notice")}">Privacy notice</a>' in client.get(reverse("dashboard")).content.decode()


@override_settings(RJ_SITE_URL="https://rj.example.org")
def test_every_letter_carries_the_notices_address(police_referrer, manager):
    case = refer(police_referrer)
    url = "https://rj.example.org/privacy-notice/"
    harmed = case.parties.get(role=Party.Role.HARMED)
    for kind, recipient in [
        (LetterKind.RJ_INFORMATION, party_recipient(harmed)),
        (LetterKind.REFERRAL_ACKNOWLEDGEMENT, referrer_recipient(case)),
    ]:
        content, _ = letter_services.render_content(case, kind, recipient, recipient.default_format)
        assert url in content.blocks[-1].text
        pdf = LetterRenderer(recipient.default_format).render(content)
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        assert url in "".join(text.split())
