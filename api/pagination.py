"""The case list's two ways of paging (docs/api.md, "Paging"), neither counting a million rows.

- **By page number** (the default, as before): ``page`` and ``page_size``, newest first; ``count`` stops at 10,000
  (``govuk.pagination.CappedPaginator``) and ``count_capped`` says there are more, so pages reach back 10,000 cases.
- **By cursor** (``order=updated``): oldest change first, on ``(updated_at, id)``, each page's ``next`` carrying an
  opaque ``cursor`` that names the last row sent; ``count`` is null. A partner system syncing with
  ``updated_since`` follows ``next`` until it is null, then keeps the last row's ``updated_at`` for its next
  poll. Each page is one index range read (``case_updated``), however deep, and a case changed meanwhile
  moves to the end and is sent again, never skipped.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime

from rest_framework import status
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from api.errors import ApiError
from govuk.pagination import CappedPaginator

CURSOR_ORDER = "updated"


def encode_cursor(updated_at: datetime, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{updated_at.isoformat()}|{pk}".encode()).decode().rstrip("=")


def decode_cursor(value: str) -> tuple[datetime, int]:
    """The (updated_at, id) a cursor names; a 422 for anything this API did not make."""
    try:
        text = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
        moment, pk = text.split("|")
        updated_at = datetime.fromisoformat(moment)
        if updated_at.tzinfo is None or not 0 < int(pk) < 2**63:
            raise ValueError(moment)
        return updated_at, int(pk)
    except (ValueError, UnicodeDecodeError, binascii.Error):
        raise ApiError(
            status.HTTP_422_UNPROCESSABLE_ENTITY,
            "invalid",
            "The cursor is not one this API gave. Start again without it, or follow the next link as given.",
            fields={"cursor": ["Use the cursor of a next link unchanged."]},
        )


class CasePagination(BasePagination):
    """Page numbers with a capped count, or a keyset cursor on (updated_at, id) with ``order=updated``."""

    page_size = 25
    max_page_size = 100

    def __init__(self):
        self.numbered = NumberedPages()

    def page_size_for(self, request) -> int:
        return self.numbered.get_page_size(request) or self.page_size

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.by_cursor = request.query_params.get("order") == CURSOR_ORDER
        if not self.by_cursor:
            return self.numbered.paginate_queryset(queryset, request, view)
        size = self.page_size_for(request)
        rows = queryset.order_by("updated_at", "id")
        cursor = request.query_params.get("cursor")
        if cursor:
            updated_at, pk = decode_cursor(cursor)
            # The range on updated_at is the index's; the tie on the same moment is broken by id.
            rows = rows.filter(updated_at__gte=updated_at).exclude(updated_at=updated_at, id__lte=pk)
        page = list(rows[: size + 1])
        self.more = len(page) > size
        self.page = page[:size]
        return self.page

    def next_link(self) -> str | None:
        if not self.more:
            return None
        last = self.page[-1]
        url = self.request.build_absolute_uri()
        return replace_query_param(remove_query_param(url, "page"), "cursor", encode_cursor(last.updated_at, last.pk))

    def get_paginated_response(self, data):
        if not self.by_cursor:
            return self.numbered.get_paginated_response(data)
        return Response(
            {"count": None, "count_capped": False, "next": self.next_link(), "previous": None, "results": data}
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "count_capped", "next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "nullable": True,
                    "description": "How many cases match, up to 10,000 (see count_capped); null when paging by cursor",
                },
                "count_capped": {
                    "type": "boolean",
                    "description": "More cases match than count says; page numbers reach back that many only",
                },
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }


class NumberedPages(PageNumberPagination):
    page_size = CasePagination.page_size
    page_size_query_param = "page_size"
    max_page_size = CasePagination.max_page_size
    django_paginator_class = CappedPaginator

    def get_paginated_response(self, data):
        assert self.page is not None  # paginate_queryset has run
        paginator: CappedPaginator = self.page.paginator  # type: ignore[assignment]
        return Response(
            {
                "count": paginator.count,
                "count_capped": paginator.count_capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )
