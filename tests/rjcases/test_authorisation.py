"""Every case URL, for every persona, with the status each must get; and what police never see.

One case, referred by ``police_referrer``'s force, allocated to ``facilitator``, in assessment; its person
harmed is supported by ``caseworker``. It is Trafford's: the last four personas work for Salford (its manager,
facilitator and administrator) or across partnerships without a case (the regional lead), and every case page is
a 404 for them (issue 19). The table says what each persona gets on each page: 200 (shown),
302 (done, or sent back with a message), 403 (in scope but not theirs to do), 404 (outside their scope).
"""

import re
from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import URLResolver, reverse
from django.utils import timezone

from accounts import roles
from rjcases import services
from rjcases.forms import ROUTE_DESCRIPTIONS
from rjcases.models import (
    Assessment,
    Case,
    Consent,
    ContactAttempt,
    Note,
    Party,
    ReadAccess,
    ReferralRoute,
    Supervision,
    Ward,
)
from tests.factories import OrganisationFactory, UserFactory, reference
from tests.walk import refer, to_assessment

ROUTE_CODES = list(ROUTE_DESCRIPTIONS)
PERSONAS = [
    "manager",
    "facilitator",
    "other_facilitator",
    "police_referrer",
    "other_police_referrer",
    "caseworker",
    "other_caseworker",
    "centre_staff",
    "administrator",
    "salford_manager",
    "salford_facilitator",
    "salford_administrator",
    "regional_lead",
]


@pytest.fixture
def world(
    manager,
    facilitator,
    other_facilitator,
    police_referrer,
    other_police_referrer,
    caseworker,
    centre_staff,
    administrator,
    salford_manager,
    salford_facilitator,
    salford_administrator,
    regional_lead,
    salford_case,
):
    other_caseworker = UserFactory(
        username="caseworker2",
        first_name="Olga",
        last_name="Othercw",
        organisation=OrganisationFactory(name="Other Victim Service"),
        role=roles.CASEWORKER,
    )
    for code in ROUTE_CODES:
        reference(ReferralRoute, code)
    case = refer(police_referrer)
    harmed = case.parties.get(role=Party.Role.HARMED)
    services.update_party(harmed, manager, caseworker=caseworker)
    case = to_assessment(case, manager, facilitator)
    harmed = case.parties.get(role=Party.Role.HARMED)
    responsible = case.parties.get(role=Party.Role.RESPONSIBLE)
    today = timezone.localdate()
    assessment = services.record_assessment(
        responsible,
        facilitator,
        assessed_on=today,
        risk_level="high",
        willing=True,
        acknowledges_facts=True,
        accepts_responsibility=True,
        mitigations="Meet at a neutral venue",
    )
    consent = services.record_consent(
        harmed, facilitator, purpose=Consent.Purpose.PARTICIPATE, given_on=today, method=Consent.Method.SIGNED_FORM
    )
    note = services.add_note(case, facilitator, body="Secret note: the person harmed works night shifts.")
    case.possible_duplicate_of.set([refer(manager, route_code="housing")])
    users = {
        "manager": manager,
        "facilitator": facilitator,
        "other_facilitator": other_facilitator,
        "police_referrer": police_referrer,
        "other_police_referrer": other_police_referrer,
        "caseworker": caseworker,
        "other_caseworker": other_caseworker,
        "centre_staff": centre_staff,
        "administrator": administrator,
        "salford_manager": salford_manager,
        "salford_facilitator": salford_facilitator,
        "salford_administrator": salford_administrator,
        "regional_lead": regional_lead,
    }
    return {
        "case": Case.objects.get(pk=case.pk),
        "harmed": harmed,
        "responsible": responsible,
        "assessment": assessment,
        "consent": consent,
        "note": note,
        "users": users,
    }


