"""RJ_STORAGE_URL: unset is the local folder; an s3:// address is a private bucket with server-side encryption
requested; anything else is refused at start-up with a message saying what is wrong."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.storages import letter_storage_from


def test_no_url_is_the_local_folder():
    assert letter_storage_from("") == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_an_s3_url_gives_a_private_encrypted_bucket():
    entry = letter_storage_from("s3://rj-letters/trafford/?endpoint_url=https://s3.example.net&region=auto")
    options = entry["OPTIONS"]
    assert entry["BACKEND"] == "storages.backends.s3.S3Storage"
    assert (options["bucket_name"], options["location"], options["endpoint_url"], options["region_name"]) == (
        "rj-letters",
        "trafford",
        "https://s3.example.net",
        "auto",
    )
    assert (options["default_acl"], options["object_parameters"], options["file_overwrite"]) == (
        "private",
        {"ServerSideEncryption": "AES256"},
        False,
    )
    assert (options["client_config"].connect_timeout, options["client_config"].retries["max_attempts"]) == (5, 3)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://bucket.example.net", "must be an s3://bucket address"),
        ("s3://", "must name the bucket"),
        ("s3://key:secret@rj-letters", "must not carry credentials"),
        ("s3://rj-letters?regoin=eu-west-2", "unknown option(s) regoin"),
        ("s3://rj-letters?sse=DES", "sse must be AES256 or aws:kms"),
        ("s3://rj-letters?sse=AES256&kms_key_id=k", "kms_key_id needs sse=aws:kms"),
        ("s3://rj-letters?connect_timeout=soon", "connect_timeout must be a number of seconds"),
        ("s3://rj-letters?addressing_style=sideways", "addressing_style must be auto, path or virtual"),
    ],
)
def test_a_wrong_url_is_refused_with_a_clear_message(url, message):
    with pytest.raises(ImproperlyConfigured, match=message.replace("(", r"\(").replace(")", r"\)")):
        letter_storage_from(url)
