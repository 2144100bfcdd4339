"""The Victims' Code clocks as the Code counts them: from the report (or the referral), across bank holidays,
with enhanced rights switched on and off after intake, and not applicable to anonymous reports."""

from dataclasses import replace
from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.timezone import make_aware as aware

from rjcases import selectors
from rjcases.exceptions import ActionRefused
from rjcases.models import Case, Party
from rjcases.services import victims_code as services
from rjcases.victims_code import clocks
from rjcases.victims_code.clocks import CaseFacts, clocks_for
from tests.factories import incident_data
from tests.walk import refer

# Easter 2026: Good Friday 3 April and Easter Monday 6 April are bank holidays; spring bank holiday 25 May.
FACTS = CaseFacts(
    route_code="police",
    received_on=date(2026, 4, 8),
    reported_on=date(2026, 4, 2),
    enhanced_rights=False,
    anonymous=False,
    harmed_contactable=True,
    rj_information_due_on=None,
    rj_information_given_on=None,
    initial_contact_due_on=None,
    initial_contact_on=None,
    closed_on=None,
)


def by_key(facts, today):
    return {c.key: c for c in clocks_for(facts, today)}


def test_rj_information_runs_from_the_report_across_easter():
    rj = by_key(FACTS, date(2026, 4, 9))["rj_information"]
    # Thursday 2 April + 5 working days, skipping Good Friday and Easter Monday: Monday 13 April.
    assert rj.due_on == date(2026, 4, 13)
    assert rj.basis.endswith("Counted from the report on 2 April 2026.")
    assert rj.status == "open"


def test_rj_information_with_enhanced_rights_is_one_working_day_after_the_report():
    rj = by_key(replace(FACTS, enhanced_rights=True), date(2026, 4, 7))["rj_information"]
    assert rj.due_on == date(2026, 4, 7)  # Thursday 2 April + 1 working day: Tuesday 7 April
    assert rj.status == "due_soon"


def test_without_a_report_date_the_clock_runs_from_the_referral_and_says_so():
    facts = replace(FACTS, reported_on=None, received_on=date(2026, 5, 22))
    rj = by_key(facts, date(2026, 5, 22))["rj_information"]
    # Friday 22 May + 5 working days, skipping the spring bank holiday (25 May): Monday 1 June.
    assert rj.due_on == date(2026, 6, 1)
    assert "Counted from the referral: report date not recorded." in rj.basis


def test_rj_information_met_late_and_overdue_in_working_days():
    met = by_key(replace(FACTS, rj_information_given_on=date(2026, 4, 13)), date(2026, 5, 1))["rj_information"]
    assert (met.status, met.days_late) == ("met", None)
    late = by_key(replace(FACTS, rj_information_given_on=date(2026, 4, 15)), date(2026, 5, 1))["rj_information"]
    assert (late.status, late.days_late) == ("late", 2)
    overdue = by_key(FACTS, date(2026, 4, 14))["rj_information"]
    assert (overdue.status, overdue.days_late, overdue.flagged) == ("overdue", 1, True)


def test_referral_within_two_working_days_of_the_report_for_police_referrals():
    # Reported Thursday 2 April: due Wednesday 8 April (Good Friday and Easter Monday skipped).
    on_time = by_key(FACTS, date(2026, 4, 9))["referral"]
    assert (on_time.due_on, on_time.status) == (date(2026, 4, 8), "met")
    late = by_key(replace(FACTS, received_on=date(2026, 4, 10)), date(2026, 4, 10))["referral"]
    assert (late.status, late.days_late) == ("late", 2)


def test_the_referral_clock_is_not_applicable_to_other_routes_or_without_a_report_date():
    other = by_key(replace(FACTS, route_code="victim-service"), date(2026, 4, 9))["referral"]
    assert (other.status, other.reason) == ("not_applicable", clocks.NOT_POLICE_REASON)
    unknown = by_key(replace(FACTS, reported_on=None), date(2026, 4, 9))["referral"]
    assert (unknown.status, unknown.reason) == ("not_applicable", clocks.NO_REPORT_DATE_REASON)


