"""The admin's fields in table cells (a list's editable column, a tabular inline's rows) are named by their column
and row, since a column's heading is no label; the history list scrolls in its own region; every admin page loads
the project's admin CSS and script (issue 17: tests/browser/test_reflow.py walks these pages with axe)."""

import re
from datetime import date

import pytest
from django.urls import reverse

from insights.models import ReportingCentre, TrainedStaffMember
from rjcases.models import Ward
from tests.factories import OrganisationFactory, partnership


def _labels(page: str, name: str) -> list[str]:
    """The aria-label of each element whose name attribute matches ``name`` (a regular expression)."""
    return [
        re.search(r'aria-label="([^"]*)"', tag).group(1) if "aria-label" in tag else ""
        for tag in re.findall(rf'<(?:input|select)[^>]*name="{name}"[^>]*>', page)
    ]


@pytest.mark.django_db
def test_a_wards_editable_population_is_named_by_its_column_and_ward_and_still_saves(superuser_client):
    home = partnership()
    north = Ward.objects.create(code="TRF97", name="North Example", population=1000, partnership=home)
    south = Ward.objects.create(code="TRF98", name="South Example", population=2000, partnership=home)
    response = superuser_client.get(reverse("admin:rjcases_ward_changelist"), {"code__in": "TRF97,TRF98"})
    page = response.content.decode()
    assert sorted(_labels(page, r"form-\d+-population")) == [f"Population, {north}", f"Population, {south}"]

    forms = response.context["cl"].formset.forms
    data = {"form-TOTAL_FORMS": str(len(forms)), "form-INITIAL_FORMS": str(len(forms)), "_save": "Save"}
    for index, form in enumerate(forms):
        data[f"form-{index}-id"] = str(form.instance.pk)
        data[f"form-{index}-population"] = "1500" if form.instance == north else str(form.instance.population)
    saved = superuser_client.post(reverse("admin:rjcases_ward_changelist") + "?code__in=TRF97,TRF98", data)
    assert saved.status_code == 302
    north.refresh_from_db()
    assert north.population == 1500


@pytest.mark.django_db
def test_a_centres_staff_rows_are_named_by_column_and_person_each_their_own(superuser_client):
    organisation = OrganisationFactory(name="Example Library")
    centre = ReportingCentre.objects.create(
        organisation=organisation, name="Example Library point", address="High Street", opening_times="Mondays"
    )
    for name in ("Sam Reader", "Jo Shelf"):
        TrainedStaffMember.objects.create(
            centre=centre, name=name, job_title="Library assistant", last_trained_on=date(2026, 5, 1)
        )
    page = superuser_client.get(reverse("admin:insights_reportingcentre_change", args=[centre.pk])).content.decode()
    # The rows are the centre's staff in the inline's order; the template row (added by "Add another") is new.
    rows = [str(member) for member in centre.trained_staff.all()]
    assert _labels(page, r"trained_staff-\d+-name") == [f"Name, {row}" for row in rows]
    # The user field's select sits in Django's add/change-link wrapper: each row's label is still its own.
    assert _labels(page, r"trained_staff-\d+-user") == [f"User, {row}" for row in rows]
    assert _labels(page, r"trained_staff-\d+-DELETE") == [f"Delete, {row}" for row in rows]
    assert _labels(page, r"trained_staff-__prefix__-job_title") == ["Job title, new trained staff member"]


@pytest.mark.django_db
def test_a_history_list_scrolls_in_a_named_region_and_admin_pages_load_the_projects_css_and_script(superuser_client):
    ward = Ward.objects.create(code="TRF96", name="Example Ward", population=1000, partnership=partnership())
    page = superuser_client.get(reverse("admin:rjcases_ward_history", args=[ward.pk])).content.decode()
    region = re.search(r'<div class="rj-admin-table-wrap" role="region" aria-label="([^"]*)" tabindex="0">', page)
    assert region is not None
    assert region.group(1) == f"Change history of {ward}"
    assert page.index("rj-admin-table-wrap") < page.index('id="change-history"')
    for address in (reverse("admin:index"), reverse("admin:rjcases_ward_changelist")):
        page = superuser_client.get(address).content.decode()
        assert re.search(r'<link rel="stylesheet" href="[^"]*/css/admin\.[^"]*css"', page), address
        assert re.search(r'<script src="[^"]*/js/admin\.[^"]*js"', page), address


@pytest.mark.django_db
def test_a_centres_staff_accounts_are_offered_from_the_administrators_partnerships_only(
    client, administrator, salford_manager, centre_staff, settings
):
    """The trained staff's user field offers the users the administrator sees in the users' admin: not another
    partnership's (Salford's manager, to Trafford's administrator)."""
    settings.RJ_TWO_FACTOR_REQUIRED = False
    client.force_login(administrator)
    centre = ReportingCentre.objects.create(
        organisation=centre_staff.organisation, name="Example point", address="High Street", opening_times="Mondays"
    )
    TrainedStaffMember.objects.create(centre=centre, name="Sam Reader", last_trained_on=date(2026, 5, 1))
    response = client.get(reverse("admin:insights_reportingcentre_change", args=[centre.pk]))
    offered = set(response.context["inline_admin_formsets"][0].formset.forms[0].fields["user"].queryset)
    assert centre_staff in offered
    assert salford_manager not in offered
    assert str(salford_manager) not in response.content.decode()
