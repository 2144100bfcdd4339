"""Who may open which insights page, persona by persona; and that no page names a person or a case."""

import pytest
from django.urls import reverse

from tests.insights.conftest import make_case

pytestmark = pytest.mark.django_db

PAGES = ["index", "hotspots", "performance", "quarterly_return", "satisfaction", "centres", "centre_create"]

# 200: opens; 403: refused; 302: sent elsewhere (reporting-centre staff go to their own centre).
EXPECTED = {
    "manager": {
        "index": 200,
        "hotspots": 200,
        "performance": 200,
        "quarterly_return": 200,
        "satisfaction": 200,
        "centres": 200,
        "centre_create": 200,
    },
    "facilitator": {
        "index": 200,
        "hotspots": 200,
        "performance": 200,
        "quarterly_return": 200,
        "satisfaction": 200,
        "centres": 200,
        "centre_create": 403,
    },
    "police_referrer": {
        "index": 200,
        "hotspots": 200,
        "performance": 403,
        "quarterly_return": 403,
        "satisfaction": 403,
        "centres": 403,
        "centre_create": 403,
    },
    "caseworker": {
        "index": 200,
        "hotspots": 200,
        "performance": 403,
        "quarterly_return": 403,
        "satisfaction": 403,
        "centres": 403,
        "centre_create": 403,
    },
    "centre_staff": {
        "index": 200,
        "hotspots": 403,
        "performance": 403,
        "quarterly_return": 403,
        "satisfaction": 403,
        "centres": 302,
        "centre_create": 403,
    },
    "administrator": {
        "index": 403,
        "hotspots": 403,
        "performance": 403,
        "quarterly_return": 403,
        "satisfaction": 403,
        "centres": 403,
        "centre_create": 403,
    },
}


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_each_persona_reaches_only_its_pages(client, request, persona, centre):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    got = {page: client.get(reverse(f"insights:{page}")).status_code for page in PAGES}
    assert got == EXPECTED[persona]


@pytest.mark.parametrize("persona", ["manager", "facilitator", "centre_staff"])
def test_who_opens_a_centre_page(client, request, persona, centre, other_centre):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("insights:centre", args=[centre.pk])).status_code == 200
    assert client.get(reverse("insights:centre", args=[other_centre.pk])).status_code == (
        404 if persona == "centre_staff" else 200
    )


@pytest.mark.parametrize("persona", ["police_referrer", "caseworker", "administrator"])
def test_others_get_no_centre_page(client, request, persona, centre):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("insights:centre", args=[centre.pk])).status_code == 404
    assert client.post(reverse("insights:survey_link_create", args=[centre.pk])).status_code == 404


def test_centre_staff_are_sent_to_their_centre_or_told_it_is_not_registered(client, centre_staff, reporting_centre):
    client.force_login(centre_staff)
    page = client.get(reverse("insights:centres"))
    assert "not on the reporting centre register" in page.content.decode()


def test_centre_staff_are_sent_to_their_own_centre(client, centre_staff, centre):
    client.force_login(centre_staff)
    assert client.get(reverse("insights:centres"))["Location"] == reverse("insights:centre", args=[centre.pk])


def test_anonymous_visitors_are_asked_to_sign_in(client):
    for page in PAGES:
        response = client.get(reverse(f"insights:{page}"))
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("persona", ["manager", "police_referrer"])
def test_no_page_names_a_person_or_a_case(client, request, persona, police_referrer):
    case = make_case(police_referrer)
    client.force_login(request.getfixturevalue(persona))
    for page in ("hotspots", "performance", "quarterly_return", "satisfaction"):
        response = client.get(reverse(f"insights:{page}"))
        if response.status_code != 200:
            continue
        html = response.content.decode()
        for secret in (
            case.reference,
            "Testharmed",
            "Testresponsible",
            "Amina",
            "Kieran",
            "07700 900001",
            "Bus stop outside the library",
        ):
            assert secret not in html, (page, secret)
