"""The morning digest: Victims' Code deadlines due today or overdue and agreement actions due in 7 days, of each
facilitator's and caseworker's own cases only, sent once per person per day however often the command runs."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from conferences import services as conference_services
from conferences.models import AgreementAction
from notifications.models import Message
from notifications.selectors import digest_items
from rjcases import services
from tests.factories import days_ago
from tests.notifications.conftest import assert_no_party_data
from tests.walk import hold_activity, refer, to_conferencing

pytestmark = pytest.mark.django_db


def run_digest() -> str:
    out = StringIO()
    call_command("send_daily_digest", stdout=out)
    return out.getvalue()


@pytest.fixture
def overdue_case(people_case, manager, facilitator):
    """The people case, referred 10 days ago (its RJ information clock is overdue), allocated to the facilitator."""
    from rjcases.models import Case

    Case.objects.filter(pk=people_case.pk).update(rj_information_due_on=days_ago(3), initial_contact_due_on=days_ago(0))
    return services.allocate(Case.objects.get(pk=people_case.pk), manager, facilitator=facilitator, notify=False)


def test_the_digest_lists_overdue_and_due_today_clocks_with_links_only(overdue_case, facilitator, sent):
    with sent():
        output = run_digest()
    assert "2 queued" in output  # the facilitator's and the caseworker's (of the person harmed)
    for email in mail.outbox:
        assert_no_party_data(email)
    [email] = [e for e in mail.outbox if e.to == [facilitator.email]]
    reference = overdue_case.reference
    assert email.subject.startswith("Your cases: deadlines for ")
    assert f"{reference}: Victims' Code: tell the person harmed about RJ, overdue since" in email.body
    assert f"{reference}: Victims' Code: initial contact, due" in email.body
    assert f"/cases/{reference}/" in email.body
    assert_no_party_data(email)


def test_run_twice_a_day_it_sends_each_person_one_digest(overdue_case, facilitator, caseworker, sent):
    with sent():
        run_digest()
    first = len(mail.outbox)
    assert sorted(e.to[0] for e in mail.outbox) == sorted([facilitator.email, caseworker.email])
    with sent():
        output = run_digest()
    assert len(mail.outbox) == first
    assert "0 queued, 2 already sent today" in output
    assert Message.objects.filter(kind=Message.Kind.DIGEST, user=facilitator).count() == 1


def test_the_next_day_it_is_sent_again(overdue_case, facilitator, sent, monkeypatch):
    with sent():
        run_digest()
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    with sent():
        assert "2 queued" in run_digest()


def test_a_person_with_nothing_due_is_sent_nothing(referred_case, other_facilitator, facilitator, sent):
    with sent():
        output = run_digest()
    assert mail.outbox == []
    assert "0 queued" in output
    assert "with nothing due" in output


def test_each_digest_holds_only_the_persons_own_cases(
    overdue_case, police_referrer, manager, facilitator, other_facilitator, caseworker
):
    """Another facilitator's case, an unallocated case and a case of someone else's client are in nobody's digest
    but their own."""
    from rjcases.models import Case

    others = refer(police_referrer)
    Case.objects.filter(pk=others.pk).update(rj_information_due_on=days_ago(2))
    unallocated = refer(police_referrer)
    Case.objects.filter(pk=unallocated.pk).update(rj_information_due_on=days_ago(2))
    services.allocate(Case.objects.get(pk=others.pk), manager, facilitator=other_facilitator, notify=False)
    today = timezone.localdate()
    assert {i.reference for i in digest_items(facilitator, today)} == {overdue_case.reference}
    assert {i.reference for i in digest_items(other_facilitator, today)} == {others.reference}
    assert {i.reference for i in digest_items(caseworker, today)} == {overdue_case.reference}
    assert digest_items(manager, today) == []


def test_a_closed_case_and_a_met_clock_are_left_out(overdue_case, manager, facilitator):
    from rjcases.models import Case

    Case.objects.filter(pk=overdue_case.pk).update(rj_information_given_on=days_ago(1), initial_contact_on=days_ago(0))
    assert digest_items(facilitator, timezone.localdate()) == []


def test_agreement_actions_due_within_seven_days_are_listed(
    people_case, manager, facilitator, caseworker, django_assert_max_num_queries
):
    case = to_conferencing(people_case, manager, facilitator)
    hold_activity(case, facilitator, agreement_actions=1)  # due in 14 days: not yet
    today = timezone.localdate()
    conference_services.add_action(
        case,
        facilitator,
        kind=AgreementAction.Kind.REPARATION,
        what="Repaint the fence of Zebedee Quillfeather",
        due_on=today + timedelta(days=3),
        how_checked="Photo",
        who="The person responsible",
    )
    services.case_record_agreement(case, facilitator)
    from rjcases.models import Case

    Case.objects.filter(pk=case.pk).update(rj_information_given_on=today, initial_contact_on=today)
    with django_assert_max_num_queries(3):  # the person's roles, their cases' clocks, their cases' actions
        items = digest_items(facilitator, today)
    assert [(i.reference, i.what, i.due_on, i.overdue) for i in items] == [
        (case.reference, "Agreement action due: reparation", today + timedelta(days=3), False)
    ]
    assert [i.reference for i in digest_items(caseworker, today)] == [case.reference]
