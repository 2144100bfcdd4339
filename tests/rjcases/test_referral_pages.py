"""The referral's question pages: several people harmed and responsible in one referral, the draft kept in the
session until it is sent, check your answers with change links, the printable confirmation without contact
details, and the conditional question of enhanced rights."""

import pytest
from django.urls import reverse

from rjcases.models import Case, Party
from tests.referral_pages import send_referral
from tests.rjcases.test_views_referral import good_referral, reference_data  # noqa: F401 (an autouse fixture)

SECOND_HARMED = {"first_name": "Bilal", "last_name": "Second", "phone": "07700 900002", "email": "bilal@example.org"}
SECOND_RESPONSIBLE = {"first_name": "Ryan", "last_name": "Other", "address": "9 Other Road"}


def check_page(client, route="police") -> str:
    return client.get(reverse("rjcases:refer_check", args=[route])).content.decode()


def test_one_referral_holds_several_people_harmed_and_responsible(client, police_referrer):
    client.force_login(police_referrer)
    response = send_referral(
        client, "police", good_referral(), more_people={"harmed": [SECOND_HARMED], "responsible": [SECOND_RESPONSIBLE]}
    )
    assert response.status_code == 302
    case = Case.objects.get()
    harmed = sorted(p.display_name for p in case.parties.filter(role=Party.Role.HARMED))
    responsible = sorted(p.display_name for p in case.parties.filter(role=Party.Role.RESPONSIBLE))
    assert harmed == ["Amina Harmed", "Bilal Second"]
    assert responsible == ["Kieran Responsible", "Ryan Other"]
    assert case.parties.get(first_name="Bilal").phone == "07700 900002"


def test_nothing_is_saved_until_the_referral_is_sent_from_check_your_answers(client, police_referrer):
    client.force_login(police_referrer)
    data = good_referral()
    send_referral(client, "police", data)  # walks and sends: one case
    assert Case.objects.count() == 1
    for step in ("incident", "victims-code", "referrer"):
        client.post(reverse("rjcases:refer_step", args=["police", step]), {**data, "enhanced_rights": "no"})
    assert Case.objects.count() == 1  # the pages keep a draft; only the check page's button sends
    html = check_page(client)
    assert "Abuse shouted at a person waiting for a bus." in html
    assert Case.objects.count() == 1


def test_check_your_answers_shows_every_section_with_change_links_back(client, police_referrer):
    client.force_login(police_referrer)
    data = good_referral()
    for step in ("incident", "victims-code", "referrer"):
        client.post(reverse("rjcases:refer_step", args=["police", step]), data)
    client.post(
        reverse("rjcases:refer_person", args=["police", "harmed", 1]),
        {"person-first_name": "Amina", "person-last_name": "Harmed", "person-phone": "07700 900001", "next": "another"},
    )
    client.post(
        reverse("rjcases:refer_person", args=["police", "harmed", 2]),
        {"person-first_name": "Bilal", "next": "continue"},
    )
    html = check_page(client)
    incident_url = reverse("rjcases:refer_step", args=["police", "incident"])
    assert f'href="{incident_url}?return=check#id_summary"' in html
    assert 'Change<span class="govuk-visually-hidden"> what happened</span>' in html
    assert "Amina Harmed" in html
    assert "Bilal" in html
    second = reverse("rjcases:refer_person", args=["police", "harmed", 2])
    assert f'href="{second}?return=check"' in html
    assert reverse("rjcases:refer_person_remove", args=["police", "harmed", 2]) in html
    # A change goes back to the check page, not on through the pages.
    response = client.post(f"{incident_url}?return=check", {**data, "summary": "Changed summary."})
    assert response["Location"] == reverse("rjcases:refer_check", args=["police"])
    assert "Changed summary." in check_page(client)


def test_a_person_can_be_removed_before_sending(client, police_referrer):
    client.force_login(police_referrer)
    client.post(
        reverse("rjcases:refer_person", args=["police", "harmed", 1]), {"person-first_name": "Amina", "next": "another"}
    )
    second = reverse("rjcases:refer_person", args=["police", "harmed", 2])
    client.post(second, {"person-first_name": "Bilal", "next": "continue"})
    response = client.post(reverse("rjcases:refer_person_remove", args=["police", "harmed", 1]))
    assert response["Location"] == reverse("rjcases:refer_check", args=["police"])
    assert [p["first_name"] for p in client.session["referral_draft"]["people"]["harmed"]] == [["Bilal"]]
    assert client.get(reverse("rjcases:refer_person_remove", args=["police", "harmed", 1])).status_code == 405
    assert client.post(reverse("rjcases:refer_person_remove", args=["police", "harmed", 5])).status_code == 404


