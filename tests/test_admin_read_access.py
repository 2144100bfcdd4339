"""Opening personal data in the admin is recorded in the read access log, as on the case pages: the list (a row
per record shown), a record's page, its history and an old version."""

from datetime import timedelta

import pytest
from django.contrib.admin.sites import site
from django.urls import reverse
from django.utils import timezone

from conferences import services as conference_services
from conferences.models import Activity, Agreement, Feedback, FollowUp, PreparationContact, WellbeingMeasure
from insights.models import CentreSurveyResponse, ReportingCentre
from letters.models import Letter
from rjcases import services
from rjcases.admin import AccessLoggedAdmin
from rjcases.models import Assessment, Case, CaseTransition, Consent, ContactAttempt, Note, Party, ReadAccess
from tests.audit_tools import last_id
from tests.factories import UserFactory
from tests.walk import hold_activity, refer, to_agreement, to_conferencing

WELLBEING = {"safe": 4, "daily_life": 3, "calm": 2, "supported": 5, "hopeful": 1}

# Every model holding personal data that the admin shows, with the case the access row must name.
PERSONAL = [
    Case,
    Party,
    Consent,
    Assessment,
    Note,
    ContactAttempt,
    CaseTransition,
    PreparationContact,
    Activity,
    Agreement,
    FollowUp,
    Feedback,
    WellbeingMeasure,
    Letter,
    CentreSurveyResponse,
]
# The read access log itself: who read what, which managers audit; reading it is not reading a case.
NOT_LOGGED = {ReadAccess}


@pytest.fixture
def superuser(rj_service, settings):
    settings.RJ_TWO_FACTOR_REQUIRED = False
    return UserFactory(username="root", is_staff=True, is_superuser=True, organisation=rj_service)


@pytest.fixture
def records(police_referrer, manager, facilitator, reporting_centre):
    """One row of every model in PERSONAL, made through the services."""
    now = timezone.now()
    monitored = to_agreement(refer(police_referrer), manager, facilitator, actions=1)
    harmed = monitored.parties.get(role=Party.Role.HARMED)
    services.add_note(monitored, facilitator, body="Spoke to the harmed party's mother.")
    services.record_contact(
        monitored, facilitator, party=harmed, at=now - timedelta(hours=1), method="phone", result="reached"
    )
    conference_services.record_follow_up(
        monitored, facilitator, party=harmed, at=now - timedelta(minutes=5), method="phone", notes="Apology received."
    )

    closed = to_conferencing(refer(police_referrer), manager, facilitator)
    closed_harmed = closed.parties.get(role=Party.Role.HARMED)
    conference_services.add_preparation_contact(
        closed, facilitator, party=closed_harmed, held_on=timezone.localdate(), method="phone"
    )
    conference_services.record_wellbeing(closed, facilitator, party=closed_harmed, stage="before", answers=WELLBEING)
    hold_activity(closed, facilitator, agreement_reached=False)
    closed = services.case_conclude(closed, facilitator, outcome=Case.Outcome.NO_AGREEMENT_NEEDED, summary="Done.")
    conference_services.record_feedback(closed, facilitator, party=closed_harmed, satisfied=True)

    centre = ReportingCentre.objects.create(
        organisation=reporting_centre, name="Test Centre", address="1 High St", opening_times="Weekdays"
    )
    CentreSurveyResponse.objects.create(
        centre=centre,
        via="staff",
        satisfaction="satisfied",
        treated_with_respect="yes",
        knew_what_next="yes",
        would_recommend="yes",
        comments="My neighbour's name is in here.",
    )
    for model in PERSONAL:
        assert model.objects.exists(), model.__name__
    return monitored


def _case_of(row):
    if isinstance(row, Case):
        return row
    if isinstance(row, CentreSurveyResponse):
        return None
    if isinstance(row, Consent | Assessment):
        return row.party.case
    return row.case


def _url(model, view, *args):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


@pytest.mark.django_db
@pytest.mark.parametrize("model", PERSONAL, ids=lambda m: m.__name__)
def test_admin_pages_of_personal_data_write_access_rows(client, superuser, records, model):
    client.force_login(superuser)
    changelist = _url(model, "changelist")
    assert client.get(changelist).status_code == 200
    logged = ReadAccess.objects.filter(user=superuser, path=changelist)
    assert sorted(logged.values_list("object_id", flat=True)) == sorted(
        str(pk) for pk in model.objects.values_list("pk", flat=True)
    )
    assert {access.case for access in logged} == {_case_of(row) for row in model.objects.all()}

    row = model.objects.order_by("pk").first()
    for view in ("change", "history"):
        since = last_id(ReadAccess)
        url = _url(model, view, row.pk)
        assert client.get(url).status_code == 200
        access = ReadAccess.objects.get(id__gt=since)
        assert (access.user, access.case, access.object_id, access.path) == (superuser, _case_of(row), str(row.pk), url)


@pytest.mark.django_db
def test_an_old_version_in_the_admin_writes_an_access_row(client, superuser, records):
    party = records.parties.get(role=Party.Role.HARMED)
    version = party.history.earliest("history_date")
    client.force_login(superuser)
    since = last_id(ReadAccess)
    url = reverse("admin:rjcases_party_simple_history", args=[party.pk, version.history_id])
    assert client.get(url).status_code == 200
    assert list(ReadAccess.objects.filter(id__gt=since).values_list("case", "what", "object_id")) == [
        (records.pk, ReadAccess.What.PARTY, str(party.pk))
    ]


@pytest.mark.django_db
def test_a_missing_record_writes_no_access_row(client, superuser, records):
    client.force_login(superuser)
    since = last_id(ReadAccess)
    client.get(_url(Note, "change", 999999))
    assert not ReadAccess.objects.filter(id__gt=since).exists()


def test_every_admin_of_personal_data_is_access_logged():
    """A new admin of a model that belongs to a case or a party must log its reads too."""
    unlogged = []
    for model, model_admin in site._registry.items():
        fields = {f.name: f for f in model._meta.get_fields() if f.is_relation and f.many_to_one}
        belongs = any(f.related_model in (Case, Party) for f in fields.values())
        logged = isinstance(model_admin, AccessLoggedAdmin)
        if (model in PERSONAL or belongs) and model not in NOT_LOGGED and not logged:
            unlogged.append(model.__name__)
    assert unlogged == []