def _urls(world) -> dict[str, str]:
    ref = world["case"].reference
    harmed = world["harmed"].pk
    return {
        "list": reverse("rjcases:list"),
        "refer": reverse("rjcases:refer"),
        "refer_police": reverse("rjcases:refer_route", args=["police"]),
        "refer_step": reverse("rjcases:refer_step", args=["police", "incident"]),
        "refer_person": reverse("rjcases:refer_person", args=["police", "harmed", 1]),
        "refer_person_remove": reverse("rjcases:refer_person_remove", args=["police", "harmed", 1]),
        "refer_check": reverse("rjcases:refer_check", args=["police"]),
        "refer_sent": reverse("rjcases:refer_sent", args=[ref]),
        "access_log": reverse("rjcases:access_log"),
        "detail": reverse("rjcases:detail", args=[ref]),
        "timeline": reverse("rjcases:timeline", args=[ref]),
        "people": reverse("rjcases:people", args=[ref]),
        "work": reverse("rjcases:work", args=[ref]),
        "letters": reverse("rjcases:letters", args=[ref]),
        "allocate": reverse("rjcases:allocate", args=[ref]),
        "party_detail": reverse("rjcases:party_detail", args=[ref, harmed]),
        "party_add": reverse("rjcases:party_add", args=[ref]),
        "party_edit": reverse("rjcases:party_edit", args=[ref, harmed]),
        "assess": reverse("rjcases:assess", args=[ref, harmed]),
        "consent_add": reverse("rjcases:consent_add", args=[ref, harmed]),
        "consent_withdraw": reverse("rjcases:consent_withdraw", args=[ref, world["consent"].pk]),
        "sign_off": reverse("rjcases:sign_off", args=[ref, world["assessment"].pk]),
        "note_add": reverse("rjcases:note_add", args=[ref]),
        "note_detail": reverse("rjcases:note_detail", args=[ref, world["note"].pk]),
        "note_share": reverse("rjcases:note_share", args=[ref, world["note"].pk]),
        "no_longer_taking_part": reverse("rjcases:no_longer_taking_part", args=[ref, harmed]),
        "contact_add": reverse("rjcases:contact_add", args=[ref]),
        "supervision": reverse("rjcases:supervision", args=[ref]),
        "transition_withdraw": reverse("rjcases:transition", args=[ref, "withdraw"]),
        "transition_find_unsuitable": reverse("rjcases:transition", args=[ref, "find_unsuitable"]),
        "transition_reopen": reverse("rjcases:transition", args=[ref, "reopen"]),
        "dashboard": reverse("dashboard"),
        "move_partnership": reverse("rjcases:move_partnership", args=[ref]),
    }


OUTSIDE = (404, 404, 404, 404)  # Salford's manager, facilitator, administrator; the regional lead


def _row(
    manager,
    facilitator,
    other_facilitator,
    police,
    other_police,
    caseworker,
    other_caseworker,
    centre,
    admin,
    elsewhere=OUTSIDE,
):
    return dict(
        zip(
            PERSONAS,
            (
                manager,
                facilitator,
                other_facilitator,
                police,
                other_police,
                caseworker,
                other_caseworker,
                centre,
                admin,
                *elsewhere,
            ),
            strict=True,
        )
    )


