"""A note is shared with the caseworkers the facilitator chooses, by name: a caseworker reads (web and API) only the
notes shared with them and their own; only the case's facilitators and managers choose, among the caseworkers of
the people harmed on the case; each choice is a history row; a refused choice changes nothing. Notes shared with
"the caseworkers" before are shared with every caseworker then on the case (migration 0013)."""

import importlib

import pytest
from django.apps import apps
from django.forms.models import model_to_dict
from django.urls import reverse

from accounts import roles
from rjcases import services
from rjcases.models import Case, CaseTransition, Note, Party
from tests.factories import OrganisationFactory, UserFactory
from tests.walk import refer, to_assessment

pytestmark = pytest.mark.django_db

FOR_AMINA = "For Amina's caseworker: she prefers calls after 6pm."
FOR_NOBODY = "Not shared: Kieran's probation officer called."


@pytest.fixture
def other_caseworker(db):
    return UserFactory(
        username="caseworker2",
        first_name="Olga",
        last_name="Othercw",
        organisation=OrganisationFactory(name="Other Victim Service"),
        role=roles.CASEWORKER,
    )


@pytest.fixture
def outside_caseworker(db):
    """A caseworker with no client on the case."""
    return UserFactory(username="caseworker3", first_name="Una", last_name="Unrelated", role=roles.CASEWORKER)


@pytest.fixture
def case(police_referrer, manager, facilitator, caseworker, other_caseworker):
    """Amina (``caseworker``'s client) and Bilal (``other_caseworker``'s) harmed, Kieran responsible."""
    case = refer(
        police_referrer,
        parties=[
            services.PartyData(Party.Role.HARMED, "Amina", "Clientperson", {"caseworker": caseworker}),
            services.PartyData(Party.Role.HARMED, "Bilal", "Otherharmed", {"caseworker": other_caseworker}),
            services.PartyData(Party.Role.RESPONSIBLE, "Kieran", "Responsible"),
        ],
    )
    return to_assessment(case, manager, facilitator)


@pytest.fixture
def notes(case, facilitator, caseworker):
    return {
        "amina": services.add_note(case, facilitator, body=FOR_AMINA, shared_with=[caseworker]),
        "nobody": services.add_note(case, facilitator, body=FOR_NOBODY),
    }


def snapshot(case) -> tuple:
    """The case, its log, and its notes with their sharing and history: what a refused choice must not change."""
    case = Case.objects.get(pk=case.pk)
    notes = [
        (model_to_dict(n, exclude=["shared_with"]), sorted(n.shared_with.values_list("pk", flat=True)))
        for n in case.notes.order_by("pk")
    ]
    note_history = Note.history.filter(case_id=case.pk).count()
    return (
        model_to_dict(case),
        CaseTransition.objects.filter(case=case).count(),
        case.history.count(),
        notes,
        note_history,
    )


def read_everything(client, api, case) -> str:
    pages = [reverse(f"rjcases:{section}", args=[case.reference]) for section in ("detail", "people", "timeline")]
    text = "".join(client.get(page).content.decode() for page in pages)
    return (
        text
        + api.get(f"/api/v1/cases/{case.reference}/notes/").content.decode()
        + api.get(f"/api/v1/cases/{case.reference}/timeline/").content.decode()
    )


def test_a_caseworker_reads_only_the_notes_shared_with_them(
    client, api_client, case, notes, caseworker, other_caseworker
):
    client.force_login(caseworker)
    seen = read_everything(client, api_client(caseworker), case)
    assert FOR_AMINA in seen
    assert FOR_NOBODY not in seen
    client.force_login(other_caseworker)
    seen = read_everything(client, api_client(other_caseworker), case)
    assert FOR_AMINA not in seen
    assert FOR_NOBODY not in seen
    assert [n["body"] for n in api_client(caseworker).get(f"/api/v1/cases/{case.reference}/notes/").json()] == [
        FOR_AMINA
    ]


