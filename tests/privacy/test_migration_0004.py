"""Migration ``privacy/0004`` gives each request made before partnerships a partnership: that of the cases its
proposed records are on (the first match's), else the opening manager's first partnership, else the default one.

One test (migrating is slow) unapplies that migration alone (nothing depends on it), writes requests as they were
before it, with the historical models, and applies it again: what the fill decided is read back from the real
tables."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import DEFAULT_PARTNERSHIP_CODE, Partnership
from privacy.models import SubjectRequest
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("privacy", "0003_anonymisation_and_subject_requests")]
AFTER = [("privacy", "0004_subject_request_partnership")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def old_request(apps, opened_by_id, first_name):
    return (
        apps.get_model("privacy", "SubjectRequest")
        .objects.create(
            first_name=first_name,
            last_name="Testperson",
            received_on=date(2026, 11, 2),
            due_on=date(2026, 12, 2),
            opened_by_id=opened_by_id,
        )
        .pk
    )


def test_old_requests_get_their_matched_cases_partnership_else_the_openers_else_the_default(
    manager, salford_manager, salford_case, trafford, salford
):
    salford_party = salford_case.parties.order_by("pk").first()
    nowhere = UserFactory(username="no_partnership_manager", partnerships=[])
    assert not nowhere.partnerships.exists()

    apps = migrate(BEFORE)
    try:
        # Opened by Trafford's manager, but its first proposed record is on a Salford case: the case decides.
        matched = old_request(apps, manager.pk, "Matched")
        apps.get_model("privacy", "SubjectRequestMatch").objects.create(
            request_id=matched, party_id=salford_party.pk, why="same name and email"
        )
        by_opener = old_request(apps, salford_manager.pk, "Opener")  # no match: the opener's partnership
        fallback = old_request(apps, nowhere.pk, "Fallback")  # no match, no partnership: the default one
        trafford_only = old_request(apps, manager.pk, "Trafford")  # Trafford's manager, no match: Trafford
    finally:
        migrate(AFTER)

    assert SubjectRequest.objects.get(pk=matched).partnership == salford
    assert SubjectRequest.objects.get(pk=by_opener).partnership == salford
    assert SubjectRequest.objects.get(pk=fallback).partnership == Partnership.objects.get(code=DEFAULT_PARTNERSHIP_CODE)
    assert SubjectRequest.objects.get(pk=trafford_only).partnership == trafford
    assert SubjectRequest.objects.filter(partnership__isnull=True).count() == 0
