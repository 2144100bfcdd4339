"""Walk every page a signed-in person can reach by following links, breadth first from their dashboard, and check
each at a phone's width (320 CSS px) and a desktop's (1,280 px): no sideways scroll of the page (WCAG 2.2, 1.4.10
reflow), no table cut off, and axe-core finds no serious or critical violation and no content outside a landmark
(its ``region`` rule).

Only same-origin GET links are followed (``a[href]``); never sign-out, downloads (CSV, PDF, JSON, letter files)
or the API. Addresses that differ only in their query string are sampled a few times per path, and paths that
served by one URL pattern (``cases/<str:reference>/timeline/``) a few times per pattern, so the walk stays bounded.

Django's admin site (/admin/) is walked too, for whoever reaches it (the administrator): the index, each app's
page, and every model's list, add form and change form once each (their columns and widgets are the model's own);
the pages every model shares one template for (a history list, an old version, a delete confirmation) twice per
template, whichever models they are of; its query strings (sorting, filters, the list's filters kept on a form)
twice in all and one pop-up (a related row's form, with no header), since they show the same pages again. That is
about 55 admin pages, about a minute of the walk. No role may delete in the admin, so no persona reaches a delete
confirmation: tests/browser/test_reflow.py opens those (and the case data's admin) as a break-glass superuser.
"""

import re
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.templatetags.static import static
from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError

WIDTHS = (320, 1280)
QUERIES_PER_PATH = 2  # e.g. a list's first filter and its second page; the rest of its filters are alike
PATHS_PER_ROUTE = 1  # e.g. one letter, one BSL video, one case's timeline
# More samples of the case page, the one page whose every part changes with the case's state (one case in each),
# and of a person on a case (harmed and responsible).
PATHS_PER = {"cases/<str:reference>/": 10, "cases/<str:reference>/people/<int:party_id>/": 2}
AXE_STATIC_PATH = "build/vendor/axe.min.js"  # as tests/browser/conftest.py loads it
BLOCKING_IMPACTS = ("serious", "critical")

# The admin pages every model shares a template for, opened this many times per template (``admin_group``).
ADMIN_SHARED = {"history_view": 2, "history_form_view": 2, "delete_view": 2}
# Admin addresses with a query string, in all (sorting, filters, the filters a form keeps): the same pages again.
ADMIN_QUERIES = 2
ADMIN_POPUPS = 1  # a related row's add or change form in a pop-up window: no header, no navigation

# Not pages: files, the API, the sign-out (a form anyway).
SKIPPED = re.compile(r"(\.(pdf|csv|json|zip|xlsx|ods|txt|ics)$)|/pdf/$|/download|/export|/open-data/|^/api/|logout")

DOWNLOAD_QUERY = re.compile(r"(^|&)(format|download)=")

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

# The links of the whole page (menus, content, footer), as absolute addresses without their fragment.
LINKS = """() => [...document.querySelectorAll('a[href]')]
    .filter(a => !a.hasAttribute('download') && !['_blank', '_new'].includes(a.target))
    .map(a => a.href.split('#')[0])"""

AXE_RUN = "async () => await window.axe.run(document, {resultTypes: ['violations']})"


def assert_reflows(page, path, width):
    """Open ``path`` at ``width`` px and fail on a page that scrolls sideways, a clipped table, or a main heading or
    last block of the main content outside the viewport (for tests of one page; the walk checks its own way)."""
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
    for element in (page.locator("main h1").first, page.locator("main > *").last):
        box = element.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= width + 1, f"{path} at {width} px: {element} reaches {box}"


def pattern(path: str) -> str:
    """The URL pattern that serves a path, "cases/<str:reference>/people/<int:party_id>/" (else the path with each
    segment that holds a digit replaced by "{}")."""
    try:
        return resolve(path).route
    except Resolver404:
        return re.sub(r"/[^/]*\d[^/]*(?=/|$)", "/{}", path)


