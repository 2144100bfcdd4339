"""One intake: the same referral sent through the web form and through the API makes the same case, by the
rules of ``rjcases.services.intake.create_referral``; and the service refuses what an interface might let by."""

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from rjcases import services
from rjcases.models import Case, CrimeType, HateStrand, Party, ReferralRoute, Ward
from tests.api.conftest import client_for
from tests.factories import incident_data, reference
from tests.referral_pages import send_referral

ROUTES = ("police", "reporting-centre", "victim-service", "self-referral", "housing")
HARMED = {
    "first_name": "Amina",
    "last_name": "Harmed",
    "phone": "07700 900001",
    "email": "amina@example.org",
    "address": "1 Harmed Street",
    "postcode": "m32 0th",
    "language": "Urdu",
    "interpreter_needed": True,
    "interpreter_language": "Urdu",
}
NEEDS_ONLY = {"language": "Polish", "large_print": True}
RESPONSIBLE = {"first_name": "Kieran", "last_name": "Responsible", "language": "English"}


@pytest.fixture(autouse=True)
def reference_data(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    for code in ROUTES:
        reference(ReferralRoute, code)
    reference(HateStrand, "race")
    reference(HateStrand, "religion")
    reference(CrimeType, "public-order")
    reference(Ward, "TRF01")


def day() -> datetime:
    return timezone.localdate() - timedelta(days=2)


def by_web(client, user, route: str, *, harmed=None, responsible=None, referrer=None, **case) -> Case:
    """Post the referral through the referral page."""
    d = day()
    data = {
        "occurred_on-day": d.day,
        "occurred_on-month": d.month,
        "occurred_on-year": d.year,
        "occurred_at": "21:30",
        "ward": Ward.objects.get(code="TRF01").pk,
        "place": "Bus stop",
        "postcode": "m32 0th",
        "crime_type": CrimeType.objects.get(code="public-order").pk,
        "crime_reference": "06/123456/26",
        "strands": [HateStrand.objects.get(code="race").pk, HateStrand.objects.get(code="religion").pk],
        "perceived_by": "victim",
        "summary": "Abuse shouted at a person waiting for a bus. ",
        "enhanced_rights": "yes" if case.get("enhanced_rights") else "no",
        "enhanced_rights_reason": case.get("enhanced_rights_reason", ""),
        "harmed-language": "English",
        "responsible-language": "English",
    }
    referrer = referrer or {"name": user.get_full_name(), "contact": user.email}  # the page's initial values
    data.update(referrer_name=referrer["name"], referrer_contact=referrer["contact"])
    if "report_kind" in case:
        data["report_kind"] = case["report_kind"]
        data["consents_to_police"] = "yes" if case["consents_to_police"] else "no"
    for prefix, person in (("harmed", harmed), ("responsible", responsible)):
        for name, value in (person or {}).items():
            if value is True:
                value = "on"
            data[f"{prefix}-{name}"] = value
    client.force_login(user)
    response = send_referral(client, route, data)
    assert response.status_code == 302, response.content.decode()
    return Case.objects.get(reference=response["Location"].rstrip("/").rsplit("/", 1)[-1])


def by_api(user, route: str, *, harmed=None, responsible=None, referrer=None, **case) -> Case:
    """Send the same referral to POST /api/v1/referrals/."""
    occurred = timezone.make_aware(datetime.combine(day(), time(21, 30)))
    body = {
        "route": route,
        "incident": {
            "occurred_from": occurred.isoformat(),
            "ward": "TRF01",
            "place": "Bus stop",
            "postcode": "m32 0th",
            "crime_type": "public-order",
            "crime_reference": "06/123456/26",
            "perceived_by": "victim",
            "summary": "Abuse shouted at a person waiting for a bus. ",
        },
        "strands": ["race", "religion"],
        "parties": [
            {"role": role, **person} for role, person in (("harmed", harmed), ("responsible", responsible)) if person
        ],
        **case,
    }
    if referrer:
        body["referrer"] = referrer
    response = client_for(user).post("/api/v1/referrals/", body, format="json")
    assert response.status_code == 201, response.content.decode()
    return Case.objects.get(reference=response.json()["reference"])


PARTY_FIELDS = [
    "role",
    "first_name",
    "last_name",
    "date_of_birth",
    "age_band",
    "address",
    "postcode",
    "phone",
    "email",
    "preferred_contact_method",
    "safe_times",
    "safe_contact_times",
    "no_messages",
    "language",
    "interpreter_needed",
    "interpreter_language",
    "large_print",
    "easy_read",
    "other_adjustments",
    "caseworker_id",
    "participating",
]


def what_was_made(case: Case) -> dict:
    """Everything the referral wrote, without what differs by nature (reference, ids, times of writing)."""
    incident = case.incident
    return {
        "case": {
            name: getattr(case, name)
            for name in (
                "route_id",
                "state",
                "referred_by_id",
                "referring_organisation_id",
                "referrer_name",
                "referrer_contact",
                "received_on",
                "reporting_centre_id",
                "report_kind",
                "consents_to_police",
                "enhanced_rights",
                "enhanced_rights_reason",
                "rj_information_due_on",
                "initial_contact_due_on",
            )
        },
        "incident": {
            name: getattr(incident, name)
            for name in (
                "occurred_from",
                "occurred_to",
                "ward_id",
                "place",
                "postcode",
                "crime_type_id",
                "crime_reference",
                "perceived_by",
                "summary",
            )
        },
        "strands": sorted(incident.strands.values_list("code", flat=True)),
        "parties": [{name: getattr(p, name) for name in PARTY_FIELDS} for p in case.parties.order_by("role", "id")],
        "transitions": list(case.transitions.values_list("name", "source", "target", "by_id", "data")),
    }


def same_by_both(client, user, route, **referral) -> dict:
    web = what_was_made(by_web(client, user, route, **referral))
    api = what_was_made(by_api(user, route, **referral))
    assert web == api
    return web


def test_a_police_referral_is_the_same_case_by_web_and_api(client, police_referrer):
    made = same_by_both(client, police_referrer, "police", harmed=HARMED, responsible=RESPONSIBLE)
    assert made["case"]["referring_organisation_id"] == police_referrer.organisation_id
    assert made["case"]["referrer_name"] == police_referrer.get_full_name()
    assert made["incident"]["postcode"] == "M32 0TH"
    assert made["incident"]["summary"] == "Abuse shouted at a person waiting for a bus."
    assert [p["first_name"] for p in made["parties"]] == ["Amina", "Kieran"]


def test_an_anonymous_centre_report_is_the_same_by_web_and_api(client, centre_staff):
    made = same_by_both(
        client,
        centre_staff,
        "reporting-centre",
        harmed=NEEDS_ONLY,
        responsible=RESPONSIBLE,
        report_kind="anonymous",
        consents_to_police=False,
    )
    assert (
        made["case"]["reporting_centre_id"] == made["case"]["referring_organisation_id"] == centre_staff.organisation_id
    )
    harmed = made["parties"][0]
    assert (harmed["role"], harmed["first_name"], harmed["last_name"], harmed["phone"]) == (
        "harmed",
        "Anonymous",
        "",
        "",
    )
    assert (harmed["language"], harmed["large_print"]) == ("Polish", True)  # their needs are kept


def test_an_anonymous_report_without_the_person_harmed_gets_one_by_web_and_api(client, centre_staff):
    made = same_by_both(
        client,
        centre_staff,
        "reporting-centre",
        responsible=RESPONSIBLE,
        report_kind="anonymous",
        consents_to_police=True,
    )
    assert [(p["role"], p["first_name"]) for p in made["parties"]] == [
        ("harmed", "Anonymous"),
        ("responsible", "Kieran"),
    ]


def test_a_caseworker_referral_links_them_by_web_and_api(client, caseworker):
    made = same_by_both(
        client,
        caseworker,
        "victim-service",
        harmed=HARMED,
        responsible=RESPONSIBLE,
        enhanced_rights=True,
        enhanced_rights_reason="Persistently targeted ",
    )
    harmed, responsible = made["parties"]
    assert harmed["caseworker_id"] == caseworker.pk
    assert responsible["caseworker_id"] is None
    assert made["case"]["referring_organisation_id"] == caseworker.organisation_id
    assert made["case"]["enhanced_rights_reason"] == "Persistently targeted"


def test_a_self_referral_names_the_person_not_the_staff_member_by_web_and_api(client, manager):
    made = same_by_both(
        client,
        manager,
        "self-referral",
        harmed=HARMED,
        referrer={"name": "Amina Harmed", "contact": "amina@example.org"},
    )
    assert (made["case"]["referrer_name"], made["case"]["referring_organisation_id"]) == ("Amina Harmed", None)


def test_the_api_does_not_put_the_staff_member_down_as_a_self_referrer(manager):
    response = client_for(manager).post(
        "/api/v1/referrals/",
        {
            "route": "self-referral",
            "incident": {
                "occurred_from": "2026-10-01T21:30:00+01:00",
                "ward": "TRF01",
                "crime_type": "public-order",
                "summary": "Abuse",
            },
            "strands": ["race"],
            "parties": [{"role": "harmed", "first_name": "Amina"}],
        },
        format="json",
    )
    assert response.status_code == 422
    assert "referrer.name" in response.json()["error"]["fields"]
    assert not Case.objects.exists()


def test_the_api_refuses_a_named_anonymous_person_as_the_web_does(client, centre_staff):
    response = client_for(centre_staff).post(
        "/api/v1/referrals/",
        {
            "route": "reporting-centre",
            "report_kind": "anonymous",
            "consents_to_police": False,
            "incident": {
                "occurred_from": "2026-10-01T21:30:00+01:00",
                "ward": "TRF01",
                "crime_type": "public-order",
                "summary": "Abuse",
            },
            "strands": ["race"],
            "parties": [{"role": "harmed", **HARMED}],
        },
        format="json",
    )
    assert response.status_code == 422
    assert "no name or contact details" in response.json()["error"]["fields"]["parties"][0]
    client.force_login(centre_staff)
    d = day()
    page = send_referral(
        client,
        "reporting-centre",
        {
            "occurred_on-day": d.day,
            "occurred_on-month": d.month,
            "occurred_on-year": d.year,
            "ward": Ward.objects.get(code="TRF01").pk,
            "crime_type": CrimeType.objects.get(code="public-order").pk,
            "strands": [HateStrand.objects.get(code="race").pk],
            "perceived_by": "victim",
            "summary": "Abuse",
            "enhanced_rights": "no",
            "referrer_name": "Centre",
            "referrer_contact": "c@example.org",
            "report_kind": "anonymous",
            "consents_to_police": "no",
            "harmed-first_name": "Amina",
            "harmed-phone": "07700 900001",
            "harmed-language": "English",
            "responsible-language": "English",
        },
    )
    assert page.status_code == 200
    assert "no name or contact details" in page.content.decode()
    assert not Case.objects.exists()


# ---------------------------------------------------------------------------------------------------
# The service itself refuses, whoever calls it


def test_routes_are_by_role(police_referrer, centre_staff, caseworker, manager, administrator):
    assert [r.code for r in services.routes_for(police_referrer)] == ["police"]
    assert [r.code for r in services.routes_for(centre_staff)] == ["reporting-centre"]
    assert [r.code for r in services.routes_for(caseworker)] == ["victim-service"]
    assert {r.code for r in services.routes_for(manager)} == set(ROUTES)
    assert services.routes_for(administrator) == []


def refer_directly(user, route_code: str, parties=None, **case_fields) -> Case:
    parties = [services.PartyData(Party.Role.RESPONSIBLE, "Kieran")] if parties is None else parties
    return services.create_referral(
        user,
        route=ReferralRoute.objects.get(code=route_code),
        incident=incident_data(),
        strands=[HateStrand.objects.get(code="race")],
        parties=parties,
        **case_fields,
    )


def test_the_service_refuses_a_route_that_is_not_theirs(police_referrer):
    with pytest.raises(ValidationError, match="You cannot refer by this route. Yours: police"):
        refer_directly(police_referrer, "housing")
    assert not Case.objects.exists()


def test_the_service_refuses_someone_who_cannot_refer(administrator):
    with pytest.raises(services.ActionRefused):
        refer_directly(administrator, "police")
    assert not Case.objects.exists()


def test_a_partner_refers_for_their_own_organisation_only(police_referrer, other_police_force, manager):
    with pytest.raises(ValidationError, match="your own organisation"):
        refer_directly(police_referrer, "police", referring_organisation=other_police_force)
    case = refer_directly(manager, "police", referring_organisation=other_police_force)
    assert case.referring_organisation == other_police_force


def test_centre_fields_belong_to_centre_reports_only(manager):
    with pytest.raises(ValidationError) as error:
        refer_directly(manager, "police", report_kind="assisted")
    assert "report_kind" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        refer_directly(manager, "reporting-centre")
    assert "report_kind" in error.value.message_dict
    assert not Case.objects.exists()


def test_a_referral_names_someone_and_no_supporter(manager):
    with pytest.raises(ValidationError, match="Give the person harmed or the person responsible"):
        refer_directly(manager, "police", parties=[])
    with pytest.raises(ValidationError, match="add supporters to the case afterwards"):
        refer_directly(manager, "police", parties=[services.PartyData(Party.Role.SUPPORTER, "Sam")])
    assert not Case.objects.exists()


def test_only_a_caseworker_is_named_as_caseworker(manager, facilitator):
    with pytest.raises(ValidationError, match="must be a caseworker"):
        refer_directly(
            manager,
            "police",
            parties=[services.PartyData(Party.Role.HARMED, "Amina", extra={"caseworker": facilitator})],
        )
    assert not Case.objects.exists()
