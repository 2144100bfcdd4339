"""Sign-in records and survey responses are kept: nobody, not even a superuser, deletes them in the admin."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.sites import site
from django.urls import reverse

from insights.models import CentreSurveyResponse, ReportingCentre
from tests.factories import UserFactory

SIGN_IN = {
    "user_agent": "Firefox",
    "ip_address": "203.0.113.5",
    "username": "manager",
    "http_accept": "*/*",
    "path_info": "/accounts/login/",
}


@pytest.fixture
def superuser_client(client, settings):
    settings.RJ_TWO_FACTOR_REQUIRED = False
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    client.user = root
    return client


@pytest.fixture
def kept(reporting_centre):
    centre = ReportingCentre.objects.create(
        organisation=reporting_centre, name="Test Centre", address="1 High St", opening_times="Weekdays"
    )
    return [
        AccessAttempt.objects.create(**SIGN_IN, get_data="", post_data="", failures_since_start=5),
        AccessLog.objects.create(**SIGN_IN),
        AccessFailureLog.objects.create(**SIGN_IN, locked_out=True),
        CentreSurveyResponse.objects.create(
            centre=centre,
            via="staff",
            satisfaction="satisfied",
            treated_with_respect="yes",
            knew_what_next="yes",
            would_recommend="yes",
        ),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("index", range(4), ids=["attempt", "access_log", "failure_log", "survey_response"])
def test_a_superuser_cannot_delete_the_record_in_the_admin(superuser_client, kept, rf, index):
    row = kept[index]
    model = type(row)
    opts = model._meta
    model_admin = site._registry[model]
    request = rf.get("/")
    request.user = superuser_client.user
    assert not model_admin.has_delete_permission(request, row)
    assert not model_admin.has_change_permission(request, row)
    assert "delete_selected" not in model_admin.get_actions(request)

    delete_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[row.pk])
    assert superuser_client.post(delete_url, {"post": "yes"}).status_code == 403
    superuser_client.post(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
    )
    assert model.objects.filter(pk=row.pk).exists()
    assert (
        superuser_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk])).status_code
        == 200
    )
