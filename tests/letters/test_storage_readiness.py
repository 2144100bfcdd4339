"""``/readyz`` with the letters in a bucket: ready while the S3 server answers; 503 naming the storage check (and
nothing about the bucket) once it has stopped."""

from __future__ import annotations

import uuid

import pytest

from tests.buckets import REGION, s3_client, storage_url, use_letter_store

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_s3_server():
    """An S3 server of this test's own, so that stopping it leaves the session's one alone."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    running = {"stopped": False}

    def stop():
        if not running["stopped"]:
            running["stopped"] = True
            server.stop()

    yield f"http://{host}:{port}", stop
    stop()


def test_readyz_names_the_storage_check_when_the_bucket_stops_answering(
    own_s3_server, aws_credentials, settings, client
):
    endpoint, stop_server = own_s3_server
    bucket = f"rj-ready-{uuid.uuid4().hex[:12]}"
    s3_client(endpoint).create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    use_letter_store(settings, storage_url(bucket, endpoint, addressing_style="path", connect_timeout="2"))

    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"]["storage"]["ok"] is True

    stop_server()
    answer = client.get("/readyz")
    body = answer.json()
    assert answer.status_code == 503
    assert body["status"] == "failing"
    assert "storage" in body["failing"]
    assert body["checks"]["storage"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True  # only what is down is named
    assert bucket not in answer.content.decode()
    assert endpoint.split("//")[1] not in answer.content.decode()
