"""Partnerships (issue 19): every case belongs to one; staff see and act only within theirs; a case moves between
them only by a manager of both, recorded."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts import roles
from rjcases import services
from rjcases.exceptions import ActionRefused
from rjcases.models import Case, CaseTransition, Party, Ward
from rjcases.selectors import dashboard, timeline
from rjcases.services.partnerships import move_to_partnership
from tests.factories import UserFactory, incident_data
from tests.walk import refer

pytestmark = pytest.mark.django_db


def test_a_referral_goes_to_its_wards_partnership(police_referrer, salford, salford_ward, trafford):
    police_referrer.partnerships.add(salford)
    police_referrer.__dict__.pop("_partnership_ids", None)
    into_trafford = refer(police_referrer)
    into_salford = refer(police_referrer, incident=incident_data(ward_code=salford_ward.code))
    assert into_trafford.partnership == trafford
    assert into_salford.partnership == salford
    # Named explicitly (by code), the partnership must agree with the ward's.
    assert refer(police_referrer, incident=incident_data(ward_code=salford_ward.code), partnership="salford")
    before = Case.objects.count()
    with pytest.raises(ValidationError) as refused:
        refer(police_referrer, partnership="salford")
    assert "is in Trafford Partnership, not in Salford Partnership" in str(refused.value)
    assert Case.objects.count() == before


def test_a_ward_of_a_partnership_the_referrer_does_not_refer_to_is_refused_naming_it(police_referrer, salford_ward):
    before = Case.objects.count()
    with pytest.raises(ValidationError) as refused:
        refer(police_referrer, incident=incident_data(ward_code=salford_ward.code))
    assert refused.value.message_dict["ward"] == [
        "The ward Salford Central is in Salford Partnership, a partnership you do not refer to "
        "(yours: Trafford Partnership)."
    ]
    assert Case.objects.count() == before


def test_each_manager_sees_only_their_partnerships_cases(manager, salford_manager, salford_case, police_referrer):
    trafford_case = refer(police_referrer)
    assert list(Case.objects.visible_to(salford_manager)) == [salford_case]
    assert list(Case.objects.visible_to(manager)) == [trafford_case]
    figures = dashboard(salford_manager)
    assert [c.reference for c in figures["unallocated"]] == [salford_case.reference]
    assert sum(row["count"] for row in figures["open_by_state"]) == 1


def test_the_unallocated_queue_is_per_partnership(facilitator, salford_facilitator, salford_case, police_referrer):
    trafford_case = refer(police_referrer)
    assert list(Case.objects.visible_to(salford_facilitator)) == [salford_case]
    assert list(Case.objects.visible_to(facilitator)) == [trafford_case]
    assert [c.pk for c in dashboard(salford_facilitator)["queue"]] == [salford_case.pk]


def test_a_manager_of_another_partnership_cannot_act_on_a_case(salford_manager, facilitator, police_referrer):
    case = refer(police_referrer)
    with pytest.raises(ActionRefused):
        services.allocate(case, salford_manager, facilitator=facilitator)
    case.refresh_from_db()
    assert case.facilitator is None


def test_a_facilitator_of_another_partnership_is_not_allocated(manager, salford_facilitator, police_referrer):
    case = refer(police_referrer)
    with pytest.raises(ValidationError, match="not a facilitator of this case's partnership"):
        services.allocate(case, manager, facilitator=salford_facilitator)
    case.refresh_from_db()
    assert case.facilitator is None


def test_a_police_forces_referrers_and_a_caseworker_work_across_partnerships(
    police_referrer, caseworker, salford, salford_ward, salford_manager
):
    for person in (police_referrer, caseworker):
        person.partnerships.add(salford)
        person.__dict__.pop("_partnership_ids", None)
    ours = [refer(police_referrer), refer(police_referrer, incident=incident_data(ward_code=salford_ward.code))]
    assert {c.partnership.code for c in ours} == {"trafford", "salford"}
    assert set(Case.objects.visible_to(police_referrer)) == set(ours)
    # The caseworker's clients, in either partnership; a case without their client in neither.
    supported = refer(caseworker, route_code="victim-service", incident=incident_data(ward_code=salford_ward.code))
    assert supported.partnership.code == "salford"
    assert list(Case.objects.visible_to(caseworker)) == [supported]


def test_the_regional_lead_sees_no_case(regional_lead, salford_case, police_referrer, client):
    case = refer(police_referrer)
    assert not Case.objects.visible_to(regional_lead).exists()
    client.force_login(regional_lead)
    for reference in (case.reference, salford_case.reference):
        for section in ("detail", "people", "work", "letters", "timeline"):  # the case page's sections
            assert client.get(reverse(f"rjcases:{section}", args=[reference])).status_code == 404


def test_ward_names_are_unique_within_a_partnership_not_across(trafford, salford):
    Ward.objects.create(partnership=trafford, code="TRF90", name="Central", population=1)
    Ward.objects.create(partnership=salford, code="SLF90", name="Central", population=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Ward.objects.create(partnership=trafford, code="TRF91", name="Central", population=1)


# ---------------------------------------------------------------------------------------------------
# Moving a case


@pytest.fixture
def manager_of_both(salford, trafford, rj_service):
    return UserFactory(
        username="both",
        first_name="Bo",
        last_name="Th",
        organisation=rj_service,
        role=roles.MANAGER,
        partnerships=[trafford, salford],
    )


def test_a_manager_of_both_moves_a_case_recorded(manager_of_both, police_referrer, facilitator, salford_ward):
    case = services.allocate(refer(police_referrer), manager_of_both, facilitator=facilitator)
    moved = move_to_partnership(case, manager_of_both, ward=salford_ward, reason="The incident was over the border.")
    moved.refresh_from_db()
    assert moved.partnership.code == "salford"
    assert moved.incident.ward == salford_ward
    assert moved.facilitator is None  # Trafford's facilitator does not work for Salford: it joins its queue
    row = CaseTransition.objects.get(case=case, name="move_partnership")
    assert (row.by, row.source, row.target, row.reason) == (manager_of_both, "referral", "referral", row.reason)
    assert (row.data["from_partnership"], row.data["to_partnership"]) == ("trafford", "salford")
    latest = moved.history.latest()
    assert latest.history_change_reason == "moved to Salford Partnership"
    assert latest.history_user == manager_of_both
    entries = [e for e in timeline(moved, manager_of_both) if e.kind == "transition"]
    assert entries[-1].title == "Moved to another partnership"
    assert entries[-1].lines[0] == "Moved from Trafford Partnership to Salford Partnership."
    assert moved.recorded_incident.ward_id == salford_ward.pk


def test_a_manager_of_one_partnership_only_cannot_move_a_case(manager, salford_manager, police_referrer, salford_ward):
    case = refer(police_referrer)
    for user in (manager, salford_manager):
        with pytest.raises(ActionRefused):
            move_to_partnership(case, user, ward=salford_ward, reason="Over the border.")
    case.refresh_from_db()
    assert case.partnership.code == "trafford"
    assert case.incident.ward.code == "TRF01"
    assert not CaseTransition.objects.filter(case=case, name="move_partnership").exists()


def test_a_move_needs_a_reason_and_another_partnership(manager_of_both, police_referrer, salford_ward):
    case = refer(police_referrer)
    with pytest.raises(ValidationError) as refused:
        move_to_partnership(case, manager_of_both, ward=case.incident.ward, reason=" ")
    assert set(refused.value.message_dict) == {"ward", "reason"}
    case.refresh_from_db()
    assert case.partnership.code == "trafford"


def test_the_move_page(manager_of_both, police_referrer, salford_ward, client, manager):
    case = refer(police_referrer)
    url = reverse("rjcases:move_partnership", args=[case.reference])
    client.force_login(manager)
    assert client.get(url).status_code == 403  # a manager of Trafford alone
    client.force_login(manager_of_both)
    page = client.get(url)
    assert page.status_code == 200
    assert "Salford Central (Salford Partnership)" in page.text
    response = client.post(url, {"ward": salford_ward.pk, "reason": "Over the border."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.partnership.code == "salford"


def test_a_caseworker_of_a_client_in_salford_refers_by_name_only_there(caseworker, salford, salford_ward):
    caseworker.partnerships.add(salford)
    caseworker.__dict__.pop("_partnership_ids", None)
    case = refer(caseworker, route_code="victim-service", incident=incident_data(ward_code=salford_ward.code))
    harmed = case.parties.get(role=Party.Role.HARMED)
    assert harmed.caseworker == caseworker
