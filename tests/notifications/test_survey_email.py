"""The reporting-centre survey link, emailed to the person who reported only when they agreed at intake: once,
with a working one-use link, and nothing about the report or any person in it."""

import re
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from insights.models import ReportingCentre, SurveyLink
from notifications.models import Message, SurveyInvitation
from rjcases import selectors, services
from rjcases.models import Party, Ward
from tests.factories import reference
from tests.notifications.conftest import PEOPLE, party_values
from tests.walk import refer

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre(reporting_centre):
    return ReportingCentre.objects.create(
        organisation=reporting_centre,
        name="Stretford Library reporting point",
        ward=reference(Ward, "TRF18"),
        address="Kingsway, Stretford",
        opening_times="Monday to Friday 9am to 5pm",
    )


def people(email=True):
    parties = []
    for role, person in PEOPLE.items():
        extra = {k: v for k, v in person.items() if k not in ("first_name", "last_name")}
        if not email:
            extra.pop("email")
        parties.append(services.PartyData(role, person["first_name"], person["last_name"], extra))
    return parties


def send_links() -> str:
    out = StringIO()
    call_command("send_survey_links", stdout=out)
    return out.getvalue()


def test_with_consent_the_person_who_reported_is_emailed_a_working_survey_link_once(
    client, centre, centre_staff, manager, sent
):
    case = refer(centre_staff, route_code="reporting-centre", parties=people(), survey_by_email=True)
    harmed = case.parties.get(role=Party.Role.HARMED)
    assert SurveyInvitation.objects.get(case=case).party == harmed
    with sent():
        output = send_links()
    assert f"{case.reference}: queued" in output
    [email] = mail.outbox
    assert email.to == [PEOPLE[Party.Role.HARMED]["email"]]
    assert email.subject == "How was your visit to the reporting centre?"
    assert "Stretford Library reporting point" in email.body
    # Nothing about the report or its people, apart from the address it is sent to.
    whole = email.message().as_string().replace(f"To: {email.to[0]}", "To: <recipient>")
    for value in [*party_values(), case.reference, "Racist abuse"]:
        assert value.lower() not in whole.lower()
    url = re.search(r"https?://\S+/insights/survey/(\S+)/", email.body)
    assert client.get(reverse("insights:survey", args=[url.group(1)])).status_code == 200
    assert SurveyLink.objects.filter(centre=centre).count() == 1

    with sent():
        assert "0 survey emails queued" in send_links()  # run twice: sent once
    assert len(mail.outbox) == 1
    message = Message.objects.get(kind=Message.Kind.SURVEY)
    assert message.status == Message.Status.SENT
    assert url.group(1) not in message.body_text  # the one-use link is not kept once sent
    titles = [e.title for e in selectors.timeline(case, manager) if e.kind == "message"]
    assert titles == ["Email sent to the person who reported"]


def test_without_consent_nothing_is_sent(centre, centre_staff, sent):
    refer(centre_staff, route_code="reporting-centre", parties=people())
    with sent():
        send_links()
    assert mail.outbox == []
    assert not SurveyInvitation.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"report_kind": "anonymous", "parties": None}, "An anonymous report holds no email address"),
        ({"parties": "no email"}, "Enter the person's email address"),
    ],
)
def test_consent_without_an_address_to_send_to_is_refused(centre, centre_staff, fields, message):
    parties = people(email=False) if fields.get("parties") == "no email" else None
    extra = {k: v for k, v in fields.items() if k != "parties"}
    with pytest.raises(ValidationError) as refusal:
        refer(centre_staff, route_code="reporting-centre", parties=parties, survey_by_email=True, **extra)
    assert message in str(refusal.value.message_dict["survey_by_email"])
    assert not SurveyInvitation.objects.exists()


def test_only_centre_reports_have_the_survey(police_referrer):
    with pytest.raises(ValidationError) as refusal:
        refer(police_referrer, parties=people(), survey_by_email=True)
    assert "survey_by_email" in refusal.value.message_dict


def test_a_centre_not_on_the_register_waits(centre_staff, sent):
    case = refer(centre_staff, route_code="reporting-centre", parties=people(), survey_by_email=True)
    with sent():
        assert f"{case.reference}: centre not on the register or closed" in send_links()
    assert mail.outbox == []
    assert SurveyInvitation.objects.get(case=case).message is None


def test_the_referral_form_asks_for_consent_on_centre_reports_only(client, centre_staff, police_referrer):
    from rjcases.models import ReferralRoute

    for code in ("reporting-centre", "police"):
        reference(ReferralRoute, code)  # tests load no fixtures
    client.force_login(centre_staff)
    page = client.get(reverse("rjcases:refer_step", args=["reporting-centre", "report"])).content.decode()
    assert 'name="survey_by_email"' in page
    client.force_login(police_referrer)
    assert client.get(reverse("rjcases:refer_step", args=["police", "report"])).status_code == 404
    for step in ("incident", "victims-code", "referrer"):
        page = client.get(reverse("rjcases:refer_step", args=["police", step])).content.decode()
        assert 'name="survey_by_email"' not in page


def test_the_api_records_the_consent_and_refuses_it_on_an_anonymous_report(api_client, centre_staff, reference_data):
    from tests.api.conftest import referral_body

    url = "/api/v1/referrals/"
    body = referral_body(
        route="reporting-centre", report_kind="assisted", consents_to_police=False, survey_by_email=True
    )
    response = api_client(centre_staff).post(url, body, format="json")
    assert response.status_code == 201, response.content
    assert SurveyInvitation.objects.get().case.reference == response.json()["reference"]
    anonymous = referral_body(
        route="reporting-centre", parties=[], report_kind="anonymous", consents_to_police=False, survey_by_email=True
    )
    refused = api_client(centre_staff).post(url, anonymous, format="json")
    assert refused.status_code == 422
    assert "survey_by_email" in refused.content.decode()
    assert SurveyInvitation.objects.count() == 1