def test_first_contact_is_the_services_own_clock_from_the_referral():
    facts = replace(FACTS, reported_on=date(2026, 5, 20), received_on=date(2026, 5, 22))
    contact = by_key(facts, date(2026, 5, 22))["first_contact"]
    # Friday 22 May + 10 working days, skipping 25 May: Monday 8 June (the report date does not move it).
    assert contact.due_on == date(2026, 6, 8)
    assert "from the referral on 22 May 2026" in contact.basis


def test_due_within_one_working_day_across_christmas():
    # Christmas Day (Friday) and the Boxing Day substitute (Monday 28 December) 2026 are bank holidays.
    facts = replace(FACTS, received_on=date(2026, 12, 21), reported_on=None, rj_information_due_on=date(2026, 12, 29))
    assert by_key(facts, date(2026, 12, 24))["rj_information"].status == "due_soon"
    assert by_key(facts, date(2026, 12, 23))["rj_information"].status == "open"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"anonymous": True}, clocks.ANONYMOUS_REASON),
        ({"harmed_contactable": False}, clocks.NO_CONTACT_REASON),
        ({"harmed_contactable": None}, clocks.NO_HARMED_REASON),
    ],
)
def test_contact_clocks_do_not_apply_and_are_never_overdue(change, reason):
    years_later = date(2028, 1, 4)
    found = by_key(replace(FACTS, **change), years_later)
    for key in ("rj_information", "first_contact"):
        assert (found[key].status, found[key].reason, found[key].flagged) == ("not_applicable", reason, False)


def test_a_case_closed_before_the_due_date_is_not_applicable_after_it_missed():
    before = by_key(replace(FACTS, closed_on=date(2026, 4, 10)), date(2026, 6, 1))["rj_information"]
    assert (before.status, before.reason) == ("not_applicable", clocks.CLOSED_BEFORE_DUE_REASON)
    after = by_key(replace(FACTS, closed_on=date(2026, 4, 15)), date(2026, 6, 1))["rj_information"]
    assert (after.status, after.days_late) == ("missed", 2)


# ---------------------------------------------------------------------------------------------------
# Intake, corrections and enhanced rights, through the services


@pytest.mark.django_db
def test_a_referral_with_a_report_date_counts_from_it(police_referrer):
    # Reported Thursday 26 November 2026, referred Monday 30 November: due Thursday 3 December (1 wd: 27 Nov).
    incident = incident_data(reported_on=date(2026, 11, 26), reported_by="harmed")
    case = refer(police_referrer, received_on=date(2026, 11, 30), incident=incident)
    assert case.rj_information_due_on == date(2026, 12, 3)
    assert case.incident.reported_by == "harmed"
    enhanced = refer(
        police_referrer,
        received_on=date(2026, 11, 30),
        incident=incident_data(reported_on=date(2026, 11, 26)),
        enhanced_rights=True,
        enhanced_rights_reason="Persistently targeted",
    )
    assert enhanced.rj_information_due_on == date(2026, 11, 27)


@pytest.mark.django_db
def test_a_report_date_after_the_referral_is_refused_and_nothing_is_created(police_referrer):
    before = Case.objects.count()
    with pytest.raises(ValidationError) as raised:
        refer(police_referrer, received_on=date(2026, 11, 26), incident=incident_data(reported_on=date(2026, 11, 27)))
    assert "reported_on" in raised.value.message_dict
    assert Case.objects.count() == before


