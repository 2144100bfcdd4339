"""The referral forms: each route saves a complete case from good input, and bad input gets a clear
message and saves nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from rjcases import clocks
from rjcases.forms import ROUTE_DESCRIPTIONS
from rjcases.models import Case, CaseTransition, CrimeType, HateStrand, Party, ReferralRoute, Ward
from tests.factories import reference
from tests.referral_pages import send_referral


@pytest.fixture(autouse=True)
def reference_data(db):
    for code in ROUTE_DESCRIPTIONS:
        reference(ReferralRoute, code)
    for code in ("race", "religion", "disability"):
        reference(HateStrand, code)
    reference(CrimeType, "public-order")
    reference(Ward, "TRF01")


def good_referral(**overrides) -> dict:
    day = timezone.localdate() - timedelta(days=2)
    data = {
        "occurred_on-day": day.day,
        "occurred_on-month": day.month,
        "occurred_on-year": day.year,
        "occurred_at": "21:30",
        "ward": Ward.objects.get(code="TRF01").pk,
        "place": "Bus stop outside the library",
        "postcode": "m32 0th",
        "crime_type": CrimeType.objects.get(code="public-order").pk,
        "crime_reference": "06/123456/26",
        "strands": [HateStrand.objects.get(code="race").pk, HateStrand.objects.get(code="religion").pk],
        "perceived_by": "victim",
        "summary": "Abuse shouted at a person waiting for a bus.",
        "enhanced_rights": "no",
        "referrer_name": "PC Pat Police",
        "referrer_contact": "pat@example.org",
        "harmed-first_name": "Amina",
        "harmed-last_name": "Harmed",
        "harmed-phone": "07700 900001",
        "harmed-email": "amina@example.org",
        "harmed-address": "1 Harmed Street",
        "harmed-language": "Urdu",
        "harmed-interpreter_needed": "on",
        "harmed-interpreter_language": "Urdu",
        "harmed-preferred_contact_method": "phone",
        "harmed-no_messages": "on",
        "responsible-first_name": "Kieran",
        "responsible-last_name": "Responsible",
        "responsible-language": "English",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def refer_url(route="police"):
    return reverse("rjcases:refer_route", args=[route])


def errors(response) -> str:
    return response.content.decode()


def test_the_route_page_offers_each_user_their_routes(client, manager):
    client.force_login(manager)
    html = client.get(reverse("rjcases:refer")).content.decode()
    for code in ROUTE_DESCRIPTIONS:
        assert refer_url(code) in html


def test_a_user_with_one_route_skips_the_route_page(client, police_referrer):
    client.force_login(police_referrer)
    response = client.get(reverse("rjcases:refer"))
    assert response.status_code == 302
    assert response["Location"] == refer_url("police")
    first_page = client.get(refer_url("police"))
    assert first_page["Location"] == reverse("rjcases:refer_step", args=["police", "incident"])
    html = client.get(first_page["Location"]).content.decode()
    assert "Choose another route" not in html
    assert 'class="govuk-back-link"' not in html  # nothing before the first page to go back to


def test_a_police_referral_saves_the_case_incident_and_people(client, police_referrer):
    client.force_login(police_referrer)
    response = send_referral(client, "police", good_referral())
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("rjcases:refer_sent", args=[case.reference])
    assert case.referring_organisation == police_referrer.organisation
    assert case.referred_by == police_referrer
    assert case.route.code == "police"
    assert case.state == Case.State.REFERRAL
    assert case.rj_information_due_on == clocks.rj_information_due(case.received_on, False)
    incident = case.incident
    assert incident.postcode == "M32 0TH"
    assert incident.crime_reference == "06/123456/26"
    assert set(incident.strands.values_list("code", flat=True)) == {"race", "religion"}
    assert timezone.localtime(incident.occurred_from).hour == 21
    harmed = case.parties.get(role=Party.Role.HARMED)
    assert (harmed.display_name, harmed.phone, harmed.email) == ("Amina Harmed", "07700 900001", "amina@example.org")
    assert harmed.interpreter_needed
    assert harmed.interpreter_language == "Urdu"
    assert harmed.no_messages
    assert case.parties.get(role=Party.Role.RESPONSIBLE).display_name == "Kieran Responsible"
    assert CaseTransition.objects.filter(case=case, name="refer").exists()
    assert case.history.first().history_user == police_referrer
    page = client.get(response["Location"]).content.decode()
    assert "Referral sent" in page
    assert case.reference in page


def test_an_empty_page_lists_its_problems_and_keeps_nothing(client, police_referrer):
    client.force_login(police_referrer)
    response = client.post(reverse("rjcases:refer_step", args=["police", "incident"]), {})
    assert response.status_code == 200
    html = errors(response)
    assert 'class="govuk-error-summary"' in html
    for message in [
        "Enter the date of the incident",
        "Choose the ward where it happened",
        "Choose the type of crime or incident",
        "Choose at least one hate crime strand",
        "Select who perceived the hostility",
        "Enter a summary of what happened",
    ]:
        assert message in html, message
    assert "Select yes if the person harmed is entitled to enhanced rights" not in html  # the next page's
    assert "referral_draft" not in client.session or not client.session["referral_draft"]["steps"]


def test_sending_an_empty_draft_lists_every_problem_with_a_link_to_its_page_and_saves_nothing(client, police_referrer):
    client.force_login(police_referrer)
    response = client.post(reverse("rjcases:refer_check", args=["police"]))
    assert response.status_code == 200
    html = errors(response)
    incident = reverse("rjcases:refer_step", args=["police", "incident"])
    victims_code = reverse("rjcases:refer_step", args=["police", "victims-code"])
    assert f'<a href="{incident}?return=check">The incident: Enter the date of the incident</a>' in html
    assert f'<a href="{victims_code}?return=check">Victims&#x27; Code: Select yes if the person harmed' in html
    assert "Enter the name of the person harmed or of the person responsible" in html
    assert Case.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"postcode": "NOT A POSTCODE"}, "Enter a real UK postcode"),
        ({"crime_reference": "crime 42"}, "Enter the police crime reference as it appears on the record"),
        ({"occurred_on-day": "31", "occurred_on-month": "2"}, "Date of the incident must be a real date"),
        ({"occurred_on-year": str(timezone.localdate().year + 1)}, "Date of the incident must be today or in the past"),
        ({"occurred_on-month": ""}, "Date of the incident must include a month"),
        ({"occurred_at": "25:99"}, "Enter the time like 21:30"),
        ({"enhanced_rights": "yes"}, "Enter why the person harmed is entitled to enhanced rights"),
        ({"harmed-first_name": "", "harmed-email": "amina@example.org"}, "Enter the person&#x27;s first name"),
        ({"harmed-email": "not-an-email"}, "Enter an email address like name@example.org"),
        ({"harmed-interpreter_language": ""}, "Enter the language the interpreter needs"),
        ({"referrer_contact": ""}, "Enter the referrer&#x27;s phone or email"),
        ({"strands": []}, "Choose at least one hate crime strand"),
    ],
)
def test_bad_referral_input_gets_a_clear_message_and_saves_nothing(client, police_referrer, overrides, message):
    client.force_login(police_referrer)
    response = send_referral(client, "police", good_referral(**overrides))
    assert response.status_code == 200
    assert message in errors(response)
    assert Case.objects.count() == 0


def test_an_end_before_the_start_is_refused(client, police_referrer):
    client.force_login(police_referrer)
    day = timezone.localdate() - timedelta(days=5)
    response = send_referral(
        client,
        "police",
        good_referral(
            **{"occurred_to_on-day": day.day, "occurred_to_on-month": day.month, "occurred_to_on-year": day.year}
        ),
    )
    assert "The end of the period must be after its start" in errors(response)
    assert Case.objects.count() == 0


def test_a_period_is_saved_as_a_range(client, police_referrer):
    client.force_login(police_referrer)
    day = timezone.localdate() - timedelta(days=1)
    send_referral(
        client,
        "police",
        good_referral(
            **{
                "occurred_to_on-day": day.day,
                "occurred_to_on-month": day.month,
                "occurred_to_on-year": day.year,
                "occurred_to_at": "06:00",
            }
        ),
    )
    incident = Case.objects.get().incident
    assert timezone.localtime(incident.occurred_to).date() == day
    assert incident.occurred_to > incident.occurred_from


def test_enhanced_rights_shorten_the_rj_information_clock(client, police_referrer):
    client.force_login(police_referrer)
    data = good_referral(enhanced_rights="yes", enhanced_rights_reason="Persistently targeted")
    send_referral(client, "police", data)
    case = Case.objects.get()
    assert case.enhanced_rights
    assert case.enhanced_rights_reason == "Persistently targeted"
    assert case.rj_information_due_on == clocks.add_working_days(case.received_on, 1)


def test_an_anonymous_centre_report_needs_no_name_and_records_consent_to_police(client, centre_staff):
    client.force_login(centre_staff)
    data = good_referral(report_kind="anonymous", consents_to_police="no", crime_reference="")
    for key in [
        "harmed-first_name",
        "harmed-last_name",
        "harmed-phone",
        "harmed-email",
        "harmed-address",
        "harmed-no_messages",
        "harmed-preferred_contact_method",
    ]:
        data.pop(key)
    response = send_referral(client, "reporting-centre", data)
    assert response.status_code == 302, errors(response)
    case = Case.objects.get()
    assert case.report_kind == "anonymous"
    assert case.consents_to_police is False
    assert case.reporting_centre == centre_staff.organisation
    harmed = case.parties.get(role=Party.Role.HARMED)
    assert harmed.first_name == "Anonymous"
    assert harmed.interpreter_language == "Urdu"  # their communication needs are kept
    assert client.get(response["Location"]).status_code == 200


def test_a_centre_report_must_say_which_kind_and_whether_police_may_be_involved(client, centre_staff):
    client.force_login(centre_staff)
    response = send_referral(client, "reporting-centre", good_referral())
    html = errors(response)
    assert "Select whether the report is assisted or anonymous" in html
    assert "Select yes if the person consents to police involvement" in html
    assert Case.objects.count() == 0


def test_an_assisted_centre_report_still_needs_the_name(client, centre_staff):
    client.force_login(centre_staff)
    response = send_referral(
        client,
        "reporting-centre",
        good_referral(report_kind="assisted", consents_to_police="yes", **{"harmed-first_name": ""}),
    )
    assert "Enter the person&#x27;s first name" in errors(response)
    assert Case.objects.count() == 0


def test_a_caseworker_referral_links_them_to_the_person_harmed(client, caseworker):
    client.force_login(caseworker)
    response = send_referral(client, "victim-service", good_referral())
    case = Case.objects.get()
    assert case.parties.get(role=Party.Role.HARMED).caseworker == caseworker
    assert client.get(response["Location"]).status_code == 200
    assert client.get(reverse("rjcases:detail", args=[case.reference])).status_code == 200  # they see what they sent


def test_staff_can_name_the_referring_organisation(client, manager, police_force):
    client.force_login(manager)
    send_referral(client, "housing", good_referral(referring_organisation=police_force.pk))
    assert Case.objects.get().referring_organisation == police_force


def test_a_route_that_is_not_theirs_is_not_found(client, police_referrer):
    client.force_login(police_referrer)
    assert client.get(refer_url("housing")).status_code == 404
    assert send_referral(client, "housing", good_referral()).status_code == 404
    assert Case.objects.count() == 0


def test_a_possible_duplicate_is_flagged_to_the_manager_and_cleared_by_review(client, police_referrer, manager):
    client.force_login(police_referrer)
    send_referral(client, "police", good_referral())
    send_referral(client, "police", good_referral(**{"harmed-first_name": "Someone", "harmed-last_name": "Else"}))
    first, second = Case.objects.order_by("id")
    assert list(second.possible_duplicate_of.all()) == [first]
    client.force_login(manager)
    page = client.get(reverse("rjcases:detail", args=[second.reference])).content.decode()
    assert 'data-testid="duplicate-flag"' in page
    assert first.reference in page
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert 'data-testid="duplicate-list"' in dashboard
    assert second.reference in dashboard
    response = client.post(reverse("rjcases:duplicate_reviewed", args=[second.reference]), {"note": "Other day"})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.duplicate_reviewed
    assert list(second.possible_duplicate_of.all()) == [first]  # never merged or forgotten
    page = client.get(reverse("rjcases:detail", args=[second.reference])).content.decode()
    assert 'data-testid="duplicate-flag"' not in page


def test_what_people_type_is_escaped(client, police_referrer, manager):
    client.force_login(police_referrer)
    send_referral(
        client,
        "police",
        good_referral(summary="<script>alert(1)</script> & more", **{"harmed-last_name": "<b>Bold</b>"}),
    )
    case = Case.objects.get()
    client.force_login(manager)
    html = client.get(reverse("rjcases:detail", args=[case.reference])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    assert "<b>Bold</b>" not in html
    assert "&lt;b&gt;Bold&lt;/b&gt;" in html
