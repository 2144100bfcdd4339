"""A letter's file is written after its transaction commits, by an idempotent task: a rolled-back move leaves no
file and no row; a file that cannot be written is shown as such on the case page, the letter and the print run,
and is written again by "Try again" or ``manage.py write_letter_files``."""

import hashlib
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.template import Context, Template
from pypdf import PdfReader

from letters import files, services
from letters.files import RENDER_FAILED
from letters.models import Letter, LetterKind
from letters.renderer import LetterRenderer
from letters.tasks import write_letter_files
from rjcases.models import Case
from tests.letters.conftest import files_written
from tests.walk import to_agreement, to_assessment

pytestmark = pytest.mark.letter_files


class RolledBack(Exception):
    pass


def letter_files(media_root) -> list[Path]:
    return sorted((Path(media_root) / "letters").rglob("*")) if (Path(media_root) / "letters").exists() else []


def broken(self, content):
    raise RuntimeError("renderer broke")


@pytest.fixture
def broken_renderer(monkeypatch):
    monkeypatch.setattr(LetterRenderer, "render_with_page_count", broken)


@pytest.fixture
def failed_case(letters_case, manager, facilitator, monkeypatch):
    """Accepted, its three letters' files written; then the RJ information letter regenerated while the
    renderer was broken, so its pending version 2 has no file."""
    with files_written():
        case = to_assessment(letters_case, manager, facilitator)
    with monkeypatch.context() as patch, files_written():
        patch.setattr(LetterRenderer, "render_with_page_count", broken)
        services.regenerate_letter(case.letters.get(kind=LetterKind.RJ_INFORMATION), facilitator)
    return case


def failed_letter(case) -> Letter:
    return case.letters.get(file_status=Letter.FileStatus.FAILED)


def as_user(client, user):
    client.force_login(user)
    return client


# ---------------------------------------------------------------------------------------------------
# After the commit, never inside the move


def test_a_move_stores_pending_rows_and_renders_only_after_it_commits(
    letters_case, manager, facilitator, letters_media_root, monkeypatch
):
    rendered = []
    real = LetterRenderer.render_with_page_count
    monkeypatch.setattr(
        LetterRenderer,
        "render_with_page_count",
        lambda self, content: rendered.append(content.recipient_name) or real(self, content),
    )
    with files_written() as callbacks:
        case = to_assessment(letters_case, manager, facilitator)
        assert rendered == []
        assert letter_files(letters_media_root) == []
        assert {
            (letter.file_status, letter.file.name, letter.sha256, letter.size, letter.pages)
            for letter in case.letters.all()
        } == {(Letter.FileStatus.PENDING, "", "", None, None)}
    # One queued write for the move's letters, run once it commits (the move's emails queue their own sending).
    assert [c.func.__name__ for c in callbacks].count("enqueue_letter_files") == 1
    assert len(rendered) == 3
    for letter in case.letters.all():
        assert letter.file_status == Letter.FileStatus.WRITTEN
        with letter.file.open("rb") as handle:
            assert handle.read().startswith(b"%PDF-")
        assert letter.pages >= 1


def test_a_rolled_back_move_leaves_no_file_and_no_letter(letters_case, manager, facilitator, letters_media_root):
    prepared = []

    def move_then_fail():
        with transaction.atomic():
            to_assessment(letters_case, manager, facilitator)  # prepares its letters, then the block fails
            prepared.append(Letter.objects.count())
            raise RolledBack

    with files_written():
        with pytest.raises(RolledBack):
            move_then_fail()
    assert prepared == [3]
    assert not Letter.objects.exists()
    assert letter_files(letters_media_root) == []
    assert Case.objects.get(pk=letters_case.pk).state == Case.State.REFERRAL


def test_a_letter_made_on_demand_gets_its_file_after_commit(letters_case, manager, facilitator):
    with files_written():
        case = to_assessment(letters_case, manager, facilitator)
    with files_written():
        letter = services.generate_letter(
            case,
            facilitator,
            kind=LetterKind.INVITATION,
            recipient_key=case.letters.get(kind=LetterKind.INVITATION).recipient_key,
        )
        assert letter.file_status == Letter.FileStatus.PENDING
    letter.refresh_from_db()
    assert (letter.version, letter.file_status) == (2, Letter.FileStatus.WRITTEN)


