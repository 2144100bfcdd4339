"""Issue 19's authorisation walk: every URL pattern of the project (the resolver's, so a new pattern is walked by
itself) and every API path (drf-spectacular's OpenAPI schema), with its parameters filled with the OTHER
partnership's objects (its case reference, people, consents, assessments, letters, activity, actions, notes,
complaints, centre, trained staff, survey, subject request and its matches, retention review, own letter wording,
users, admin rows), requested by a persona of each role in each of the two partnerships, Trafford and Salford:
GET, POST, PUT and DELETE are each a 404 (or a 403 where the route is a role gate, or 405); never a 200 or a
redirect to the other's object. The patterns that take no object are listed in ``NO_OBJECT`` with the reason;
those of them a signed-in persona can read (dashboards, lists, insights and their CSV and PDF exports) are read
and must not hold the other partnership's distinctive case reference, names, ward, centre or figures.

The wall on a case's own pages is stricter still (``test_every_path_of_another_partnerships_case_...``): every case
page and API path with EVERY id of Trafford's case, GET/POST/PUT/DELETE, is a 404 (or 405), never a 403, for
Salford's manager and facilitator and for the regional lead.

Both partnerships' objects and every persona's sign-in are built once per module (``world``, tests/urlwalk.py).
"""

from __future__ import annotations

import itertools
import re
from datetime import timedelta

import pytest
from django.urls import URLPattern
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.throttling import SimpleRateThrottle

from accounts import roles
from accounts.models import Organisation
from insights import services as insight_services
from insights.models import CentreSurveyResponse, ReportingCentre, TrainedStaffMember
from letters import services as letter_services
from letters.models import LetterKind, LetterTemplate
from privacy.models import RetentionReview, RetentionRule, SubjectRequestMatch
from privacy.services import requests as subject_requests
from rjcases import services
from rjcases.models import Case, Party, Ward
from rjcases.services import TRANSITIONS, complaints
from tests import urlwalk
from tests.factories import OrganisationFactory, UserFactory, incident_data, partnership
from tests.letters.conftest import pdf_text
from tests.urlwalk import case_paths, not_refused
from tests.walk import refer, to_agreement

pytestmark = pytest.mark.django_db

ROLES = (
    roles.MANAGER,
    roles.FACILITATOR,
    roles.ADMINISTRATOR,
    roles.CASEWORKER,
    roles.POLICE_REFERRER,
    roles.CENTRE_STAFF,
)
PERSONAS = [(code, role) for code in ("trafford", "salford") for role in ROLES] + [("", roles.REGIONAL_LEAD)]

# Patterns that take no partnership's object, and why each is safe to leave out of the 404 walk. The signed-in
# ones among them are read by every persona and checked for the other partnership's data (``test_no_page_...``).
NO_OBJECT = {
    # Public pages and sign-in: no object, no data.
    "": "the dashboard: the persona's own work (read below)",
    "accounts/login/": "sign-in",
    "accounts/logout/": "sign-out",
    "accounts/two-factor/": "the persona's own second factor",
    "accounts/two-factor/setup/": "the persona's own second factor",
    "accounts/password-reset/<uidb64>/<token>/": "public: the signed token is the capability",
    "accounts/password-reset/done/": "public",
    "accounts/me/": "the persona's own account",
    "accounts/me/availability/": "the persona's own availability",
    "accounts/users/": "administrators: the list of users (read below)",
    "accessibility/": "public",
    "privacy-notice/": "public",
    "insights/survey/thanks/": "public",
    "insights/survey/<str:token>/": "public: the survey link's secret token is the capability, not an object id",
    # The referral wizard: steps of the persona's own referral in their session.
    "cases/refer/": "the persona's own referral",
    "cases/refer/<slug:route_code>/": "the persona's own referral",
    "cases/refer/<slug:route_code>/check/": "the persona's own referral",
    "cases/refer/<slug:route_code>/person/<slug:role>/<int:index>/": "the persona's own referral",
    "cases/refer/<slug:route_code>/person/<slug:role>/<int:index>/remove/": "the persona's own referral",
    "cases/refer/<slug:route_code>/<slug:step>/": "the persona's own referral",
    # Lists and figures scoped to the reader (read below).
    "cases/": "list",
    "cases/access-log/": "list",
    "letters/wording/": "list",
    "letters/bsl-videos/": "the video for each kind of letter: no case data",
    "letters/bsl-videos/<str:subject>/": "a kind of letter, not an object",
    "letters/print-run/": "list",
    "letters/print-run/letters.pdf": "the persona's print run",
    "insights/": "figures",
    "insights/hotspots/": "figures",
    "insights/hotspots/open-data/": "figures",
    "insights/performance/": "figures",
    "insights/quarterly-return/": "figures",
    "insights/victims-code-return/": "figures",
    "insights/satisfaction/": "figures",
    "insights/comparison/": "the regional lead's comparison: a 403 role gate for everyone else",
    "insights/centres/": "list",
    "insights/centres/new/": "a new centre",
    "insights/centres/survey-slip/": "the centre staff's own centre",
    "recorded-incidents/import/": "an upload of figures",
    "privacy/retention/": "list",
    "privacy/requests/": "list",
    "privacy/requests/new/": "a new request",
    "security-log/": "list",
    "api/v1/schema/": "the API's description",
    "api/v1/docs/": "the API's description",
    "api/v1/^[\\s\\S]*$": "the API's 404 for every unknown path",
}
API_PREFIX = "api/v1/"
METHODS = ("get", "post", "put", "patch", "delete")
# Read with ?format=csv (and pdf) too: the exports of each figures page.
# What the regional lead reads in every partnership (insights across them all, never a case): not refused to them.
REGIONAL_LEAD_READS = {
    "insights/centres/<int:pk>/": "a reporting centre's page: its figures and trained staff, insights of the region"
}
EXPORTS = ("insights/performance/", "insights/satisfaction/", "insights/centres/", "insights/quarterly-return/")