def test_the_full_note_page_is_a_404_to_a_caseworker_it_was_not_shared_with(
    client, case, notes, caseworker, other_caseworker
):
    page = reverse("rjcases:note_detail", args=[case.reference, notes["amina"].pk])
    client.force_login(caseworker)
    assert client.get(page).status_code == 200
    client.force_login(other_caseworker)
    assert client.get(page).status_code == 404


def test_the_note_form_offers_the_case_s_caseworkers_by_name(
    client, case, facilitator, caseworker, other_caseworker, outside_caseworker
):
    client.force_login(facilitator)
    url = reverse("rjcases:note_add", args=[case.reference])
    form = client.get(url).content.decode()
    assert "Share it with these caseworkers" in form
    assert f'value="{caseworker.pk}"' in form
    assert f'value="{other_caseworker.pk}"' in form
    assert f'value="{outside_caseworker.pk}"' not in form
    response = client.post(url, {"body": "For both of them.", "shared_with": [caseworker.pk, other_caseworker.pk]})
    assert response.status_code == 302
    note = case.notes.get(body="For both of them.")
    assert set(note.shared_with.all()) == {caseworker, other_caseworker}
    latest = note.history.latest()
    assert latest.history_user == facilitator
    assert latest.history_change_reason == "shared with: Cas Caseworker, Olga Othercw"


def test_a_tampered_choice_of_someone_off_the_case_is_refused_and_nothing_is_written(
    client, api_client, case, notes, facilitator, outside_caseworker
):
    before = snapshot(case)
    client.force_login(facilitator)
    web = client.post(
        reverse("rjcases:note_add", args=[case.reference]), {"body": "x", "shared_with": [outside_caseworker.pk]}
    )
    assert web.status_code == 200
    assert "govuk-error-summary" in web.content.decode()
    api = api_client(facilitator).post(
        f"/api/v1/cases/{case.reference}/notes/", {"body": "x", "shared_with": ["caseworker3"]}, format="json"
    )
    assert api.status_code == 422
    assert "shared_with" in api.json()["error"]["fields"]
    put = api_client(facilitator).put(
        f"/api/v1/cases/{case.reference}/notes/{notes['nobody'].pk}/sharing/",
        {"shared_with": ["caseworker3"]},
        format="json",
    )
    assert put.status_code == 422
    assert snapshot(case) == before


def test_a_caseworker_cannot_share_a_note_web_or_api(client, api_client, case, notes, caseworker, other_caseworker):
    before = snapshot(case)
    client.force_login(caseworker)
    form = client.get(reverse("rjcases:note_add", args=[case.reference])).content.decode()
    assert "Share it with these caseworkers" not in form
    sharing = reverse("rjcases:note_share", args=[case.reference, notes["amina"].pk])
    assert client.get(sharing).status_code == 403
    assert client.post(sharing, {"shared_with": [caseworker.pk, other_caseworker.pk]}).status_code == 403
    api = api_client(caseworker)
    assert (
        api.post(
            f"/api/v1/cases/{case.reference}/notes/", {"body": "x", "shared_with": ["caseworker2"]}, format="json"
        ).status_code
        == 403
    )
    put = api.put(
        f"/api/v1/cases/{case.reference}/notes/{notes['amina'].pk}/sharing/",
        {"shared_with": ["caseworker2"]},
        format="json",
    )
    assert put.status_code == 403
    assert snapshot(case) == before


