"""Content-Security-Policy with a nonce on every page; no inline script without it and no inline style."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.conftest import PASSWORD


class InlineCode(HTMLParser):
    """Collects inline <script> elements (their nonce) and every element with a style attribute."""

    def __init__(self):
        super().__init__()
        self.inline_script_nonces: list[str | None] = []
        self.script_count = 0
        self.styled: list[str] = []
        self.style_elements = 0
        self.event_handlers: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            self.script_count += 1
            if "src" not in attributes:
                self.inline_script_nonces.append(attributes.get("nonce"))
        if tag == "style":
            self.style_elements += 1
        if "style" in attributes:
            self.styled.append(tag)
        self.event_handlers += [f"{tag}[{name}]" for name in attributes if name.startswith("on")]


def policy_nonce(response) -> str:
    policy = response.headers["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    match = re.search(r"'nonce-([^']+)'", script_src)
    assert match, f"no nonce in {script_src!r}"
    return match.group(1)


def assert_policy_kept(response):
    assert response["Content-Type"].startswith("text/html")
    nonce = policy_nonce(response)
    page = InlineCode()
    page.feed(response.content.decode())
    assert page.inline_script_nonces, "base.html has one inline script (GOV.UK Frontend's js-enabled class)"
    assert page.inline_script_nonces == [nonce] * len(page.inline_script_nonces)
    assert page.styled == [], f"inline style attributes on {page.styled}"
    assert page.style_elements == 0
    assert page.event_handlers == []


@pytest.fixture
def pages(client, facilitator, sign_in_with_password, enrolment_code):
    """Every page that exists now, in the state a visitor meets it, as (label, response)."""

    def visit():
        yield "login", client.get(reverse("accounts:login"))
        yield "login with errors", sign_in_with_password("facilitator", "wrong-password")
        yield "accessibility statement", client.get(reverse("accessibility"))
        yield "404", client.get("/no-such-page/")
        for _ in range(3):
            sign_in_with_password("facilitator", "wrong-password")
        yield "locked out", sign_in_with_password("facilitator", "wrong-password")
        from axes.models import AccessAttempt

        AccessAttempt.objects.all().delete()
        sign_in_with_password("facilitator", PASSWORD)
        yield "enrolment code", client.get(reverse("accounts:enrol"))
        yield "enrolment code wrong", client.post(reverse("accounts:enrol"), {"code": "WRONG"})
        client.post(reverse("accounts:enrol"), {"code": enrolment_code(facilitator)})
        yield "enrol", client.get(reverse("accounts:enrol"))
        yield "dashboard", client.get(reverse("dashboard"))
        yield "case list", client.get(reverse("rjcases:list"))
        yield "accessibility statement signed in", client.get(reverse("accessibility"))
        yield "404 signed in", client.get("/no-such-page/")
        TOTPDevice.objects.filter(user=facilitator).update(confirmed=True)
        sign_in_with_password("facilitator", PASSWORD)  # a new factor ended the session
        yield "verify", client.get(reverse("accounts:verify"))

    return visit


def test_every_page_has_a_nonce_on_each_inline_script_and_no_inline_style(pages):
    expected_status = {"404": 404, "404 signed in": 404, "locked out": 429}
    seen = []
    for label, response in pages():
        assert response.status_code == expected_status.get(label, 200), label
        try:
            assert_policy_kept(response)
        except AssertionError as failure:
            raise AssertionError(f"{label}: {failure}") from failure
        seen.append(label)
    assert len(seen) == 13


def test_the_policy_allows_scripts_and_styles_from_the_service_alone(client):
    policy = client.get(reverse("accounts:login")).headers["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"][0] == "'self'"
    assert directives["script-src"][1].startswith("'nonce-")
    assert len(directives["script-src"]) == 2  # no 'unsafe-inline', no 'unsafe-eval', no hosts
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]


def test_each_response_gets_a_fresh_nonce(client):
    first = policy_nonce(client.get(reverse("accounts:login")))
    second = policy_nonce(client.get(reverse("accounts:login")))
    assert first != second
    assert len(first) >= 16
