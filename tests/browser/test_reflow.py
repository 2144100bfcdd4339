"""Reflow (WCAG 2.2, 1.4.10): at 320 CSS px wide the case list, a case page and the referral pages do not scroll
sideways as a whole; a wide table scrolls inside its own region instead. At 1,280 px no table is clipped."""

import pytest
from django.core.management import call_command

from rjcases.models import Party
from tests.walk import refer, to_assessment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE_WIDTH = """() => ({
    page: document.documentElement.scrollWidth,
    viewport: document.documentElement.clientWidth,
})"""

# The outermost elements that stick out past the viewport's right edge, to name in a failure.
OVERFLOWING = """() => [...document.body.querySelectorAll('*')].filter(el => {
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
        if (getComputedStyle(box).overflowX !== 'visible') return false;
    }
    const right = el.getBoundingClientRect().right;
    const parent = el.parentElement.getBoundingClientRect().right;
    return right > document.documentElement.clientWidth + 1 && parent <= document.documentElement.clientWidth + 1;
}).slice(0, 8).map(el => `${el.tagName.toLowerCase()}.${el.className}: ${el.getBoundingClientRect().right}`)"""

# Every table that is wider than the box around it sits in a region of its own that scrolls (overflow-x auto),
# and no table is cut off: wherever it is wider than its box, some ancestor lets it scroll.
CLIPPED_TABLES = """() => [...document.querySelectorAll('table')].filter(table => {
    const wide = table.scrollWidth;
    for (let box = table.parentElement; box; box = box.parentElement) {
        const style = getComputedStyle(box);
        if (['auto', 'scroll'].includes(style.overflowX)) return false;
        if (box.clientWidth && wide > box.clientWidth + 1 && style.overflowX === 'hidden') return true;
        if (box === document.body) break;
    }
    return wide > document.documentElement.clientWidth + 1;
}).map(table => (table.querySelector('caption') || table).innerText.slice(0, 60))"""


@pytest.fixture
def cases(police_referrer, manager, facilitator):
    made = [refer(police_referrer) for _ in range(3)]
    to_assessment(made[0], manager, facilitator)
    return made


def pages_for(case):
    harmed = case.parties.get(role=Party.Role.HARMED)
    return [
        "/",
        "/cases/",
        f"/cases/{case.reference}/",
        f"/cases/{case.reference}/people/",
        f"/cases/{case.reference}/work/",
        f"/cases/{case.reference}/letters/",
        f"/cases/{case.reference}/timeline/",
        f"/cases/{case.reference}/people/{harmed.pk}/",
    ]


def assert_reflows(page, path, width):
    page.set_viewport_size({"width": width, "height": 800})
    response = page.goto(path)
    assert response is not None
    assert response.ok, f"{path}: {response.status}"
    assert page.url.endswith(path), f"{path} led to {page.url}"
    sizes = page.evaluate(PAGE_WIDTH)
    assert sizes["page"] <= width, (
        f"{path} at {width} px: the page is {sizes['page']} px wide; sticking out: {page.evaluate(OVERFLOWING)}"
    )
    assert page.evaluate(CLIPPED_TABLES) == [], f"{path} at {width} px: tables clipped"
    # The content is reachable: the main heading and the last block of the main content lie within the viewport's width.
    for element in (page.locator("main h1").first, page.locator("main > *").last):
        box = element.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= width + 1, f"{path} at {width} px: {element} reaches {box}"


@pytest.mark.parametrize("width", [320, 1280])
def test_the_managers_pages_reflow(browser_page, login_as, assert_accessible, cases, manager, width):
    page = browser_page
    login_as(page, manager)
    for path in pages_for(cases[0]):
        assert_reflows(page, path, width)
    # A wide table scrolls in its own region, reachable by keyboard, rather than the page scrolling.
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto("/cases/")
    wrap = page.locator(".rj-table-wrap").first
    assert wrap.get_attribute("tabindex") == "0"
    assert page.evaluate("() => getComputedStyle(document.querySelector('.rj-table-wrap')).overflowX") == "auto"
    assert page.evaluate("() => document.querySelector('.rj-table-wrap').scrollWidth") > 320
    assert_accessible(page, "the case list at 320 px")


@pytest.fixture
def reference_data(transactional_db):
    call_command("loaddata", "reference", verbosity=0)


REFERRAL_STEPS = ["incident", "victims-code", "person/harmed/1", "person/responsible/1", "referrer", "check"]


@pytest.mark.parametrize("width", [320, 1280])
def test_the_referral_pages_reflow(browser_page, login_as, reference_data, police_referrer, width):
    page = browser_page
    login_as(page, police_referrer)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("/cases/refer/")
    # One route for the police: its choice page is skipped, straight to its first question page (the incident).
    assert page.url.endswith("/cases/refer/police/incident/"), page.url
    for step in REFERRAL_STEPS:
        assert_reflows(page, f"/cases/refer/police/{step}/", width)


def reachable_paths(page, start: str, limit: int) -> list[str]:
    """The pages reached by following same-site links of the navigation and the main content (GET only, no downloads),
    breadth first from ``start``."""
    host = page.evaluate("() => location.origin")
    seen, queue = [], [start]
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        response = page.goto(path)
        if response is None or not response.ok or "text/html" not in response.headers.get("content-type", ""):
            continue
        path = page.url.removeprefix(host)  # where a redirect led
        if path in seen:
            continue
        seen.append(path)
        for href in page.evaluate("() => [...document.querySelectorAll('nav a[href], main a[href]')].map(a => a.href)"):
            href = href.split("#")[0]
            if href.startswith(host) and not any(part in href for part in ("/download", "/api/", ".pdf", "logout")):
                queue.append(href.removeprefix(host))
    return seen


@pytest.mark.parametrize("width", [320, 1280])
def test_every_page_a_manager_reaches_from_the_dashboard_reflows(
    browser_page, login_as, cases, manager, facilitator, width
):
    page = browser_page
    login_as(page, manager)
    page.set_viewport_size({"width": width, "height": 800})
    paths = reachable_paths(page, "/", limit=60)
    assert len(paths) > 10, paths
    failures = []
    for path in paths:
        try:
            assert_reflows(page, path, width)
        except AssertionError as error:
            failures.append(str(error).splitlines()[0])
    assert failures == []