def test_a_person_page_past_the_next_new_one_is_not_found(client, police_referrer):
    client.force_login(police_referrer)
    assert client.get(reverse("rjcases:refer_person", args=["police", "harmed", 1])).status_code == 200
    assert client.get(reverse("rjcases:refer_person", args=["police", "harmed", 2])).status_code == 404
    assert client.get(reverse("rjcases:refer_person", args=["police", "supporter", 1])).status_code == 404


def test_an_empty_referral_of_people_is_refused_on_the_last_persons_page(client, police_referrer):
    client.force_login(police_referrer)
    client.post(reverse("rjcases:refer_person", args=["police", "harmed", 1]), {"next": "continue"})
    response = client.post(reverse("rjcases:refer_person", args=["police", "responsible", 1]), {"next": "continue"})
    assert response.status_code == 200
    assert "Enter the name of the person harmed or of the person responsible" in response.content.decode()


def test_the_confirmation_is_printable_and_has_no_ones_contact_details(client, police_referrer):
    client.force_login(police_referrer)
    response = send_referral(client, "police", good_referral(), more_people={"harmed": [SECOND_HARMED]})
    html = client.get(response["Location"]).content.decode()
    case = Case.objects.get()
    assert "Referral sent" in html
    assert case.reference in html
    assert "Person harmed: Amina Harmed" in html
    assert "Person harmed: Bilal Second" in html
    assert "Person responsible: Kieran Responsible" in html
    for contact in ("07700 900001", "amina@example.org", "1 Harmed Street", "07700 900002", "bilal@example.org"):
        assert contact not in html
    assert "data-rj-print" in html  # the print button (shown by the script)
    assert "Abuse shouted at a person waiting for a bus." in html


def test_the_confirmation_is_the_senders_in_the_session_they_sent_it_from_only(client, police_referrer, manager):
    client.force_login(police_referrer)
    response = send_referral(client, "police", good_referral())
    url = response["Location"]
    client.force_login(manager)  # a new session: even a manager, who sees the case, gets no copy
    assert client.get(url).status_code == 404
    client.force_login(police_referrer)  # signing in again starts a new session too
    assert client.get(url).status_code == 404


def test_enhanced_rights_reason_is_revealed_by_yes_and_required_only_then(client, police_referrer):
    client.force_login(police_referrer)
    url = reverse("rjcases:refer_step", args=["police", "victims-code"])
    html = client.get(url).content.decode()
    assert 'data-rj-reveal="conditional-id_enhanced_rights_0"' in html
    hidden = 'class="govuk-radios__conditional govuk-radios__conditional--hidden" id="conditional-id_enhanced_rights_0"'
    assert hidden in html
    assert "Why they are entitled to enhanced rights (optional)" not in html
    assert "Why they are entitled to enhanced rights" in html
    refused = client.post(url, {"enhanced_rights": "yes"})
    assert "Enter why the person harmed is entitled to enhanced rights" in refused.content.decode()
    assert client.post(url, {"enhanced_rights": "no"}).status_code == 302
    assert client.post(url, {"enhanced_rights": "yes", "enhanced_rights_reason": "Intimidated"}).status_code == 302


def test_the_interpreter_language_is_revealed_by_needs_an_interpreter(client, police_referrer):
    client.force_login(police_referrer)
    html = client.get(reverse("rjcases:refer_person", args=["police", "harmed", 1])).content.decode()
    assert 'data-aria-controls="conditional-id_person-interpreter_needed"' in html  # a checkbox: GOV.UK's script
    assert "Interpreter language (optional)" not in html


def test_an_anonymous_report_has_one_person_harmed_without_name_boxes(client, centre_staff):
    client.force_login(centre_staff)
    client.post(
        reverse("rjcases:refer_step", args=["reporting-centre", "report"]),
        {"report_kind": "anonymous", "consents_to_police": "no"},
    )
    html = client.get(reverse("rjcases:refer_person", args=["reporting-centre", "harmed", 1])).content.decode()
    assert 'name="person-first_name"' not in html
    assert 'name="person-phone"' not in html
    assert "Save and add another" not in html
    assert client.get(reverse("rjcases:refer_person", args=["reporting-centre", "harmed", 2])).status_code == 404


@pytest.mark.parametrize("route", ["police", "reporting-centre"])
def test_the_pages_follow_in_order_to_check_your_answers(client, police_referrer, centre_staff, route):
    client.force_login(police_referrer if route == "police" else centre_staff)
    first = client.get(reverse("rjcases:refer_route", args=[route]))["Location"]
    expected = "report" if route == "reporting-centre" else "incident"
    assert first == reverse("rjcases:refer_step", args=[route, expected])
    response = send_referral(client, route, good_referral(report_kind="assisted", consents_to_police="yes"))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Case.objects.get().route.code == route
