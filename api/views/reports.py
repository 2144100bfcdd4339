"""Letters and their PDFs, and the hotspot figures."""

from __future__ import annotations

from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from api.errors import ApiError
from api.serializers import work as w
from api.views.common import REFERENCE, as_list, detailed_case, forbid, validated
from insights import access as insights_access
from insights.selectors import Filters, Period, hotspots, load_reference
from insights.stats import HOTSPOT_MIN_COUNT, HOTSPOT_P_VALUE
from rjcases import services
from rjcases.models import ReadAccess

# ---------------------------------------------------------------------------------------------------
# Letters


def _letter_row(letter) -> dict:
    return {
        "id": letter.pk,
        "kind": letter.kind,
        "kind_label": letter.get_kind_display(),
        "recipient": letter.recipient_name,
        "to_referrer": letter.to_referrer,
        "format": letter.format,
        "version": letter.version,
        "status": letter.status,
        "generated_at": letter.generated_at,
        "sent_at": letter.sent_at,
        "file_status": letter.file_status,
        "sha256": letter.sha256,
        "size": letter.size,
        "pdf_url": reverse("api:letter-pdf", args=[letter.case.reference, letter.pk]),
    }


def _invalid_field(field: str, message: str) -> ApiError:
    """A refusal in the API's one error shape (422), naming the field as the web form does."""
    return ApiError(
        status.HTTP_422_UNPROCESSABLE_ENTITY, "invalid", f"Check the fields named: {field}.", fields={field: [message]}
    )


class LetterListView(APIView):
    refusal_field = "kind"  # a letter that cannot be made is refused for its kind (api.errors)

    @extend_schema(
        summary="The case's letters, newest first",
        parameters=[REFERENCE],
        responses=w.LetterSerializer(many=True),
        tags=["letters"],
    )
    def get(self, request, reference):
        from letters import selectors as letter_selectors

        case = detailed_case(request, reference)
        letters = letter_selectors.letters_for_case(case, request.user)
        return as_list(w.LetterSerializer, [_letter_row(letter) for letter in letters])

    @extend_schema(
        summary="Create a letter of a kind for a recipient on the case, now",
        parameters=[REFERENCE],
        request=w.LetterInSerializer,
        responses={201: w.LetterSerializer},
        tags=["letters"],
    )
    def post(self, request, reference):
        from letters import services as letter_services
        from letters.content import party_key, recipients_for

        case = detailed_case(request, reference)
        data = validated(w.LetterInSerializer, request.data, case=case)
        key = data["recipient"] if data["recipient"] == "referrer" else party_key(int(data["recipient"]))
        if key not in {recipient.key for recipient in recipients_for(case)}:
            raise _invalid_field("recipient", "Choose someone on this case to write to.")
        letter = letter_services.generate_letter(
            case, request.user, kind=data["kind"], recipient_key=key, fmt=data["format"] or None
        )
        return Response(w.LetterSerializer(_letter_row(letter)).data, status=status.HTTP_201_CREATED)


class LetterRegenerateView(APIView):
    @extend_schema(
        summary="A new version of a letter, from today's facts and wording (earlier versions are kept)",
        parameters=[REFERENCE],
        request=None,
        responses={201: w.LetterSerializer},
        tags=["letters"],
    )
    def post(self, request, reference, letter_id):
        from letters import services as letter_services

        case = detailed_case(request, reference)
        letter = case.letters.filter(pk=letter_id).first()
        if letter is None:
            raise ApiError(status.HTTP_404_NOT_FOUND, "not_found", "No such letter on this case.")
        new = letter_services.regenerate_letter(letter, request.user)
        return Response(w.LetterSerializer(_letter_row(new)).data, status=status.HTTP_201_CREATED)


