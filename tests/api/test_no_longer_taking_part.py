"""``POST /api/v1/cases/{reference}/parties/{id}/no-longer-taking-part/``: the web page's service
(``record_no_longer_taking_part``) through the API, with the same permission rules and the case actions' refusal
shape: 403 not this user's to do, 409 the case or the person is past it, 422 no reason or the process cannot go on
without them. A refused call leaves the case, its log and every history as they were."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.forms.models import model_to_dict
from django.utils import timezone

from rjcases import services
from rjcases.models import Case, CaseTransition, Consent, Party
from tests.walk import assess_and_consent, refer, to_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(police_referrer, manager, facilitator, caseworker):
    """In assessment: Amina (the caseworker's client) and Bea harmed, Kieran responsible; Bea withdrew consent."""
    case = refer(
        police_referrer,
        parties=[
            services.PartyData(Party.Role.HARMED, "Amina", "Testharmed", {"caseworker": caseworker}),
            services.PartyData(Party.Role.HARMED, "Bea", "Secondharmed"),
            services.PartyData(Party.Role.RESPONSIBLE, "Kieran", "Testresponsible"),
        ],
    )
    case = to_assessment(case, manager, facilitator)
    assess_and_consent(case, facilitator)
    consent = person(case, "Bea").consents.get(purpose=Consent.Purpose.PARTICIPATE)
    services.withdraw_consent(consent, facilitator, withdrawn_on=timezone.localdate(), reason="Does not want to go on.")
    return Case.objects.get(pk=case.pk)


def person(case, first_name) -> Party:
    return case.parties.get(first_name=first_name)


def url(case, party) -> str:
    return f"/api/v1/cases/{case.reference}/parties/{party.pk}/no-longer-taking-part/"


def snapshot(case) -> tuple:
    """The case, its log of moves, its people and all their history: what a refused call must not change."""
    case = Case.objects.get(pk=case.pk)
    parties = [model_to_dict(p) for p in case.parties.order_by("pk")]
    party_history = Party.history.filter(case_id=case.pk).count()
    return (
        model_to_dict(case),
        CaseTransition.objects.filter(case=case).count(),
        case.history.count(),
        parties,
        party_history,
    )


def test_the_facilitator_records_that_a_person_no_longer_takes_part(api_client, case, facilitator):
    bea = person(case, "Bea")
    response = api_client(facilitator).post(
        url(case, bea), {"reason": "Withdrew consent after a hard week."}, format="json"
    )
    assert response.status_code == 200
    assert response.json() == {
        "id": bea.pk,
        "role": "harmed",
        "participating": False,
        "stopped_taking_part_on": timezone.localdate().isoformat(),
        "stopped_taking_part_reason": "Withdrew consent after a hard week.",
    }
    bea.refresh_from_db()
    assert not bea.participating
    latest = bea.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (
        facilitator,
        "no longer taking part: Withdrew consent after a hard week.",
    )
    # The case now goes on without her: the move she held up is offered as ready.
    offered = {t["name"]: t for t in api_client(facilitator).get(f"/api/v1/cases/{case.reference}/transitions/").json()}
    assert offered["find_suitable"]["ready"]


def test_it_keeps_the_day_given(api_client, case, manager):
    day = timezone.localdate() - timedelta(days=3)
    response = api_client(manager).post(
        url(case, person(case, "Bea")), {"reason": "Moved away.", "on": day.isoformat()}, format="json"
    )
    assert response.status_code == 200
    assert person(case, "Bea").stopped_taking_part_on == day


@pytest.mark.parametrize("first_name", ["Amina", "Bea", "Kieran"])
def test_a_caseworker_is_refused_with_a_403_and_nothing_changes(api_client, case, caseworker, first_name):
    """Even for their own client (Amina): this is the job of the case's facilitators and managers, as on the web."""
    before = snapshot(case)
    response = api_client(caseworker).post(
        url(case, person(case, first_name)), {"reason": "She said so."}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert snapshot(case) == before


def test_the_web_page_refuses_the_caseworker_too(client, case, caseworker):
    client.force_login(caseworker)
    before = snapshot(case)
    page = f"/cases/{case.reference}/people/{person(case, 'Bea').pk}/no-longer-taking-part/"
    assert client.post(page, {"reason": "She said so."}).status_code == 403
    assert snapshot(case) == before


def test_a_referrer_is_refused_and_another_facilitator_does_not_see_the_case(
    api_client, case, police_referrer, other_facilitator
):
    before = snapshot(case)
    bea = person(case, "Bea")
    assert api_client(police_referrer).post(url(case, bea), {"reason": "x"}, format="json").status_code == 403
    assert api_client(other_facilitator).post(url(case, bea), {"reason": "x"}, format="json").status_code == 404
    assert snapshot(case) == before


def test_the_only_person_responsible_cannot_stop_taking_part_without_the_case_a_422(api_client, case, facilitator):
    before = snapshot(case)
    response = api_client(facilitator).post(url(case, person(case, "Kieran")), {"reason": "Withdrew."}, format="json")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "the only person responsible still taking part" in error["message"]
    assert "Withdraw the case instead." in error["message"]
    assert snapshot(case) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "reason"),
        ({"reason": "   "}, "reason"),
        ({"reason": "x" * 501}, "reason"),
        ({"reason": "x", "on": "2999-01-01"}, "on"),
    ],
)
def test_a_missing_or_wrong_input_is_a_422_naming_the_field(api_client, case, facilitator, body, field):
    before = snapshot(case)
    response = api_client(facilitator).post(url(case, person(case, "Bea")), body, format="json")
    assert response.status_code == 422
    assert field in response.json()["error"]["fields"]
    assert snapshot(case) == before


def test_recording_it_twice_is_a_409(api_client, case, facilitator):
    client = api_client(facilitator)
    bea = person(case, "Bea")
    assert client.post(url(case, bea), {"reason": "Withdrew."}, format="json").status_code == 200
    before = snapshot(case)
    again = client.post(url(case, bea), {"reason": "Withdrew again."}, format="json")
    assert again.status_code == 409
    assert again.json()["error"] == {
        "code": "state",
        "message": "Bea Secondharmed is already recorded as no longer taking part.",
        "fields": {},
        "reasons": [],
    }
    assert snapshot(case) == before


def test_a_closed_case_is_a_409(api_client, case, facilitator):
    case = services.case_withdraw(case, facilitator, withdrawn_by="service", reason="Could not go on.")
    before = snapshot(case)
    response = api_client(facilitator).post(url(case, person(case, "Bea")), {"reason": "Withdrew."}, format="json")
    assert (response.status_code, response.json()["error"]["code"]) == (409, "state")
    assert snapshot(case) == before


def test_a_person_of_another_case_or_a_case_out_of_sight_is_a_404(
    api_client, case, facilitator, other_facilitator, police_referrer, manager
):
    other = to_assessment(refer(police_referrer), manager, other_facilitator)
    client = api_client(facilitator)
    assert client.post(url(case, person(other, "Kieran")), {"reason": "x"}, format="json").status_code == 404
    assert client.post(url(other, person(other, "Kieran")), {"reason": "x"}, format="json").status_code == 404


def test_the_route_is_in_the_schema_and_the_api_docs(client):
    schema = client.get("/api/v1/schema/").json()
    operation = schema["paths"]["/api/v1/cases/{reference}/parties/{party_id}/no-longer-taking-part/"]["post"]
    assert {"403", "409", "422"} <= set(operation["responses"])
    assert operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].startswith(
        "#/components/schemas/NoLongerTakingPart"
    )
    docs = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text()
    assert "…/parties/{id}/no-longer-taking-part/" in docs
