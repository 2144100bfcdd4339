"""A referral sent through the API and followed to its outcome, every step through the API, as docs/api.md
shows it with curl: the police refer; the manager allocates and accepts; the facilitator assesses, records
consent, plans and holds the conference, records the agreement and its action; the case completes; the
police see the outcome, and nothing more."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conferences.models import AgreementAction
from rjcases.models import Case
from tests.api.conftest import referral_body

pytestmark = pytest.mark.django_db


def ok(response, status=200):
    assert response.status_code == status, response.content
    return response.json()


def take(client, reference, name, **body):
    return ok(client.post(f"/api/v1/cases/{reference}/transitions/{name}/", body, format="json"))


def test_a_referral_sent_by_api_is_followed_to_its_outcome(
    api_client, police_referrer, manager, facilitator, reference_data
):
    police, boss, fac = api_client(police_referrer), api_client(manager), api_client(facilitator)
    today = timezone.localdate().isoformat()

    made = ok(police.post("/api/v1/referrals/", referral_body(), format="json", HTTP_IDEMPOTENCY_KEY="walk-1"), 201)
    ref = made["reference"]
    assert made["state"] == "referral"

    ok(boss.put(f"/api/v1/cases/{ref}/allocation/", {"facilitator": facilitator.username}, format="json"))
    assert take(boss, ref, "accept", note="In scope.")["state"] == "assessment"

    parties = ok(fac.get(f"/api/v1/cases/{ref}/parties/"))
    for party in parties:
        responsible = party["role"] == "responsible"
        ok(
            fac.post(
                f"/api/v1/cases/{ref}/parties/{party['id']}/assessments/",
                {
                    "assessed_on": today,
                    "willing": True,
                    "risk_level": "low",
                    "acknowledges_facts": responsible or None,
                    "accepts_responsibility": responsible or None,
                },
                format="json",
            ),
            201,
        )
        ok(
            fac.post(
                f"/api/v1/cases/{ref}/parties/{party['id']}/consents/",
                {"purpose": "participate", "given_on": today, "method": "signed_form"},
                format="json",
            ),
            201,
        )
    offered = {t["name"]: t for t in ok(fac.get(f"/api/v1/cases/{ref}/transitions/"))}
    assert offered["find_suitable"]["ready"] is True
    assert take(fac, ref, "find_suitable")["state"] == "preparation"

    when = (timezone.now() + timedelta(days=7)).replace(microsecond=0).isoformat()
    activity = ok(
        fac.post(
            f"/api/v1/cases/{ref}/activities/",
            {
                "kind": "direct_conference",
                "scheduled_for": when,
                "venue": "Community room, Stretford library",
                "invited": [p["id"] for p in parties],
            },
            format="json",
        ),
        201,
    )
    assert take(fac, ref, "schedule_activity")["state"] == "conferencing"

    ok(
        fac.post(
            f"/api/v1/cases/{ref}/activities/{activity['id']}/took-place/",
            {
                "took_place_on": today,
                "attended": [p["id"] for p in parties],
                "summary": "Both spoke and listened.",
                "agreement_reached": True,
            },
            format="json",
        )
    )
    ok(
        fac.put(
            f"/api/v1/cases/{ref}/agreement/",
            {"signed_on": today, "signatories": [p["id"] for p in parties]},
            format="json",
        )
    )
    responsible_id = next(p["id"] for p in parties if p["role"] == "responsible")
    action = ok(
        fac.post(
            f"/api/v1/cases/{ref}/agreement/actions/",
            {
                "kind": "apology",
                "what": "Write a letter of apology",
                "due_on": today,
                "how_checked": "The facilitator reads it before it is sent",
                "responsible_party": responsible_id,
            },
            format="json",
        ),
        201,
    )
    assert take(fac, ref, "record_agreement")["state"] == "agreement"

    ok(
        fac.post(
            f"/api/v1/cases/{ref}/agreement/actions/{action['id']}/done/",
            {"resolved_on": today, "evidence_note": "Letter seen and sent.", "told_method": "phone"},
            format="json",
        )
    )
    closed = take(fac, ref, "complete", summary="Apology made.")
    assert closed["state"] == "closed"
    assert closed["outcome"] == Case.Outcome.AGREEMENT_FULFILLED

    seen = ok(police.get(f"/api/v1/cases/{ref}/"))
    assert (seen["state"], seen["outcome"], seen["activity_took_place"]) == ("closed", "agreement_fulfilled", True)
    assert seen["details"] is None
    moves = [e["title"] for e in ok(police.get(f"/api/v1/cases/{ref}/timeline/")) if e["kind"] == "transition"]
    assert moves[0] == "Referral received"
    assert moves[-1] == "Case completed"
    assert AgreementAction.objects.get(pk=action["id"]).status == AgreementAction.Status.DONE

    harmed_id = next(p["id"] for p in parties if p["role"] == "harmed")
    feedback = ok(
        fac.post(
            f"/api/v1/cases/{ref}/feedback/",
            {"party": harmed_id, "satisfied": True, "would_recommend": True, "felt": "better"},
            format="json",
        ),
        201,
    )
    assert feedback["satisfied"] is True
    assert [f["party"] for f in ok(fac.get(f"/api/v1/cases/{ref}/feedback/"))] == [harmed_id]