def test_with_letter_files_switched_off_nothing_is_queued_and_letters_stay_pending(
    letters_case, manager, facilitator, settings, letters_media_root
):
    settings.RJ_LETTER_FILES = False
    with files_written():
        case = to_assessment(letters_case, manager, facilitator)
    assert set(case.letters.values_list("file_status", flat=True)) == {Letter.FileStatus.PENDING}
    assert letter_files(letters_media_root) == []


# ---------------------------------------------------------------------------------------------------
# The task is idempotent


def test_the_task_run_twice_writes_one_file(letters_case, manager, facilitator, letters_media_root, settings):
    settings.RJ_LETTER_FILES = False
    case = to_assessment(letters_case, manager, facilitator)
    ids = sorted(case.letters.values_list("pk", flat=True))
    first = write_letter_files.call(ids)
    written = {letter.pk: (letter.file.name, letter.sha256) for letter in case.letters.all()}
    second = write_letter_files.call([*ids, 999999])
    assert (first, second) == ({"written": ids}, {"skipped": ids, "missing": [999999]})
    assert {letter.pk: (letter.file.name, letter.sha256) for letter in case.letters.all()} == written
    assert len(letter_files(letters_media_root)) == 3 + 2  # three files, in a year and a month folder


def test_two_runs_racing_keep_one_file(letters_case, manager, facilitator, letters_media_root, settings, monkeypatch):
    settings.RJ_LETTER_FILES = False
    case = to_assessment(letters_case, manager, facilitator)
    letter = case.letters.get(kind=LetterKind.RJ_INFORMATION)
    real = LetterRenderer.render_with_page_count
    raced = []

    def render_while_another_run_finishes(self, content):
        if not raced:
            raced.append("started")
            raced.append(files.write_letter_file(letter.pk))  # the other run, finishing first
        return real(self, content)

    monkeypatch.setattr(LetterRenderer, "render_with_page_count", render_while_another_run_finishes)
    assert (files.write_letter_file(letter.pk), raced) == ("skipped", ["started", "written"])
    letter.refresh_from_db()
    pdfs = [p for p in letter_files(letters_media_root) if p.is_file()]
    assert [str(p.relative_to(letters_media_root)) for p in pdfs] == [letter.file.name]


# ---------------------------------------------------------------------------------------------------
# A file that could not be written: shown, and written again


def test_a_failed_file_keeps_the_error_and_cannot_be_downloaded(failed_case, client, facilitator):
    letter = failed_letter(failed_case)
    assert (letter.version, letter.status, letter.file_error) == (
        2,
        Letter.Status.PENDING,
        f"{RENDER_FAILED} (RuntimeError). The details are in the service's log.",
    )
    with pytest.raises(files.LetterFileNotWritten, match="could not be written"):
        services.letter_bytes(letter)
    response = as_user(client, facilitator).get(f"/letters/case/{failed_case.reference}/{letter.pk}/pdf/")
    assert response.status_code == 409
    assert "could not be written" in response.content.decode()


def test_the_case_page_panel_shows_a_letter_without_its_file(failed_case, facilitator):
    html = Template('{% include "letters/_case_letters.html" %}').render(
        Context({"case": failed_case, "user": facilitator})
    )
    assert html.count('data-testid="letter-file-failed"') == 1
    assert "File could not be written" in html


def test_the_letter_page_says_why_and_offers_try_again(failed_case, client, facilitator):
    letter = failed_letter(failed_case)
    html = as_user(client, facilitator).get(f"/letters/case/{failed_case.reference}/{letter.pk}/").content.decode()
    assert "This letter cannot be printed or sent yet. Its file could not be written." in html
    assert f"{RENDER_FAILED} (RuntimeError)" in html.replace("&#x27;", "'")
    assert "renderer broke" not in html
    assert f'action="/letters/case/{failed_case.reference}/{letter.pk}/write-file/"' in html
    assert "Download the PDF" not in html


