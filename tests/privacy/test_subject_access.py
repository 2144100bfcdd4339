"""Subject access (issue 15's done-when): a person on two cases gets one export listing both, with the other people's
names, contact details and free text naming them absent from the PDF's text and the JSON; the request is on the
managers' dashboard with its due date; managers only (404 for everyone else); rectification and erasure requests
are recorded the same way, and an erasure anonymises the confirmed record alone."""

import json
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import URLResolver, reverse
from django.utils import timezone
from pypdf import PdfReader

from privacy import urls as privacy_urls
from privacy.models import Anonymisation, SubjectRequest
from privacy.services import anonymise_person
from privacy.services import requests as services
from rjcases import services as case_services
from rjcases.exceptions import ActionRefused, Refused
from rjcases.models import Party
from tests.walk import refer

pytestmark = pytest.mark.django_db

OTHERS = {
    "first": "Kieran",
    "last": "Testresponsible",
    "address": "2 Responsible Road",
    "phone": "07700 900002",
    "email": "responsible@example.org",
}
SECOND_OTHER = {"first": "Ottoline", "last": "Fairweather", "phone": "07700 977777", "email": "otto@example.org"}


@pytest.fixture
def two_cases(police_referrer, manager, facilitator):
    """Amina Testharmed is the person harmed on two cases, with a different person responsible on each."""
    first = refer(police_referrer)
    harmed = first.parties.get(role=Party.Role.HARMED)
    case_services.update_party(harmed, manager, date_of_birth=date(1990, 5, 4))
    case_services.add_note(first, manager, body="Amina prefers calls after six.")
    case_services.add_note(first, manager, body="Kieran said he regrets it.")
    second = refer(
        police_referrer,
        parties=[
            case_services.PartyData(
                Party.Role.HARMED, "Amina", "Testharmed", {"email": "harmed@example.org", "phone": "07700 900001"}
            ),
            case_services.PartyData(
                Party.Role.RESPONSIBLE,
                SECOND_OTHER["first"],
                SECOND_OTHER["last"],
                {"phone": SECOND_OTHER["phone"], "email": SECOND_OTHER["email"], "address": "9 Other Way, Sale"},
            ),
        ],
    )
    case_services.add_note(second, manager, body="Ottoline Fairweather lives next door to her.")
    return first, second


def open_access(manager, **overrides):
    fields = {
        "kind": "access",
        "first_name": "Amina",
        "last_name": "Testharmed",
        "email": "harmed@example.org",
        "received_on": timezone.localdate() - timedelta(days=3),
    }
    return services.open_request(manager, **(fields | overrides))


def confirm_all(subject, manager):
    for match in subject.matches.all():
        services.decide_match(match, manager, confirmed=True)


def test_a_request_is_due_a_month_after_it_was_received_and_extends_with_a_reason(manager, two_cases):
    subject = open_access(manager, received_on=date(2026, 1, 31))
    assert subject.due_on == date(2026, 2, 28)
    with pytest.raises(ValidationError) as refused:
        services.extend_request(subject, manager, due_on=date(2026, 3, 31), reason="")
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.extend_request(subject, manager, due_on=date(2026, 5, 1), reason="Complex")  # past three months
    subject.refresh_from_db()
    assert subject.due_on == date(2026, 2, 28)
    extended = services.extend_request(subject, manager, due_on=date(2026, 4, 30), reason="Many records")
    assert (extended.due_on, extended.extension_reason) == (date(2026, 4, 30), "Many records")
    assert extended.history.count() == 2


def test_the_records_that_may_be_the_person_are_proposed_across_cases_and_confirmed_one_by_one(manager, two_cases):
    first, second = two_cases
    subject = open_access(manager)
    proposed = {m.party.case_id: m for m in subject.matches.select_related("party")}
    assert set(proposed) == {first.pk, second.pk}
    assert all(m.party.role == Party.Role.HARMED for m in proposed.values())
    assert "email" in proposed[second.pk].why
    assert "name" in proposed[second.pk].why
    assert not services.confirmed_parties(subject)
    services.decide_match(proposed[first.pk], manager, confirmed=True)
    services.decide_match(proposed[second.pk], manager, confirmed=False)
    assert [p.case_id for p in services.confirmed_parties(subject)] == [first.pk]
    by_birth = open_access(manager, first_name="A", last_name="", email="", date_of_birth=date(1990, 5, 4))
    assert [m.party.case_id for m in by_birth.matches.all()] == [first.pk]


