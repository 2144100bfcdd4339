"""Data protection requests are a partnership's: made to the opening manager's partnership, seen and handled only by
its managers (404 for a manager of another partnership on every request page, absent from their list and their
dashboard), and the person's records are searched for only on that partnership's cases, even by a manager who
works for both."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from privacy.models import Anonymisation, SubjectRequest
from privacy.services import anonymise_person
from privacy.services import requests as services
from rjcases.exceptions import ActionRefused
from rjcases.models import Party
from tests.factories import UserFactory
from tests.privacy.test_subject_access import request_urls
from tests.walk import refer

pytestmark = pytest.mark.django_db


def open_for(user, kind="access", **fields):
    return services.open_request(
        user,
        kind=kind,
        first_name="Amina",
        last_name="Testharmed",
        email="harmed@example.org",
        received_on=timezone.localdate() - timedelta(days=2),
        **fields,
    )


@pytest.fixture
def both_manager(rj_service, trafford, salford):
    return UserFactory(
        username="both_manager",
        first_name="Bo",
        last_name="Both",
        organisation=rj_service,
        role=roles.MANAGER,
        partnerships=[trafford, salford],
    )


@pytest.fixture
def amina_twice(police_referrer, salford_case):
    """Amina Testharmed is the person harmed on a Trafford case and, with the same name and email, on a Salford
    case."""
    return refer(police_referrer), salford_case


def test_a_request_is_made_to_the_opening_managers_partnership(manager, salford_manager, trafford, salford):
    assert open_for(manager).partnership == trafford
    assert open_for(salford_manager).partnership == salford


def test_matching_never_finds_a_record_on_another_partnerships_case(manager, salford_manager, amina_twice):
    trafford_case, salford_case = amina_twice
    assert [m.party.case_id for m in open_for(manager).matches.select_related("party")] == [trafford_case.pk]
    assert [m.party.case_id for m in open_for(salford_manager).matches.select_related("party")] == [salford_case.pk]


def test_a_manager_of_both_partnerships_chooses_one_and_only_its_cases_are_searched(
    both_manager, salford, trafford, amina_twice
):
    trafford_case, salford_case = amina_twice
    with pytest.raises(ValidationError) as refused:
        open_for(both_manager)
    assert "partnership" in refused.value.message_dict
    assert not SubjectRequest.objects.exists()
    subject = open_for(both_manager, partnership=salford)
    assert [m.party.case_id for m in subject.matches.select_related("party")] == [salford_case.pk]
    services.propose_matches(subject, both_manager)  # "find again" stays within the partnership too
    assert subject.matches.count() == 1
    assert [m.party.case_id for m in open_for(both_manager, partnership=trafford).matches.all()] == [trafford_case.pk]


def test_a_manager_cannot_open_a_request_for_a_partnership_they_do_not_work_for(manager, salford):
    with pytest.raises(ValidationError) as refused:
        open_for(manager, partnership=salford)
    assert "partnership" in refused.value.message_dict
    assert not SubjectRequest.objects.exists()


def test_the_web_form_offers_the_choice_only_to_a_manager_of_several(client, manager, both_manager, salford):
    client.force_login(manager)
    assert 'name="partnership"' not in client.get(reverse("privacy:request_new")).content.decode()
    client.force_login(both_manager)
    assert 'name="partnership"' in client.get(reverse("privacy:request_new")).content.decode()
    today = timezone.localdate()
    posted = {
        "kind": "access",
        "first_name": "Amina",
        "last_name": "Testharmed",
        "received_on-day": today.day,
        "received_on-month": today.month,
        "received_on-year": today.year,
    }
    response = client.post(reverse("privacy:request_new"), posted)
    assert response.status_code == 200
    assert "Choose the partnership the request was made to" in response.content.decode()
    assert not SubjectRequest.objects.exists()
    response = client.post(reverse("privacy:request_new"), posted | {"partnership": salford.pk})
    assert response.status_code == 302
    assert SubjectRequest.objects.get().partnership == salford


def test_a_manager_of_another_partnership_gets_a_404_on_every_page_of_a_request(
    client, manager, salford_manager, amina_twice
):
    subject = open_for(manager, kind="erasure")
    for match in subject.matches.all():
        services.decide_match(match, manager, confirmed=True)
    match = subject.matches.get()
    client.force_login(salford_manager)
    for name, (method, url) in request_urls(subject, match).items():
        if name in {"requests", "request_new"}:
            continue
        response = getattr(client, method)(url, {"confirmed": "no", "reason": "x", "outcome": "x", "source": "x"})
        assert response.status_code == 404, name
    match.refresh_from_db()
    subject.refresh_from_db()
    assert match.confirmed is True
    assert subject.is_open
    assert not subject.approved_passages.exists()
    assert subject.last_exported_at is None
    assert not Anonymisation.objects.exists()
    client.force_login(manager)
    assert client.get(reverse("privacy:request", args=[subject.pk])).status_code == 200


def test_the_list_and_the_dashboard_show_only_the_managers_partnerships_requests(
    client, manager, salford_manager, both_manager, amina_twice
):
    theirs = open_for(manager)
    ours = open_for(salford_manager, kind="rectification")
    client.force_login(salford_manager)
    listing = client.get(reverse("privacy:requests")).content.decode()
    dashboard = client.get(reverse("dashboard")).content.decode()
    for page in (listing, dashboard):
        assert reverse("privacy:request", args=[ours.pk]) in page
        assert reverse("privacy:request", args=[theirs.pk]) not in page
    assert f"Rectification request {ours.pk}</a>: due {ours.due_on:%-d %B %Y}" in dashboard
    client.force_login(manager)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert reverse("privacy:request", args=[theirs.pk]) in dashboard
    assert reverse("privacy:request", args=[ours.pk]) not in dashboard
    client.force_login(both_manager)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert reverse("privacy:request", args=[theirs.pk]) in dashboard
    assert reverse("privacy:request", args=[ours.pk]) in dashboard


def test_the_services_refuse_a_manager_of_another_partnership(manager, salford_manager, amina_twice):
    """The server's own check, whatever page called it."""
    subject = open_for(manager, kind="erasure")
    match = subject.matches.get()
    services.decide_match(match, manager, confirmed=True)
    attempts = {
        "find again": lambda: services.propose_matches(subject, salford_manager),
        "decide": lambda: services.decide_match(match, salford_manager, confirmed=False),
        "extend": lambda: services.extend_request(
            subject, salford_manager, due_on=subject.due_on + timedelta(days=7), reason="x"
        ),
        "approve": lambda: services.approve_passage(subject, salford_manager, source="note:1:body"),
        "export": lambda: services.record_export(subject, salford_manager),
        "complete": lambda: services.complete_request(subject, salford_manager, outcome="x"),
        "erase": lambda: anonymise_person(subject, match.party, salford_manager, reason_nothing_requires_keeping="x"),
    }
    for attempt in attempts.values():
        with pytest.raises(ActionRefused, match="partnership"):
            attempt()
    subject.refresh_from_db()
    match.refresh_from_db()
    assert (subject.is_open, subject.due_on, subject.last_exported_at, match.confirmed) == (
        True,
        open_for(manager).due_on,
        None,
        True,
    )
    assert not Anonymisation.objects.exists()
    assert Party.objects.filter(first_name="Amina").count() == 2


def test_a_confirmed_record_whose_case_moved_to_another_partnership_leaves_the_request(manager, salford, amina_twice):
    trafford_case, _ = amina_twice
    subject = open_for(manager)
    services.decide_match(subject.matches.get(), manager, confirmed=True)
    assert [p.case_id for p in services.confirmed_parties(subject)] == [trafford_case.pk]
    type(trafford_case).objects.filter(pk=trafford_case.pk).update(partnership=salford)
    assert services.confirmed_parties(subject) == []