def test_try_again_writes_the_file(failed_case, client, facilitator):
    letter = failed_letter(failed_case)
    url = f"/letters/case/{failed_case.reference}/{letter.pk}/write-file/"
    as_user(client, facilitator)
    assert client.get(url).status_code == 405
    with files_written():  # the request's transaction commits, and the immediate backend writes the file
        response = client.post(url)
    assert (response.status_code, response["Location"]) == (302, f"/letters/case/{failed_case.reference}/{letter.pk}/")
    letter.refresh_from_db()
    assert (letter.file_status, letter.file_error) == (Letter.FileStatus.WRITTEN, "")
    assert services.letter_bytes(letter).startswith(b"%PDF-")


def test_try_again_while_it_still_fails_keeps_it_failed(letters_case, manager, facilitator, client, broken_renderer):
    with files_written():
        case = to_assessment(letters_case, manager, facilitator)
    letter = case.letters.get(kind=LetterKind.INVITATION)
    with files_written():
        response = as_user(client, facilitator).post(f"/letters/case/{case.reference}/{letter.pk}/write-file/")
    page = client.get(response["Location"]).content.decode()
    assert "This letter cannot be printed or sent yet. Its file could not be written." in page
    letter.refresh_from_db()
    assert (letter.file_status, letter.file_error) == (
        Letter.FileStatus.FAILED,
        f"{RENDER_FAILED} (RuntimeError). The details are in the service's log.",
    )
    assert "renderer broke" not in page  # the error's own text is for the log


def test_try_again_needs_the_csrf_token(failed_case, facilitator):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(facilitator)
    letter = failed_letter(failed_case)
    assert client.post(f"/letters/case/{failed_case.reference}/{letter.pk}/write-file/").status_code == 403
    letter.refresh_from_db()
    assert letter.file_status == Letter.FileStatus.FAILED


def test_try_again_is_for_the_cases_facilitator_or_a_manager(
    failed_case, other_facilitator, police_referrer, manager, client
):
    letter = failed_letter(failed_case)
    url = f"/letters/case/{failed_case.reference}/{letter.pk}/write-file/"
    for outsider in (other_facilitator, police_referrer):
        assert as_user(client, outsider).post(url).status_code == 404
    letter.refresh_from_db()
    assert letter.file_status == Letter.FileStatus.FAILED
    with files_written():
        assert as_user(client, manager).post(url).status_code == 302
    letter.refresh_from_db()
    assert letter.file_status == Letter.FileStatus.WRITTEN


def test_the_print_run_shows_it_and_neither_prints_nor_marks_it_sent(failed_case, client, facilitator):
    letter = failed_letter(failed_case)
    day = letter.generated_at.date().isoformat()
    as_user(client, facilitator)
    html = client.get(f"/letters/print-run/?date={day}").content.decode()
    assert "1 letter created on" in html
    assert "cannot be printed or marked as sent yet" in html
    assert "2 letters created on" in html  # the two with their files
    assert f'name="letter" value="{letter.pk}"' not in html
    assert f'name="letters" value="{letter.pk}"' not in html
    assert f'action="/letters/case/{failed_case.reference}/{letter.pk}/write-file/"' in html

    pdf = client.get(f"/letters/print-run/letters.pdf?date={day}")
    reader = PdfReader(io.BytesIO(pdf.content))
    assert "Restorative justice: information for you" not in "".join(page.extract_text() for page in reader.pages)
    only_failed = client.get(f"/letters/print-run/letters.pdf?date={day}&letter={letter.pk}")
    assert only_failed.status_code == 302

    ids = list(failed_case.letters.filter(status=Letter.Status.PENDING).values_list("pk", flat=True))
    client.post("/letters/print-run/", {"letters": ids, "date": day})
    letter.refresh_from_db()
    assert letter.status == Letter.Status.PENDING
    assert failed_case.letters.filter(status=Letter.Status.SENT).count() == 2


def test_try_again_from_the_print_run_returns_to_it(failed_case, client, facilitator):
    letter = failed_letter(failed_case)
    day = letter.generated_at.date().isoformat()
    response = as_user(client, facilitator).post(
        f"/letters/case/{failed_case.reference}/{letter.pk}/write-file/", {"back_to": "print_run", "date": day}
    )
    assert response["Location"] == f"/letters/print-run/?date={day}"