# What each persona gets on a GET of each page.
#                                  man  fac  ofac pol  opol cw   ocw  cen  adm
GET_EXPECTED = {
    "dashboard": _row(200, 200, 200, 200, 200, 200, 200, 200, 200, (200, 200, 200, 200)),
    "list": _row(200, 200, 200, 200, 200, 200, 200, 200, 200, (200, 200, 200, 200)),
    # A partner with one route goes straight to it.
    "refer": _row(200, 200, 200, 302, 302, 302, 302, 302, 403, (200, 200, 403, 403)),
    "refer_police": _row(302, 302, 302, 302, 302, 404, 404, 404, 403, (302, 302, 403, 403)),
    "refer_step": _row(200, 200, 200, 200, 200, 404, 404, 404, 403, (200, 200, 403, 403)),
    "refer_person": _row(200, 200, 200, 200, 200, 404, 404, 404, 403, (200, 200, 403, 403)),
    "refer_person_remove": _row(405, 405, 405, 405, 405, 405, 405, 405, 405, (405, 405, 405, 405)),
    "refer_check": _row(200, 200, 200, 200, 200, 404, 404, 404, 403, (200, 200, 403, 403)),
    # Only right after sending, to its sender, in the session they sent it from.
    "refer_sent": _row(404, 404, 404, 404, 404, 404, 404, 404, 404, (404, 404, 404, 404)),
    "access_log": _row(200, 403, 403, 403, 403, 403, 403, 403, 403, (200, 403, 403, 403)),
    "detail": _row(200, 200, 404, 200, 404, 200, 404, 404, 404),
    "timeline": _row(200, 200, 404, 200, 404, 200, 404, 404, 404),
    # The case page's other sections: scoped like the case page; not for referrers, who see no details.
    "people": _row(200, 200, 404, 403, 404, 200, 404, 404, 404),
    "work": _row(200, 200, 404, 403, 404, 200, 404, 404, 404),
    "letters": _row(200, 200, 404, 403, 404, 200, 404, 404, 404),
    "allocate": _row(200, 403, 404, 403, 404, 403, 404, 404, 404),
    "party_detail": _row(200, 200, 404, 403, 404, 200, 404, 404, 404),
    "party_add": _row(200, 200, 404, 403, 404, 403, 404, 404, 404),
    "party_edit": _row(200, 200, 404, 403, 404, 403, 404, 404, 404),
    "assess": _row(200, 200, 404, 403, 404, 403, 404, 404, 404),
    "consent_add": _row(200, 200, 404, 403, 404, 200, 404, 404, 404),
    "consent_withdraw": _row(200, 200, 404, 403, 404, 200, 404, 404, 404),
    "sign_off": _row(200, 403, 404, 403, 404, 403, 404, 404, 404),
    "note_add": _row(200, 200, 404, 403, 404, 200, 404, 404, 404),
    # A note not shared with the caseworker: no such note for anyone who may not read it.
    "note_detail": _row(200, 200, 404, 404, 404, 404, 404, 404, 404),
    "note_share": _row(200, 200, 404, 403, 404, 403, 404, 404, 404),
    "no_longer_taking_part": _row(200, 200, 404, 403, 404, 403, 404, 404, 404),
    "contact_add": _row(200, 200, 404, 403, 404, 403, 404, 404, 404),
    # Case supervision: managers and the case's own facilitators only; for everyone else no such page.
    "supervision": _row(200, 200, 404, 404, 404, 404, 404, 404, 404),
    # Withdrawal from assessment: facilitator, manager or the caseworker; the police only in referral.
    "transition_withdraw": _row(200, 200, 404, 403, 404, 200, 404, 404, 404),
    "transition_find_unsuitable": _row(403, 200, 404, 403, 404, 403, 404, 404, 404),
    # Not possible from assessment: sent back to the case with a message.
    "transition_reopen": _row(302, 302, 404, 302, 404, 302, 404, 404, 404),
    # Moving the case to another partnership: a manager of both only (Trafford's manager manages one).
    "move_partnership": _row(403, 403, 404, 403, 404, 403, 404, 404, 404),
}


@pytest.mark.parametrize("page", list(GET_EXPECTED))
def test_every_persona_gets_the_expected_status_on_each_page(client, world, page):
    url = _urls(world)[page]
    wrong = []
    for persona, expected in GET_EXPECTED[page].items():
        client.force_login(world["users"][persona])
        status = client.get(url).status_code
        if status != expected:
            wrong.append(f"{persona}: expected {expected}, got {status}")
        client.logout()
    assert not wrong, f"GET {url}\n" + "\n".join(wrong)


ELSEWHERE = PERSONAS[-len(OUTSIDE) :]


def test_another_partnerships_staff_and_the_regional_lead_see_nothing_of_the_case_anywhere(client, world):
    """On the pages they may open (dashboard, list, referral, the read access log), Salford's staff and the regional
    lead find no trace of Trafford's case; Salford's manager and facilitator find Salford's."""
    for persona in ELSEWHERE:
        client.force_login(world["users"][persona])
        client.get(_urls(world)["detail"])  # a 404, and no read logged
        for page, expected in GET_EXPECTED.items():
            if expected[persona] == 200:
                body = client.get(_urls(world)[page]).content.decode()
                assert world["case"].reference not in body, f"{persona} sees the case on {page}"
        client.logout()
    assert not ReadAccess.objects.filter(case=world["case"], user__username__startswith="salford").exists()
    for persona in ("salford_manager", "salford_facilitator"):
        client.force_login(world["users"][persona])
        salford_case = Case.objects.get(partnership__code="salford")
        assert salford_case.reference in client.get(_urls(world)["list"]).content.decode()


