"""``Idempotency-Key``: a retried write returns the first answer instead of doing the work twice.

The key is remembered per user with a hash of the request (method, path, body) and the answer given. The
work and the remembering happen in one transaction, and the (user, key) pair is unique in the database:
two requests with one key at the same moment make one case, and the later one answers with the earlier's
result. Only successful answers are remembered; a refused request changes nothing and may be corrected and
sent again under the same key. A key is remembered for ``RJ_API_IDEMPOTENCY_HOURS`` (24 by default): after
that the same key starts a new request, and ``manage.py purge_idempotency_keys`` deletes the expired answers.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework import status
from rest_framework.response import Response

from api.errors import ApiError
from api.models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255


def retention() -> timedelta:
    return timedelta(hours=settings.RJ_API_IDEMPOTENCY_HOURS)


def expired_keys():
    """The remembered answers older than the retention period (no longer replayed)."""
    return IdempotencyKey.objects.filter(created_at__lt=timezone.now() - retention())


def request_hash(request) -> str:
    payload = json.dumps(
        {"method": request.method, "path": request.path, "body": request.data},
        sort_keys=True,
        default=str,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _replay(stored: IdempotencyKey, digest: str) -> Response:
    if stored.request_hash != digest:
        raise ApiError(
            status.HTTP_422_UNPROCESSABLE_ENTITY,
            "idempotency_key_reused",
            f"This {HEADER} was already used for a different request. Use a new key for a new request.",
            fields={HEADER: ["Already used with a different request body or path."]},
        )
    return Response(stored.response_body, status=stored.response_status, headers={REPLAYED_HEADER: "true"})


def _clean_key(raw: str) -> str:
    key = raw.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise ApiError(
            status.HTTP_422_UNPROCESSABLE_ENTITY,
            "invalid",
            f"Check the {HEADER} header.",
            fields={HEADER: [f"Send 1 to {MAX_KEY_LENGTH} printable characters, e.g. a UUID."]},
        )
    return key


def idempotent(request, work: Callable[[], Response]) -> Response:
    """Run ``work`` once per (user, Idempotency-Key); without the header it simply runs."""
    raw = request.headers.get(HEADER)
    if raw is None:
        return work()
    key = _clean_key(raw)
    digest = request_hash(request)
    stored = IdempotencyKey.objects.filter(user=request.user, key=key).first()
    if stored is not None and stored.created_at >= timezone.now() - retention():
        return _replay(stored, digest)
    try:
        with transaction.atomic():
            if stored is not None:  # expired: the key is free again
                expired_keys().filter(pk=stored.pk).delete()
            response = work()
            if response.status_code >= 400:
                return response
            IdempotencyKey.objects.create(
                user=request.user,
                key=key,
                method=request.method,
                path=request.path[:300],
                request_hash=digest,
                response_status=response.status_code,
                response_body=response.data,
            )
    except IntegrityError:
        # Another request with this key committed first (its insert held ours back): its answer stands, and
        # everything this one did has been rolled back.
        stored = IdempotencyKey.objects.filter(user=request.user, key=key).first()
        if stored is None:
            raise
        return _replay(stored, digest)
    return response