@pytest.fixture(autouse=True)
def no_rate_limits(monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "allow_request", lambda self, request, view: True)


# ---------------------------------------------------------------------------------------------------
# Both partnerships' objects, once per module


def _person(first: str, last: str, n: int) -> services.PartyData:
    fields = {"address": f"{n} {last} Street", "postcode": "M33 7AB", "phone": f"07700 90{n:04d}"}
    return services.PartyData(Party.Role.HARMED if n % 2 else Party.Role.RESPONSIBLE, first, last, fields)


def _build(code: str) -> dict:
    """One partnership's staff of every role and its objects, each with names no other partnership's have."""
    label = code.title()
    place = partnership(code)
    ward = Ward.objects.create(
        code=f"W{code[:3].upper()}", name=f"{label}ward Distinctive", population=12345, partnership=place
    )
    organisations = {
        kind: OrganisationFactory(name=f"{label} {kind} (walk)", kind=kind)
        for kind in ("rj_service", "police", "victim_service", "reporting_centre")
    }
    staff = {
        role: UserFactory(
            username=f"{code}_{role}",
            first_name=f"{label}{role.title().replace('_', '')}",
            last_name="Walker",
            organisation=organisations[
                {
                    roles.POLICE_REFERRER: "police",
                    roles.CASEWORKER: "victim_service",
                    roles.CENTRE_STAFF: "reporting_centre",
                }.get(role, "rj_service")
            ],
            role=role,
            is_staff=role == roles.ADMINISTRATOR,
            partnerships=[place],
        )
        for role in ROLES
    }
    manager, facilitator = staff[roles.MANAGER], staff[roles.FACILITATOR]
    people = [_person(f"{label}harmed", f"{label}surname", 1), _person(f"{label}resp", f"{label}other", 2)]
    case = refer(staff[roles.POLICE_REFERRER], parties=people, incident=incident_data(ward_code=ward.code))
    services.update_party(case.parties.get(role=Party.Role.HARMED), manager, caseworker=staff[roles.CASEWORKER])
    # A supporter and a contact attempt too: every kind of a case's objects the case pages take an id of.
    responsible = case.parties.get(role=Party.Role.RESPONSIBLE)
    services.add_party(
        case,
        manager,
        role=Party.Role.SUPPORTER,
        first_name=f"{label}kin",
        last_name=f"{label}kinsurname",
        supports=responsible,
        address=f"3 {label}kin Street",
        postcode="M33 7AB",
    )
    case = to_agreement(case, manager, facilitator, actions=2)
    services.record_contact(
        case,
        facilitator,
        party=responsible,
        at=timezone.now() - timedelta(hours=1),
        method="phone",
        result="reached",
        notes=f"{label} contact",
    )
    services.add_note(case, facilitator, body=f"{label} secret note")
    complaints.record_complaint(
        case, manager, complainant="harmed", about=f"{label} complaint", received_on=timezone.localdate()
    )
    centre = insight_services.save_centre(
        ReportingCentre(
            organisation=organisations["reporting_centre"],
            name=f"{label} Distinctive Centre",
            ward=ward,
            address=f"{label} Library",
            opening_times="Mondays",
        ),
        manager,
    )
    trained = insight_services.save_trained_staff(
        TrainedStaffMember(centre=centre, name=f"{label} Trainedperson", last_trained_on=timezone.localdate()), manager
    )
    survey = CentreSurveyResponse.objects.create(
        centre=centre, via="staff", satisfaction="satisfied", treated_with_respect="yes", knew_what_next="yes"
    )
    link, _token = insight_services.create_survey_link(centre, manager)
    request = subject_requests.open_request(
        manager, kind="access", first_name=f"{label}harmed", received_on=timezone.localdate(), partnership=place
    )
    subject_requests.propose_matches(request, manager)
    review = RetentionReview.objects.create(
        case=case,
        rule=RetentionRule.objects.order_by("pk").first(),
        due_on=timezone.localdate(),
        queued_on=timezone.localdate() - timedelta(days=1),
    )
    wording = letter_services.update_template(
        LetterTemplate.objects.get(
            partnership=None, kind=LetterKind.CLOSURE, variant="", format="standard", language="en"
        ),
        manager,
        subject=f"{label} closure",
        body="Dear {{ recipient_name }},\n\n{{ outcome }}",
        closing="Yours,",
    )
    case = Case.objects.get(pk=case.pk)
    return {
        "partnership": place,
        "ward": ward,
        "staff": staff,
        "case": case,
        "centre": centre,
        "trained": trained,
        "survey": survey,
        "link": link,
        "request": request,
        "review": review,
        "wording": wording,
        "secrets": [case.reference, f"{label}surname", f"{label}ward Distinctive", f"{label} Distinctive Centre"],
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with urlwalk.built_once(django_db_blocker):
        letter_services.ensure_default_templates()
        built = {code: _build(code) for code in ("trafford", "salford")}
        office = OrganisationFactory(name="PCC office (walk)", kind=Organisation.Kind.OTHER)
        built["regional"] = UserFactory(
            username="walk_regional", organisation=office, role=roles.REGIONAL_LEAD, partnerships=[]
        )
        built["sessions"] = urlwalk.Sessions(*(_persona(built, code, role) for code, role in PERSONAS))
        yield built


def _persona(world: dict, code: str, role: str):
    return world["regional"] if role == roles.REGIONAL_LEAD else world[code]["staff"][role]


def _other(code: str) -> str:
    return "salford" if code == "trafford" else "trafford"


# ---------------------------------------------------------------------------------------------------
# Every pattern, filled with the other partnership's objects


_routes = urlwalk.routes


def _ids(other: dict) -> dict[str, list]:
    case = other["case"]
    return {
        "case": [case.pk],
        **urlwalk.case_ids(case),
        "match": list(SubjectRequestMatch.objects.filter(request=other["request"]).values_list("pk", flat=True)) or [1],
        "user": [u.pk for u in other["staff"].values()],
    }


# The admin's rows of a partnership, by model: every other model the admin lists is installation-wide (roles,
# reference lists, sign-in records, the task queue) or read only by a superuser.
ADMIN_ROWS = {
    "accounts_user": lambda o: [u.pk for u in o["staff"].values()],
    "accounts_partnership": lambda o: [o["partnership"].pk],
    "rjcases_ward": lambda o: [o["ward"].pk],
    "rjcases_case": lambda o: [o["case"].pk],
    "rjcases_party": lambda o: list(o["case"].parties.values_list("pk", flat=True)),
    "rjcases_note": lambda o: list(o["case"].notes.values_list("pk", flat=True)),
    "letters_letter": lambda o: list(o["case"].letters.values_list("pk", flat=True)),
    "letters_lettertemplate": lambda o: [o["wording"].pk],
    "insights_reportingcentre": lambda o: [o["centre"].pk],
    "insights_centresurveyresponse": lambda o: [o["survey"].pk],
}


def _values(route: str, name: str, other: dict, ids: dict, pattern: URLPattern) -> list:
    """The other partnership's values for parameter ``name`` of ``route``."""
    if name == "reference":
        return [other["case"].reference]
    if name == "name":
        return list(TRANSITIONS)
    if name == "stage":
        return ["before", "after"]
    if name == "object_id":
        model = (pattern.name or "").rsplit("_", 1)[0]
        return ADMIN_ROWS[model](other) if model in ADMIN_ROWS else []
    if name in ("party_id", "party_pk"):
        return ids["party"]
    if name == "case_id":
        return ids["case"]
    if name == "booking_pk":
        return ids["booking"]
    if name == "match_pk":
        return ids["match"]
    for kind in ("consent", "assessment", "letter", "activity", "action", "note", "complaint", "booking"):
        if name == f"{kind}_id":
            return ids[kind]
    if name == "pk":
        for prefix, values in (
            ("letters/wording/", [other["wording"].pk]),
            ("letters/", ids["letter"]),
            ("insights/centres/staff/", [other["trained"].pk]),
            ("insights/centres/", [other["centre"].pk]),
            ("privacy/requests/", [other["request"].pk]),
            ("privacy/retention/", [other["review"].pk]),
            ("accounts/users/", ids["user"]),
            ("admin/otp_totp/", []),  # a device of the other partnership's staff: none exist
        ):
            if route.startswith(prefix):
                return values
        if "/activity/" in route:
            return ids["activity"]
        if "/actions/" in route:
            return ids["action"]
    raise AssertionError(f"the partnership walk does not know what {name!r} is in {route}: teach _values")


def _admin_without_rows(route: str, pattern: URLPattern) -> bool:
    """An admin page of an installation-wide model (no partnership's row to fill it with), or of no model."""
    if not route.startswith("admin/"):
        return False
    if "<" not in route and "(" not in route:
        return True  # the index, lists, add pages, login: no object (the lists are scoped by their own tests)
    model = (pattern.name or "").rsplit("_", 1)[0]
    return model not in ADMIN_ROWS


def walked_paths(world: dict, other_code: str) -> list[tuple[str, str]]:
    """(route, path) for every object pattern, filled with the other partnership's objects."""
    other = world[other_code]
    ids = _ids(other)
    paths = []
    for route, pattern in _routes():
        if route in NO_OBJECT or _admin_without_rows(route, pattern) or route.startswith(API_PREFIX):
            continue  # the API's patterns are walked from its schema (api_paths), the same set
        if "^" in route:  # simple-history's regex routes: (object, version) of the admin history, by model
            model = (pattern.name or "").rsplit("_simple_history", 1)[0]
            rows = ADMIN_ROWS[model](other) if model in ADMIN_ROWS else []
            prefix = route.split("^", 1)[0]
            paths += [(route, f"/{prefix}{row}/history/1/") for row in rows[:1]]
            continue
        names = re.findall(r"<(?:\w+:)?(\w+)>", route)
        # One of the other's objects per parameter: the scope, not the object, decides the refusal.
        for combination in itertools.product(*(_values(route, n, other, ids, pattern)[:1] for n in names)):
            path = route
            for name, value in zip(names, combination, strict=True):
                path = re.sub(rf"<(?:\w+:)?{name}>", str(value), path, count=1)
            paths.append((route, "/" + path))
    return paths


def api_paths(world: dict, other_code: str) -> list[tuple[str, str]]:
    """Every path of the OpenAPI schema that takes a parameter, filled with the other partnership's objects."""
    other = world[other_code]
    ids = _ids(other)
    fill = {"reference": [other["case"].reference], "name": list(TRANSITIONS)}
    fill |= {f"{kind}_id": values for kind, values in ids.items()}
    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = []
    for template in schema["paths"]:
        names = re.findall(r"{(\w+)}", template)
        if not names:
            continue
        for name in names:
            assert name in fill, f"the partnership walk does not know what {{{name}}} is in {template}: teach it"
        for combination in itertools.product(*(fill[n][:1] for n in names)):
            path = template
            for name, value in zip(names, combination, strict=True):
                path = path.replace(f"{{{name}}}", str(value), 1)
            paths.append((template, path, [m for m in schema["paths"][template] if m in METHODS]))
    return paths


def _refusal(response, path: str) -> bool:
    """A 404, a 403 role gate or a 405; from the admin site, a redirect to its sign-in (not staff) or, for a row
    outside the administrator's scope, Django admin's own "does not exist" redirect to the admin's index."""
    if response.status_code in (403, 404, 405):
        return True
    if response.status_code != 302 or not path.startswith("/admin/"):
        return False
    return response["Location"] == "/admin/" or response["Location"].startswith("/admin/login/")


def test_every_pattern_is_walked_or_listed_with_its_reason(world):
    unknown = [route for route, pattern in _routes() if "<" not in route and "^" not in route]
    unknown = [r for r in unknown if r not in NO_OBJECT and not r.startswith("admin/") and not r.startswith("api/v1/")]
    assert not unknown, f"patterns with no object that NO_OBJECT does not list: {unknown}"
    walked = {route for route, _ in walked_paths(world, "salford")}
    for route in (
        "cases/<str:reference>/",
        "letters/case/<str:reference>/<int:pk>/pdf/",
        "insights/centres/<int:pk>/",
        "insights/centres/staff/<int:pk>/change/",
        "privacy/requests/<int:pk>/export.pdf",
        "privacy/retention/<int:pk>/",
        "letters/wording/<int:pk>/",
        "accounts/users/<int:pk>/sign-in/",
        "admin/rjcases/case/<path:object_id>/change/",
    ):
        assert route in walked, route
    templates = {template for template, _, _ in api_paths(world, "salford")}
    assert "/api/v1/cases/{reference}/parties/{party_id}/" in templates
    # Every API pattern of the resolver that takes an object is a path of the schema, walked from there.
    resolver_api = {
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", "/" + route)
        for route, _ in _routes()
        if route.startswith(API_PREFIX) and "<" in route
    }
    assert resolver_api <= templates, resolver_api - templates


@pytest.mark.parametrize(("code", "role"), PERSONAS, ids=[f"{c or 'region'}-{r}" for c, r in PERSONAS])
def test_every_path_of_the_other_partnership_is_refused(world, code, role):
    user = _persona(world, code, role)
    others = [_other(code)] if code else ["trafford", "salford"]
    client, api = world["sessions"].web(user), world["sessions"].api(user)
    wrong, asked = [], 0
    for other in others:
        requests = [(client, route, path, ("get", "post")) for route, path in walked_paths(world, other)]
        requests += [(api, route, path, methods) for route, path, methods in api_paths(world, other)]
        for sender, route, path, methods in requests:
            if not code and route in REGIONAL_LEAD_READS:
                continue
            for method in methods:
                response = getattr(sender, method)(path, {})
                asked += 1
                if not _refusal(response, path):
                    wrong.append(f"{method.upper()} {path} ({route}): {response.status_code}")
    assert not wrong, "\n".join(wrong)
    assert asked > 150


def _text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/pdf"):
        return pdf_text(content)
    return content.decode("utf-8", "replace")


@pytest.mark.parametrize(("code", "role"), PERSONAS[:-1], ids=[f"{c}-{r}" for c, r in PERSONAS[:-1]])
def test_no_page_without_an_object_shows_the_other_partnerships_data(world, code, role):
    user = _persona(world, code, role)
    secrets = world[_other(code)]["secrets"]
    client = world["sessions"].web(user)
    pages = [f"/{route}" for route in NO_OBJECT if "<" not in route and "^" not in route]
    pages += [f"/{route}?format={fmt}" for route in EXPORTS for fmt in ("csv", "pdf")]
    pages += ["/api/v1/cases/", "/api/v1/insights/hotspots/", "/api/v1/me/", "/api/v1/reference/"]
    api = world["sessions"].api(user)
    leaks, read = [], 0
    for page in pages:
        response = (api if page.startswith("/api/") else client).get(page)
        assert response.status_code < 500, page
        if response.status_code != 200:
            continue
        read += 1
        body = _text(response)
        leaks += [f"{page}: {secret!r}" for secret in secrets if secret in body]
    assert not leaks, "\n".join(leaks)
    assert read >= 5  # the walk read real pages, not only refusals


# Issue 19's wall on a case's own pages (it was tests/rjcases/test_partnership_walls.py): stricter than the walk
# above there, every case page and API path with EVERY id of Trafford's case it can take (tests/urlwalk.py's
# case_paths, the caseworker scope's walker), each of GET, POST, PUT and DELETE, is a 404 or a 405 and at least one
# of them a 404: never a 403, since to another partnership the case does not exist.
WALL_PERSONAS = [("salford", roles.MANAGER), ("salford", roles.FACILITATOR), ("", roles.REGIONAL_LEAD)]


@pytest.mark.parametrize(("code", "role"), WALL_PERSONAS, ids=[f"{c or 'region'}-{r}" for c, r in WALL_PERSONAS])
def test_every_path_of_another_partnerships_case_with_every_id_is_a_404(world, code, role):
    user = _persona(world, code, role)
    client, api = world["sessions"].web(user), world["sessions"].api(user)
    wrong = not_refused(case_paths(world["trafford"]["case"]), client, api)
    assert not wrong, "\n".join(wrong)