def admin_group(path: str) -> tuple[str, int] | None:
    """The sample group of an admin page whose template every model shares, and how many of it to open: the
    ModelAdmin's view and the template it renders ("history_view simple_history/object_history.html")."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    view = getattr(match.func, "__wrapped__", match.func)
    model_admin = getattr(match.func, "model_admin", None) or getattr(view, "__self__", None)
    name = getattr(view, "__name__", "")
    if model_admin is None or name not in ADMIN_SHARED:
        return None
    template = {
        "history_view": "object_history_template",
        "history_form_view": "object_history_form_template",
        "delete_view": "delete_confirmation_template",
    }[name]
    return f"admin {name} {getattr(model_admin, template, None) or 'Django'}", ADMIN_SHARED[name]


def sample_group(link: str) -> tuple[str, str, int, int]:
    """Where the walk counts a link: its path's group and how many paths of it to open, and its query's group and
    how many addresses with a query to open in that group."""
    path, query = urlsplit(link).path, urlsplit(link).query
    route = pattern(path)
    paths = admin_group(path) if route.startswith("admin/") else None
    group, path_limit = paths or (route, PATHS_PER.get(route, PATHS_PER_ROUTE))
    if not route.startswith("admin/"):
        return group, path, path_limit, QUERIES_PER_PATH
    if "_popup=" in query:
        return group, "admin pop-ups", path_limit, ADMIN_POPUPS
    return group, "admin queries", path_limit, ADMIN_QUERIES


def blocking(violations: list[dict]) -> list[str]:
    """axe's violations that fail a page: serious or critical ones, and any content outside a landmark."""
    found = []
    for violation in violations:
        if violation["impact"] in BLOCKING_IMPACTS or violation["id"] == "region":
            targets = "; ".join(
                " ".join(node["target"]) if isinstance(node["target"], list) else str(node["target"])
                for node in violation["nodes"][:4]
            )
            found.append(f"axe [{violation['impact']}] {violation['id']} at {targets}")
    return found


@dataclass
class Walk:
    """What a walk visited and what it found: ``failures`` names the address and width of each problem."""

    pages: list[str] = field(default_factory=list)
    skipped: set[str] = field(default_factory=set)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0
    axe_seconds: float = 0.0


class Walker:
    def __init__(self, page, origin: str, *, limit: int = 200):
        self.page = page
        self.origin = origin
        self.limit = limit
        self.axe_url = static(AXE_STATIC_PATH)
        self.axe_seconds = 0.0

    def _wanted(self, href: str) -> str | None:
        """The same-origin path (with query) a link leads to, or None for links the walk does not follow."""
        if not href.startswith(self.origin + "/"):
            return None
        address = href.removeprefix(self.origin)
        parts = urlsplit(address)
        if SKIPPED.search(parts.path) or DOWNLOAD_QUERY.search(parts.query):
            return None
        return address

    def check(self, address: str, width: int) -> list[str]:
        """The problems of the page now open, at ``width`` px wide."""
        page = self.page
        page.set_viewport_size({"width": width, "height": 800})
        problems = []
        sizes = page.evaluate(PAGE_WIDTH)
        if sizes["page"] > width:
            problems.append(f"the page is {sizes['page']} px wide; sticking out: {page.evaluate(OVERFLOWING)}")
        clipped = page.evaluate(CLIPPED_TABLES)
        if clipped:
            problems.append(f"tables clipped: {clipped}")
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            # A same-origin file, so the page's real CSP (no inline script) stays in force.
            page.add_script_tag(url=self.axe_url)
        began = time.monotonic()
        problems += blocking(page.evaluate(AXE_RUN)["violations"])
        self.axe_seconds += time.monotonic() - began
        return [f"{address} at {width} px: {problem}" for problem in problems]

    def walk(self, start: str = "/") -> Walk:
        began = time.monotonic()
        result = Walk()
        queue, queued = [start], {start}
        per_query: Counter[str] = Counter()  # addresses with a query string, per path (per kind in the admin)
        per_pattern: dict[str, set[str]] = {}
        while queue and len(result.pages) < self.limit:
            address = queue.pop(0)
            try:
                response = self.page.goto(address)
            except PlaywrightError as error:
                if "Download is starting" not in str(error):
                    raise
                result.skipped.add(address)  # a file, not a page
                continue
            here = self.page.url.removeprefix(self.origin)
            if response is None or not response.ok:
                status = response.status if response is not None else "no response"
                result.failures.append(f"{address}: {status} (a link leads to a page that does not open)")
                continue
            if "text/html" not in response.headers.get("content-type", ""):
                result.skipped.add(address)
                continue
            if here != address:
                if here in result.pages:
                    continue  # a redirect to a page already walked
                queued.add(here)
            result.pages.append(here)
            for width in WIDTHS:
                result.failures += self.check(here, width)
            for href in self.page.evaluate(LINKS):
                link = self._wanted(href)
                if link is None:
                    if href.startswith(self.origin):
                        result.skipped.add(href.removeprefix(self.origin))
                    continue
                if link in queued:
                    continue
                path = urlsplit(link).path
                group, query_group, path_limit, query_limit = sample_group(link)
                samples = per_pattern.setdefault(group, set())
                if path not in samples and len(samples) >= path_limit:
                    continue
                if link != path and per_query[query_group] >= query_limit:
                    continue
                samples.add(path)
                if link != path:
                    per_query[query_group] += 1
                queued.add(link)
                queue.append(link)
        if queue:
            result.failures.append(f"the walk stopped at {self.limit} pages with {len(queue)} still to open")
        result.seconds = time.monotonic() - began
        result.axe_seconds = self.axe_seconds
        return result
