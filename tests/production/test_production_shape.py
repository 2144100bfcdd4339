"""The service as it is deployed, on this machine: two gunicorn servers behind one PostgreSQL database, one
worker, Redis for the cache, an S3 server for the letters and an SMTP server for the email (tests/production/
shape.py starts them). A referral made through server A and moved on through server B has its letters written by
the worker into the bucket, readable from both servers; the allocation and state-change emails reach the SMTP
server carrying no party's details; one token's rate limit holds across both servers; and /readyz names the
storage check once the S3 server stops."""

from __future__ import annotations

import hashlib
import uuid

import pytest

from tests.api.conftest import referral_body
from tests.production.shape import API_RATE, BUCKET, USERS, call, message_text, wait_until

pytestmark = pytest.mark.production

LETTER_TIMEOUT = 120  # seconds for the worker to write a move's letters on a busy machine


def api(shape, server: str) -> str:
    return f"{shape.url_a if server == 'a' else shape.url_b}/api/v1"


def ok(answer, status=200):
    assert answer.status == status, answer.body[:2000]
    return answer.json()


def party_details(body: dict) -> list[str]:
    """Every name, address, postcode, phone and email of the parties in a referral body, as typed and as stored."""
    found = []
    for party in body["parties"]:
        for key in ("first_name", "last_name", "address", "phone", "email"):
            if party.get(key):
                found.append(party[key])
        if party.get("phone"):
            found.append(party["phone"].replace(" ", ""))
        if party.get("postcode"):
            found += [party["postcode"], party["postcode"].upper(), party["postcode"].replace(" ", "").upper()]
    return found


@pytest.fixture(scope="module")
def referred(shape):
    """A case referred through server A, allocated and accepted through server B (whose letters follow)."""
    body = referral_body()
    tokens = shape.tokens
    made = ok(
        call(
            f"{api(shape, 'a')}/referrals/",
            token=tokens["prod_police"],
            method="POST",
            body=body,
            Idempotency_Key=str(uuid.uuid4()),
        ),
        201,
    )
    reference = made["reference"]
    case = f"{api(shape, 'b')}/cases/{reference}"
    ok(
        call(
            f"{case}/allocation/", token=tokens["prod_manager"], method="PUT", body={"facilitator": "prod_facilitator"}
        )
    )
    moved = ok(
        call(f"{case}/transitions/accept/", token=tokens["prod_manager"], method="POST", body={"note": "In scope."})
    )
    assert moved["state"] == "assessment"
    return {"reference": reference, "body": body}


def test_both_servers_are_ready_with_every_check(shape):
    for url in (shape.url_a, shape.url_b):
        answer = call(f"{url}/readyz")
        assert answer.status == 200, answer.body
        assert set(answer.json()["checks"]) == {"database", "cache", "storage", "task_queue"}


def test_both_servers_see_the_case_made_through_one(shape, referred):
    for server in ("a", "b"):
        answer = ok(call(f"{api(shape, server)}/cases/{referred['reference']}/", token=shape.tokens["prod_manager"]))
        assert (answer["reference"], answer["state"]) == (referred["reference"], "assessment")


def test_the_worker_writes_the_letters_into_the_bucket_and_both_servers_stream_them(shape, referred):
    reference = referred["reference"]

    def letter_rows():
        rows = shape.sql(
            "SELECT l.id, l.file_status, l.file, l.sha256 FROM letters_letter l JOIN rjcases_case c ON c.id = l.case_id"
            " WHERE c.reference = %s ORDER BY l.id",
            reference,
        )
        return rows if rows and all(row[1] == "written" for row in rows) else None

    rows = wait_until("the worker writing the letters' files", letter_rows, LETTER_TIMEOUT)
    assert len(rows) >= 2  # the referrer's acknowledgement and the person harmed's information, at least

    # Written by the worker, not by the servers: every letter-file task ran there, once.
    tasks = shape.sql(
        "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult WHERE task_path = %s",
        "letters.tasks.write_letter_files",
    )
    assert tasks
    assert {(status, tuple(workers)) for status, workers in tasks} == {("SUCCESSFUL", ("production-worker",))}

    # In the bucket, encrypted; nothing on any server's disk.
    s3 = shape.s3()
    keys = sorted(entry["Key"] for entry in s3.list_objects_v2(Bucket=BUCKET).get("Contents", ()))
    assert keys == sorted(row[2] for row in rows)
    for key in keys:
        assert s3.head_object(Bucket=BUCKET, Key=key)["ServerSideEncryption"] == "AES256"
    media = shape.tmp / "media"
    assert not media.exists() or not any(media.rglob("*"))

    # The same bytes from both servers, streamed from the bucket, matching the checksum taken when written.
    listed = ok(call(f"{api(shape, 'a')}/cases/{reference}/letters/", token=shape.tokens["prod_facilitator"]))
    assert {letter["file_status"] for letter in listed} == {"written"}
    for letter in listed:
        bodies = []
        for url in (shape.url_a, shape.url_b):
            answer = call(f"{url}{letter['pdf_url']}", token=shape.tokens["prod_facilitator"])
            assert (answer.status, answer.headers["Content-Type"]) == (200, "application/pdf")
            assert BUCKET not in str(answer.headers)
            bodies.append(answer.body)
        assert bodies[0] == bodies[1]
        assert bodies[0].startswith(b"%PDF-")
        assert hashlib.sha256(bodies[0]).hexdigest() == letter["sha256"]


def test_the_allocation_and_state_change_emails_arrive_without_any_partys_details(shape, referred):
    facilitator_email, police_email = USERS["prod_facilitator"][2], USERS["prod_police"][2]
    reference = referred["reference"]
    wait_until(
        "the allocation email to the facilitator and the state-change email to the referrer",
        lambda: shape.inbox.to(facilitator_email) and shape.inbox.to(police_email),
        LETTER_TIMEOUT,
    )
    assert [m["Subject"] for m in shape.inbox.to(facilitator_email)] == [f"Case {reference} is allocated to you"]
    told = [m["Subject"] for m in shape.inbox.to(police_email)]
    assert len(told) == 1
    assert told[0].startswith(f"Case {reference}: the status is now ")
    details = party_details(referred["body"])
    assert len(details) > 10
    for _recipients, message in shape.inbox.messages:
        text = message_text(message)
        assert reference in text
        leaked = [detail for detail in details if detail.lower() in text.lower()]
        assert leaked == [], f"{message['Subject']!r} carries {leaked}"


def test_one_tokens_rate_limit_holds_across_both_servers(shape, referred):
    token = shape.tokens["rate"]
    answered = []
    for number in range(API_RATE + 6):
        server = "a" if number % 2 == 0 else "b"
        answered.append((server, call(f"{api(shape, server)}/cases/", token=token).status))
    # Counted once, in Redis: exactly API_RATE calls pass, whichever server and worker process answered them.
    assert [status for _server, status in answered[:API_RATE]] == [200] * API_RATE
    refused = answered[API_RATE:]
    assert {status for _server, status in refused} == {429}
    assert {server for server, _status in refused} == {"a", "b"}


def test_last_readyz_names_the_storage_check_once_the_s3_server_stops(shape, referred):
    """Last in the module: it stops the S3 server."""
    next(process for process in shape.processes if process.name == "s3").stop()
    for url in (shape.url_a, shape.url_b):
        answer = call(f"{url}/readyz")
        assert answer.status == 503, answer.body
        body = answer.json()
        assert body["failing"] == ["storage"]
        assert BUCKET not in answer.body.decode()