def test_the_command_writes_pending_and_failed_files_and_says_what_it_did(failed_case, settings, manager):
    settings.RJ_LETTER_FILES = False
    failed = failed_letter(failed_case)
    pending = services.generate_letter(
        failed_case,
        manager,
        kind=LetterKind.INVITATION,
        recipient_key=failed_case.letters.get(kind=LetterKind.INVITATION).recipient_key,
    )
    out = io.StringIO()
    call_command("write_letter_files", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines == [
        f"{failed_case.reference} letter {failed.pk} (Restorative justice information, version 2): written",
        f"{failed_case.reference} letter {pending.pk} (Invitation to take part, version 2): written",
        "Letter files: 2 written.",
    ]
    assert failed.recipient_name not in out.getvalue()  # a cron log line names no one
    assert not Letter.objects.exclude(file_status=Letter.FileStatus.WRITTEN).exists()
    out = io.StringIO()
    call_command("write_letter_files", stdout=out)
    assert out.getvalue().splitlines() == ["Letter files: no letter needed it."]


def test_the_command_reports_a_file_that_still_fails(failed_case, monkeypatch):
    def broken(self, content):
        raise RuntimeError("still broken")

    monkeypatch.setattr(LetterRenderer, "render_with_page_count", broken)
    letter = failed_letter(failed_case)
    out = io.StringIO()
    call_command("write_letter_files", "--failed-only", stdout=out)
    assert out.getvalue().splitlines() == [
        f"{failed_case.reference} letter {letter.pk} (Restorative justice information, version 2): failed: "
        f"{RENDER_FAILED} (RuntimeError). The details are in the service's log.",
        "Letter files: 1 failed.",
    ]


def test_the_command_can_leave_letters_just_made_to_their_own_task(failed_case, monkeypatch):
    """The hourly run (--older-than-minutes 10) does not race the task of a letter made a moment ago."""
    letter = failed_letter(failed_case)
    out = io.StringIO()
    call_command("write_letter_files", "--older-than-minutes", "10", stdout=out)
    assert out.getvalue().splitlines() == ["Letter files: no letter needed it."]
    Letter.objects.filter(pk=letter.pk).update(generated_at=letter.generated_at - timedelta(minutes=11))
    call_command("write_letter_files", "--older-than-minutes", "10", stdout=io.StringIO())
    letter.refresh_from_db()
    assert letter.file_status == Letter.FileStatus.WRITTEN


# ---------------------------------------------------------------------------------------------------
# What a letter costs in queries, and what marking its file written records


def test_generating_one_letter_and_writing_its_file_take_a_pinned_number_of_queries(
    letters_case, manager, facilitator, django_assert_num_queries
):
    with files_written():
        case = to_assessment(letters_case, manager, facilitator)
    key = case.letters.get(kind=LetterKind.INVITATION).recipient_key
    # The row and its history in one transaction (a savepoint here, inside the test's): the case locked with its
    # incident and facilitator, its parties, the wording, the letterhead, the earlier versions, the insert, the
    # history row, the earlier version marked replaced with its history row; then the file's fields read back,
    # since inside the test's transaction the file is not written yet; then (when the block ends, as a commit
    # would) the file written from the row in hand, its format and content not read again: one UPDATE.
    with django_assert_num_queries(14):
        with files_written():
            letter = services.generate_letter(case, facilitator, kind=LetterKind.INVITATION, recipient_key=key)
    # The file task: one read of what rendering needs, one conditional update (was: read, lock, update, history).
    Letter.objects.filter(pk=letter.pk).update(file_status=Letter.FileStatus.PENDING, file="", sha256="")
    with django_assert_num_queries(2):
        assert files.write_letter_file(letter.pk) == files.WRITTEN


ON_DEMAND_QUERIES = {
    # BEGIN, the case locked (with its incident, facilitator and partnership), its parties, the wording, the
    # letterhead, the earlier versions, the insert, its history row, COMMIT; then the file marked written (one
    # conditional UPDATE): the row in hand is rendered and shows its file, nothing is read back.
    LetterKind.RJ_INFORMATION: 10,
    # The same: the referring user, their organisation and whether they are staff come with the case.
    LetterKind.REFERRAL_ACKNOWLEDGEMENT: 10,
    # And the activity (with its facilitators), its interpreter bookings and the keys of those invited.
    LetterKind.ACTIVITY_CONFIRMATION: 13,
    # And the agreement and its actions (those responsible are the case's parties, read already).
    LetterKind.OUTCOME_AGREEMENT: 12,
}


@pytest.mark.django_db(transaction=True)
def test_each_kind_of_letter_made_on_demand_and_committed_takes_a_pinned_number_of_queries(
    letters_case, manager, facilitator, django_assert_num_queries
):
    """Outside any test transaction, as a request makes it: the commit runs the file's writing at once (Django's
    immediate tasks backend), and the letter returned shows its file as stored."""
    case = to_agreement(letters_case, manager, facilitator, actions=2)
    for kind, queries in ON_DEMAND_QUERIES.items():
        made = case.letters.filter(kind=kind).order_by("pk").first()
        key = made.recipient_key
        services.generate_letter(case, facilitator, kind=kind, recipient_key=key)  # facilitator's roles read once
        services.mark_sent(facilitator, list(case.letters.filter(kind=kind, status=Letter.Status.PENDING)))
        replaced = case.letters.filter(status=Letter.Status.SUPERSEDED).count()
        with django_assert_num_queries(queries):  # making a letter, not also replacing a pending one
            letter = services.generate_letter(case, facilitator, kind=kind, recipient_key=key)
        assert case.letters.filter(status=Letter.Status.SUPERSEDED).count() == replaced
        stored = Letter.objects.get(pk=letter.pk)
        assert letter.file_status == stored.file_status == Letter.FileStatus.WRITTEN
        assert (letter.file.name, letter.sha256, letter.size, letter.pages, letter.file_written_at) == (
            stored.file.name,
            stored.sha256,
            stored.size,
            stored.pages,
            stored.file_written_at,
        )
        assert letter.content == stored.content == made.content | {"letter_date": letter.content["letter_date"]}


def test_marking_the_file_written_records_when_and_its_sha256_and_later_history_keeps_them(
    letters_case, manager, facilitator, letters_media_root
):
    with files_written():
        case = to_assessment(letters_case, manager, facilitator)
    letter = case.letters.get(kind=LetterKind.RJ_INFORMATION)
    stored = (Path(letters_media_root) / letter.file.name).read_bytes()
    assert letter.sha256 == hashlib.sha256(stored).hexdigest()
    assert letter.file_written_at is not None
    assert letter.file_written_at >= letter.generated_at
    assert list(letter.history.values_list("history_change_reason", flat=True)) == ["version 1 generated"]
    services.mark_sent(facilitator, [letter])
    sent = letter.history.latest()
    assert (sent.history_change_reason, sent.sha256, sent.file_written_at, sent.file) == (
        "sent",
        letter.sha256,
        letter.file_written_at,
        letter.file.name,
    )


def test_a_letter_anonymised_while_its_file_renders_is_not_written_over(
    letters_case, manager, facilitator, letters_media_root, settings, monkeypatch
):
    settings.RJ_LETTER_FILES = False
    case = to_assessment(letters_case, manager, facilitator)
    letter = case.letters.get(kind=LetterKind.RJ_INFORMATION)
    real = LetterRenderer.render_with_page_count

    def render_while_the_case_is_anonymised(self, content):
        Letter.objects.filter(pk=letter.pk).update(file_status=Letter.FileStatus.REMOVED)  # as anonymise does
        return real(self, content)

    monkeypatch.setattr(LetterRenderer, "render_with_page_count", render_while_the_case_is_anonymised)
    assert files.write_letter_file(letter.pk) == files.SKIPPED
    letter.refresh_from_db()
    assert (letter.file_status, letter.file.name, letter.sha256, letter.file_written_at) == (
        Letter.FileStatus.REMOVED,
        "",
        "",
        None,
    )
    assert [p for p in letter_files(letters_media_root) if p.is_file()] == []
    assert files.write_letter_file(letter.pk) == files.SKIPPED  # and a later run leaves it removed
    assert letter.pk not in set(files.letters_without_files().values_list("pk", flat=True))
