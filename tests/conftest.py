"""Named personas shared by every test: who they are says what they may see.

Also how the suite is run fast (make test): tests that touch no database are marked ``no_db`` here and run
in the SQLite pass only (running them again on PostgreSQL proves nothing new); role groups are made once
per test database, not once per persona.
"""

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import override_settings

from accounts import roles
from tests import dbcache, personas
from tests.buckets import aws_credentials, letter_bucket, moto_endpoint  # noqa: F401 (fixtures for every test)
from tests.factories import partnership, reference

dbcache.install()  # test databases are copies of one migrated database (tests/dbcache.py)

# Fixtures through which a test reaches a database; a test that uses none of them (directly or through
# another fixture) and has no django_db mark cannot touch one: pytest-django refuses the access.
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
    "admin_user",
    "admin_client",
    "django_user_model",
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("django_db") is None and not DATABASE_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.no_db)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Role groups once per test database (each xdist worker has its own), so personas only look them up.

    Migrating the test database already makes them (accounts' post_migrate); this covers --no-migrations."""
    with django_db_blocker.unblock():
        roles.ensure_roles()


@pytest.fixture(scope="session", autouse=True)
def tasks_run_at_once():
    """Tasks run when they are queued, in the test's own process (Django's immediate backend), so a test sees
    their effects at once and needs no worker. Only the tests of the worker itself (tests/jobs/test_worker.py)
    queue in the database (django-tasks-db, as production and the embedded default do) and start real
    ``manage.py db_worker`` processes."""
    with override_settings(TASKS={"default": {"BACKEND": django_settings.TASK_BACKENDS["immediate"]}}):
        yield


@pytest.fixture(scope="session", autouse=True)
def shared_data_settings(tmp_path_factory):
    """What the function-scoped fixtures below set for each test, also for data built once per module or session
    (``tests/urlwalk.py``): a fast hasher, files in a temporary folder, letters left pending (PDFs unrendered)."""
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        MEDIA_ROOT=tmp_path_factory.mktemp("shared-media"),
        RJ_LETTER_FILES=False,
    ):
        yield


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hashing strength is Django's business, not these tests': a fast hasher keeps personas cheap."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Letters are files: each test writes its own into a temporary folder, never into media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def letter_files_only_when_marked(request, settings):
    """Letter PDFs are rendered only in tests marked ``letter_files``: elsewhere the task that writes them after
    a move commits is not queued (``RJ_LETTER_FILES = False``) and letters stay pending. This keeps the suite
    fast; a marked test that reads files also runs the on-commit callbacks
    (``django_capture_on_commit_callbacks(execute=True)``), which pytest-django's ``db`` tests never run."""
    settings.RJ_LETTER_FILES = request.node.get_closest_marker("letter_files") is not None


@pytest.fixture
def rj_service(db):
    return personas.organisation("rj_service")


@pytest.fixture
def police_force(db):
    return personas.organisation("police_force")


@pytest.fixture
def other_police_force(db):
    return personas.organisation("other_police_force")


@pytest.fixture
def victim_service(db):
    return personas.organisation("victim_service")


@pytest.fixture
def reporting_centre(db):
    return personas.organisation("reporting_centre")


# The personas themselves are tests/personas.py's (a module building its data once calls them there).


@pytest.fixture
def manager(rj_service):
    return personas.manager()


@pytest.fixture
def facilitator(rj_service):
    """A facilitator who will be allocated the case under test."""
    return personas.facilitator()


@pytest.fixture
def other_facilitator(rj_service):
    """A facilitator with no case of their own."""
    return personas.other_facilitator()


@pytest.fixture
def police_referrer(police_force):
    return personas.police_referrer()


@pytest.fixture
def other_police_referrer(other_police_force):
    """A police referrer from another force: sees none of our force's referrals."""
    return personas.other_police_referrer()


@pytest.fixture
def caseworker(victim_service):
    return personas.caseworker()


@pytest.fixture
def centre_staff(reporting_centre):
    return personas.centre_staff()


@pytest.fixture
def administrator(rj_service):
    return personas.administrator()


@pytest.fixture
def superuser_client(client, administrator, settings):
    """A test client signed in as the administrator made a superuser (the break-glass account), with no second
    factor asked for: the admin site's every page."""
    settings.RJ_TWO_FACTOR_REQUIRED = False
    administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)
    return client


# ---------------------------------------------------------------------------------------------------
# A second partnership (issue 19): Salford, beside the default Trafford every persona above works for.


@pytest.fixture
def trafford(db):
    return partnership()


@pytest.fixture
def salford(db):
    return partnership("salford")


@pytest.fixture
def salford_ward(salford):
    from rjcases.models import Ward

    return Ward.objects.get_or_create(
        code="SLF01", defaults={"name": "Salford Central", "population": 14400, "partnership": salford}
    )[0]


@pytest.fixture
def salford_service(db):
    return personas.organisation("salford_service")


@pytest.fixture
def salford_manager(salford_service, salford):
    return personas.salford_manager()


@pytest.fixture
def salford_facilitator(salford_service, salford):
    return personas.salford_facilitator()


@pytest.fixture
def salford_administrator(salford_service, salford):
    return personas.salford_administrator()


@pytest.fixture
def regional_lead(db):
    return personas.regional_lead()


@pytest.fixture
def salford_case(salford_manager, salford_ward):
    """A referral into Salford (its manager referring), with the same people's names as Trafford's cases."""
    from tests.factories import incident_data
    from tests.walk import refer

    return refer(salford_manager, incident=incident_data(ward_code=salford_ward.code))


@pytest.fixture
def referred_case(police_referrer):
    from tests.walk import refer

    return refer(police_referrer)


# ---------------------------------------------------------------------------------------------------
# The API, for every test that calls it (tests/api, and the feature tests that check the web and the API alike)


@pytest.fixture
def fresh_rate_limits():
    """API rate-limit counts live in the cache: a test that calls the API starts with none (tests/api: every test)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_client(fresh_rate_limits):
    """``api_client(user)``: a client sending a fresh API token of ``user``."""
    from tests.api.conftest import client_for

    return client_for


@pytest.fixture
def reference_data(db):
    """The codes a partner system sends (``tests.api.conftest.referral_body`` names them), as the reference
    fixtures name them."""
    from rjcases.models import CrimeType, HateStrand, ReferralRoute, Ward

    for code in ("police", "reporting-centre", "victim-service", "self-referral"):
        reference(ReferralRoute, code)
    for code in ("race", "religion", "disability"):
        reference(HateStrand, code)
    for code in ("TRF01", "TRF02"):
        reference(Ward, code)
    for code in ("public-order", "violence"):
        reference(CrimeType, code)


@pytest.fixture(autouse=True)
def reference_sequences_dropped(request, django_db_blocker):
    """A transactional test's data is flushed afterwards, but PostgreSQL sequences are not: drop the case reference
    sequences it made (rjcases.references), so that the next test's references start again from 1."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or {
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    yield
    if transactional:
        from django.db import connection

        from rjcases.references import drop_sequences

        if connection.vendor == "postgresql":
            with django_db_blocker.unblock():
                drop_sequences()