def test_a_person_on_two_cases_gets_one_export_with_everyone_else_redacted(client, manager, two_cases):
    first, second = two_cases
    subject = open_access(manager)
    confirm_all(subject, manager)
    client.force_login(manager)
    facilitator_read = client.get(reverse("rjcases:detail", args=[first.reference]))
    assert facilitator_read.status_code == 200

    response = client.get(reverse("privacy:request_export_json", args=[subject.pk]))
    assert response.status_code == 200
    data = json.loads(response.content)
    text_json = json.dumps(data)
    pdf = client.get(reverse("privacy:request_export_pdf", args=[subject.pk]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    text_pdf = "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)

    for text in (text_json, text_pdf):
        assert first.reference in text
        assert second.reference in text
        assert "Testharmed" in text
        assert "harmed@example.org" in text
        assert "Amina prefers calls after six." in text  # a note that names no one else
        for secret in [*OTHERS.values(), *SECOND_OTHER.values(), "regrets it", "lives next door"]:
            assert secret not in text, secret
        assert "another person" in text
        assert "Withheld: this passage names another person." in text
    assert [r["case"]["reference"] for r in data["records"]] == [first.reference, second.reference]
    readers = data["records"][0]["who_read_your_record"]
    assert any(r["who"] == (manager.get_full_name() or manager.username) for r in readers)
    subject.refresh_from_db()
    assert subject.last_exported_at is not None


def test_a_passage_naming_another_person_is_included_only_once_a_manager_approves_it(client, manager, two_cases):
    first, _ = two_cases
    subject = open_access(manager)
    confirm_all(subject, manager)
    client.force_login(manager)
    page = client.get(reverse("privacy:request", args=[subject.pk])).content.decode()
    assert "Kieran said he regrets it." in page  # shown to the manager to decide
    note = first.notes.get(body__contains="regrets")
    response = client.post(reverse("privacy:request_passage", args=[subject.pk]), {"source": f"note:{note.pk}:body"})
    assert response.status_code == 302
    data = json.loads(client.get(reverse("privacy:request_export_json", args=[subject.pk])).content)
    assert "Kieran said he regrets it." in json.dumps(data)
    assert "lives next door" not in json.dumps(data)  # the other passage, not approved
    assert OTHERS["phone"] not in json.dumps(data)


def test_the_request_shows_on_the_managers_dashboard_with_its_due_date(client, manager, facilitator, two_cases):
    subject = open_access(manager)
    client.force_login(manager)
    page = client.get(reverse("dashboard")).content.decode()
    assert f"Subject access request {subject.pk}</a>: due {subject.due_on:%-d %B %Y}" in page
    client.force_login(facilitator)
    assert 'data-testid="dp-requests"' not in client.get(reverse("dashboard")).content.decode()


def test_opening_a_request_on_the_web_and_bad_input_changes_nothing(client, manager, two_cases):
    client.force_login(manager)
    url = reverse("privacy:request_new")
    response = client.post(url, {"kind": "access", "first_name": "", "received_on-day": "1"})
    assert response.status_code == 200
    assert "Enter the person" in response.content.decode()
    assert not SubjectRequest.objects.exists()
    today = timezone.localdate()
    response = client.post(
        url,
        {
            "kind": "rectification",
            "first_name": "Amina",
            "last_name": "Testharmed",
            "received_on-day": today.day,
            "received_on-month": today.month,
            "received_on-year": today.year,
        },
    )
    assert response.status_code == 302
    subject = SubjectRequest.objects.get()
    assert subject.kind == "rectification"
    assert subject.matches.count() == 2


def request_urls(subject, match) -> dict[str, tuple[str, str]]:
    """Every URL of the requests' pages, with the method it takes."""
    pk = subject.pk
    return {
        "requests": ("get", reverse("privacy:requests")),
        "request_new": ("get", reverse("privacy:request_new")),
        "request": ("get", reverse("privacy:request", args=[pk])),
        "request_find_again": ("post", reverse("privacy:request_find_again", args=[pk])),
        "request_match": ("post", reverse("privacy:request_match", args=[pk, match.pk])),
        "request_erase": ("post", reverse("privacy:request_erase", args=[pk, match.pk])),
        "request_passage": ("post", reverse("privacy:request_passage", args=[pk])),
        "request_extend": ("get", reverse("privacy:request_extend", args=[pk])),
        "request_complete": ("post", reverse("privacy:request_complete", args=[pk])),
        "request_export_json": ("get", reverse("privacy:request_export_json", args=[pk])),
        "request_export_pdf": ("get", reverse("privacy:request_export_pdf", args=[pk])),
    }


def test_every_request_page_is_in_the_table():
    names = {p.name for p in privacy_urls.urlpatterns if not isinstance(p, URLResolver) and "request" in p.name}
    assert names == set(request_urls(SubjectRequest(pk=1), SubjectRequest(pk=1)))


@pytest.mark.parametrize("persona", ["facilitator", "police_referrer", "caseworker", "administrator", "centre_staff"])
def test_everyone_but_a_manager_gets_a_404_on_every_request_page(client, request, persona, manager, two_cases):
    subject = open_access(manager)
    confirm_all(subject, manager)
    match = subject.matches.first()
    client.force_login(request.getfixturevalue(persona))
    for name, (method, url) in request_urls(subject, match).items():
        response = getattr(client, method)(url, {"confirmed": "no", "reason": "x", "outcome": "x", "source": "x"})
        assert response.status_code == 404, (persona, name)
    match.refresh_from_db()
    subject.refresh_from_db()
    assert match.confirmed is True
    assert subject.is_open
    assert not Anonymisation.objects.exists()
    client.force_login(manager)
    for name, (method, url) in request_urls(subject, match).items():
        if method == "get":
            assert client.get(url).status_code == 200, name


def test_only_a_manager_opens_a_request_in_the_service(facilitator):
    with pytest.raises(ActionRefused):
        services.open_request(facilitator, kind="access", first_name="Amina", received_on=timezone.localdate())


def test_an_erasure_anonymises_the_confirmed_record_alone(client, manager, two_cases):
    first, second = two_cases
    subject = open_access(manager, kind="erasure")
    match = subject.matches.get(party__case=first)
    client.force_login(manager)
    url = reverse("privacy:request_erase", args=[subject.pk, match.pk])
    client.post(url, {"reason": "No longer needed"})
    assert not Anonymisation.objects.exists()  # not confirmed yet: refused, nothing changed
    services.decide_match(match, manager, confirmed=True)
    assert client.post(url, {"reason": ""}).status_code == 302
    assert not Anonymisation.objects.exists()  # no reason: refused
    assert client.post(url, {"reason": "Nothing requires keeping it: the case closed long ago"}).status_code == 302
    record = Anonymisation.objects.get()
    assert (record.scope, record.party_id, record.request, record.by) == ("person", match.party_id, subject, manager)
    party = Party.objects.get(pk=match.party_id)
    assert (party.first_name, party.last_name, party.email, party.date_of_birth) == ("Anonymised", "", "", None)
    assert not Party.history.filter(id=party.pk, first_name="Amina").exists()
    assert "[name removed] prefers calls after six." in first.notes.values_list("body", flat=True)
    assert second.parties.filter(first_name="Amina").exists()  # the other case's record was not confirmed
    assert first.parties.filter(first_name="Kieran").exists()  # nor anyone else
    with pytest.raises(Refused):
        anonymise_person(subject, party, manager, reason_nothing_requires_keeping="again")
