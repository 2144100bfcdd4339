"""POST /api/v1/recorded-incidents/bulk/: police records in bulk, the same import as the command and the upload
page (``recorded.services.import_police_records``). Managers' tokens only (``recorded.permissions``)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from api.errors import error_body
from api.serializers import recorded as r
from api.views.common import forbid, validated
from recorded.models import ImportRun
from recorded.permissions import may_import
from recorded.services import import_police_records


def _rejects(report) -> list[dict]:
    return [{"row": x.line, "crime_reference": x.crime_reference, "reasons": x.reasons} for x in report.rejects]


class RecordedIncidentBulkView(APIView):
    @extend_schema(
        summary="Import police-recorded hate crimes and incidents in bulk",
        description="Each object of `incidents` is one row of the layout in docs/import.md. Matched by "
        "`crime_reference`: a record already held is updated, never duplicated (sending the same rows again "
        "changes nothing). Any rejected row means nothing is imported (422, every rejected row in "
        "`error.fields` as `incidents.<row>`), unless `skip_invalid` is true: then the valid rows are imported "
        "and the rejected ones listed. RJ managers' tokens only.",
        request=r.RecordedIncidentBulkSerializer,
        responses={200: r.RecordedIncidentImportSerializer},
        tags=["insights"],
    )
    def post(self, request):
        if not may_import(request.user):
            forbid("Only RJ managers import police records.")
        data = validated(r.RecordedIncidentBulkSerializer, request.data)
        rows = [(index, row) for index, row in enumerate(data["incidents"], start=1)]
        report = import_police_records(
            rows, user=request.user, via=ImportRun.Via.API, name="API", skip_invalid=data["skip_invalid"]
        )
        if not report.imported:
            fields = {f"incidents.{x.line}": x.reasons for x in report.rejects}
            return Response(
                error_body("invalid", report.message, fields, [f"row {x.line}: {x.reason}" for x in report.rejects]),
                status=status.HTTP_422_UNPROCESSABLE_ENTITY,
            )
        body = {
            "rows": report.rows,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "rejected": _rejects(report),
            "message": report.message,
        }
        return Response(r.RecordedIncidentImportSerializer(body).data)
