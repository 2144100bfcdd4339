"""Letter files in an S3-compatible bucket (``RJ_STORAGE_URL``), against a real S3 server (moto's server mode):
written private with server-side encryption requested, read back and downloaded through the app (never a bucket
URL), swept of files no letter points at, and a bucket that does not answer gives a failed letter file (with
"Try again") and a clear page, never a 500."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command

from letters import files, services
from letters.files import STORE_FAILED
from letters.models import Letter, LetterKind
from letters.storage import storage_ready
from rjcases.models import ReadAccess
from tests.buckets import closed_port, storage_url, use_letter_store
from tests.letters.conftest import files_written
from tests.walk import to_assessment

pytestmark = [pytest.mark.django_db, pytest.mark.letter_files]


def as_user(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def written_case(letters_case, manager, facilitator, letter_bucket):
    """Accepted, with its three letters' files written to the bucket."""
    with files_written():
        return to_assessment(letters_case, manager, facilitator)


def test_a_moves_letters_are_written_to_the_bucket_encrypted_and_private(written_case, letter_bucket, settings):
    names = sorted(written_case.letters.values_list("file", flat=True))
    assert len(names) == 3
    assert letter_bucket.keys() == names
    for letter in written_case.letters.all():
        head = letter_bucket.client.head_object(Bucket=letter_bucket.name, Key=letter.file.name)
        assert head["ServerSideEncryption"] == "AES256"
        assert head["ContentType"] == "application/pdf"
        grants = letter_bucket.client.get_object_acl(Bucket=letter_bucket.name, Key=letter.file.name)["Grants"]
        assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]  # the owner only: private
        assert all(grant["Grantee"].get("URI") is None for grant in grants)  # no AllUsers / AuthenticatedUsers
        data = services.letter_bytes(letter)
        assert data.startswith(b"%PDF-")
        assert data == letter_bucket.body(letter.file.name)
    assert not (settings.MEDIA_ROOT / "letters").exists()  # nothing on this machine's disk


def test_a_kms_key_id_asks_for_kms_encryption(
    letters_case, manager, facilitator, moto_endpoint, letter_bucket, settings
):
    key_id = "arn:aws:kms:eu-west-2:123456789012:key/00000000-0000-0000-0000-000000000000"
    use_letter_store(
        settings, storage_url(letter_bucket.name, moto_endpoint, addressing_style="path", kms_key_id=key_id)
    )
    with files_written():
        case = to_assessment(letters_case, manager, facilitator)
    letter = case.letters.get(kind=LetterKind.RJ_INFORMATION)
    head = letter_bucket.client.head_object(Bucket=letter_bucket.name, Key=letter.file.name)
    assert (head["ServerSideEncryption"], head["SSEKMSKeyId"]) == ("aws:kms", key_id)


def test_the_facilitator_downloads_from_the_bucket_through_the_app(written_case, letter_bucket, client, facilitator):
    letter = written_case.letters.get(kind=LetterKind.RJ_INFORMATION)
    path = f"/letters/case/{written_case.reference}/{letter.pk}/pdf/"
    response = as_user(client, facilitator).get(path)
    assert (response.status_code, response.streaming, response["Content-Type"]) == (200, True, "application/pdf")
    assert response["Content-Disposition"] == f'attachment; filename="{letter.download_name}"'
    assert "no-store" in response["Cache-Control"]
    assert response.getvalue() == letter_bucket.body(letter.file.name)
    assert letter_bucket.name not in str(response.headers)  # no redirect to, or mention of, the bucket
    read = ReadAccess.objects.get(what="document")
    assert (read.user, read.object_id, read.path) == (facilitator, str(letter.pk), path)


def test_the_api_downloads_from_the_bucket(written_case, letter_bucket, api_client, facilitator):
    letter = written_case.letters.get(kind=LetterKind.INVITATION)
    response = api_client(facilitator).get(f"/api/v1/cases/{written_case.reference}/letters/{letter.pk}/pdf/")
    assert (response.status_code, response.streaming) == (200, True)
    assert response.getvalue() == letter_bucket.body(letter.file.name)
    assert ReadAccess.objects.filter(user=facilitator, what="document", object_id=str(letter.pk)).exists()


def test_the_print_run_reads_the_bucket(written_case, letter_bucket):
    letters = list(written_case.letters.all())
    assert services.print_run_pdf(letters).startswith(b"%PDF-")


def test_the_sweep_deletes_only_files_no_letter_points_at(written_case, letter_bucket, moto_endpoint, settings):
    kept = set(written_case.letters.values_list("file", flat=True))
    letter_bucket.client.put_object(Bucket=letter_bucket.name, Key="letters/2026/01/left-behind.pdf", Body=b"%PDF-")
    letter_bucket.client.put_object(Bucket=letter_bucket.name, Key="elsewhere/not-a-letter.pdf", Body=b"x")

    assert services.orphaned_letter_files(timedelta(hours=1)) == []  # too recent: may still be in progress
    assert services.orphaned_letter_files(timedelta(0)) == ["letters/2026/01/left-behind.pdf"]
    call_command("sweep_letter_files", "--older-than-hours", "0", "--delete", stdout=io.StringIO())
    assert set(letter_bucket.keys()) == kept | {"elsewhere/not-a-letter.pdf"}


def test_the_sweep_and_the_files_keep_to_the_urls_prefix(
    letters_case, manager, facilitator, moto_endpoint, letter_bucket, settings
):
    use_letter_store(settings, storage_url(letter_bucket.name, moto_endpoint, "region-one", addressing_style="path"))
    with files_written():
        case = to_assessment(letters_case, manager, facilitator)
    names = set(case.letters.values_list("file", flat=True))
    assert all(name.startswith("letters/") for name in names)  # the row keeps the name, not the prefix
    letter_bucket.client.put_object(Bucket=letter_bucket.name, Key="region-one/letters/2026/01/orphan.pdf", Body=b"x")
    letter_bucket.client.put_object(Bucket=letter_bucket.name, Key="letters/2026/01/another-prefix.pdf", Body=b"x")
    assert services.delete_orphaned_letter_files(timedelta(0)) == ["letters/2026/01/orphan.pdf"]
    assert set(letter_bucket.keys()) == {f"region-one/{name}" for name in names} | {
        "letters/2026/01/another-prefix.pdf"
    }


# ---------------------------------------------------------------------------------------------------
# A bucket that does not answer


@pytest.fixture
def unreachable_store(settings, aws_credentials, letter_bucket):
    """The letter store pointed at a port on which nothing listens."""
    use_letter_store(
        settings, storage_url(letter_bucket.name, f"http://127.0.0.1:{closed_port()}", addressing_style="path")
    )


def test_an_unreachable_bucket_fails_the_letter_file_and_the_page_offers_try_again(
    letters_case, manager, facilitator, unreachable_store, client
):
    with files_written():  # the move commits; the task runs and cannot write
        case = to_assessment(letters_case, manager, facilitator)
    letters = list(case.letters.all())
    assert {(letter.file_status, letter.file.name) for letter in letters} == {(Letter.FileStatus.FAILED, "")}
    assert {letter.file_error for letter in letters} == {
        f"{STORE_FAILED} (EndpointConnectionError). The details are in the service's log."
    }
    letter = letters[0]
    response = as_user(client, facilitator).get(f"/letters/case/{case.reference}/{letter.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "127.0.0.1" not in html  # the store's endpoint stays in the log, never on a staff page
    assert "This letter cannot be printed or sent yet. Its file could not be written." in html
    assert f'action="/letters/case/{case.reference}/{letter.pk}/write-file/"' in html
    assert "Try again" in html


def test_a_written_letter_whose_bucket_stops_answering_is_a_clear_503_not_a_500(
    written_case, letter_bucket, settings, client, api_client, facilitator
):
    letter = written_case.letters.get(kind=LetterKind.RJ_INFORMATION)
    use_letter_store(
        settings, storage_url(letter_bucket.name, f"http://127.0.0.1:{closed_port()}", addressing_style="path")
    )
    response = as_user(client, facilitator).get(f"/letters/case/{written_case.reference}/{letter.pk}/pdf/")
    assert response.status_code == 503
    assert files.STORE_UNAVAILABLE in response.content.decode()
    answer = api_client(facilitator).get(f"/api/v1/cases/{written_case.reference}/letters/{letter.pk}/pdf/")
    assert (answer.status_code, answer.json()["error"]["code"]) == (503, "letter_store_unavailable")
    assert not ReadAccess.objects.filter(what="document").exists()  # nothing was read


def test_storage_ready_answers_for_the_bucket_and_names_the_failure(letter_bucket, settings):
    check = storage_ready()
    assert (check.name, check.ok, check.error) == ("storage", True, "")
    use_letter_store(settings, storage_url(letter_bucket.name, f"http://127.0.0.1:{closed_port()}"))
    check = storage_ready()
    assert (check.name, check.ok, check.error) == ("storage", False, "EndpointConnectionError")
    assert check.seconds >= 0


def test_storage_ready_on_the_local_folder_before_any_letter(settings):
    assert not (settings.MEDIA_ROOT / "letters").exists()
    assert storage_ready().ok
    settings.MEDIA_ROOT.mkdir(parents=True)
    (settings.MEDIA_ROOT / "letters").write_text("a file where the folder should be")
    assert storage_ready().ok is False
