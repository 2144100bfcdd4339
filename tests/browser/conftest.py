"""The browser harness: Playwright (sync API) driving Debian's Chromium against pytest-django's live server.

Fixtures for browser tests (mark them ``pytestmark = pytest.mark.browser``):

- ``browser_page``: a fresh browser context and page per test, its base URL the live server, so
  ``page.goto("/accounts/login/")`` works. The live server serves /static/ (pytest-django uses Django's
  StaticFilesHandler when staticfiles is installed), so the real CSS and scripts load under the real CSP.
- ``browser_errors``: the console errors and uncaught exceptions of ``browser_page`` so far (a CSP violation
  is a console error), as a list of strings a test can assert is empty.
- ``login_as(page, user, password=PASSWORD)``: signs in through the real sign-in form (password step only).
- ``assert_accessible(page, label)``: runs axe-core in the page and fails listing every serious or
  critical violation.

Playwright's own browser download does not work here: Chromium is Debian's, at ``$CHROMIUM``
(default /usr/bin/chromium). Without it every browser test is skipped, saying so.

The tests run on pytest-xdist workers (``make test-browser``: two, ``-n 2 --dist loadgroup``). Each worker is its
own process with its own Chromium, its own in-memory SQLite test database and its own live server (on a free
port; with ``DJANGO_LIVE_TEST_SERVER_ADDRESS=host:port``, worker N takes port + N, and so for the reflow walk's
``RJ_WALK_LIVE_SERVER``). The tests of a module that share a module-scoped fixture (the reflow walk's seeded
borough) stay together on one worker, so the borough is seeded once.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.templatetags.static import static

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "correct-horse-battery-9"  # tests.factories.UserFactory's password
AXE_STATIC_PATH = "build/vendor/axe.min.js"  # copied there by scripts/build-frontend.mjs
BLOCKING_IMPACTS = ("serious", "critical")


def _worker_port(variable: str) -> None:
    """Under xdist, worker ``gwN`` listens on the given port + N, so two workers never ask for the same one."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    address = os.environ.get(variable, "")
    if worker.startswith("gw") and address.count(":") == 1 and address.rsplit(":", 1)[1].isdigit():
        host, port = address.rsplit(":", 1)
        os.environ[variable] = f"{host}:{int(port) + int(worker[2:])}"


for _variable in ("DJANGO_LIVE_TEST_SERVER_ADDRESS", "RJ_WALK_LIVE_SERVER"):
    _worker_port(_variable)


def _missing_requirement() -> str | None:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)) and not shutil.which(CHROMIUM):
        return f"no Chromium at {CHROMIUM} (apt-get install -y chromium, or set CHROMIUM=)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -r requirements.txt)"
    return None


def _shares_a_module_fixture(item) -> bool:
    info = getattr(item, "_fixtureinfo", None)
    return info is not None and any(
        definitions[-1].scope in ("module", "package") for definitions in info.name2fixturedefs.values()
    )


@pytest.hookimpl(tryfirst=True)  # before xdist's loadgroup reads the groups
def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    mine = [item for item in items if here in Path(item.fspath).parents]
    for item in mine:
        if _shares_a_module_fixture(item):
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))
    reason = _missing_requirement()
    if reason is None:
        return
    for item in mine:
        item.add_marker(pytest.mark.skip(reason=f"browser tests skipped: {reason}"))


@pytest.fixture(scope="session")
def browser():
    reason = _missing_requirement()
    if reason:
        pytest.skip(f"browser tests skipped: {reason}")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; Django refuses ORM calls while one
    # runs unless told that this is safe (it is: the calls are synchronous, between Playwright's).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_errors() -> list[str]:
    return []


@pytest.fixture
def browser_page(browser, live_server, browser_errors):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("console", lambda message: browser_errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: browser_errors.append(f"uncaught: {error}"))
    yield page
    context.close()


@pytest.fixture
def login_as():
    """Sign in through the real form; returns the page, now on wherever the service sent the user."""

    def sign_in(page, user, password: str = PASSWORD):
        username = getattr(user, "username", user)
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        return page

    return sign_in


def _format_violation(violation: dict) -> str:
    targets = "; ".join(
        " ".join(node["target"]) if isinstance(node["target"], list) else str(node["target"])
        for node in violation["nodes"][:5]
    )
    summaries = {node.get("failureSummary", "").replace("\n", " ") for node in violation["nodes"][:3]}
    return (
        f"- [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})\n"
        f"    at {targets}\n    {' | '.join(sorted(summaries))}"
    )


@pytest.fixture
def assert_accessible():
    """Run axe-core in the page; fail listing every serious or critical violation. Returns axe's results."""
    axe_file = Path(settings.BASE_DIR) / "static" / AXE_STATIC_PATH

    def check(page, label: str = "") -> dict:
        if not axe_file.exists():
            pytest.fail(f"{axe_file} is missing: build the front end first (make setup)")
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            # Loaded as a same-origin file, so the page's real CSP (no inline script) stays in force.
            page.add_script_tag(url=static(AXE_STATIC_PATH))
        results = page.evaluate("async () => await window.axe.run(document, {resultTypes: ['violations']})")
        blocking = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
        if blocking:
            where = label or page.url
            pytest.fail(
                f"axe found {len(blocking)} serious or critical violation(s) on {where}:\n"
                + "\n".join(_format_violation(v) for v in blocking),
                pytrace=False,
            )
        return results

    return check
