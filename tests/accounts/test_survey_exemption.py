"""The public survey a reporting centre hands out is reachable before the second factor; the rest of insights,
and the administrators' sign-in help under /accounts/, are not."""

import pytest
from django.test import override_settings
from django.urls import reverse

from insights.services import create_survey_link

pytestmark = pytest.mark.django_db
ENROL = reverse("accounts:enrol")


@pytest.fixture
def survey_token(centre_staff, reporting_centre):
    from insights.models import ReportingCentre
    from rjcases.models import Ward
    from tests.factories import reference

    centre = ReportingCentre.objects.create(
        organisation=reporting_centre,
        name="Stretford Library reporting point",
        ward=reference(Ward, "TRF18"),
        address="Kingsway, Stretford",
    )
    return create_survey_link(centre, centre_staff)[1]


@override_settings(DEBUG=False, RJ_TWO_FACTOR_REQUIRED=True)
def test_a_signed_in_unverified_user_reaches_the_survey_but_not_the_rest_of_insights(
    manager, sign_in_with_password, client, survey_token
):
    sign_in_with_password("manager")
    assert client.get(reverse("insights:survey", args=[survey_token])).status_code == 200
    assert client.get(reverse("insights:survey_thanks")).status_code == 200
    for name in ("insights:index", "insights:performance", "insights:satisfaction", "insights:centres"):
        assert client.get(reverse(name)).url == ENROL, name
    assert client.get(reverse("accounts:user_list")).url == ENROL
