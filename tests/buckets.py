"""An S3-compatible server for the tests (moto's server mode, in a thread of the test process), and a fresh bucket
per test that the letters are stored in (``STORAGES["letters"]`` from an ``RJ_STORAGE_URL``, as in production).

The server binds 127.0.0.1 on ``RJ_TEST_MOTO_PORT``, or on a port the system chooses: each pytest-xdist worker has
its own server, and a fixed port would collide between them (and with anyone else's run on the machine).
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass

import pytest

from config.storages import letter_storage_from

REGION = "eu-west-2"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


@dataclass
class Bucket:
    """A bucket on the test server: its name, the ``RJ_STORAGE_URL`` that names it, and a boto3 client."""

    name: str
    url: str
    client: object

    def keys(self) -> list[str]:
        listing = self.client.list_objects_v2(Bucket=self.name)
        return sorted(entry["Key"] for entry in listing.get("Contents", ()))

    def body(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound by the system, then let go)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def s3_client(endpoint: str):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


def storage_url(bucket: str, endpoint: str, prefix: str = "", **options: str) -> str:
    query = "&".join(
        f"{name}={value}" for name, value in {"endpoint_url": endpoint, "region": REGION, **options}.items()
    )
    return f"s3://{bucket}/{prefix}?{query}"


def use_letter_store(settings, url: str) -> None:
    """Letters stored where ``url`` says, for this test (the storage is looked up again after the change)."""
    settings.STORAGES = {**settings.STORAGES, "letters": letter_storage_from(url)}


@pytest.fixture(scope="session")
def moto_endpoint():
    """The address of a moto S3 server running for the whole session."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(
        ip_address="127.0.0.1", port=int(os.environ.get("RJ_TEST_MOTO_PORT", "0")), verbose=False
    )
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def aws_credentials(monkeypatch):
    """The test server's credentials, as production passes them (the environment), never the real ones."""
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_PROFILE", "AWS_S3_SESSION_PROFILE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def letter_bucket(moto_endpoint, aws_credentials, settings) -> Bucket:
    """A new, empty bucket that this test's letters are written to."""
    name = f"rj-letters-{uuid.uuid4().hex[:12]}"
    client = s3_client(moto_endpoint)
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    url = storage_url(name, moto_endpoint, addressing_style="path")
    use_letter_store(settings, url)
    return Bucket(name, url, client)
