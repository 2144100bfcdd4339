"""The case page leads: each missing step before a move links to the form that fixes it, and the smaller
wording points of a working day (letters named by kind and recipient, human labels on the timeline, a confirmed
activity shown as confirmed, a move's message in plain English)."""

from django.urls import reverse
from django.utils import timezone

from rjcases import services
from rjcases.models import Party
from tests.walk import refer, to_assessment, to_conferencing


def missing_step_links(page: str) -> dict[str, str]:
    """{text: href} of the links in the "Before you can ..." lists."""
    links = {}
    for chunk in page.split("data-missing-step")[:-1]:
        href = chunk.rsplit('href="', 1)[1].split('"', 1)[0]
        text = page[page.index(chunk) + len(chunk) :].split(">", 1)[1].split("</a>", 1)[0]
        links[text] = href
    return links


def test_each_missing_step_before_preparation_links_to_its_form(client, police_referrer, manager, facilitator):
    case = to_assessment(refer(police_referrer), manager, facilitator)
    client.force_login(facilitator)
    page = client.get(reverse("rjcases:detail", args=[case.reference])).content.decode()
    assert "Before you can find suitable and move to preparation:" in page
    links = missing_step_links(page)
    harmed = case.parties.get(role=Party.Role.HARMED)
    responsible = case.parties.get(role=Party.Role.RESPONSIBLE)
    assert links == {
        f"Assess {harmed.display_name} (person harmed).": reverse("rjcases:assess", args=[case.reference, harmed.pk]),
        f"Record {harmed.display_name}&#x27;s written consent to take part.": reverse(
            "rjcases:consent_add", args=[case.reference, harmed.pk]
        ),
        f"Assess {responsible.display_name} (person responsible).": reverse(
            "rjcases:assess", args=[case.reference, responsible.pk]
        ),
        f"Record {responsible.display_name}&#x27;s written consent to take part.": reverse(
            "rjcases:consent_add", args=[case.reference, responsible.pk]
        ),
    }
    for href in links.values():
        assert client.get(href).status_code == 200


def test_a_step_only_a_manager_may_take_is_words_not_a_link_for_a_facilitator(
    client, police_referrer, manager, facilitator
):
    case = to_assessment(refer(police_referrer), manager, facilitator)
    for party in case.parties.all():
        services.record_assessment(
            party,
            facilitator,
            assessed_on=timezone.localdate(),
            risk_level="high",
            mitigations="Separate waiting rooms",
            acknowledges_facts=True if party.role == Party.Role.RESPONSIBLE else None,
            accepts_responsibility=True if party.role == Party.Role.RESPONSIBLE else None,
        )
    client.force_login(facilitator)
    page = client.get(reverse("rjcases:detail", args=[case.reference])).content.decode()
    assert "A manager must sign off the high risk" in page
    assert not [text for text in missing_step_links(page) if "sign off" in text]
    assert [text for text in missing_step_links(page) if text.startswith("Record")]  # the rest are still links


def test_a_move_says_what_was_done_in_plain_english(client, referred_case, manager, facilitator):
    services.allocate(referred_case, manager, facilitator=facilitator)
    client.force_login(manager)
    response = client.post(
        reverse("rjcases:transition", args=[referred_case.reference, "accept"]), {"seen_state": "referral"}, follow=True
    )
    page = response.content.decode()
    assert "Referral accepted. The case is now in assessment." in page
    assert "Done:" not in page


def test_a_confirmed_activity_shows_confirmed_not_planned(client, police_referrer, manager, facilitator):
    case = to_conferencing(refer(police_referrer), manager, facilitator)
    client.force_login(facilitator)
    page = client.get(reverse("rjcases:work", args=[case.reference])).content.decode()  # the restorative work
    tag = page.split('data-testid="activity-status">')[1].split("<")[0]
    assert tag == "Confirmed"
    activity_page = client.get(reverse("conferences:activity", args=[case.reference])).content.decode()
    assert activity_page.split('data-testid="activity-status">')[1].split("<")[0] == "Confirmed"


def test_letters_on_the_case_are_named_by_kind_and_recipients_role(client, police_referrer, manager, facilitator):
    case = to_assessment(refer(police_referrer), manager, facilitator)
    client.force_login(facilitator)
    page = client.get(reverse("rjcases:letters", args=[case.reference])).content.decode()  # the case's letters
    letters = page.split('data-testid="case-letters"')[1].split("</section>")[0]
    assert "Referral acknowledgement, to the referrer" in letters
    assert "Restorative justice information, to the person harmed" in letters
    assert "Invitation to take part, to the person responsible" in letters or (
        "Restorative justice information, to the person responsible" in letters
    )


def test_the_timeline_shows_human_labels_not_field_names(client, police_referrer, manager, facilitator):
    case = to_assessment(refer(police_referrer), manager, facilitator)
    services.record_contact(
        case,
        facilitator,
        party=case.parties.get(role=Party.Role.HARMED),
        at=timezone.now(),
        method="phone",
        result="reached",
        rj_information_given=True,
    )
    client.force_login(facilitator)
    page = client.get(reverse("rjcases:timeline", args=[case.reference])).content.decode()
    assert "Told about restorative justice on" in page
    assert "Rj information" not in page
