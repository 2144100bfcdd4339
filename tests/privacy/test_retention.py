"""The retention schedule (defaults, edited by an administrator with history), the daily job that queues due cases
(once, however often it runs), the managers' decisions (keep moves the next review; anonymise is recorded and
queued, never silent), who may do what, and the dashboard's count."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from privacy import services
from privacy.models import Anonymisation, RetentionReview, RetentionRule
from privacy.schedule import add_months
from rjcases import services as case_services
from rjcases.exceptions import ActionRefused, Refused
from tests.walk import refer

Kind = RetentionRule.Kind


@pytest.fixture
def declined(police_referrer, manager):
    """A declined referral, closed today: due for review 24 months from now (the default)."""
    return case_services.case_decline(refer(police_referrer), manager, reason="Out of scope")


def in_months(n: int, days: int = 0):
    return add_months(timezone.localdate(), n) + timedelta(days=days)


def queue(today) -> list[str]:
    out = StringIO()
    call_command("queue_retention_reviews", "--today", today.isoformat(), stdout=out)
    return out.getvalue().splitlines()


@pytest.mark.django_db
def test_the_default_schedule_has_the_demo_periods():
    rules = {rule.kind: rule for rule in RetentionRule.objects.all()}
    assert set(rules) == set(Kind.values)
    assert (rules[Kind.CASE_AGREEMENT].keep_months, rules[Kind.CASE_AGREEMENT].after) == (72, "closed")
    assert (rules[Kind.REFERRAL_DECLINED].keep_months, rules[Kind.REFERRAL_DECLINED].after) == (24, "closed")
    assert (rules[Kind.NON_CRIME].keep_months, rules[Kind.NON_CRIME].then) == (12, "review")
    assert str(rules[Kind.CASE_AGREEMENT]) == (
        "Closed case with an outcome agreement: 6 years after the case is closed, then review"
    )


def test_months_are_added_to_the_end_of_a_shorter_month():
    from datetime import date

    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 12, 2), -24) == date(2024, 12, 2)


@pytest.mark.django_db
def test_the_job_run_twice_queues_each_due_case_once(declined, police_referrer, manager):
    not_due = case_services.case_decline(refer(police_referrer), manager, reason="Duplicate")
    RetentionReview.objects.create(
        case=not_due,
        rule=RetentionRule.objects.get(kind=Kind.REFERRAL_DECLINED),
        due_on=in_months(0),
        queued_on=in_months(0),
    )  # already waiting: not queued again
    assert queue(in_months(24, days=-1)) == ["0 case(s) queued."]

    first = queue(in_months(24))
    second = queue(in_months(24))

    assert first == [
        f"{declined.reference}: queued for review, due {in_months(24)}, rule referral_declined",
        "1 case(s) queued.",
    ]
    assert second == ["0 case(s) queued."]
    assert RetentionReview.objects.filter(case=declined).count() == 1
    assert RetentionReview.objects.filter(case=declined, decision="").count() == 1


@pytest.mark.django_db
def test_a_keep_decision_moves_the_next_review(declined, manager):
    [review] = services.queue_retention_reviews(in_months(24))
    services.decide_keep(review, manager, reason="A complaint is still open", next_review_on=in_months(30))

    review.refresh_from_db()
    assert (review.decision, review.decided_by, review.next_review_on) == ("keep", manager, in_months(30))
    assert review.history.first().history_change_reason == "kept"
    assert services.queue_retention_reviews(in_months(29)) == []
    [again] = services.queue_retention_reviews(in_months(30))
    assert (again.case, again.due_on, again.rule.kind, again.decision) == (
        declined,
        in_months(30),
        "referral_declined",
        "",
    )


@pytest.mark.django_db
def test_an_anonymise_decision_is_recorded_done_and_never_queued_again(declined, manager, client):
    [review] = services.queue_retention_reviews(in_months(24))
    client.force_login(manager)
    response = client.post(
        reverse("privacy:decide", args=[review.pk]), {"decision": "anonymise", "reason": "Nothing requires keeping it"}
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.decision, review.decided_by, review.reason) == ("anonymise", manager, "Nothing requires keeping it")
    page = client.get(reverse("privacy:reviews")).content.decode()
    assert "Anonymised" in page
    assert "anonymised at once" in page
    assert declined.anonymisations.get().review == review
    assert not declined.parties.filter(first_name="Amina").exists()
    assert services.queue_retention_reviews(in_months(100)) == []


@pytest.mark.django_db
def test_nothing_is_marked_for_anonymisation_without_a_decision_or_a_rule(declined, police_referrer, manager):
    withdrawn = case_services.take_transition(
        refer(police_referrer), manager, "withdraw", reason="Changed their mind", withdrawn_by="service"
    )
    made = services.queue_retention_reviews(in_months(24))
    assert {r.case for r in made} == {declined, withdrawn}
    assert not RetentionReview.objects.filter(decision="anonymise").exists()

    rule = RetentionRule.objects.get(kind=Kind.WITHDRAWN)
    rule.then = RetentionRule.Then.ANONYMISE
    rule.save()
    later = case_services.take_transition(
        refer(police_referrer), manager, "withdraw", reason="Moved away", withdrawn_by="service"
    )
    [by_rule] = services.queue_retention_reviews(in_months(24))
    assert by_rule.case == later
    assert (by_rule.decision, by_rule.decided_by) == ("anonymise", None)
    assert by_rule.reason.startswith("The retention schedule says to anonymise: Withdrawn referral or case: 2 years")
    assert RetentionReview.objects.filter(decision="anonymise").count() == 1
    assert [a.case for a in Anonymisation.objects.all()] == [later]  # only the case a rule or decision names


@pytest.mark.django_db
def test_a_decision_needs_a_reason_and_a_future_review_and_is_made_once(declined, manager):
    [review] = services.queue_retention_reviews(in_months(24))
    with pytest.raises(ValidationError) as refused:
        services.decide_keep(review, manager, reason=" ", next_review_on=timezone.localdate())
    assert set(refused.value.message_dict) == {"reason", "next_review_on"}
    with pytest.raises(ValidationError):
        services.decide_anonymise(review, manager, reason="")
    review.refresh_from_db()
    assert review.is_open
    assert review.history.count() == 1
    services.decide_anonymise(review, manager, reason="Not needed")
    with pytest.raises(Refused, match="already been decided"):
        services.decide_keep(review, manager, reason="Keep after all", next_review_on=in_months(40))
    review.refresh_from_db()
    assert review.decision == "anonymise"


@pytest.mark.django_db
def test_only_managers_see_the_queue_and_decide(declined, manager, facilitator, administrator, client):
    [review] = services.queue_retention_reviews(in_months(24))
    for user in (facilitator, administrator):
        client.force_login(user)
        assert client.get(reverse("privacy:reviews")).status_code == 403
        response = client.post(reverse("privacy:decide", args=[review.pk]), {"decision": "anonymise", "reason": "x"})
        assert response.status_code == 403
        with pytest.raises(ActionRefused):
            services.decide_anonymise(review, user, reason="x")
    review.refresh_from_db()
    assert review.is_open
    client.force_login(manager)
    page = client.get(reverse("privacy:reviews"))
    assert page.status_code == 200
    assert declined.reference in page.content.decode()
    response = client.post(reverse("privacy:decide", args=[review.pk]), {"decision": "keep", "reason": "Complaint"})
    assert "Enter the date of the next review" in response.content.decode()
    assert client.get(reverse("privacy:decide", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_the_managers_dashboard_counts_the_waiting_reviews(declined, manager, facilitator, client):
    services.queue_retention_reviews(in_months(24))
    client.force_login(manager)
    page = client.get(reverse("dashboard")).content.decode()
    assert 'data-testid="retention-count">1</span>' in page
    assert reverse("privacy:reviews") in page
    client.force_login(facilitator)
    assert 'data-testid="retention-count"' not in client.get(reverse("dashboard")).content.decode()


@pytest.mark.django_db
def test_an_administrator_edits_the_schedule_in_the_admin_with_history(administrator, manager, client):
    rule = RetentionRule.objects.get(kind=Kind.REFERRAL_DECLINED)
    url = reverse("admin:privacy_retentionrule_change", args=[rule.pk])
    client.force_login(manager)
    assert client.get(url).status_code in (302, 403)
    client.force_login(administrator)
    response = client.post(
        url, {"kind": rule.kind, "keep_months": 36, "after": "closed", "then": "review", "notes": "Three years now"}
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.keep_months == 36
    assert [h.keep_months for h in rule.history.order_by("history_date")] == [24, 36]
    assert rule.history.first().history_user == administrator
