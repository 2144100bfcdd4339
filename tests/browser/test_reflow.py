"""Reflow and accessibility of every page (WCAG 2.2 AA; issue 17): for each persona (one of every role), every page
they reach by following links from their dashboard (Django's admin site too, for the administrator), at 320 CSS
px and at 1,280 px: the page does not scroll sideways as a whole, no table is clipped (a wide table scrolls inside
its own region instead), and axe-core finds no serious or critical violation and no content outside a landmark
(``region``).

One live server and one seeded borough (tests/browser/scenario.py) serve the whole module: seeding it costs more
than walking a persona's pages. Each persona is its own test, so a failure names the persona and each address."""

import os

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from rjcases.models import Party
from tests.accounts.conftest import totp_code
from tests.browser import pagewalk, scenario
from tests.browser.conftest import PASSWORD

# Each test runs in a transaction rolled back after it (what its pages wrote: sessions, read-access records); the
# borough itself is seeded once, committed, by the module's ``site``.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# Fewer pages than these means the walk lost its way (a sign-in that failed, a menu that lost its links). The
# administrator's are mostly Django's admin site (the index, each model's list, add and change forms, ...).
MIN_PAGES = {"facilitator": 40, "police": 8, "caseworker": 10, "manager": 50, "centre": 8, "regional": 4, "admin": 45}


@pytest.fixture(scope="module")
def site(browser, django_db_setup, django_db_blocker, tmp_path_factory):
    """The seeded borough behind a live server of its own, for the module; emptied afterwards as a transactional
    test's database is (flushed, its case reference sequences dropped), so later tests start from nothing."""
    from pytest_django.live_server_helper import LiveServer

    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            MEDIA_ROOT=tmp_path_factory.mktemp("media"),
            RJ_LETTER_FILES=False,
        ),
    ):
        seeded = scenario.seed()
        server = LiveServer(os.environ.get("RJ_WALK_LIVE_SERVER", "localhost"))
        server._live_server_modified_settings.enable()
        try:
            yield {"url": server.url, **seeded}
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            call_command("flush", verbosity=0, interactive=False)
            if connection.vendor == "postgresql":
                from rjcases.references import drop_sequences

                drop_sequences()


@pytest.fixture
def open_as(site, browser):
    """``open_as(username)``: a fresh browser signed in as that persona, through the real sign-in form."""
    contexts = []

    def sign_in(username: str):
        context = browser.new_context(base_url=site["url"], locale="en-GB", viewport={"width": 1280, "height": 800})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        if "/accounts/two-factor/" in page.url:
            device = TOTPDevice.objects.get(user__username=username, confirmed=True)
            page.get_by_label("Security code").fill(totp_code(device.bin_key))
            with page.expect_navigation():
                page.get_by_role("button", name="Continue").click()
        assert "/accounts/" not in page.url, f"{username} could not sign in: {page.url}"
        return page

    yield sign_in
    for context in contexts:
        context.close()


@pytest.mark.parametrize("persona", list(scenario.PERSONAS))
def test_every_page_a_persona_reaches_reflows_and_has_no_serious_axe_violation(site, open_as, persona):
    page = open_as(persona)
    walk = pagewalk.Walker(page, site["url"]).walk("/")
    summary = f"{persona}: {len(walk.pages)} pages in {walk.seconds:.1f} s (axe {walk.axe_seconds:.1f} s)"
    print(f"\n{summary}\n" + "\n".join(f"  {path}" for path in walk.pages))
    assert len(walk.pages) >= MIN_PAGES[persona], walk.pages
    assert walk.failures == [], f"{summary}; {len(walk.failures)} problem(s):\n" + "\n".join(walk.failures)


def test_a_wide_table_scrolls_in_its_own_region_reachable_by_keyboard(site, open_as):
    page = open_as("manager")
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto("/cases/")
    assert page.evaluate(pagewalk.PAGE_WIDTH)["page"] <= 320
    wrap = page.locator(".rj-table-wrap").first
    assert wrap.get_attribute("tabindex") == "0"
    assert page.evaluate("() => getComputedStyle(document.querySelector('.rj-table-wrap')).overflowX") == "auto"
    assert page.evaluate("() => document.querySelector('.rj-table-wrap').scrollWidth") > 320
    # The main heading and the last block of the main content lie within the viewport's width.
    for element in (page.locator("main h1").first, page.locator("main > *").last):
        box = element.bounding_box()
        assert box is not None
        assert box["x"] >= 0, f"{element} starts at {box}"
        assert box["x"] + box["width"] <= 321, f"{element} reaches {box}"


def test_a_persons_page_on_a_case_reflows(site, open_as):
    """A page the walk may sample out (a person on a case), checked by address."""
    case = site["cases"]["assessment"]
    harmed = case.parties.get(role=Party.Role.HARMED)
    page = open_as("facilitator")
    address = f"/cases/{case.reference}/people/{harmed.pk}/"
    assert page.goto(address).ok
    walker = pagewalk.Walker(page, site["url"])
    assert [problem for width in pagewalk.WIDTHS for problem in walker.check(address, width)] == []


def test_the_admin_pages_only_a_superuser_reaches_reflow(site, open_as):
    """The admin pages no persona's walk reaches, checked by address as the break-glass superuser: no role may
    delete in the admin, so the delete confirmations (one template for every model that has one: a user's lists
    all that would go with them, a centre's its trained staff), and the case data's read-only admin (a case with
    its incident, people and moves inline)."""
    case = site["cases"]["agreement"]
    addresses = [
        reverse("admin:accounts_user_delete", args=[site["users"]["facilitator"].pk]),
        reverse("admin:insights_reportingcentre_delete", args=[site["centre"].pk]),
        reverse("admin:rjcases_case_changelist"),
        reverse("admin:rjcases_case_change", args=[case.pk]),
        reverse("admin:rjcases_case_history", args=[case.pk]),
    ]
    page = open_as("superuser")
    walker = pagewalk.Walker(page, site["url"])
    problems = []
    for address in addresses:
        response = page.goto(address)
        assert response.ok, f"{address}: {response.status}"
        assert page.url.endswith(address), f"{address} led to {page.url}"
        problems += [problem for width in pagewalk.WIDTHS for problem in walker.check(address, width)]
    assert problems == []


REFERRAL_STEPS = ["incident", "victims-code", "person/harmed/1", "person/responsible/1", "referrer", "check"]


def test_the_referral_pages_reflow(site, open_as):
    """The referral's question pages, which no link reaches before the one before them is answered."""
    page = open_as("police")
    page.goto("/cases/refer/")
    # One route for the police: its choice page is skipped, straight to its first question page (the incident).
    assert page.url.endswith("/cases/refer/police/incident/"), page.url
    walker = pagewalk.Walker(page, site["url"])
    problems = []
    for step in REFERRAL_STEPS:
        address = f"/cases/refer/police/{step}/"
        response = page.goto(address)
        assert response.ok, f"{address}: {response.status}"
        assert page.url.endswith(address), f"{address} led to {page.url}"
        problems += [problem for width in pagewalk.WIDTHS for problem in walker.check(address, width)]
    assert problems == []