@pytest.mark.django_db
def test_enhanced_rights_switched_on_and_off_after_intake_recompute_the_due_date(police_referrer, manager):
    incident = incident_data(occurred_from=aware(datetime(2025, 12, 20, 22)), reported_on=date(2025, 12, 23))
    case = refer(police_referrer, received_on=date(2025, 12, 24), incident=incident)
    # Tuesday 23 December 2025 + 5 working days over Christmas (25, 26 December and 1 January are bank holidays):
    # 24, 29, 30, 31 December, 2 January.
    assert case.rj_information_due_on == date(2026, 1, 2)
    case = services.change_enhanced_rights(case, manager, enhanced=True, reason="Victim of persistent targeting")
    assert (case.enhanced_rights, case.rj_information_due_on) == (True, date(2025, 12, 24))
    assert case.enhanced_rights_reason == "Victim of persistent targeting"
    case = services.change_enhanced_rights(case, manager, enhanced=False, reason="Entered in error")
    case.refresh_from_db()
    assert (case.enhanced_rights, case.enhanced_rights_reason, case.rj_information_due_on) == (
        False,
        "",
        date(2026, 1, 2),
    )
    titles = [e.title for e in selectors.timeline(case, manager)]
    assert "Enhanced rights changed: switched on, Victim of persistent targeting" in titles
    assert "Enhanced rights changed: switched off, Entered in error" in titles


@pytest.mark.django_db
def test_enhanced_rights_refused_for_others_and_for_bad_input_change_nothing(
    police_referrer, other_facilitator, manager
):
    case = refer(police_referrer)
    history = case.history.count()
    for user in (police_referrer, other_facilitator):
        with pytest.raises(ActionRefused):
            services.change_enhanced_rights(case, user, enhanced=True, reason="Vulnerable")
    with pytest.raises(ValidationError):
        services.change_enhanced_rights(case, manager, enhanced=True, reason="  ")
    with pytest.raises(ValidationError):
        services.change_enhanced_rights(case, manager, enhanced=False, reason="Already off")
    case.refresh_from_db()
    assert (case.enhanced_rights, case.history.count()) == (False, history)


@pytest.mark.django_db
def test_the_report_date_recorded_later_moves_the_due_date_and_is_historied(police_referrer, manager):
    case = refer(police_referrer, received_on=date(2026, 11, 30))
    assert case.rj_information_due_on == date(2026, 12, 7)  # from the referral
    services.record_report(case, manager, reported_on=date(2026, 11, 26), reported_by="witness")
    case.refresh_from_db()
    assert case.rj_information_due_on == date(2026, 12, 3)
    assert case.incident.history.latest().history_change_reason == "report recorded"
    with pytest.raises(ValidationError):
        services.record_report(case, manager, reported_on=date(2026, 9, 1))  # before the incident (1 October)
    with pytest.raises(ActionRefused):
        services.record_report(case, police_referrer, reported_on=None)
    case.incident.refresh_from_db()
    assert case.incident.reported_on == date(2026, 11, 26)


@pytest.mark.django_db
def test_an_anonymous_centre_report_is_never_flagged_overdue(centre_staff, police_referrer):
    long_ago = date(2026, 1, 5)
    anonymous = refer(centre_staff, route_code="reporting-centre", report_kind="anonymous", received_on=long_ago)
    assisted = refer(police_referrer, received_on=long_ago)
    overdue = set(Case.objects.filter(selectors.overdue_q()).values_list("pk", flat=True))
    assert assisted.pk in overdue
    assert anonymous.pk not in overdue
    assert clocks.case_clocks(anonymous)[0].reason == clocks.ANONYMOUS_REASON


@pytest.mark.django_db
def test_a_person_harmed_who_asked_not_to_be_contacted_stops_the_contact_clocks(police_referrer, manager):
    case = refer(police_referrer, received_on=date(2026, 1, 5))
    assert Case.objects.filter(selectors.overdue_q(), pk=case.pk).exists()
    harmed = case.parties.get(role=Party.Role.HARMED)
    harmed.asked_not_to_be_contacted = True
    harmed.save()
    assert not Case.objects.filter(selectors.overdue_q(), pk=case.pk).exists()
    found = {c.key: c for c in clocks.case_clocks(Case.objects.get(pk=case.pk))}
    assert found["first_contact"].reason == clocks.NO_CONTACT_REASON


