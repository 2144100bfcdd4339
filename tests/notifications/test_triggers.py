"""Each change sends exactly the right messages to the right people, with no party's details in any of them."""

import pytest
from django.core import mail

from notifications import services as notification_services
from notifications.models import Message
from rjcases import services
from rjcases.models import Case
from tests.notifications.conftest import assert_no_party_data
from tests.walk import to_assessment, to_preparation

pytestmark = pytest.mark.django_db


def recipients(outbox=None) -> list[tuple[str, ...]]:
    return sorted(tuple(email.to) for email in (mail.outbox if outbox is None else outbox))


def test_allocation_emails_the_facilitator_and_co_facilitator_once(
    people_case, manager, facilitator, other_facilitator, sent
):
    with sent():
        services.allocate(people_case, manager, facilitator=facilitator, co_facilitator=other_facilitator)
    assert recipients() == sorted([(facilitator.email,), (other_facilitator.email,)])
    email = next(e for e in mail.outbox if e.to == [facilitator.email])
    assert email.subject == f"Case {people_case.reference} is allocated to you"
    assert f"/cases/{people_case.reference}/" in email.body
    assert "as facilitator" in email.body
    for email in mail.outbox:
        assert_no_party_data(email)
    mail.outbox.clear()
    with sent():  # the same allocation again tells nobody; a new co-facilitator only is told
        services.allocate(people_case, manager, facilitator=facilitator, co_facilitator=other_facilitator)
    assert mail.outbox == []
    records = Message.objects.filter(case=people_case, kind=Message.Kind.ALLOCATED)
    assert sorted(records.values_list("audience", "status")) == [("co_facilitator", "sent"), ("facilitator", "sent")]


def test_a_move_emails_the_referrer_and_the_caseworker_with_status_and_link_only(
    people_case, manager, facilitator, police_referrer, caseworker, sent
):
    services.allocate(people_case, manager, facilitator=facilitator)
    with sent():
        services.case_accept(people_case, manager, note="Zebedee Quillfeather is keen")
    assert recipients() == [(caseworker.email,), (police_referrer.email,)]
    for email in mail.outbox:
        assert email.subject == f"Case {people_case.reference}: the status is now Assessment"
        assert f"{people_case.reference}" in email.body
        assert "Assessment" in email.body
        assert "keen" not in email.message().as_string()  # the move's reason stays in the service
        assert_no_party_data(email)
        [(html, kind)] = email.alternatives
        assert kind == "text/html"
        assert f"/cases/{people_case.reference}/" in html
    audiences = Message.objects.filter(case=people_case, kind=Message.Kind.STATUS_CHANGE).values_list("audience")
    assert sorted(a for (a,) in audiences) == ["caseworker", "referrer"]


def test_nobody_is_told_of_their_own_move(referred_case, manager, facilitator, police_referrer, sent):
    """The referrer withdraws nothing here: the manager's own allocation to themselves is not possible, so the
    case is allocated to the facilitator, who is not emailed for the move they make themselves."""
    case = to_assessment(referred_case, manager, facilitator)
    mail.outbox.clear()
    from tests.walk import assess_and_consent

    assess_and_consent(case, facilitator)
    with sent():
        services.case_find_suitable(case, facilitator)
    assert recipients() == [(police_referrer.email,)]


def test_the_referrer_who_turned_updates_off_is_not_told(people_case, manager, facilitator, police_referrer, sent):
    notification_services.set_referral_updates(police_referrer, False)
    services.allocate(people_case, manager, facilitator=facilitator)
    with sent():
        services.case_accept(people_case, manager)
    assert police_referrer.email not in [address for email in mail.outbox for address in email.to]
    assert not Message.objects.filter(user=police_referrer).exists()
    notification_services.set_referral_updates(police_referrer, True)
    with sent():
        services.take_transition(
            Case.objects.get(pk=people_case.pk), manager, "withdraw", withdrawn_by="harmed", reason="Changed their mind"
        )
    assert (police_referrer.email,) in recipients()


def test_a_refused_move_writes_and_sends_nothing(people_case, manager, sent):
    with sent(), pytest.raises(services.TransitionRefused):
        services.case_accept(people_case, manager)  # no facilitator allocated: the guard refuses
    assert mail.outbox == []
    assert not Message.objects.exists()


def test_messages_are_sent_only_after_the_commit(people_case, manager, facilitator, django_capture_on_commit_callbacks):
    """Inside the move's transaction the rows exist but nothing is sent; the sending is the on-commit callback."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.allocate(people_case, manager, facilitator=facilitator)
    assert mail.outbox == []
    assert Message.objects.get(case=people_case).status == Message.Status.QUEUED
    for callback in callbacks:
        callback()
    assert recipients() == [(facilitator.email,)]
    assert Message.objects.get(case=people_case).status == Message.Status.SENT


def test_a_user_without_an_email_address_is_not_written_to(people_case, manager, facilitator, sent):
    facilitator.email = ""
    facilitator.save(update_fields=["email"])
    with sent():
        services.allocate(people_case, manager, facilitator=facilitator)
    assert mail.outbox == []
    assert not Message.objects.exists()


def test_demo_seeding_tells_nobody(people_case, manager, facilitator, sent):
    with sent():
        services.allocate(people_case, manager, facilitator=facilitator, notify=False)
        services.take_transition(Case.objects.get(pk=people_case.pk), manager, "accept", notify=False)
    assert mail.outbox == []
    assert not Message.objects.exists()


def test_later_moves_each_tell_the_caseworker(people_case, manager, facilitator, caseworker, sent):
    with sent():
        to_preparation(people_case, manager, facilitator)
    to_caseworker = [e.subject for e in mail.outbox if e.to == [caseworker.email]]
    assert to_caseworker == [
        f"Case {people_case.reference}: the status is now Assessment",
        f"Case {people_case.reference}: the status is now Preparation",
    ]
