"""The admin shows cases read-only: no state field, no transition buttons, no revert; reference data is
editable; the transition log and the read access log cannot be changed there."""

import pytest
from django.contrib.admin.sites import site
from django.contrib.auth.models import Permission
from django.urls import reverse

from rjcases.models import (
    Assessment,
    Case,
    CaseTransition,
    Consent,
    ContactAttempt,
    CrimeType,
    HateStrand,
    Note,
    Party,
    ReadAccess,
    ReferralRoute,
    Ward,
)
from rjcases.services import log_read, update_party
from tests.factories import partnership
from tests.walk import refer, to_assessment


@pytest.fixture
def case(police_referrer, manager, facilitator):
    return to_assessment(refer(police_referrer), manager, facilitator)


def _snapshot(case):
    case = Case.objects.get(pk=case.pk)
    return case.state, case.outcome, CaseTransition.objects.filter(case=case).count(), case.history.count()


@pytest.mark.django_db
def test_the_case_page_shows_the_state_but_offers_no_way_to_change_it(superuser_client, case):
    response = superuser_client.get(reverse("admin:rjcases_case_change", args=[case.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="state"' not in page
    assert "Assessment" in page  # shown as text
    assert "_fsm_transition" not in page
    assert 'type="submit"' not in page or 'name="_save"' not in page
    assert "state" not in response.context["adminform"].form.fields


@pytest.mark.django_db
def test_posting_a_state_change_to_the_admin_changes_nothing(superuser_client, case):
    before = _snapshot(case)
    url = reverse("admin:rjcases_case_change", args=[case.pk])
    response = superuser_client.post(url, {"state": "closed", "outcome": "withdrawn", "_save": "Save"})
    assert response.status_code == 403
    assert _snapshot(case) == before


@pytest.mark.django_db
def test_an_old_version_cannot_be_restored_from_the_history_page(superuser_client, case):
    first = case.history.earliest("history_date")
    assert first.state == "referral"
    url = reverse("admin:rjcases_case_simple_history", args=[case.pk, first.history_id])
    assert superuser_client.get(url).status_code == 200
    before = _snapshot(case)
    response = superuser_client.post(url, {"_change_history": "1"})
    assert response.status_code == 403
    assert _snapshot(case) == before


@pytest.mark.django_db
def test_a_party_cannot_be_put_back_to_an_old_version(client, administrator, settings, case, manager):
    """simple-history's history form saves an old version on POST with only a view permission checked."""
    settings.RJ_TWO_FACTOR_REQUIRED = False
    administrator.user_permissions.add(Permission.objects.get(codename="view_party"))
    client.force_login(administrator)
    party = case.parties.first()
    update_party(party, manager, first_name="Renamed")
    first = party.history.earliest("history_date")
    url = reverse("admin:rjcases_party_simple_history", args=[party.pk, first.history_id])
    assert client.post(url, {"_change_history": "1"}).status_code == 403
    party.refresh_from_db()
    assert party.first_name == "Renamed"


@pytest.mark.django_db
@pytest.mark.parametrize("model", [Case, CaseTransition, ReadAccess])
def test_case_data_cannot_be_added_changed_or_deleted_in_the_admin(superuser_client, case, model, rf, administrator):
    model_admin = site._registry[model]
    request = rf.get("/")
    request.user = administrator
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    opts = model._meta
    assert superuser_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 403
    log_read(administrator, case, ReadAccess.What.CASE)
    row = model.objects.first()
    delete_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[row.pk])
    assert superuser_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=row.pk).exists()


@pytest.mark.django_db
def test_opening_a_case_in_the_admin_is_in_the_read_access_log(superuser_client, case, administrator):
    superuser_client.get(reverse("admin:rjcases_case_change", args=[case.pk]))
    assert ReadAccess.objects.filter(user=administrator, case=case, what=ReadAccess.What.CASE).exists()


@pytest.mark.django_db
def test_a_ward_population_is_edited_in_the_admin_with_history(superuser_client, administrator):
    ward = Ward.objects.create(code="TRF99", name="Example Ward", population=1000, partnership=partnership())
    response = superuser_client.post(
        reverse("admin:rjcases_ward_change", args=[ward.pk]),
        {"name": "Example Ward", "population": "12345", "_save": "Save"},
    )
    assert response.status_code == 302
    ward.refresh_from_db()
    assert (ward.code, ward.population) == ("TRF99", 12345)
    assert ward.history.latest("history_date").history_user == administrator


@pytest.mark.django_db
@pytest.mark.parametrize("model", [HateStrand, CrimeType, ReferralRoute])
def test_a_renamed_reference_row_keeps_its_old_name_in_history(superuser_client, administrator, model):
    row = model.objects.create(code="example-row", name="Example", order=90)
    opts = model._meta
    response = superuser_client.post(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk]),
        {"name": "Example (renamed)", "order": "90", "_save": "Save"},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.code, row.name) == ("example-row", "Example (renamed)")
    versions = list(row.history.order_by("history_date").values_list("name", "history_type", "history_user"))
    assert versions == [("Example", "+", None), ("Example (renamed)", "~", administrator.pk)]
    history_page = reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[row.pk])
    assert superuser_client.get(history_page).status_code == 200


@pytest.mark.django_db
def test_every_case_admin_page_opens(superuser_client, case, administrator):
    log_read(administrator, case, ReadAccess.What.CASE)
    party = case.parties.first()
    for model in (
        Ward,
        HateStrand,
        CrimeType,
        ReferralRoute,
        Case,
        Party,
        Consent,
        Assessment,
        Note,
        ContactAttempt,
        CaseTransition,
        ReadAccess,
    ):
        opts = model._meta
        response = superuser_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert response.status_code == 200, opts.model_name
    assert superuser_client.get(reverse("admin:rjcases_party_change", args=[party.pk])).status_code == 200
    assert superuser_client.get(reverse("admin:rjcases_case_history", args=[case.pk])).status_code == 200
