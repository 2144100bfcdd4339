"""Anonymisation (issue 15's done-when): a walked case with letters, history and feedback is anonymised, then every
column of every table of the database (introspected, history tables included) and every file of the letter store
is searched for each of its personal values: none is found; the figures do not change; the access log still shows
who read the case; the audit chain verifies. On SQLite and PostgreSQL alike (the suite runs on both)."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from audit.verify import verify_all
from conferences import services as conference_services
from insights import selectors as insights
from insights.selectors.common import Filters, Period
from letters.models import Letter
from letters.storage import letter_storage
from privacy import services
from privacy.models import Anonymisation, RetentionReview
from privacy.schedule import add_months
from rjcases import services as case_services
from rjcases.access_log import ReadAccess
from rjcases.exceptions import Refused
from rjcases.models import Case, CaseTransition, Complaint, Consent, Party
from rjcases.services.complaints import record_complaint
from tests.factories import incident_data
from tests.walk import plan_activity, refer, to_assessment

COMPLAINANT = Complaint.From.values[0]
HARMED = {"address": "17 Quillfeather Gardens, Urmston", "phone": "07700 911234", "email": "zephyrine@example.org"}
RESPONSIBLE = {"address": "3 Marrowbone Lane, Altrincham", "phone": "07700 955678", "email": "thaddeus@example.org"}
# Every personal value the case will hold, in its live rows, its history, its audit rows and its letters.
PERSONAL = [
    "Zephyrine",
    "Wolstenholme",
    "Thaddeus",
    "Brackenridge",
    "Quillfeather Gardens",
    "07700 911234",
    "zephyrine@example.org",
    "Marrowbone Lane",
    "07700 955678",
    "thaddeus@example.org",
    "07700 933333",  # an old phone number, kept only in history
    "1983-07-19",  # a date of birth
    "M41 9QZ",  # a postcode
    "Outside the Flixton chip shop",  # the incident's place
    "shouted slurs about her headscarf",  # the incident's summary
    "worried about the walk home",  # a note
    "answered on the second ring",  # a contact's notes
    "nervous about meeting him",  # an assessment's risk factors
    "the tea was cold",  # a feedback comment
    "paint the fence by Friday",  # an agreement action
    "spoke about the bus stop",  # the activity's summary
    "fixed the date by text",  # a transition's reason
    "closed after the fence was painted",  # the closure summary
    "the letter came late",  # a complaint
]


def walk(police_referrer, manager, facilitator, client):
    parties = [
        case_services.PartyData(Party.Role.HARMED, "Zephyrine", "Wolstenholme", HARMED),
        case_services.PartyData(Party.Role.RESPONSIBLE, "Thaddeus", "Brackenridge", RESPONSIBLE),
    ]
    incident = incident_data(
        place="Outside the Flixton chip shop", summary="He shouted slurs about her headscarf.", postcode="M41 9QZ"
    )
    case = to_assessment(refer(police_referrer, parties=parties, incident=incident), manager, facilitator)
    harmed = case.parties.get(role=Party.Role.HARMED)
    responsible = case.parties.get(role=Party.Role.RESPONSIBLE)
    today = timezone.localdate()
    for party, risks in ((harmed, "She is nervous about meeting him."), (responsible, "")):
        responsible_party = party.role == Party.Role.RESPONSIBLE
        case_services.record_assessment(
            party,
            facilitator,
            assessed_on=today,
            risk_level="low",
            risk_factors=risks,
            willing=True,
            acknowledges_facts=True if responsible_party else None,
            accepts_responsibility=True if responsible_party else None,
        )
        case_services.record_consent(
            party, facilitator, purpose=Consent.Purpose.PARTICIPATE, given_on=today, method=Consent.Method.SIGNED_FORM
        )
    case = case_services.case_find_suitable(case, facilitator)
    case_services.update_party(harmed, facilitator, phone="07700 933333")  # the old number stays in history
    case_services.update_party(harmed, facilitator, phone=HARMED["phone"], date_of_birth=date(1983, 7, 19))
    case_services.add_note(case, facilitator, body="She is worried about the walk home.")
    case_services.record_contact(
        case,
        facilitator,
        party=harmed,
        at=timezone.now() - timedelta(hours=2),
        method="phone",
        result="reached",
        notes="She answered on the second ring.",
    )
    record_complaint(case, facilitator, complainant=COMPLAINANT, about="The letter came late.", received_on=today)
    plan_activity(case, facilitator)
    case = case_services.case_schedule_activity(case, facilitator, note="We fixed the date by text.")
    conference_services.record_activity_took_place(
        case.current_activity,
        facilitator,
        took_place_on=today,
        attended=[harmed, responsible],
        summary="They spoke about the bus stop.",
        agreement_reached=True,
    )
    conference_services.save_agreement(case, facilitator, signed_on=today, signatories=[harmed, responsible])
    action = conference_services.add_action(
        case,
        facilitator,
        kind="reparation",
        what="Thaddeus will paint the fence by Friday",
        due_on=today + timedelta(days=7),
        how_checked="Zephyrine Wolstenholme will say",
        responsible_party=responsible,
    )
    case = case_services.case_record_agreement(case, facilitator)
    conference_services.mark_action_done(
        action, facilitator, resolved_on=timezone.localdate(), evidence_note="Photo seen", told_method="phone"
    )
    case = case_services.case_complete(case, facilitator, summary="We closed after the fence was painted.")
    for party in (harmed, responsible):
        conference_services.record_feedback(
            case, facilitator, party=party, satisfied=True, felt="better", comments="Fine, but the tea was cold."
        )
    client.force_login(facilitator)
    assert client.get(reverse("rjcases:detail", args=[case.reference])).status_code == 200
    assert client.get(reverse("rjcases:party_detail", args=[case.reference, harmed.pk])).status_code == 200
    return Case.objects.get(pk=case.pk)


def figures():
    """The hotspot, performance and quarterly-return figures of this year, as text to compare."""
    today = timezone.localdate()
    period = Period(date(today.year, 1, 1), date(today.year, 12, 31))
    ref = insights.load_reference()
    hotspots = insights.hotspots(Filters(period=period), ref)
    performance = insights.performance(Filters(period=period), ref, with_facilitators=True, today=today)
    _, lines = insights.quarterly_return(today.year, (today.month - 1) // 3 + 1, ref, today=today)
    return {"hotspots": repr(hotspots), "performance": repr(performance)} | {line.code: line.value for line in lines}


def tables_holding(values: list[str]) -> dict[str, list[str]]:
    """For each of ``values``, every table and column of the database whose value contains it, ignoring case:
    every table the database has (introspected, history tables included) and every column, cast to text."""
    found: dict[str, list[str]] = {}
    quote = connection.ops.quote_name
    wanted = [(value, value.lower()) for value in values]
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            cast = ", ".join(f"LOWER(CAST({quote(c)} AS TEXT))" for c in columns)
            cursor.execute(f"SELECT {cast} FROM {quote(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for column, text in zip(columns, row, strict=True):
                    for value, lowered in wanted:
                        if text and lowered in text and f"{table}.{column}" not in found.get(value, []):
                            found.setdefault(value, []).append(f"{table}.{column}")
    return found


def stored_files() -> dict[str, str]:
    """Every file in the letter store, with its text (a PDF's extracted text, else its bytes as text)."""
    files = {}

    def walk_folder(folder):
        folders, names = letter_storage.listdir(folder)
        for name in names:
            path = f"{folder}/{name}" if folder else name
            with letter_storage.open(path) as handle:
                data = handle.read()
            text = data.decode("latin-1")
            if data.startswith(b"%PDF"):
                text += "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)
            files[path] = text
        for sub in folders:
            walk_folder(f"{folder}/{sub}" if folder else sub)

    walk_folder("")
    return files


def decided_review(case, manager):
    closed = timezone.localdate(case.closed_at)
    [review] = services.queue_retention_reviews(today=add_months(closed, 73))
    assert review.case_id == case.pk
    assert review.decision == ""
    return review


@pytest.mark.letter_files
@pytest.mark.django_db
def test_anonymising_a_walked_case_leaves_none_of_its_personal_values_anywhere(
    police_referrer, manager, facilitator, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = walk(police_referrer, manager, facilitator, client)
    letters = list(Letter.objects.filter(case=case))
    assert letters
    assert all(letter.file for letter in letters)
    files_before = stored_files()
    assert {letter.file.name for letter in letters} <= set(files_before)
    # The values are there before: the search finds each one (so it would find what is left after).
    everywhere = tables_holding(PERSONAL)
    assert set(everywhere) == set(PERSONAL), set(PERSONAL) - set(everywhere)
    assert any("historical" in t for t in everywhere["07700 933333"])
    assert any(PERSONAL[0] in text for text in files_before.values())
    before = figures()

    review = decided_review(case, manager)
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_anonymise(review, manager, reason="Six years after closure; nothing requires it.")

    assert tables_holding(PERSONAL) == {}
    files_after = stored_files()
    assert not {letter.file.name for letter in letters} & set(files_after)
    assert [path for path, text in files_after.items() if any(v.lower() in text.lower() for v in PERSONAL)] == []
    after = figures()
    assert {k: (v, after[k]) for k, v in before.items() if after[k] != v} == {}
    case.refresh_from_db()
    assert case.reference
    assert case.state == Case.State.CLOSED
    assert case.outcome == Case.Outcome.AGREEMENT_FULFILLED
    assert ReadAccess.objects.filter(case=case, user=facilitator, what="case").exists()
    assert ReadAccess.objects.filter(case=case, user=facilitator, what="party").exists()
    record = Anonymisation.objects.get(case=case)
    assert (record.by, record.review, record.rule, record.scope) == (manager, review, review.rule, "case")
    assert record.rows["rjcases_historicalparty"] >= 4
    assert all(report.intact for report in verify_all()), [str(p) for r in verify_all() for p in r.problems]
    assert CaseTransition.objects.filter(case=case).count() == 6  # the moves stay, for the durations


@pytest.mark.django_db
def test_verify_accepts_blanking_only_with_its_anonymisation_record(police_referrer, manager):
    from audit.chain import blank_personal

    case = refer(police_referrer)
    case_services.case_decline(case, manager, reason="Out of area: Zephyrine lives in Leeds.")
    with connection.cursor():
        blank_personal(CaseTransition, case_id=case.pk)
    [report] = [r for r in verify_all() if r.chain == "transitions"]
    assert [p.kind for p in report.problems] == ["changed"] * 2
    assert "blanked with no anonymisation recorded" in report.problems[0].message

    review = decided_review_for_decline(case)
    services.decide_anonymise(review, manager, reason="Two years after the decline.")
    assert all(r.intact for r in verify_all())


def decided_review_for_decline(case):
    [review] = services.queue_retention_reviews(today=add_months(timezone.localdate(case.closed_at), 25))
    return review


@pytest.mark.django_db
def test_nothing_is_anonymised_without_a_decision(police_referrer, manager):
    case = refer(police_referrer)
    case = case_services.case_decline(case, manager, reason="Out of area.")
    review = decided_review_for_decline(case)
    with pytest.raises(Refused):
        services.anonymise_case(review, manager)
    assert not Anonymisation.objects.exists()
    assert Party.objects.filter(case=case, first_name="Amina").exists()
    services.decide_keep(
        review, manager, reason="A complaint is open.", next_review_on=timezone.localdate() + timedelta(1)
    )
    with pytest.raises(Refused):
        services.anonymise_case(RetentionReview.objects.get(pk=review.pk), manager)
    assert not Anonymisation.objects.exists()


@pytest.mark.django_db
def test_a_rule_that_says_anonymise_anonymises_with_the_rule_as_its_basis(police_referrer, manager):
    from privacy.models import RetentionRule

    RetentionRule.objects.filter(kind=RetentionRule.Kind.REFERRAL_DECLINED).update(then="anonymise")
    case = case_services.case_decline(refer(police_referrer), manager, reason="Out of area.")
    decided_review_for_decline(case)
    record = Anonymisation.objects.get(case=case)
    assert record.by is None
    assert record.rule.kind == RetentionRule.Kind.REFERRAL_DECLINED
    assert not Party.objects.filter(case=case, first_name="Amina").exists()
    assert not services.queue_retention_reviews(today=add_months(timezone.localdate(), 30))  # never again


@pytest.mark.django_db
def test_the_anonymisation_record_is_append_only(police_referrer, manager):
    from audit.chain import AppendOnly

    case = case_services.case_decline(refer(police_referrer), manager, reason="Out of area.")
    services.decide_anonymise(decided_review_for_decline(case), manager, reason="Due.")
    record = Anonymisation.objects.get(case=case)
    with pytest.raises(AppendOnly):
        record.save()
    with pytest.raises(AppendOnly):
        Anonymisation.objects.all().delete()
    if connection.vendor == "postgresql":
        from django.db import DatabaseError, transaction

        def run(*statements):
            with transaction.atomic(), connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)

        for sql in ("UPDATE privacy_anonymisation SET scope = 'person'", "DELETE FROM privacy_anonymisation"):
            with pytest.raises(DatabaseError, match="append-only"):
                run(sql)
        # The transition log lets an anonymisation blank only its personal fields: nothing else, even while blanking.
        blanking = "SELECT set_config('rj.audit_blanking', 'on', true)"
        with pytest.raises(DatabaseError, match="append-only"):
            run(blanking, "UPDATE rjcases_casetransition SET personal_salt = '', reason = '', name = 'forged'")
        with pytest.raises(DatabaseError, match="append-only"):
            run(blanking, """UPDATE rjcases_casetransition SET personal_salt = '', reason = '', data = '{"x": 1}'""")


@pytest.mark.django_db
def test_an_anonymised_case_still_opens_and_its_letters_say_what_became_of_them(police_referrer, manager, client):
    case = case_services.case_decline(refer(police_referrer), manager, reason="Out of area.")
    services.decide_anonymise(decided_review_for_decline(case), manager, reason="Due.")
    client.force_login(manager)
    for section in ("detail", "people", "work", "letters"):
        page = client.get(reverse(f"rjcases:{section}", args=[case.reference]))
        assert page.status_code == 200
        assert "Amina" not in page.content.decode()
    assert client.get(reverse("rjcases:timeline", args=[case.reference])).status_code == 200
    letter = Letter.objects.filter(case=case).first()
    assert letter.file_status == Letter.FileStatus.REMOVED
    assert letter.content == {"anonymised": True}
    page = client.get(reverse("letters:accessible", args=[case.reference, letter.pk]))
    assert page.status_code == 410
    assert "removed when the case was anonymised" in page.content.decode()