@pytest.mark.parametrize("page", list(GET_EXPECTED))
def test_signed_out_visitors_are_sent_to_sign_in(client, world, page):
    response = client.get(_urls(world)[page])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# Writes: each POST with good data, from each persona. Allowed ones redirect and change exactly what they
# should; refused ones change nothing.


def _post_data(world) -> dict[str, dict]:
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    harmed = world["harmed"]
    return {
        "allocate": {"facilitator": world["users"]["facilitator"].pk, "co_facilitator": ""},
        "party_add": {
            "role": "supporter",
            "supports": harmed.pk,
            "first_name": "Sam",
            "last_name": "Supporter",
            "language": "English",
            "participating": "on",
        },
        "party_edit": {
            "role": "harmed",
            "first_name": "Amina",
            "last_name": "Testharmed",
            "language": "Polish",
            "participating": "on",
            "caseworker": world["users"]["caseworker"].pk,
        },
        "assess": {
            "assessed_on-day": today.day,
            "assessed_on-month": today.month,
            "assessed_on-year": today.year,
            "willing": "yes",
            "risk_level": "low",
        },
        "consent_add": {
            "purposes": ["feedback"],
            "given_on-day": today.day,
            "given_on-month": today.month,
            "given_on-year": today.year,
            "method": "signed_form",
            "wording_version": "2026-1",
        },
        "consent_withdraw": {
            "withdrawn_on-day": today.day,
            "withdrawn_on-month": today.month,
            "withdrawn_on-year": today.year,
            "reason": "Changed their mind",
        },
        "sign_off": {"note": "Neutral venue and two facilitators."},
        "note_add": {"body": "A new note."},
        "note_share": {"shared_with": [world["users"]["caseworker"].pk]},
        "contact_add": {
            "party": harmed.pk,
            "on-day": yesterday.day,
            "on-month": yesterday.month,
            "on-year": yesterday.year,
            "at": "10:00",
            "method": "phone",
            "result": "reached",
        },
        "transition_withdraw": {
            "seen_state": "assessment",
            "withdrawn_by": "person harmed",
            "reason": "No longer wishes to take part",
        },
        "transition_find_unsuitable": {"seen_state": "assessment", "reason": "Not suitable"},
        "duplicate_reviewed": {"note": "Different incident"},
        "move_partnership": {"ward": Ward.objects.get(code="SLF01").pk, "reason": "Over the border"},
        "supervision": {
            "held_on-day": today.day,
            "held_on-month": today.month,
            "held_on-year": today.year,
            "discussion": "Risk to the person harmed; the venue.",
            "decisions": "Two facilitators at the meeting.",
        },
    }


def _snapshot(world) -> dict:
    """Everything a write on the case could change."""
    case = Case.objects.get(pk=world["case"].pk)
    return {
        "case": (case.state, case.facilitator_id, case.duplicate_reviewed, case.outcome, case.partnership_id),
        "case_history": Case.history.filter(id=case.pk).count(),
        "parties": list(Party.objects.filter(case=case).values_list("id", "language", "role")),
        "assessments": list(Assessment.objects.filter(party__case=case).values_list("id", "signed_off_at")),
        "consents": list(Consent.objects.filter(party__case=case).values_list("id", "withdrawn_on")),
        "notes": Note.objects.filter(case=case).count(),
        "note_sharing": list(
            Note.shared_with.through.objects.filter(note__case=case).values_list("note_id", "user_id")
        ),
        "contacts": ContactAttempt.objects.filter(case=case).count(),
        "transitions": case.transitions.count(),
        "supervisions": Supervision.objects.filter(case=case).count(),
    }


