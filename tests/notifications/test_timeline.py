"""Each message shows on the case timeline by whom it was for ("Email sent to the referrer", "Email to the
facilitator failed"), never an address; a caseworker sees only their own; a referrer sees none."""

import pytest
from django.urls import reverse

from notifications.models import Message
from rjcases import selectors, services

pytestmark = pytest.mark.django_db


def message_titles(case, user) -> list[str]:
    return [entry.title for entry in selectors.timeline(case, user) if entry.kind == "message"]


def test_the_timeline_shows_each_message_by_role_and_outcome(
    settings, people_case, manager, facilitator, police_referrer, caseworker, sent
):
    with sent():
        services.allocate(people_case, manager, facilitator=facilitator)
    settings.MAILERS = {"default": {"BACKEND": "notifications.backends.NotConfiguredBackend"}}
    with sent():
        services.case_accept(people_case, manager)
    titles = message_titles(people_case, manager)
    assert titles == ["Email sent to the facilitator", "Email to the referrer failed", "Email to the caseworker failed"]
    assert message_titles(people_case, facilitator) == titles
    # The caseworker sees the message to themselves only; the referrer sees no messages at all.
    assert message_titles(people_case, caseworker) == ["Email to the caseworker failed"]
    assert message_titles(people_case, police_referrer) == []


def test_the_timeline_page_names_no_address(client, people_case, manager, facilitator, sent):
    with sent():
        services.allocate(people_case, manager, facilitator=facilitator)
    client.force_login(manager)
    page = client.get(reverse("rjcases:timeline", args=[people_case.reference])).content.decode()
    assert "Email sent to the facilitator" in page
    assert facilitator.email not in page
    only_letters = client.get(reverse("rjcases:timeline", args=[people_case.reference]), {"kind": "letter"})
    assert "Email sent to the facilitator" not in only_letters.content.decode()


def test_another_cases_messages_are_not_on_this_timeline(
    people_case, referred_case, manager, facilitator, caseworker, sent
):
    with sent():
        services.allocate(referred_case, manager, facilitator=facilitator)
    assert Message.objects.filter(case=referred_case).count() == 1
    assert message_titles(people_case, manager) == []
