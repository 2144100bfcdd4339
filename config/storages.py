"""``STORAGES`` from the environment: where letter files are kept (``RJ_STORAGE_URL``).

Not set: the local folder ``DJANGO_MEDIA_ROOT`` (one machine). Set to an S3-compatible bucket, so that several app
servers and workers share the files::

    RJ_STORAGE_URL=s3://rj-letters/prod?region=eu-west-2
    RJ_STORAGE_URL=s3://rj-letters?endpoint_url=https://s3.example.net&region=auto&addressing_style=path
    RJ_STORAGE_URL=s3://rj-letters?region=eu-west-2&kms_key_id=arn:aws:kms:eu-west-2:111122223333:key/abcd

The path after the bucket is a key prefix. Every object is written private (ACL ``private``) with server-side
encryption requested: ``AES256``, or ``aws:kms`` with ``kms_key_id`` (or ``sse=aws:kms`` for the account's default
key). The credentials are never part of the URL: boto3 reads them from ``AWS_ACCESS_KEY_ID`` and
``AWS_SECRET_ACCESS_KEY``, a profile or the machine's role.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ImproperlyConfigured

S3_OPTIONS = {"endpoint_url", "region", "kms_key_id", "sse", "addressing_style", "connect_timeout", "read_timeout"}
SSE_KINDS = {"AES256", "aws:kms"}


def letter_storage_from(storage_url: str) -> dict[str, Any]:
    """The ``STORAGES["letters"]`` entry for ``RJ_STORAGE_URL`` (empty: the local folder, ``MEDIA_ROOT``)."""
    storage_url = storage_url.strip()
    if not storage_url:
        # No location: FileSystemStorage follows MEDIA_ROOT (DJANGO_MEDIA_ROOT), as before.
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    parts = urlsplit(storage_url)
    if parts.scheme != "s3":
        raise ImproperlyConfigured("RJ_STORAGE_URL must be an s3://bucket address (or not set, for the local folder).")
    if not parts.hostname:
        raise ImproperlyConfigured("RJ_STORAGE_URL must name the bucket: s3://bucket-name.")
    if parts.username or parts.password:
        raise ImproperlyConfigured(
            "RJ_STORAGE_URL must not carry credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY instead."
        )
    query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=False)
    unknown = sorted(set(query) - S3_OPTIONS)
    if unknown:
        raise ImproperlyConfigured(
            f"RJ_STORAGE_URL has unknown option(s) {', '.join(unknown)}; known: {', '.join(sorted(S3_OPTIONS))}."
        )
    option = {name: values[-1].strip() for name, values in query.items()}
    kms_key_id = option.get("kms_key_id", "")
    sse = option.get("sse") or ("aws:kms" if kms_key_id else "AES256")
    if sse not in SSE_KINDS:
        raise ImproperlyConfigured("RJ_STORAGE_URL's sse must be AES256 or aws:kms.")
    if kms_key_id and sse != "aws:kms":
        raise ImproperlyConfigured("RJ_STORAGE_URL's kms_key_id needs sse=aws:kms (or no sse).")
    encryption = {"ServerSideEncryption": sse} | ({"SSEKMSKeyId": kms_key_id} if kms_key_id else {})
    addressing_style = option.get("addressing_style") or None
    if addressing_style not in (None, "auto", "path", "virtual"):
        raise ImproperlyConfigured("RJ_STORAGE_URL's addressing_style must be auto, path or virtual.")

    from botocore.config import Config  # only when a bucket is configured

    client_config = Config(
        s3={"addressing_style": addressing_style},
        # An unreachable store must fail a letter's write (it is tried again) or a readiness check within seconds,
        # not after botocore's default minute and five attempts.
        connect_timeout=_seconds(option, "connect_timeout", 5),
        read_timeout=_seconds(option, "read_timeout", 30),
        retries={"mode": "standard", "max_attempts": 3},
    )
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": parts.hostname,
            "location": parts.path.strip("/"),
            "endpoint_url": option.get("endpoint_url") or None,
            "region_name": option.get("region") or None,
            "default_acl": "private",
            "object_parameters": encryption,
            # Letter names are random and never reused; a clash must not replace a stored letter.
            "file_overwrite": False,
            # Never used (no URL of a letter file is handed out); signed if anything ever asked.
            "querystring_auth": True,
            "client_config": client_config,
        },
    }


def _seconds(option: dict[str, str], name: str, default: float) -> float:
    value = option.get(name)
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1
    if seconds <= 0:
        raise ImproperlyConfigured(f"RJ_STORAGE_URL's {name} must be a number of seconds above 0.")
    return seconds