def test_a_caseworker_s_own_note_is_theirs_and_the_rj_staff_s(
    client, api_client, case, caseworker, other_caseworker, facilitator
):
    response = api_client(caseworker).post(
        f"/api/v1/cases/{case.reference}/notes/", {"body": "Amina is moving house."}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["shared_with"] == []
    assert (
        "Amina is moving house."
        in api_client(caseworker).get(f"/api/v1/cases/{case.reference}/notes/").content.decode()
    )
    assert (
        "Amina is moving house."
        not in api_client(other_caseworker).get(f"/api/v1/cases/{case.reference}/notes/").content.decode()
    )
    assert (
        "Amina is moving house."
        in api_client(facilitator).get(f"/api/v1/cases/{case.reference}/notes/").content.decode()
    )


def test_the_facilitator_changes_who_reads_a_note_and_each_choice_is_historied(
    client, case, notes, facilitator, manager, caseworker, other_caseworker
):
    note = notes["amina"]
    client.force_login(facilitator)
    sharing = reverse("rjcases:note_share", args=[case.reference, note.pk])
    assert client.post(sharing, {"shared_with": [other_caseworker.pk]}).status_code == 302
    assert list(note.shared_with.all()) == [other_caseworker]
    services.share_note(note, manager, caseworkers=[])
    assert not note.shared_with.exists()
    choices = [(by, names) for _at, by, names in services.sharing_history(note)]
    assert choices == [(facilitator, ("Cas Caseworker",)), (facilitator, ("Olga Othercw",)), (manager, ())]
    # Replacing one name with another is one history row, not two.
    assert [row.history_change_reason for row in note.history.order_by("history_id")] == [
        "note added",
        "shared with: Cas Caseworker",
        "shared with: Olga Othercw",
        "shared with no caseworker",
    ]
    page = client.get(sharing).content.decode()
    assert "Who it was shared with" in page
    assert "Olga Othercw" in page
    case_page = client.get(reverse("rjcases:people", args=[case.reference])).content.decode()  # with the notes
    assert "Not shared with any caseworker" in case_page
    assert sharing in case_page


def test_the_api_shares_a_note_and_the_caseworker_then_reads_it(api_client, case, notes, facilitator, other_caseworker):
    url = f"/api/v1/cases/{case.reference}/notes/{notes['nobody'].pk}/sharing/"
    response = api_client(facilitator).put(url, {"shared_with": ["caseworker2"]}, format="json")
    assert response.status_code == 200
    assert response.json()["shared_with"] == ["caseworker2"]
    bodies = [n["body"] for n in api_client(other_caseworker).get(f"/api/v1/cases/{case.reference}/notes/").json()]
    assert bodies == [FOR_NOBODY]
    # To a caseworker the note names no one it is shared with.
    assert api_client(other_caseworker).get(f"/api/v1/cases/{case.reference}/notes/").json()[0]["shared_with"] == []


def test_someone_who_left_the_case_can_be_unshared(client, case, notes, facilitator, manager, caseworker):
    amina = case.parties.get(first_name="Amina")
    services.update_party(amina, manager, caseworker=None)
    client.force_login(facilitator)
    sharing = reverse("rjcases:note_share", args=[case.reference, notes["amina"].pk])
    assert f'value="{caseworker.pk}"' in client.get(sharing).content.decode()
    # Nothing ticked: a form with no boxes sends nothing of its own, and that is a choice of no one.
    assert client.post(sharing, {}).status_code == 302
    assert not notes["amina"].shared_with.exists()
    assert f'value="{caseworker.pk}"' not in client.get(sharing).content.decode()


def test_notes_shared_with_the_caseworkers_before_are_shared_with_each_caseworker_then_on_the_case(
    case, facilitator, caseworker, other_caseworker
):
    shared = services.add_note(case, facilitator, body="Shared the old way")
    unshared = services.add_note(case, facilitator, body="Not shared")
    Note.objects.filter(pk=shared.pk).update(shared_with_caseworker=True)  # the column the code before wrote
    Note.history.filter(id=shared.pk).update(shared_with_caseworker=True)
    migration = importlib.import_module("rjcases.migrations.0013_share_notes_with_the_caseworkers_then_on_the_case")

    migration.share_with_the_caseworkers(apps, None)

    assert set(shared.shared_with.all()) == {caseworker, other_caseworker}
    assert not unshared.shared_with.exists()
    latest = shared.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (None, migration.REASON)
    assert [names for _at, _by, names in services.sharing_history(shared)] == [("Cas Caseworker", "Olga Othercw")]

    migration.unshare(apps, None)
    assert not shared.history.filter(history_change_reason=migration.REASON).exists()