#                                  man  fac  ofac pol  opol cw   ocw  cen  adm
POST_EXPECTED = {
    "allocate": _row(302, 403, 404, 403, 404, 403, 404, 404, 404),
    "party_add": _row(302, 302, 404, 403, 404, 403, 404, 404, 404),
    "party_edit": _row(302, 302, 404, 403, 404, 403, 404, 404, 404),
    "assess": _row(302, 302, 404, 403, 404, 403, 404, 404, 404),
    "consent_add": _row(302, 302, 404, 403, 404, 302, 404, 404, 404),
    "consent_withdraw": _row(302, 302, 404, 403, 404, 302, 404, 404, 404),
    "sign_off": _row(302, 403, 404, 403, 404, 403, 404, 404, 404),
    "note_add": _row(302, 302, 404, 403, 404, 302, 404, 404, 404),
    "note_share": _row(302, 302, 404, 403, 404, 403, 404, 404, 404),
    "contact_add": _row(302, 302, 404, 403, 404, 403, 404, 404, 404),
    "transition_withdraw": _row(302, 302, 404, 403, 404, 302, 404, 404, 404),
    "transition_find_unsuitable": _row(403, 302, 404, 403, 404, 403, 404, 404, 404),
    "duplicate_reviewed": _row(302, 403, 404, 403, 404, 403, 404, 404, 404),
    "move_partnership": _row(403, 403, 404, 403, 404, 403, 404, 404, 404),
    "supervision": _row(302, 403, 404, 404, 404, 404, 404, 404, 404),
}


def _post_url(world, name):
    if name in ("duplicate_reviewed",):
        return reverse("rjcases:duplicate_reviewed", args=[world["case"].reference])
    return _urls(world)[name]


def _problems(response) -> str:
    """The error messages of a form page, to say why a write that should have worked did not."""
    html = response.content.decode()
    found = re.findall(r'<p id="[^"]*-error" class="govuk-error-message">(.*?)</p>', html, re.S)
    return " | ".join(found) or html[:300]


@pytest.mark.parametrize("page", list(POST_EXPECTED))
def test_every_write_is_allowed_or_refused_as_the_table_says(client, world, page):
    wrong = []
    for persona, expected in POST_EXPECTED[page].items():
        # Each persona's attempt runs in a savepoint that is rolled back: every one starts from the same case.
        with transaction.atomic():
            client.force_login(world["users"][persona])
            before = _snapshot(world)
            response = client.post(_post_url(world, page), _post_data(world)[page])
            after = _snapshot(world)
            if response.status_code != expected:
                wrong.append(f"{persona}: expected {expected}, got {response.status_code}: {_problems(response)}")
            elif expected == 302 and after == before:
                wrong.append(f"{persona} was allowed {page} but nothing changed")
            elif expected == 302 and not response["Location"].startswith(
                reverse("rjcases:detail", args=[world["case"].reference])
            ):
                wrong.append(f"{persona} was sent to {response['Location']}")
            elif expected != 302 and after != before:
                wrong.append(f"{persona} was refused {page} but something changed")
            transaction.set_rollback(True)
    assert not wrong, f"POST {page}\n" + "\n".join(wrong)


def test_refused_write_gets_no_form_page_either(client, world):
    """A forbidden GET of a write form shows the error page, not the form."""
    client.force_login(world["users"]["police_referrer"])
    response = client.get(_urls(world)["note_add"])
    assert response.status_code == 403
    assert b'name="body"' not in response.content


# What the police never see


def _secrets(world) -> list[str]:
    harmed, responsible = world["harmed"], world["responsible"]
    return [
        harmed.first_name,
        harmed.last_name,
        harmed.phone,
        harmed.email,
        "1 Harmed Street",
        responsible.first_name,
        responsible.last_name,
        responsible.phone,
        responsible.email,
        "2 Responsible Road",
        "Secret note",
        "night shifts",
        "Meet at a neutral venue",
        "Racist abuse shouted",
    ]


@pytest.mark.parametrize(
    "page", ["detail", "people", "work", "letters", "timeline", "list", "dashboard", "transition_withdraw"]
)
def test_police_see_no_party_details_or_notes(client, world, page):
    client.force_login(world["users"]["police_referrer"])
    response = client.get(_urls(world)[page], follow=True)
    assert response.status_code in (200, 403)
    html = response.content.decode()
    leaked = [secret for secret in _secrets(world) if secret in html]
    assert not leaked, f"{page} shows the police {leaked}"


