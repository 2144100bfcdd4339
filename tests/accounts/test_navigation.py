"""The service menu by role, and the header naming who is signed in."""

import re

import pytest
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from accounts.context_processors import navigation, navigation_entries

# What each persona's menu is meant to hold once every feature is routed.
MEANT_FOR = {
    "facilitator": ["Dashboard", "Cases", "New referral", "Letters to post", "Insights"],
    "manager": ["Dashboard", "Cases", "New referral", "Letters to post", "Insights", "Letter wording", "Access log"],
    "police_referrer": ["Dashboard", "Cases", "New referral"],
    "centre_staff": ["Dashboard", "Cases", "New referral", "Your centre", "Survey slip"],
    "caseworker": ["Dashboard", "Cases"],
    "administrator": ["Dashboard", "Sign-in help", "Administration"],
}


@pytest.mark.parametrize(("persona", "labels"), MEANT_FOR.items())
def test_each_role_is_meant_to_see_its_own_entries(request, persona, labels):
    user = request.getfixturevalue(persona)
    assert [label for _, label in navigation_entries(user)] == labels


def test_a_facilitator_does_not_see_the_access_log_or_administration(facilitator):
    labels = [label for _, label in navigation_entries(facilitator)]
    assert "Access log" not in labels
    assert "Administration" not in labels


def test_a_referrer_sees_no_access_log_and_no_administration(police_referrer):
    labels = [label for _, label in navigation_entries(police_referrer)]
    assert "Access log" not in labels
    assert "Administration" not in labels


def test_a_signed_out_visitor_has_no_menu(client):
    response = client.get(reverse("accounts:login"))
    assert response.context["nav_items"] == []
    assert "govuk-service-navigation" not in response.content.decode()


def test_a_user_without_a_role_sees_only_the_dashboard(db):
    from tests.factories import UserFactory

    assert [label for _, label in navigation_entries(UserFactory())] == ["Dashboard"]


def test_entries_for_features_not_yet_routed_are_left_out(manager):
    request = RequestFactory().get("/")
    request.user = manager
    shown = [item["label"] for item in navigation(request)["nav_items"]]
    routed = []
    for name, label in navigation_entries(manager):
        try:
            reverse(name)
        except NoReverseMatch:
            continue
        routed.append(label)
    assert shown == routed
    assert shown[:2] == ["Dashboard", "Cases"]


def menu_links(response) -> list[str]:
    return re.findall(
        r'class="govuk-service-navigation__link" href="[^"]*"[^>]*>(?:<strong[^>]*>)?([^<]+)<',
        response.content.decode(),
    )


def test_the_rendered_menu_of_an_administrator_offers_administration(administrator, client):
    client.force_login(administrator)
    links = menu_links(client.get(reverse("dashboard")))
    assert "Administration" in links
    assert "Cases" not in links


def test_the_rendered_menu_of_a_facilitator(facilitator, client):
    client.force_login(facilitator)
    links = menu_links(client.get(reverse("dashboard")))
    assert links[:2] == ["Dashboard", "Cases"]
    assert "Access log" not in links
    assert "Administration" not in links


def test_the_current_page_is_marked_in_the_menu(facilitator, client):
    client.force_login(facilitator)
    page = client.get(reverse("rjcases:list")).content.decode()
    assert re.search(
        r'href="/cases/" aria-current="page"><strong class="govuk-service-navigation__active-fallback">'
        r"Cases</strong>",
        page,
    )
    assert 'href="/" aria-current' not in page


def test_the_header_names_the_signed_in_user_their_organisation_and_role(facilitator, client):
    client.force_login(facilitator)
    page = client.get(reverse("dashboard")).content.decode()
    assert '<span data-testid="signed-in-user">Fay Facilitator</span>' in page
    assert '<span data-testid="signed-in-organisation">Test RJ Service</span>' in page
    assert "RJ facilitator" in page
    assert 'action="/accounts/logout/"' in page


def test_the_header_escapes_names(facilitator, client):
    facilitator.first_name = "<script>alert(1)</script>"
    facilitator.save()
    client.force_login(facilitator)
    page = client.get(reverse("dashboard")).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_no_menu_until_the_second_factor_is_passed(facilitator, confirmed_device, sign_in_with_password, client):
    confirmed_device(facilitator)
    sign_in_with_password("facilitator")
    page = client.get(reverse("accounts:verify")).content.decode()
    assert "govuk-service-navigation" not in page
    assert '<span data-testid="signed-in-user">Fay Facilitator</span>' in page  # and a way to sign out
    assert 'action="/accounts/logout/"' in page


def test_no_menu_during_required_enrolment(facilitator, sign_in_with_password, client, settings):
    settings.RJ_TWO_FACTOR_REQUIRED = True
    sign_in_with_password("facilitator")
    assert "govuk-service-navigation" not in client.get(reverse("accounts:enrol")).content.decode()
