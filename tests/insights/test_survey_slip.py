"""The survey slip: from the centre's menu, a printable page with the one-use link as a QR code and as a short link
that still works typed in small letters or in groups."""

import re

import pytest
from django.urls import reverse

from accounts.context_processors import navigation_entries
from insights import services
from insights.models import SurveyLink

pytestmark = pytest.mark.django_db


def test_the_centres_menu_leads_to_the_slip(client, centre, centre_staff):
    assert ("insights:survey_slip", "Survey slip") in navigation_entries(centre_staff)
    client.force_login(centre_staff)
    page = client.get(reverse("insights:survey_slip")).content.decode()
    assert reverse("insights:survey_link_create", args=[centre.pk]) in page
    assert "Make a survey slip" in page
    assert SurveyLink.objects.count() == 0  # a slip is made by the button, not by opening the page


def test_the_slip_has_a_qr_code_and_a_short_link_and_prints(client, centre, centre_staff):
    client.force_login(centre_staff)
    html = client.post(reverse("insights:survey_link_create", args=[centre.pk])).content.decode()
    url = re.search(r'data-testid="survey-url">([^<]+)<', html).group(1)
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert len(token) == services.SHORT_TOKEN_LENGTH
    assert set(token) <= set(services.SHORT_TOKEN_ALPHABET)
    assert len(url) < 50  # "http://testserver/insights/survey/" and 12 characters
    assert '<svg role="img" focusable="false"' in html
    assert "QR code: scan it to open the survey" in html
    assert "data-rj-print" in html
    assert 'class="rj-no-print"' in html  # the instructions and warning stay off the printout
    assert f"How did {centre.name} do?" in html


def test_a_short_token_typed_in_small_letters_or_groups_is_accepted(centre, centre_staff):
    link, token = services.create_survey_link(centre, centre_staff)
    grouped = " ".join(token[i : i + 4] for i in range(0, len(token), 4))
    for typed in (token, token.lower(), grouped, grouped.replace(" ", "-")):
        assert services.usable_link(typed) == link
    with pytest.raises(services.SurveyLinkUnusable):
        services.usable_link(token[:-1] + ("2" if token[-1] != "2" else "3"))


def test_the_slip_page_is_for_centre_staff(client, police_referrer, manager):
    for user in (police_referrer, manager):
        client.force_login(user)
        assert client.get(reverse("insights:survey_slip")).status_code == 403