def test_police_see_reference_status_and_dates(client, world):
    client.force_login(world["users"]["police_referrer"])
    html = client.get(_urls(world)["detail"]).content.decode()
    case = world["case"]
    assert case.reference in html
    assert "Assessment" in html
    assert case.received_on.strftime("%-d %B %Y") in html
    # and the timeline of status changes, without who made them or why
    timeline = client.get(_urls(world)["timeline"]).content.decode()
    assert "Referral accepted" in timeline
    assert "by Mona Manager" not in timeline


def test_facilitator_sees_the_details_police_do_not(client, world):
    """The other side of the police test: the secrets are on the page for those entitled to them."""
    client.force_login(world["users"]["facilitator"])
    html = client.get(_urls(world)["people"]).content.decode()  # the case page's people, contacts and notes
    for secret in ["07700 900001", "harmed@example.org", "1 Harmed Street", "Secret note"]:
        assert secret in html


def test_reporting_centre_staff_see_their_own_report_without_details(client, centre_staff, police_referrer):
    report = refer(
        centre_staff,
        route_code="reporting-centre",
        report_kind="anonymous",
        consents_to_police=False,
        reporting_centre=centre_staff.organisation,
    )
    client.force_login(centre_staff)
    response = client.get(reverse("rjcases:detail", args=[report.reference]))
    assert response.status_code == 200
    html = response.content.decode()
    assert report.reference in html
    for secret in ["07700 900001", "harmed@example.org", "Testharmed"]:
        assert secret not in html
    assert (
        client.get(reverse("rjcases:party_detail", args=[report.reference, report.parties.first().pk])).status_code
        == 403
    )
    client.force_login(police_referrer)
    assert client.get(reverse("rjcases:detail", args=[report.reference])).status_code == 404


def test_every_case_url_is_in_the_table():
    """A new case URL must be added to this test's tables."""
    from rjcases import case_urls

    def named(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from named(pattern.url_patterns)
            else:
                yield pattern.name

    names = set(named(case_urls.urlpatterns))
    covered = {
        "list",
        "refer",
        "refer_route",
        "refer_step",
        "refer_person",
        "refer_person_remove",
        "refer_check",
        "refer_sent",
        "access_log",
        "detail",
        "people",
        "work",
        "letters",
        "timeline",
        "allocate",
        "party_detail",
        "party_add",
        "party_edit",
        "assess",
        "consent_add",
        "consent_withdraw",
        "sign_off",
        "note_add",
        "note_detail",
        "note_share",
        "no_longer_taking_part",
        "contact_add",
        "supervision",
        "transition",
        "duplicate_reviewed",
        "move_partnership",
        # The Victims' Code pages (rjcases.victims_code.urls): who may use each is tested beside them, in
        # tests/rjcases/test_victims_code_clocks.py and tests/rjcases/test_complaints.py.
        "code_report",
        "code_enhanced_rights",
        "complaint_add",
        "complaint_acknowledge",
        "complaint_respond",
    }
    assert names == covered


def test_reads_are_logged_for_every_persona_that_opens_the_case(client, world):
    for persona in ("manager", "facilitator", "police_referrer", "caseworker"):
        client.force_login(world["users"][persona])
        client.get(_urls(world)["detail"])
    readers = set(ReadAccess.objects.filter(case=world["case"], what="case").values_list("user__username", flat=True))
    assert readers == {"manager", "facilitator", "police", "caseworker"}


def test_a_referral_in_referral_state_can_be_withdrawn_by_the_referring_force_only(
    client, police_referrer, other_police_referrer
):
    case = refer(police_referrer)
    url = reverse("rjcases:transition", args=[case.reference, "withdraw"])
    data = {"seen_state": "referral", "withdrawn_by": "person harmed", "reason": "Victim does not want RJ"}
    client.force_login(other_police_referrer)
    assert client.post(url, data).status_code == 404
    client.force_login(police_referrer)
    assert client.get(url).status_code == 200
    assert client.post(url, data).status_code == 302
    case.refresh_from_db()
    assert case.state == Case.State.CLOSED
    assert case.outcome == Case.Outcome.WITHDRAWN
    assert (timezone.now() - case.closed_at) < timedelta(minutes=1)
