"""A victim's caseworker sees their own client in full and of everyone else the role and first name only.

Table-driven over the URL resolver: every case page (``cases/<reference>/...``, ``letters/case/<reference>/...``)
and every API path (``/api/v1/cases/<reference>/...``) is requested, with every id it takes, by ``caseworker``
on (a) a case of their client, (b) a case of another caseworker's client and (c) a case with no caseworker.
On (a) no response may hold another person's address, phone, email or date of birth, or the text of a note
not shared with the caseworker; on (b) and (c) every path is a 404. Then the write paths (consent, assessment,
consent withdrawal, feedback, wellbeing, the case's withdrawal), web and API, for each person on the case:
their own client allowed, anyone else 403, another case 404.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone
from rest_framework.throttling import SimpleRateThrottle

from accounts import roles
from conferences import services as work
from conferences.models import AgreementAction, FollowUp
from rjcases import services
from rjcases.models import Assessment, Case, Consent, Party
from tests import personas, urlwalk
from tests.factories import OrganisationFactory, UserFactory
from tests.urlwalk import case_paths, not_refused
from tests.walk import refer, to_agreement

pytestmark = pytest.mark.django_db

CLIENT_NOTE = "Shared note: the client prefers mornings."
SECRET_NOTE = "Unshared note: the facilitator worries about Kieran"


def _person(first, last, n, born):
    return {
        "first_name": first,
        "last_name": last,
        "address": f"{n} {last} Street, Sale",
        "postcode": "M33 7AB",
        "phone": f"07700 90{n:04d}",
        "email": f"{last.lower()}@example.org",
        "date_of_birth": born,
    }


CLIENT = _person("Amina", "Clientperson", 1101, date(1984, 2, 3))
OTHER_HARMED = _person("Bilal", "Otherharmed", 2202, date(1979, 11, 21))
RESPONSIBLE = _person("Kieran", "Responsibleperson", 3303, date(1995, 6, 14))
SUPPORTER = _person("Sara", "Supporterperson", 4404, date(1960, 1, 30))


def _secrets(person: dict) -> list[str]:
    """What no page may show a caseworker of someone else. (Letters to the client name the other people in full,
    as the client receives them; the case's own pages and API name them by first name only, tested below.)"""
    born = person["date_of_birth"]
    return [
        person["address"],
        person["phone"],
        person["email"],
        born.isoformat(),
        f"{born.day} {born:%B} {born.year}",
        f"{born.day} {born:%b} {born.year}",
    ]


def _party_data(role, person):
    fields = {k: v for k, v in person.items() if k not in ("first_name", "last_name")}
    return services.PartyData(role, person["first_name"], person["last_name"], fields)


def _make_case(referrer, manager, facilitator, *, client_caseworker, other_caseworker=None, to_agreement_stage=True):
    case = refer(
        referrer,
        parties=[
            _party_data(Party.Role.HARMED, CLIENT),
            _party_data(Party.Role.HARMED, OTHER_HARMED),
            _party_data(Party.Role.RESPONSIBLE, RESPONSIBLE),
        ],
    )
    client = case.parties.get(first_name="Amina")
    if client_caseworker is not None:
        services.update_party(client, manager, caseworker=client_caseworker)
    if other_caseworker is not None:
        services.update_party(case.parties.get(first_name="Bilal"), manager, caseworker=other_caseworker)
    responsible = case.parties.get(role=Party.Role.RESPONSIBLE)
    fields = {k: v for k, v in SUPPORTER.items() if k not in ("first_name", "last_name")}
    services.add_party(
        case,
        manager,
        role=Party.Role.SUPPORTER,
        first_name=SUPPORTER["first_name"],
        last_name=SUPPORTER["last_name"],
        supports=responsible,
        **fields,
    )
    if to_agreement_stage:
        case = to_agreement(case, manager, facilitator, actions=2)
    services.add_note(case, facilitator, body=SECRET_NOTE)
    services.add_note(case, facilitator, body=CLIENT_NOTE, shared_with=[client_caseworker] if client_caseworker else [])
    services.record_contact(
        case,
        facilitator,
        party=responsible,
        at=timezone.now() - timedelta(hours=1),
        method="phone",
        result="reached",
        notes=f"Rang {RESPONSIBLE['phone']}",
    )
    return Case.objects.get(pk=case.pk)


def _complete(case, facilitator) -> Case:
    today = timezone.localdate()
    for action in AgreementAction.objects.filter(agreement__case=case):
        work.mark_action_done(
            action,
            facilitator,
            resolved_on=today,
            evidence_note="Letter of apology seen",
            told_method=FollowUp.Method.PHONE,
        )
    return services.case_complete(Case.objects.get(pk=case.pk), facilitator, summary="All actions done.")


@pytest.fixture(autouse=True)
def no_rate_limits(monkeypatch):
    """The walk makes hundreds of API calls in one test: the API's rate limits are not what is tested here."""
    monkeypatch.setattr(SimpleRateThrottle, "allow_request", lambda self, request, view: True)


def _other_caseworker():
    return UserFactory(
        username="caseworker2",
        first_name="Olga",
        last_name="Othercw",
        organisation=OrganisationFactory(name="Other Victim Service"),
        role=roles.CASEWORKER,
    )


@pytest.fixture(scope="module")
def scope_world(django_db_setup, django_db_blocker):
    """The personas (tests/personas.py) and three cases, built once for the module (tests/urlwalk.py):
    (a) ours: the client is ``caseworker``'s, the other person harmed ``other_caseworker``'s;
    (b) theirs: only ``other_caseworker``'s client; (c) nobody's: no caseworker at all."""
    with urlwalk.built_once(django_db_blocker):
        referrer, manager, facilitator = personas.police_referrer(), personas.manager(), personas.facilitator()
        caseworker, other_caseworker = personas.caseworker(), _other_caseworker()
        cases = {
            "ours": _make_case(
                referrer, manager, facilitator, client_caseworker=caseworker, other_caseworker=other_caseworker
            ),
            "theirs": _make_case(referrer, manager, facilitator, client_caseworker=other_caseworker),
            "nobodys": _make_case(referrer, manager, facilitator, client_caseworker=None),
        }
        people = {"manager": manager, "facilitator": facilitator, "caseworker": caseworker}
        yield {"people": people, "cases": cases, "sessions": urlwalk.Sessions(caseworker)}


# The module's own personas and cases, read afresh for each test (each test's writes are rolled back after it).


@pytest.fixture
def manager(scope_world):
    return urlwalk.fresh(scope_world["people"]["manager"])


@pytest.fixture
def facilitator(scope_world):
    return urlwalk.fresh(scope_world["people"]["facilitator"])


@pytest.fixture
def caseworker(scope_world):
    return urlwalk.fresh(scope_world["people"]["caseworker"])


@pytest.fixture
def cases(scope_world):
    return {which: urlwalk.fresh(case) for which, case in scope_world["cases"].items()}


@pytest.fixture
def client(scope_world, caseworker):
    """A client signed in as ``caseworker`` (the only persona the tests below send requests as)."""
    return scope_world["sessions"].web(caseworker)


@pytest.fixture
def caseworker_api(scope_world, caseworker):
    """The API as ``caseworker``, with the token issued once for the module."""
    return scope_world["sessions"].api(caseworker)


# ---------------------------------------------------------------------------------------------------
# Every case path, from the URL resolver (tests/urlwalk.py's case_paths)


def test_the_walk_covers_the_case_pages_and_the_api(cases):
    paths = case_paths(cases["ours"])
    for expected in (
        "/cases/{ref}/",
        "/cases/{ref}/people/",
        "/cases/{ref}/work/",
        "/cases/{ref}/letters/",
        "/cases/{ref}/timeline/",
        "/cases/{ref}/feedback/",
        "/letters/case/{ref}/",
        "/api/v1/cases/{ref}/parties/",
        "/api/v1/cases/{ref}/notes/",
        "/api/v1/cases/{ref}/timeline/",
    ):
        assert expected.format(ref=cases["ours"].reference) in paths
    assert any("/people/" in p for p in paths)
    assert any("/letters/case/" in p and p.endswith("/pdf/") for p in paths)


def _body(response) -> str:
    if response.get("Content-Type", "").startswith("application/pdf"):
        return ""  # a PDF is checked by who may fetch it: a letter to someone else is refused
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", "replace")


def test_a_caseworker_sees_nothing_of_the_other_people_on_their_clients_case(client, cases, caseworker, caseworker_api):
    case = cases["ours"]
    secrets = _secrets(OTHER_HARMED) + _secrets(RESPONSIBLE) + _secrets(SUPPORTER) + [SECRET_NOTE]
    api = caseworker_api
    leaks, errors, seen = [], [], 0
    for path in case_paths(case):
        response = api.get(path) if path.startswith("/api/") else client.get(path)
        if response.status_code >= 500:
            errors.append(f"{path}: {response.status_code}")
        body = _body(response)
        seen += response.status_code == 200
        leaks += [f"{path}: {secret!r}" for secret in secrets if secret in body]
    assert not errors
    assert not leaks, "\n".join(leaks)
    assert seen > 20  # the walk read real pages, not only refusals


def test_the_caseworker_sees_their_client_in_full_and_the_case_itself(client, cases, caseworker, caseworker_api):
    case = cases["ours"]
    # The case page's sections: the summary, the people (with contacts and notes), the restorative work.
    page = "".join(
        client.get(f"/cases/{case.reference}/{section}").content.decode() for section in ("", "people/", "work/")
    )
    for value in (CLIENT["address"], CLIENT["phone"], CLIENT["email"], CLIENT_NOTE, "Agreement"):
        assert value in page
    assert "Bilal" in page
    assert "Kieran" in page
    for last_name in (OTHER_HARMED["last_name"], RESPONSIBLE["last_name"], SUPPORTER["last_name"]):
        assert last_name not in page
    client_id = case.parties.get(first_name="Amina").pk
    assert client.get(f"/cases/{case.reference}/people/{client_id}/").status_code == 200
    api = caseworker_api
    parties = {p["name"]: p for p in api.get(f"/api/v1/cases/{case.reference}/parties/").json()}
    assert parties["Amina Clientperson"]["phone"] == CLIENT["phone"]
    assert parties["Kieran"] == {
        "id": parties["Kieran"]["id"],
        "role": "responsible",
        "name": "Kieran",
        "details_visible": False,
    }
    assert [n["body"] for n in api.get(f"/api/v1/cases/{case.reference}/notes/").json()] == [CLIENT_NOTE]
    agreement = api.get(f"/api/v1/cases/{case.reference}/agreement/").json()
    assert [a["what"] for a in agreement["actions"]] == ["Action 1", "Action 2"]


def test_the_timeline_shows_the_moves_and_the_client_never_another_persons_changes(client, cases, caseworker, manager):
    case = cases["ours"]
    responsible = case.parties.get(role=Party.Role.RESPONSIBLE)
    services.update_party(responsible, manager, safe_contact_times="Evenings after 7pm only")
    page = client.get(f"/cases/{case.reference}/timeline/").content.decode()
    assert "Referral accepted" in page
    assert "Agreement recorded" in page
    assert "Person added: Amina Clientperson" in page
    assert "Evenings after 7pm" not in page
    assert "Details changed: Kieran" not in page


@pytest.mark.parametrize("which", ["theirs", "nobodys"])
def test_every_path_of_a_case_without_their_client_is_a_404(client, cases, caseworker, which, caseworker_api):
    case = cases[which]
    api = caseworker_api
    wrong = not_refused(case_paths(case), client, api)
    assert not wrong, "\n".join(wrong)


# ---------------------------------------------------------------------------------------------------
# Write paths, for each person on the case


ROLES = ["client", "other_harmed", "responsible", "supporter"]


def _party(case: Case, who: str) -> Party:
    first = {"client": "Amina", "other_harmed": "Bilal", "responsible": "Kieran", "supporter": "Sara"}[who]
    return case.parties.get(first_name=first)


def _expected(who: str, ok: int) -> int:
    return ok if who == "client" else 403


@pytest.mark.parametrize("who", ROLES)
def test_consent_is_recorded_for_their_own_client_only(client, cases, caseworker, who, caseworker_api):
    case = cases["ours"]
    party = _party(case, who)
    before = Consent.objects.count()
    web = client.post(
        f"/cases/{case.reference}/people/{party.pk}/consent/",
        {
            "purposes": ["participate"],
            "given_on-day": "1",
            "given_on-month": "2",
            "given_on-year": "2026",
            "method": "signed_form",
            "wording_version": "2026-1",
        },
    )
    api = caseworker_api.post(
        f"/api/v1/cases/{case.reference}/parties/{party.pk}/consents/",
        {"purpose": "participate", "given_on": "2026-02-01", "method": "signed_form"},
        format="json",
    )
    assert (web.status_code, api.status_code) == (_expected(who, 302), _expected(who, 201))
    assert Consent.objects.count() == before + (2 if who == "client" else 0)


@pytest.mark.parametrize("who", ROLES)
def test_a_caseworker_records_no_assessment(client, cases, caseworker, who, caseworker_api):
    case = cases["ours"]
    party = _party(case, who)
    before = Assessment.objects.count()
    web = client.post(f"/cases/{case.reference}/people/{party.pk}/assess/", {})
    api = caseworker_api.post(
        f"/api/v1/cases/{case.reference}/parties/{party.pk}/assessments/",
        {"assessed_on": "2026-02-01", "willing": True, "risk_level": "low"},
        format="json",
    )
    assert (web.status_code, api.status_code) == (403, 403)
    assert Assessment.objects.count() == before


@pytest.mark.parametrize("who", ["client", "other_harmed", "responsible"])
def test_consent_is_withdrawn_for_their_own_client_only(client, cases, caseworker, facilitator, who, caseworker_api):
    case = cases["ours"]
    services.record_consent(
        _party(case, who),
        facilitator,
        purpose=Consent.Purpose.FEEDBACK,
        given_on=timezone.localdate(),
        method=Consent.Method.EMAIL,
    )
    consents = list(Consent.objects.filter(party=_party(case, who)).order_by("pk"))
    assert len(consents) == 2
    web = client.post(
        f"/cases/{case.reference}/consents/{consents[0].pk}/withdraw/",
        {"withdrawn_on-day": "1", "withdrawn_on-month": "3", "withdrawn_on-year": "2026", "reason": "Changed mind"},
    )
    assert web.status_code == _expected(who, 302)
    api = caseworker_api.post(
        f"/api/v1/cases/{case.reference}/consents/{consents[-1].pk}/withdrawal/",
        {"withdrawn_on": "2026-03-01", "reason": "Changed mind"},
        format="json",
    )
    assert api.status_code == _expected(who, 200)
    withdrawn = Consent.objects.filter(party=_party(case, who), withdrawn_on__isnull=False).count()
    assert withdrawn == (2 if who == "client" else 0)


def _answers() -> dict:
    return {key: 4 for key, _text in work.WELLBEING_QUESTIONS[work.CURRENT_WELLBEING_VERSION]}


@pytest.mark.parametrize("who", ROLES)
def test_feedback_on_the_page_and_wellbeing_in_the_api_are_for_their_own_client_only(
    client, cases, caseworker, facilitator, who, caseworker_api
):
    case = _complete(cases["ours"], facilitator)
    party = _party(case, who)
    web = client.post(f"/cases/{case.reference}/feedback/{party.pk}/", {"refused": "no", "satisfied": "yes"})
    api = caseworker_api.post(
        f"/api/v1/cases/{case.reference}/wellbeing/",
        {"party": party.pk, "stage": "after", "answers": _answers()},
        format="json",
    )
    assert (web.status_code, api.status_code) == (_expected(who, 302), _expected(who, 201))
    assert party.feedback.exists() == (who == "client")
    assert party.wellbeing.exists() == (who == "client")


@pytest.mark.parametrize("who", ROLES)
def test_wellbeing_on_the_page_and_feedback_in_the_api_are_for_their_own_client_only(
    client, cases, caseworker, facilitator, who, caseworker_api
):
    case = _complete(cases["ours"], facilitator)
    party = _party(case, who)
    web = client.post(f"/cases/{case.reference}/wellbeing/{party.pk}/after/", {key: "4" for key in _answers()})
    api = caseworker_api.post(
        f"/api/v1/cases/{case.reference}/feedback/", {"party": party.pk, "satisfied": True}, format="json"
    )
    assert (web.status_code, api.status_code) == (_expected(who, 302), _expected(who, 201))
    assert party.feedback.exists() == (who == "client")
    assert party.wellbeing.exists() == (who == "client")


def test_feedback_on_a_case_without_their_client_is_a_404(client, cases, caseworker, facilitator, caseworker_api):
    for which in ("theirs", "nobodys"):
        case = _complete(cases[which], facilitator)
        party = case.parties.get(first_name="Amina")
        assert client.post(f"/cases/{case.reference}/feedback/{party.pk}/", {"refused": "no"}).status_code == 404
        assert client.post(f"/cases/{case.reference}/people/{party.pk}/consent/", {}).status_code == 404
        api = caseworker_api
        assert (
            api.post(f"/api/v1/cases/{case.reference}/feedback/", {"party": party.pk}, format="json").status_code == 404
        )
        assert (
            api.post(
                f"/api/v1/cases/{case.reference}/transitions/withdraw/",
                {"withdrawn_by": "person harmed", "reason": "x"},
                format="json",
            ).status_code
            == 404
        )


@pytest.mark.parametrize("withdrawn_by", ["person responsible", "referrer", "service"])
def test_a_caseworker_withdraws_only_on_their_clients_behalf(client, cases, caseworker, withdrawn_by, caseworker_api):
    case = cases["ours"]
    before = _case_record(case)
    form = client.get(f"/cases/{case.reference}/transition/withdraw/").content.decode()
    assert 'value="person harmed"' in form
    assert f'value="{withdrawn_by}"' not in form
    web = client.post(
        f"/cases/{case.reference}/transition/withdraw/",
        {"seen_state": case.state, "withdrawn_by": withdrawn_by, "reason": "They no longer wish to take part"},
    )
    api = caseworker_api.post(
        f"/api/v1/cases/{case.reference}/transitions/withdraw/",
        {"withdrawn_by": withdrawn_by, "reason": "They no longer wish to take part"},
        format="json",
    )
    # A choice the form did not offer is tampering: in scope but not theirs to do, so a 403, as in the API.
    assert (web.status_code, api.status_code) == (403, 403)
    assert Case.objects.get(pk=case.pk).state == Case.State.AGREEMENT
    assert _case_record(case) == before


def _case_record(case: Case) -> tuple:
    """The case's row, its log of moves and its history: what a refused action must leave as it was."""
    row = Case.objects.filter(pk=case.pk).values().get()
    return row, list(case.transitions.values_list("pk", flat=True)), case.history.count()


def test_the_person_harmed_withdrawing_is_recorded_by_their_caseworker(cases, caseworker, caseworker_api):
    case = cases["ours"]
    api = caseworker_api
    offered = {t["name"]: t for t in api.get(f"/api/v1/cases/{case.reference}/transitions/").json()}
    choices = next(f["choices"] for f in offered["withdraw"]["fields"] if f["name"] == "withdrawn_by")
    assert [c["code"] for c in choices] == ["person harmed"]
    response = api.post(
        f"/api/v1/cases/{case.reference}/transitions/withdraw/",
        {"withdrawn_by": "person harmed", "reason": "Amina no longer wishes to take part"},
        format="json",
    )
    assert response.status_code == 200
    assert Case.objects.get(pk=case.pk).outcome == Case.Outcome.WITHDRAWN
