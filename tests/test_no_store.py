"""No caching of personal data (accounts.caching): every URL pattern the service has, requested as a signed-in,
verified manager (the API with the manager's token), answers with ``Cache-Control: no-store`` and the rest of
Django's never-cache headers, whatever the status; signing out clears the site's data; static files keep their
cache."""

import re

import pytest
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from api.models import ApiToken
from tests.walk import refer, to_agreement

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("production")]

NEVER_CACHE = {"max-age=0", "no-cache", "no-store", "must-revalidate", "private"}


@pytest.fixture
def production():
    with override_settings(DEBUG=False, RJ_TWO_FACTOR_REQUIRED=True):
        yield


def verified_client(user) -> Client:
    client = Client()
    device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def url_patterns(patterns=None, prefix="", namespace=""):
    """Every pattern of the root URLconf: (route as written, name to reverse it by, the pattern)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = (
                f"{namespace}:{pattern.namespace}"
                if namespace and pattern.namespace
                else (pattern.namespace or namespace)
            )
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield prefix + str(pattern.pattern), name, pattern


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.fixture
def world(manager, facilitator, police_referrer):
    """A case far enough on to have parties, consents, assessments, an activity, agreement actions and letters."""
    from conferences.models import AgreementAction
    from letters.models import Letter, LetterTemplate

    case = to_agreement(refer(police_referrer), manager, facilitator)
    party = case.parties.first()
    values = {
        "reference": case.reference,
        "party_id": party.pk,
        "party_pk": party.pk,
        "consent_id": party.consents.first().pk,
        "assessment_id": party.assessments.first().pk,
        "activity_id": case.current_activity.pk,
        "action_id": AgreementAction.objects.filter(agreement__case=case).first().pk,
        "letter_id": getattr(Letter.objects.filter(case=case).first(), "pk", 1),
        "case_id": case.pk,
        "name": "close",
        "stage": "start",
        "route_code": "police",
        "token": "not-a-real-token",
        "uidb64": "MQ",
        "object_id": str(case.pk),
        "content_type_id": "1",
        "app_label": "rjcases",
    }
    # ``pk`` means a different thing in each app.
    pks = {
        "accounts": facilitator.pk,
        "letters": getattr(LetterTemplate.objects.first(), "pk", 1),
        "conferences": values["action_id"],
        "insights": 1,
    }
    return values, pks


def url_for(route, name, pattern, values, pks) -> str:
    """The pattern's URL with plausible arguments: the real case's reference and ids where the names say so."""
    app = (name or route).split(":")[0].split("/")[0]
    # The route's own arguments and those of the includes above it (``<str:reference>/victims-code/…``).
    converters = re.findall(r"<(?:\w+:)?(\w+)>", route)
    kwargs = {arg: pks.get(app, 1) if arg == "pk" else values.get(arg, 1) for arg in converters}
    if name is None and "(?P<url>" in route:  # the admin's catch-all
        return "/" + route.split("(")[0] + "no-such-page/"
    if name is None:  # a few of the admin's: the route with its converters filled in
        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), route)
    regex = pattern.pattern.regex
    if not kwargs and regex.groupindex:
        kwargs = {arg: values.get(arg, "1") for arg in regex.groupindex}
    args = [] if kwargs or not regex.groups else [str(values["case_id"])] * (regex.groups - len(regex.groupindex))
    return reverse(name, args=args, kwargs=kwargs)


def test_every_url_pattern_answers_never_cache_to_a_signed_in_manager(world, manager):
    values, pks = world
    web = verified_client(manager)
    assert web.get(reverse("dashboard")).status_code == 200  # signed in and verified
    _token, raw = ApiToken.issue(manager, name="Test system")
    statuses, checked = set(), []
    for route, name, pattern in url_patterns():
        url = url_for(route, name, pattern, values, pks)
        assert not re.search(r"[<^$]", url), url
        extra = {"HTTP_AUTHORIZATION": f"Bearer {raw}"} if url.startswith("/api/") else {}
        response = web.get(url, **extra)
        assert NEVER_CACHE <= cache_control(response), f"{url} {response.status_code}: {response.get('Cache-Control')}"
        assert response.has_header("Expires"), url
        statuses.add(response.status_code)
        checked.append(url)
    assert len(checked) > 300  # every app's patterns, the admin's included
    assert {200, 302, 404} <= statuses  # pages, redirects and refusals alike
    assert "/cases/" + values["reference"] + "/" in checked


@pytest.mark.parametrize("path", ["/cases/RJ-1999-99999/", "/no-such-page/", "/api/v1/no-such-thing/"])
def test_not_found_answers_are_not_cached_either(manager, path):
    response = verified_client(manager).get(path)
    assert response.status_code == 404
    assert NEVER_CACHE <= cache_control(response)


def test_the_sign_in_page_and_its_redirects_are_not_cached(client):
    assert NEVER_CACHE <= cache_control(client.get(reverse("accounts:login")))
    redirect = client.get(reverse("dashboard"))
    assert redirect.status_code == 302
    assert NEVER_CACHE <= cache_control(redirect)


def test_signing_out_clears_the_sites_data(manager):
    client = verified_client(manager)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert NEVER_CACHE <= cache_control(response)


def test_signing_out_of_the_admin_clears_the_sites_data(administrator):
    response = verified_client(administrator).post(reverse("admin:logout"))
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'


def test_other_answers_do_not_clear_the_sites_data(manager):
    assert not verified_client(manager).get(reverse("dashboard")).has_header("Clear-Site-Data")


@override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
def test_static_files_keep_their_cache(manager):
    client = verified_client(manager)  # made inside the override: WhiteNoise reads its settings on first use
    response = client.get("/static/build/app.css")
    assert response.status_code == 200
    directives = cache_control(response)
    assert "no-store" not in directives
    assert any(re.fullmatch(r"max-age=[1-9]\d*", d) for d in directives)
