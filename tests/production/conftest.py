"""The production shape for the tests of this folder (``make test-production``): started once for the module,
always stopped (the fixture's finaliser), and on any failure every process's output is added to the report."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.production import shape as production

FAILED_KEY = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed:
        item.session.stash[FAILED_KEY] = True
        running = item.funcargs.get("shape") if hasattr(item, "funcargs") else None
        if running is not None:
            report.sections.append(("the production shape's logs", running.all_output()))
    return report


@pytest.fixture(scope="module")
def shape(request):
    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url.startswith(("postgres://", "postgresql://")):
        pytest.skip("the production shape needs PostgreSQL: set DATABASE_URL=postgres://... (make test-production)")
    started = production.start(base_url)
    try:
        yield started
    finally:
        _stop(request, started, base_url)


def _stop(request, started, base_url):
    production.stop(started, base_url)
    if request.session.stash.get(FAILED_KEY, False):
        print(f"\nThe production shape's logs are kept in {started.logs}")  # noqa: T201
    else:
        shutil.rmtree(started.tmp, ignore_errors=True)
