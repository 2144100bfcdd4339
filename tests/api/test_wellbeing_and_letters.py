"""Wellbeing measures and letters on demand through the API: the same services as the web views, the same
scoping (404 outside what the token's user may see, 403 for those who see only the summary)."""

import pytest

from conferences.models import WellbeingMeasure
from letters.models import Letter
from rjcases.models import Party, ReadAccess
from tests.walk import refer, to_assessment

pytestmark = pytest.mark.django_db

ANSWERS = {"safe": 2, "daily_life": 3, "calm": 2, "supported": 4, "hopeful": 3}


@pytest.fixture
def case(police_referrer, manager, facilitator):
    return to_assessment(refer(police_referrer), manager, facilitator)


def harmed(case) -> Party:
    return case.parties.get(role=Party.Role.HARMED)


# ---------------------------------------------------------------------------------------------------
# Wellbeing


def test_a_facilitator_records_and_lists_a_wellbeing_measure(api_client, facilitator, case):
    client = api_client(facilitator)
    path = f"/api/v1/cases/{case.reference}/wellbeing/"
    party = harmed(case)
    response = client.post(path, {"party": party.pk, "stage": "before", "answers": ANSWERS}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["answers"] == ANSWERS
    assert body["stage"] == "before"
    assert body["wording_version"] == "2026-1"
    measure = WellbeingMeasure.objects.get(case=case, party=party, stage="before")
    assert measure.answers == ANSWERS
    assert measure.recorded_by == facilitator
    listed = client.get(path)
    assert listed.status_code == 200
    assert [(m["party"], m["stage"], m["answers"]) for m in listed.json()] == [(party.pk, "before", ANSWERS)]
    assert ReadAccess.objects.filter(user=facilitator, what="case", object_id=str(case.pk), path=path).exists()


def test_a_wellbeing_answer_out_of_range_is_422_naming_the_field_and_stores_nothing(api_client, facilitator, case):
    response = api_client(facilitator).post(
        f"/api/v1/cases/{case.reference}/wellbeing/",
        {"party": harmed(case).pk, "stage": "before", "answers": {**ANSWERS, "safe": 9}},
        format="json",
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "answers.safe" in error["fields"]
    assert not WellbeingMeasure.objects.exists()


def test_a_missing_wellbeing_answer_is_refused_by_the_service(api_client, facilitator, case):
    answers = {key: value for key, value in ANSWERS.items() if key != "calm"}
    response = api_client(facilitator).post(
        f"/api/v1/cases/{case.reference}/wellbeing/",
        {"party": harmed(case).pk, "stage": "before", "answers": answers},
        format="json",
    )
    assert response.status_code == 422
    assert "calm" in response.json()["error"]["fields"]
    assert not WellbeingMeasure.objects.exists()


def test_wellbeing_is_404_outside_scope(api_client, other_police_referrer, other_facilitator, case):
    path = f"/api/v1/cases/{case.reference}/wellbeing/"
    body = {"party": harmed(case).pk, "stage": "before", "answers": ANSWERS}
    for user in (other_police_referrer, other_facilitator):
        client = api_client(user)
        assert client.get(path).status_code == 404
        response = client.post(path, body, format="json")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert not WellbeingMeasure.objects.exists()


def test_wellbeing_is_403_for_the_referring_police(api_client, police_referrer, case):
    client = api_client(police_referrer)
    path = f"/api/v1/cases/{case.reference}/wellbeing/"
    assert client.get(path).status_code == 403
    response = client.post(path, {"party": harmed(case).pk, "stage": "before", "answers": ANSWERS}, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert not WellbeingMeasure.objects.exists()


# ---------------------------------------------------------------------------------------------------
# Letters on demand


def test_a_facilitator_creates_a_letter_and_regenerates_it(api_client, facilitator, case):
    client = api_client(facilitator)
    party = harmed(case)
    before = Letter.objects.filter(case=case, kind="invitation", recipient_key=f"party-{party.pk}").count()
    response = client.post(
        f"/api/v1/cases/{case.reference}/letters/",
        {"kind": "invitation", "recipient": str(party.pk), "format": "large_print"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "invitation"
    assert body["format"] == "large_print"
    assert body["to_referrer"] is False
    assert body["version"] == before + 1
    letter = Letter.objects.get(pk=body["id"])
    assert (letter.case, letter.party, letter.recipient_key) == (case, party, f"party-{party.pk}")
    assert body["file_status"] == "pending"  # written once the request's transaction commits (never, in this test)
    assert client.get(body["pdf_url"]).status_code == 409

    again = client.post(f"/api/v1/cases/{case.reference}/letters/{letter.pk}/regenerate/")
    assert again.status_code == 201, again.content
    new = again.json()
    assert new["id"] != letter.pk
    assert (new["kind"], new["format"], new["version"]) == ("invitation", "large_print", body["version"] + 1)
    assert Letter.objects.filter(pk=letter.pk).exists()


def test_a_letter_to_the_referrer_uses_their_key(api_client, manager, case):
    response = api_client(manager).post(
        f"/api/v1/cases/{case.reference}/letters/",
        {"kind": "referral_acknowledgement", "recipient": "referrer"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["to_referrer"] is True


def test_letter_validation_names_the_field(api_client, facilitator, case, police_referrer):
    client = api_client(facilitator)
    path = f"/api/v1/cases/{case.reference}/letters/"
    count = Letter.objects.count()
    bad_kind = client.post(path, {"kind": "love_letter", "recipient": "referrer"}, format="json")
    assert bad_kind.status_code == 422
    assert "kind" in bad_kind.json()["error"]["fields"]
    stranger = refer(police_referrer).parties.first()
    not_ours = client.post(path, {"kind": "invitation", "recipient": str(stranger.pk)}, format="json")
    assert not_ours.status_code == 422
    assert not_ours.json()["error"]["fields"] == {"recipient": ["Choose someone on this case to write to."]}
    refused = client.post(path, {"kind": "invitation", "recipient": "referrer"}, format="json")
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "invalid"
    assert "referrer" in refused.json()["error"]["fields"]["kind"][0]
    assert Letter.objects.count() == count


def test_letters_are_404_outside_scope(api_client, other_police_referrer, other_facilitator, case):
    letter = case.letters.first()
    count = Letter.objects.count()
    for user in (other_police_referrer, other_facilitator):
        client = api_client(user)
        created = client.post(
            f"/api/v1/cases/{case.reference}/letters/",
            {"kind": "invitation", "recipient": str(harmed(case).pk)},
            format="json",
        )
        assert created.status_code == 404
        regenerated = client.post(f"/api/v1/cases/{case.reference}/letters/{letter.pk}/regenerate/")
        assert regenerated.status_code == 404
    assert Letter.objects.count() == count


def test_letters_are_403_for_the_referring_police(api_client, police_referrer, case):
    client = api_client(police_referrer)
    letter = case.letters.first()
    count = Letter.objects.count()
    created = client.post(
        f"/api/v1/cases/{case.reference}/letters/",
        {"kind": "referral_acknowledgement", "recipient": "referrer"},
        format="json",
    )
    assert created.status_code == 403
    assert created.json()["error"]["code"] == "forbidden"
    assert client.post(f"/api/v1/cases/{case.reference}/letters/{letter.pk}/regenerate/").status_code == 403
    assert Letter.objects.count() == count


def test_regenerating_a_letter_of_another_case_is_404(api_client, manager, facilitator, police_referrer, case):
    other = to_assessment(refer(police_referrer), manager, facilitator)
    letter = other.letters.first()
    response = api_client(manager).post(f"/api/v1/cases/{case.reference}/letters/{letter.pk}/regenerate/")
    assert response.status_code == 404