class LetterPdfView(APIView):
    @extend_schema(
        summary="One letter as the PDF sent",
        parameters=[REFERENCE],
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF"),
            409: OpenApiResponse(
                description="The letter has no file to give: not written yet (letter_file_not_written), no longer "
                "the file generated (letter_file_changed) or gone from the store (letter_file_missing)"
            ),
            503: OpenApiResponse(
                description="The letter store does not answer (letter_store_unavailable): try again later"
            ),
        },
        tags=["letters"],
    )
    def get(self, request, reference, letter_id):
        from letters import selectors as letter_selectors
        from letters import services as letter_services
        from letters.services import LetterFileChanged, LetterFileNotWritten, LetterStoreUnavailable

        case = detailed_case(request, reference)
        letter = case.letters.filter(pk=letter_id).select_related("party").first()
        if letter is None:
            raise ApiError(status.HTTP_404_NOT_FOUND, "not_found", "No such letter on this case.")
        if not letter_selectors.may_see_letter(case, request.user, letter):
            forbid("This letter is addressed to someone else on the case.")
        try:
            handle = letter_services.open_letter_file(letter)
        except LetterStoreUnavailable as problem:
            raise ApiError(status.HTTP_503_SERVICE_UNAVAILABLE, "letter_store_unavailable", str(problem))
        except LetterFileNotWritten as problem:
            raise ApiError(status.HTTP_409_CONFLICT, "letter_file_not_written", str(problem))
        except LetterFileChanged as problem:
            raise ApiError(status.HTTP_409_CONFLICT, "letter_file_changed", str(problem))
        except FileNotFoundError:
            raise ApiError(
                status.HTTP_409_CONFLICT,
                "letter_file_missing",
                "The stored file of this letter is missing. Regenerate the letter.",
            )
        services.log_read(request.user, case, ReadAccess.What.DOCUMENT, letter.pk, request.path)
        # Streamed from the letter store through the app, never from a bucket's URL.
        response = FileResponse(
            handle, as_attachment=True, filename=letter.download_name, content_type="application/pdf"
        )
        response["Cache-Control"] = "no-store, private"
        return response


# ---------------------------------------------------------------------------------------------------
# Insights


def _code_name(row) -> dict:
    return {"code": row.code, "name": row.name}


HOTSPOT_METHOD = (
    "A ward's count for a crime type or strand is compared with what the borough-wide count and the ward's "
    "population predict (expected = borough count × ward population / borough population); it is flagged when "
    f"at least {HOTSPOT_MIN_COUNT} cases were received and P(X ≥ observed) < {HOTSPOT_P_VALUE} for X Poisson with "
    "that expectation. Cases are counted by the day they were received; a case with two strands counts once "
    "under each strand and once in the total."
)


class HotspotsView(APIView):
    @extend_schema(
        summary="Where hate incidents were reported: ward × crime type × strand, flags, months and routes",
        description=HOTSPOT_METHOD,
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, required=True, description="First day, YYYY-MM-DD"),
            OpenApiParameter("to", OpenApiTypes.DATE, required=True, description="Last day, YYYY-MM-DD"),
        ],
        responses=w.HotspotsSerializer,
        tags=["insights"],
    )
    def get(self, request):
        if not insights_access.sees_hotspots(request.user):
            forbid("Hotspot figures are for RJ staff, police referrers and victims' caseworkers.")
        data = validated(w.HotspotQuerySerializer, request.query_params)
        period = Period(data["from"], data["to"])
        scope = insights_access.partnership_scope(request.user)
        found = hotspots(Filters(period=period, partnerships=scope), load_reference(scope))
        return Response(
            w.HotspotsSerializer(
                {
                    "date_from": period.start,
                    "date_to": period.end,
                    "total_cases": found.total,
                    "strand_links": found.strand_links,
                    "counts": [
                        {"ward": _code_name(w), "crime_type": _code_name(c), "strand": _code_name(st), "count": n}
                        for w, c, st, n in found.full
                    ],
                    "flags": [
                        {
                            "ward": _code_name(f.ward),
                            "kind": f.kind,
                            "category": f.category,
                            "observed": f.observed,
                            "expected": f.expected,
                            "p_value": f.p_value,
                        }
                        for f in found.flags
                    ],
                    "method": HOTSPOT_METHOD,
                    "months": [{"month": m, "count": n, "change": change} for m, n, change in found.months],
                    "routes": [{"route": label, "count": n} for label, n in found.routes],
                }
            ).data
        )
