"""What the URL walks share (tests/rjcases/test_partnership_walk.py, tests/rjcases/test_caseworker_scope.py): every
pattern of the resolver, the ids of a case's objects, and data built once per module with its signed-in clients.

A walk sends hundreds of requests per test over the same cases and personas, so it builds them once per module
(``built_once``: in a transaction rolled back when the module ends; pytest-django's ``db`` runs each test inside
it, in a savepoint rolled back after the test, as Django's ``TestCase.setUpTestData`` does) and each test reads
fresh copies of the rows (``fresh``), never objects another test may have changed in memory. Clients are signed in
without the sign-in's own work (``Sessions``): a session row per test holding what ``django.contrib.auth.login``
puts there, and an API token issued once per user.
"""

from __future__ import annotations

import itertools
import re
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from api.models import ApiToken
from conferences.models import Activity, AgreementAction, InterpreterBooking
from rjcases.models import Assessment, Case, Consent
from rjcases.services import TRANSITIONS

# The patterns of one case: its pages, its letters, its API paths.
CASE_ROUTES = ("cases/<str:reference>/", "letters/case/<str:reference>/", "api/v1/cases/<str:reference>/")


def routes(patterns=None, prefix: str = "") -> list[tuple[str, URLPattern]]:
    """(route as written, pattern) for every pattern of the root URLconf, includes flattened."""
    found = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            found.append((route, pattern))
    return found


def case_ids(case: Case) -> dict[str, list]:
    """The ids of every kind of object a case URL takes, of ``case`` (a booking id that exists nowhere when the
    case has none, so the pattern is still requested)."""
    return {
        "party": list(case.parties.order_by("pk").values_list("pk", flat=True)),
        "consent": list(Consent.objects.filter(party__case=case).values_list("pk", flat=True)),
        "assessment": list(Assessment.objects.filter(party__case=case).values_list("pk", flat=True)),
        "letter": list(case.letters.values_list("pk", flat=True)),
        "activity": list(Activity.objects.filter(case=case).values_list("pk", flat=True)),
        "action": list(AgreementAction.objects.filter(agreement__case=case).values_list("pk", flat=True)),
        "note": list(case.notes.values_list("pk", flat=True)),
        "complaint": list(case.complaints.values_list("pk", flat=True)),
        "booking": list(InterpreterBooking.objects.filter(activity__case=case).values_list("pk", flat=True)) or [1],
    }


def _case_values(route: str, name: str, ids: dict) -> list:
    if name == "reference":
        return ["REF"]
    if name == "name":
        return list(TRANSITIONS)
    if name == "stage":
        return ["before", "after"]
    if name in ("party_id", "party_pk"):
        return ids["party"]
    if name == "booking_pk":
        return ids["booking"]
    for kind in ("consent", "assessment", "letter", "activity", "action", "note", "complaint", "booking"):
        if name == f"{kind}_id":
            return ids[kind]
    if name == "pk":
        if route.startswith("letters/"):
            return ids["letter"]
        if "/activity/" in route:
            return ids["activity"]
        if "/actions/" in route:
            return ids["action"]
    raise AssertionError(f"tests/urlwalk.py does not know what {name!r} is in {route}: teach _case_values")


def case_paths(case: Case) -> list[str]:
    """Every case URL (``CASE_ROUTES``) with every id of ``case`` it can take (so a new page cannot be missed)."""
    ids = case_ids(case)
    paths = []
    for route, _pattern in routes():
        if not route.startswith(CASE_ROUTES):
            continue
        names = re.findall(r"<(?:\w+:)?(\w+)>", route)
        for combination in itertools.product(*(_case_values(route, n, ids) for n in names)):
            path = route
            for name, value in zip(names, combination, strict=True):
                path = re.sub(rf"<(?:\w+:)?{name}>", str(value), path, count=1)
            paths.append("/" + path.replace("REF", case.reference))
    return paths


def not_refused(paths, client, api) -> list[str]:
    """The paths (each with its statuses) that a GET, POST, PUT or DELETE answered with anything but a refusal that
    gives nothing away: 404, or 405 for a method the path does not take (all 405 means the path was never found).
    API paths are sent by ``api``, the rest by ``client``."""
    wrong = []
    for path in paths:
        sender = api if path.startswith("/api/") else client
        statuses = {
            sender.get(path).status_code,
            sender.post(path, {}).status_code,
            sender.put(path, {}).status_code,
            sender.delete(path).status_code,
        }
        if not statuses <= {404, 405} or statuses == {405}:
            wrong.append(f"{path}: {sorted(statuses)}")
    return wrong


@contextmanager
def built_once(django_db_blocker):
    """For a module-scoped fixture: database access, in a transaction rolled back at the end of the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def fresh(instance):
    """The row of ``instance`` read again: what a test changed in memory in an earlier test is not seen."""
    return type(instance).objects.get(pk=instance.pk)


def _session_backend() -> str:
    """The backend ``Client.force_login`` would name: the first that can load a user."""
    return next(path for path in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(path), "get_user"))


class Sessions:
    """Signed-in clients for the users of a module's data: ``web(user)`` a test client with a session of its own
    (made for the test, so what a test does to it is rolled back with it), ``api(user)`` one sending the user's
    API token (issued once, in the module's data)."""

    def __init__(self, *users):
        self._tokens = {user.pk: ApiToken.issue(user, name="Test system")[1] for user in users}

    def web(self, user) -> Client:
        from importlib import import_module

        session = import_module(settings.SESSION_ENGINE).SessionStore()
        session[SESSION_KEY] = user._meta.pk.value_to_string(user)
        session[BACKEND_SESSION_KEY] = _session_backend()
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
        return client

    def api(self, user) -> APIClient:
        client = APIClient()
        raw = self._tokens[user.pk]
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        client.raw_token = raw
        return client
