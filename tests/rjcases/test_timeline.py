"""The case timeline: transitions, field changes (who, what, from, to), notes, contacts, consent and
assessment records and letters, in one chronological list; filterable; what referrers may see of it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from rjcases import selectors, services, timeline
from rjcases.models import ContactAttempt, Party
from tests.walk import assess_and_consent, to_assessment


@pytest.fixture
def case(referred_case, manager, facilitator):
    case = to_assessment(referred_case, manager, facilitator)
    harmed = case.parties.get(role=Party.Role.HARMED)
    services.update_party(harmed, facilitator, phone="07700 111222", preferred_contact_method="text")
    services.record_contact(
        case,
        facilitator,
        party=harmed,
        at=timezone.now() - timedelta(minutes=5),
        method=ContactAttempt.Method.PHONE,
        result=ContactAttempt.Result.REACHED,
        rj_information_given=True,
        notes="Keen to hear more",
    )
    services.add_note(case, facilitator, body="Prefers meetings after 6pm.\nNo Fridays.")
    assess_and_consent(case, facilitator, risk="high")
    for assessment in case.parties.get(role=Party.Role.RESPONSIBLE).assessments.all():
        services.sign_off_assessment(assessment, manager, note="OK")
    consent = harmed.consents.get()
    services.withdraw_consent(consent, facilitator, withdrawn_on=timezone.localdate(), reason="Needs time")
    return case


def entries(case, user, **kwargs):
    return selectors.timeline(case, user, **kwargs)


def titles(items) -> list[str]:
    return [e.title for e in items]


def test_everything_is_on_the_timeline_in_order(case, manager):
    items = entries(case, manager)
    assert [e.at for e in items] == sorted(e.at for e in items)
    found = titles(items)
    for expected in [
        "Referral received",
        "Incident recorded",
        "Person added: Amina Testharmed (person harmed)",
        "Facilitator allocated",
        "Referral accepted",
        "Details changed: Amina Testharmed",
        "Contact by phone: Amina Testharmed",
        "Victims' Code clock met",
        "Note",
        "Assessment recorded: Kieran Testresponsible, high risk",
        "High risk signed off: Kieran Testresponsible",
        "Consent recorded: Amina Testharmed, to take part in restorative justice",
    ]:
        assert expected in found, expected
    # the withdrawal names the purpose withdrawn from
    assert any(t.startswith("Consent withdrawn: Amina Testharmed, to ") for t in found), found
    # the accept changed the state: told once, by the transition, not again as a field change
    assert "Case details changed" not in found
    assert found.index("Referral received") < found.index("Referral accepted") < found.index("Note")


def test_a_field_change_says_who_changed_what_from_what_to_what(case, manager, facilitator):
    change = next(e for e in entries(case, manager) if e.title == "Details changed: Amina Testharmed")
    assert change.by == "Fay Facilitator"
    rows = {c.label: (c.old, c.new) for c in change.changes}
    assert rows["Phone"] == ("07700 900001", "07700 111222")
    assert rows["Preferred contact method"] == ("(not recorded)", "Text message")
    allocated = next(e for e in entries(case, manager) if e.title == "Facilitator allocated")
    assert {c.label: c.new for c in allocated.changes}["Facilitator"] == "Fay Facilitator"
    withdrawn = next(e for e in entries(case, manager) if e.title.startswith("Consent withdrawn: Amina Testharmed"))
    assert {c.label: c.new for c in withdrawn.changes}["Withdrawal reason"] == "Needs time"


def test_transitions_say_who_and_why(case, manager):
    accepted = next(e for e in entries(case, manager) if e.title == "Referral accepted")
    assert accepted.by == "Mona Manager"
    assert "Status: Referral to Assessment." in accepted.lines


def test_filter_by_kind_and_newest_first(case, manager):
    notes = entries(case, manager, kinds={"note"})
    assert titles(notes) == ["Note"]
    contacts_and_moves = entries(case, manager, kinds={"contact", "transition"}, newest_first=True)
    assert {e.kind for e in contacts_and_moves} == {"contact", "transition"}
    assert [e.at for e in contacts_and_moves] == sorted((e.at for e in contacts_and_moves), reverse=True)


def test_the_timeline_page_filters_and_logs_the_read(client, case, facilitator):
    client.force_login(facilitator)
    url = reverse("rjcases:timeline", args=[case.reference])
    html = client.get(url + "?kind=note").content.decode()
    assert "Prefers meetings after 6pm.<br>No Fridays." in html
    assert "Referral accepted" not in html
    html = client.get(url).content.decode()
    assert 'class="moj-timeline"' in html
    assert "Referral accepted" in html
    assert "Keen to hear more" in html
    assert 'class="rj-filters rj-no-print"' in html  # the filters are left out of a printout


def test_referrers_see_status_changes_only(client, case, police_referrer):
    items = entries(case, police_referrer)
    assert {e.kind for e in items} == {"transition"}
    assert all(e.by == "" for e in items)
    client.force_login(police_referrer)
    html = client.get(reverse("rjcases:timeline", args=[case.reference])).content.decode()
    for secret in ["07700", "Keen to hear more", "Prefers meetings", "Needs time", "Fay Facilitator"]:
        assert secret not in html


def test_user_text_on_the_timeline_is_escaped(client, case, facilitator):
    services.add_note(case, facilitator, body="<img src=x onerror=alert(1)>")
    client.force_login(facilitator)
    html = client.get(reverse("rjcases:timeline", args=[case.reference])).content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_letters_from_the_letters_app_are_on_the_timeline(client, case, facilitator, police_referrer, monkeypatch):
    sent = timezone.now()
    monkeypatch.setattr(
        timeline,
        "letters_for_timeline",
        lambda c, _user: [(sent, f"Referral acknowledgement letter to {c.referrer_name} sent", "/letters/1/")],
    )
    found = [e for e in entries(case, facilitator) if e.kind == "letter"]
    assert [(e.title, e.url) for e in found] == [
        (f"Referral acknowledgement letter to {case.referrer_name} sent", "/letters/1/")
    ]
    assert not [e for e in entries(case, police_referrer) if e.kind == "letter"]
    client.force_login(facilitator)
    html = client.get(reverse("rjcases:timeline", args=[case.reference]) + "?kind=letter").content.decode()
    assert 'href="/letters/1/"' in html
