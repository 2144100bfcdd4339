"""The foundation in a real browser: keyboard-only sign-in, the CSP kept, axe clean on every page that exists."""

import re
from base64 import b32decode

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.services import issue_enrolment_code
from tests.accounts.conftest import totp_code

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser

BRAND_RGB = "rgb(29, 92, 99)"  # $rj-brand in frontend/app.scss


def focused(page) -> str:
    """What has the keyboard focus: tag, id and visible text."""
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return `${e.tagName.toLowerCase()}#${e.id}:${(e.innerText || e.value || '').trim()}`; }"
    )


def assert_page_works(page, browser_errors):
    """The service's own CSS and scripts loaded, and nothing was refused by the CSP or failed."""
    header = page.locator("header.rj-header")
    expect(header).to_have_css("background-color", BRAND_RGB)
    assert page.evaluate("() => document.body.classList.contains('govuk-frontend-supported')")
    assert browser_errors == []


# Signing in


def test_sign_in_with_the_keyboard_alone(browser_page, facilitator, browser_errors):
    page = browser_page
    page.goto("/accounts/login/")
    page.keyboard.press("Tab")
    assert focused(page) == "a#:Skip to main content"
    expect(page.get_by_role("link", name="Skip to main content")).to_be_visible()  # visible when focused
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert focused(page) == "input#id_username:"
    page.keyboard.type("facilitator")
    page.keyboard.press("Tab")
    assert focused(page) == "input#id_password:"
    page.keyboard.type("correct-horse-battery-9")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    expect(page.get_by_test_id("signed-in-user")).to_have_text("Fay Facilitator")
    expect(page.get_by_test_id("signed-in-organisation")).to_have_text("Test RJ Service")
    assert_page_works(page, browser_errors)


def test_two_factor_code_with_the_keyboard_alone(browser_page, facilitator, login_as, browser_errors):
    device = TOTPDevice.objects.create(user=facilitator, name="Phone", confirmed=True)
    page = login_as(browser_page, facilitator)
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/\?next=%2F$"))
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the skip link
    page.keyboard.press("Tab")
    assert focused(page) == "input#id_token:"
    page.keyboard.type(totp_code(device.bin_key))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    assert_page_works(page, browser_errors)


def test_signing_out(browser_page, facilitator, login_as):
    page = login_as(browser_page, facilitator)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))


# Accessibility of every page that exists now


def test_login_page_is_accessible(browser_page, assert_accessible, browser_errors, db):
    browser_page.goto("/accounts/login/")
    assert_page_works(browser_page, browser_errors)
    assert_accessible(browser_page, "login")


def test_login_with_errors_is_accessible_and_the_summary_takes_the_focus(
    browser_page, facilitator, login_as, assert_accessible, browser_errors
):
    page = login_as(browser_page, facilitator, "not-the-password")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a correct username and password")
    expect(summary).to_be_focused()  # GOV.UK Frontend's script ran under the CSP
    page.get_by_role("link", name=re.compile("Enter a correct username")).click()
    expect(page.get_by_label("Username")).to_be_focused()
    assert_page_works(page, browser_errors)
    assert_accessible(page, "login with errors")


def test_login_with_empty_fields_is_accessible(browser_page, assert_accessible, db):
    page = browser_page
    page.goto("/accounts/login/")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your username")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your password")
    assert_accessible(page, "login with empty fields")


def test_locked_out_page_is_accessible(browser_page, facilitator, login_as, assert_accessible, browser_errors):
    for _ in range(5):
        page = login_as(browser_page, facilitator, "not-the-password")
    expect(page.get_by_test_id("locked-out")).to_contain_text("This account is locked for now")
    page = login_as(browser_page, facilitator)  # the right password, refused
    expect(page.get_by_test_id("locked-out")).to_contain_text("even with the right password")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert_accessible(page, "locked out")
    # A locked-out response is status 429: Chromium logs it as a failed resource, which is expected here.
    assert all("429" in error for error in browser_errors), browser_errors


def test_enrolment_is_accessible_and_works_with_the_typed_key(
    browser_page, facilitator, login_as, assert_accessible, browser_errors, settings
):
    settings.RJ_TWO_FACTOR_REQUIRED = True
    code = issue_enrolment_code(None, facilitator, on_the_server=True)
    page = login_as(browser_page, facilitator)
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/setup/"))
    # Enrolment needs the administrator's one-time code before any secret is shown.
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your enrolment code")
    assert_accessible(page, "enrolment code")
    page.get_by_label("Enrolment code").fill(code)
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("img", name="QR code to scan with your authenticator app")).to_be_visible()
    assert_page_works(page, browser_errors)
    assert_accessible(page, "two-factor enrolment")
    key = b32decode(page.get_by_test_id("totp-secret").inner_text().replace(" ", ""))
    page.get_by_label("Security code").fill("000000" if totp_code(key) != "000000" else "111111")
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm and continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("That code did not match")
    assert_accessible(page, "two-factor enrolment with an error")
    page.wait_for_timeout(1100)  # django-otp makes the next try wait a second after a wrong code
    page.get_by_label("Security code").fill(totp_code(key))
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm and continue").click()
    # The backup codes are shown once, on the page that answers the confirming code.
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor sign-in is set up")
    assert_accessible(page, "backup codes")
    page.get_by_role("link", name="I have kept my backup codes, continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")


def test_verify_page_is_accessible(browser_page, facilitator, login_as, assert_accessible, browser_errors):
    TOTPDevice.objects.create(user=facilitator, name="Phone", confirmed=True)
    page = login_as(browser_page, facilitator)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    assert_page_works(page, browser_errors)
    assert_accessible(page, "verify")
    page.get_by_label("Security code").fill("12345")
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the 6 digits your app shows")
    assert_accessible(page, "verify with an error")


@pytest.mark.parametrize("persona", ["facilitator", "manager", "police_referrer", "administrator"])
def test_dashboard_is_accessible(browser_page, login_as, assert_accessible, browser_errors, request, persona):
    page = login_as(browser_page, request.getfixturevalue(persona))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    expect(page.get_by_role("navigation", name="Menu")).to_be_visible()
    assert_page_works(page, browser_errors)
    assert_accessible(page, f"dashboard ({persona})")


def test_accessibility_statement_is_accessible(browser_page, facilitator, login_as, assert_accessible, browser_errors):
    page = browser_page
    page.goto("/accessibility/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Accessibility statement")
    assert_accessible(page, "accessibility statement, signed out")
    login_as(page, facilitator)
    page.get_by_role("link", name="Accessibility statement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accessibility statement")
    assert_page_works(page, browser_errors)
    assert_accessible(page, "accessibility statement, signed in")


def test_not_found_page_is_accessible(browser_page, facilitator, login_as, assert_accessible, browser_errors):
    page = login_as(browser_page, facilitator)
    response = page.goto("/no-such-page/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(page, "404")
    assert all("404" in error for error in browser_errors), browser_errors


def test_the_header_works_on_a_phone_sized_screen(browser_page, facilitator, login_as, assert_accessible):
    page = browser_page
    page.set_viewport_size({"width": 320, "height": 640})
    login_as(page, facilitator)
    expect(page.get_by_test_id("signed-in-user")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page, "dashboard at 320px")