@pytest.mark.django_db
def test_lists_flag_a_clock_due_within_one_working_day(police_referrer):
    today = date(2026, 12, 24)
    case = refer(police_referrer)
    case.rj_information_due_on, case.initial_contact_on = date(2026, 12, 29), case.received_on
    case.save()
    row = selectors.with_overdue(Case.objects.filter(pk=case.pk), today).get()
    assert (row.is_overdue, row.is_due_soon) == (False, True)
    assert Case.objects.filter(selectors.attention_q(today), pk=case.pk).exists()


@pytest.mark.django_db
def test_lists_flag_overdue_per_listed_case_and_never_an_anonymous_report(police_referrer):
    """The list's flags test "anonymous report" inside the EXISTS on the people (``contactable_q(per_row=True)``):
    with the test outside it, PostgreSQL made the EXISTS a hashed scan of every person when a list could hold 100,000
    cases (bench/README.md, "Partnerships: ten of 100,000"). Same answers as the filter's form."""
    today = date(2026, 12, 24)
    case = refer(police_referrer)
    case.rj_information_due_on = date(2026, 12, 1)
    case.save()
    listed = selectors.with_overdue(Case.objects.filter(pk=case.pk), today)
    assert listed.get().is_overdue is True
    sql = str(listed.query)
    people = [part for part in sql.split("EXISTS(")[1:] if 'FROM "rjcases_party"' in part.split("LIMIT")[0]]
    assert len(people) == 2  # is_overdue and is_due_soon
    assert all('"rjcases_case"."report_kind"' in part.split("LIMIT")[0] for part in people), sql
    Case.objects.filter(pk=case.pk).update(report_kind="anonymous")
    assert listed.get().is_overdue is False
    assert not Case.objects.filter(selectors.overdue_q(today), pk=case.pk).exists()


# ---------------------------------------------------------------------------------------------------
# The web pages


@pytest.mark.django_db
def test_the_case_page_shows_each_clock_with_its_basis(client, police_referrer, manager, django_assert_max_num_queries):
    case = refer(police_referrer, received_on=date(2026, 11, 30))
    client.force_login(manager)
    with django_assert_max_num_queries(45):
        page = client.get(reverse("rjcases:detail", args=[case.reference])).content.decode()
    assert 'data-testid="clock-referral"' in page
    assert "Counted from the referral: report date not recorded." in page
    assert clocks.NO_REPORT_DATE_REASON in page


@pytest.mark.django_db
def test_enhanced_rights_and_the_report_date_on_the_web(client, police_referrer, manager, facilitator):
    from rjcases.services import allocate

    case = allocate(refer(police_referrer, received_on=date(2026, 11, 30)), manager, facilitator=facilitator)
    rights = reverse("rjcases:code_enhanced_rights", args=[case.reference])
    report = reverse("rjcases:code_report", args=[case.reference])
    client.force_login(police_referrer)
    assert client.post(rights, {"enhanced": "yes", "reason": "Vulnerable"}).status_code == 403
    assert client.get(report).status_code == 403
    client.force_login(facilitator)
    assert client.post(rights, {"enhanced": "yes", "reason": ""}).status_code == 200  # the form again, with the error
    assert not Case.objects.get(pk=case.pk).enhanced_rights
    assert client.post(rights, {"enhanced": "yes", "reason": "Vulnerable"}).status_code == 302
    assert Case.objects.get(pk=case.pk).rj_information_due_on == date(2026, 12, 1)
    dated = {"reported_on-day": "26", "reported_on-month": "11", "reported_on-year": "2026", "reported_by": "harmed"}
    assert client.post(report, dated).status_code == 302
    assert Case.objects.get(pk=case.pk).rj_information_due_on == date(2026, 11, 27)
