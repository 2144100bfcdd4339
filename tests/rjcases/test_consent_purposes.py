"""Consent to several purposes in one form, through the web: one GOV.UK checkbox per purpose; each purpose ticked is
recorded as its own consent with its own history row and timeline entry, so each is withdrawn on its own; the
form is reached from the person's page and from the case page, and is refused on the server to anyone else."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from rjcases.models import Consent, Party
from tests.govuk.dates import date_parts
from tests.walk import to_assessment

TODAY = timezone.localdate


@pytest.fixture
def case(referred_case, manager, facilitator):
    return to_assessment(referred_case, manager, facilitator)


@pytest.fixture
def harmed(case):
    return case.parties.get(role=Party.Role.HARMED)


def url(name, case, *args):
    return reverse(f"rjcases:{name}", args=[case.reference, *args])


def consent_form(*purposes, **overrides):
    return {
        "purposes": list(purposes),
        **date_parts("given_on", TODAY()),
        "method": "signed_form",
        "wording_version": "2026-1",
        **overrides,
    }


def test_the_form_offers_one_checkbox_per_purpose_and_is_linked_from_the_person_and_the_case(
    client, case, harmed, facilitator
):
    client.force_login(facilitator)
    form_url = url("consent_add", case, harmed.pk)
    assert f'href="{form_url}"' in client.get(url("party_detail", case, harmed.pk)).content.decode()
    assert f'href="{form_url}"' in client.get(url("detail", case)).content.decode()
    html = client.get(form_url).content.decode()
    assert 'class="govuk-checkboxes' in html
    boxes = [box for box in re.findall(r"<input[^>]*>", html) if 'type="checkbox"' in box and 'name="purposes"' in box]
    assert [re.search(r'value="([^"]+)"', box).group(1) for box in boxes] == Consent.Purpose.values
    # taking part is ticked to begin with; the others are not
    assert [("checked" in box) for box in boxes] == [value == "participate" for value in Consent.Purpose.values]
    for label in Consent.Purpose.labels:
        assert label in html


def test_several_purposes_are_recorded_at_once_and_withdrawn_one_at_a_time(client, case, harmed, facilitator):
    client.force_login(facilitator)
    response = client.post(url("consent_add", case, harmed.pk), consent_form("participate", "share_parties"))
    assert response.status_code == 302
    consents = {c.purpose: c for c in harmed.consents.all()}
    assert set(consents) == {"participate", "share_parties"}
    for consent in consents.values():
        assert consent.recorded_by == facilitator
        assert consent.is_active
        (created,) = consent.history.all()
        assert (created.history_type, created.history_user, created.history_change_reason) == (
            "+",
            facilitator,
            "consent recorded",
        )
    banner = client.get(response["Location"]).content.decode()
    assert "Consent recorded for Amina Testharmed: to take part in restorative justice; to share information" in banner

    # the person's page lists both, each with its own withdrawal link
    page = client.get(url("party_detail", case, harmed.pk)).content.decode()
    for consent in consents.values():
        assert url("consent_withdraw", case, consent.pk) in page

    shared = consents["share_parties"]
    response = client.post(
        url("consent_withdraw", case, shared.pk),
        {**date_parts("withdrawn_on", TODAY()), "reason": "Does not want the other party to know her address"},
    )
    assert response.status_code == 302
    shared.refresh_from_db()
    consents["participate"].refresh_from_db()
    assert shared.withdrawn_on == TODAY()
    assert consents["participate"].is_active
    latest = shared.history.first()
    assert (latest.history_type, latest.history_user, latest.withdrawn_on) == ("~", facilitator, TODAY())
    assert consents["participate"].history.count() == 1

    timeline = client.get(url("timeline", case)).content.decode()
    assert "Consent recorded: Amina Testharmed, to take part in restorative justice" in timeline
    assert "Consent recorded: Amina Testharmed, to share information with the other party" in timeline
    assert "Consent withdrawn: Amina Testharmed, to share information with the other party" in timeline
    assert "Consent withdrawn: Amina Testharmed, to take part" not in timeline


def test_ticking_nothing_or_an_unknown_purpose_records_nothing(client, case, harmed, facilitator):
    client.force_login(facilitator)
    response = client.post(url("consent_add", case, harmed.pk), consent_form())
    assert response.status_code == 200
    assert "Select what they are consenting to" in response.content.decode()
    response = client.post(url("consent_add", case, harmed.pk), consent_form("participate", "sell_to_advertisers"))
    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in response.content.decode()
    assert not Consent.objects.exists()


def test_the_same_purpose_twice_in_one_form_is_recorded_once(client, case, harmed, facilitator):
    client.force_login(facilitator)
    client.post(url("consent_add", case, harmed.pk), consent_form("feedback", "feedback"))
    assert list(harmed.consents.values_list("purpose", flat=True)) == ["feedback"]


@pytest.mark.parametrize(("who", "status"), [("other_facilitator", 404), ("police_referrer", 403)])
def test_anyone_else_is_refused_on_the_server(request, client, case, harmed, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url("consent_add", case, harmed.pk)).status_code == status
    response = client.post(url("consent_add", case, harmed.pk), consent_form("participate", "feedback"))
    assert response.status_code == status
    assert not Consent.objects.exists()
