"""Search that forgives (rjcases.search): names without their accents or capitals, references by their start or
whole, crime references likewise; still only what the user may see. Runs on SQLite and on PostgreSQL."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from rjcases import services
from rjcases.models import Party
from rjcases.search import fold, search_kind
from tests.factories import incident_data
from tests.rjcases.test_views_list import references
from tests.walk import refer, to_assessment

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Łukasz Michałowski", "lukasz michalowski"),
        ("STRAẞE Weiß", "strasse weiss"),
        ("Æsa Ørsted", "aesa orsted"),
        ("Zoë  Brontë", "zoe bronte"),
        ("Siobhán O’Brien", "siobhan obrien"),
        ("Đorđe Þórsson", "dorde thorsson"),
        ("İpek Çelik", "ipek celik"),
    ],
)
def test_names_fold_to_plain_lower_case_letters(typed, folded):
    assert fold(typed) == folded


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("rj-2026-00042", ("reference", "RJ-2026-00042")),
        ("2026-000", ("reference", "RJ-2026-000")),
        ("06/123 456", ("crime_reference", "06/123456")),
        ("Łukasz", ("name", "lukasz")),
    ],
)
def test_a_query_is_a_reference_a_crime_reference_or_a_name_by_its_shape(typed, kind):
    assert search_kind(typed) == kind


@pytest.fixture
def cases(police_referrer, manager, facilitator):
    polish = to_assessment(
        refer(
            police_referrer,
            incident=incident_data(crime_reference="06/222333/26"),
            parties=[
                services.PartyData(Party.Role.HARMED, "Łukasz", "Michałowski", {}),
                services.PartyData(Party.Role.RESPONSIBLE, "Grete", "Weiß", {}),
            ],
        ),
        manager,
        facilitator,
    )
    other = refer(police_referrer, parties=[services.PartyData(Party.Role.HARMED, "Lucas", "Michaels", {})])
    return {"polish": polish, "other": other}


def found(client, query) -> list[str]:
    return references(client.get(reverse("rjcases:list"), {"q": query}))


@pytest.mark.parametrize(
    "query", ["lukasz michalowski", "LUKASZ", "michałowski", "michal luk", "ŁUKASZ MICHAŁOWSKI", "weiss", "WEISS grete"]
)
def test_names_are_found_whatever_the_accents_and_capitals(client, manager, cases, query):
    client.force_login(manager)
    assert found(client, query) == [cases["polish"].reference]


def test_every_word_must_be_found(client, manager, cases):
    client.force_login(manager)
    assert found(client, "lukasz michaels") == []
    assert sorted(found(client, "micha")) == sorted([cases["polish"].reference, cases["other"].reference])


def test_references_are_found_whole_or_by_their_start_in_any_case(client, manager, cases):
    client.force_login(manager)
    reference = cases["polish"].reference
    assert found(client, reference.lower()) == [reference]
    assert found(client, reference[3:]) == [reference]  # without "RJ-"
    assert sorted(found(client, reference[:-2])) == sorted(
        c.reference for c in cases.values() if c.reference[:-2] == reference[:-2]
    )
    assert found(client, "06/222333") == [reference]
    assert found(client, "06/222333/26") == [reference]
    assert found(client, "22/2333") == []  # a crime reference by its start only


def test_a_referrer_finds_references_but_no_names(client, police_referrer, cases):
    client.force_login(police_referrer)
    assert found(client, cases["polish"].reference) == [cases["polish"].reference]
    assert found(client, "lukasz") == []


def test_a_search_finds_only_cases_the_user_may_see(client, other_police_referrer, other_facilitator, cases):
    client.force_login(other_police_referrer)
    assert found(client, cases["polish"].reference) == []
    client.force_login(other_facilitator)  # the case is allocated to someone else
    assert found(client, "lukasz") == []


def test_a_caseworker_finds_their_own_clients_by_name_only(client, caseworker, cases):
    polish = cases["polish"]
    harmed = polish.parties.get(role=Party.Role.HARMED)
    services.update_party(harmed, polish.facilitator, caseworker=caseworker)
    client.force_login(caseworker)
    assert found(client, "lukasz") == [polish.reference]
    assert found(client, "weiss") == []  # the person responsible is not their client


def test_the_folded_name_follows_a_renamed_person(client, manager, facilitator, cases):
    harmed = cases["polish"].parties.get(role=Party.Role.HARMED)
    services.update_party(harmed, facilitator, first_name="Paweł", last_name="Żółć")
    harmed.refresh_from_db()
    assert harmed.search_name == "pawel zolc"
    client.force_login(manager)
    assert found(client, "pawel zolc") == [cases["polish"].reference]
    assert found(client, "lukasz") == []


def test_the_migration_fills_in_the_folded_names_of_people_already_recorded(cases):
    Party.objects.update(search_name="")  # as the rows were before migration 0018
    migration = importlib.import_module("rjcases.migrations.0018_list_and_search_indexes")
    migration.backfill_search_names(apps, SimpleNamespace(connection=connection))
    names = set(Party.objects.values_list("search_name", flat=True))
    assert {"lukasz michalowski", "grete weiss", "lucas michaels"} <= names
