"""One shape for every error the API returns:

    {"error": {"code": "...", "message": "...", "fields": {"field.path": ["..."]}, "reasons": ["..."]}}

``code`` is stable and meant for programs; ``message`` for people. ``fields`` names each invalid field
(nested fields by dotted path, list items by index: ``parties.0.first_name``); ``reasons`` lists what a
refused move still needs. The services' refusals (``TransitionRefused``, ``ActionRefused``, ``Conflict``, ``Refused``
such as letters' ``LetterRefused``, Django's ``ValidationError`` and ``PermissionDenied``) map to HTTP statuses
here, in ``exception_handler`` only: views raise them and never catch them. The web pages' counterpart is
``govuk.refusals.refusals_to``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response

from rjcases.exceptions import ActionRefused, Conflict, Refused, TransitionRefused

# TransitionRefused codes: not yours (403); another state or changed meanwhile (409); unmet or missing (422).
TRANSITION_STATUS = {
    "permission": status.HTTP_403_FORBIDDEN,
    "state": status.HTTP_409_CONFLICT,
    "concurrent": status.HTTP_409_CONFLICT,
    "guard": status.HTTP_422_UNPROCESSABLE_ENTITY,
    "input": status.HTTP_422_UNPROCESSABLE_ENTITY,
}


class ApiError(exceptions.APIException):
    """An error the API raises itself, already in the API's terms."""

    def __init__(
        self, status_code: int, code: str, message: str, *, fields: dict | None = None, reasons: list[str] | None = None
    ):
        self.status_code = status_code
        self.code = code
        self.message = message
        self.fields = fields or {}
        self.reasons = reasons or []
        super().__init__(detail=message, code=code)


def error_body(code: str, message: str, fields: dict | None = None, reasons: list | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}, "reasons": list(reasons or [])}}


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {dotted.path: [messages]}."""
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            out.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(detail, list) and detail and all(isinstance(item, dict | list) for item in detail):
        out = {}
        for index, value in enumerate(detail):
            if value:
                out.update(_flatten(value, f"{prefix}.{index}" if prefix else str(index)))
        return out
    items = detail if isinstance(detail, list) else [detail]
    return {prefix or "non_field_errors": [str(item) for item in items]}


def invalid(fields: dict[str, list[str]], reasons: list[str] | None = None) -> Response:
    reasons = list(reasons or [])
    reasons.extend(fields.pop("non_field_errors", []))
    reasons.extend(fields.pop("__all__", []))
    if fields:
        message = "Check the fields named: " + ", ".join(fields) + "."
    else:
        message = reasons[0] if len(reasons) == 1 else "The request cannot be accepted."
    return Response(error_body("invalid", message, fields, reasons), status=status.HTTP_422_UNPROCESSABLE_ENTITY)


def _django_validation(exc: DjangoValidationError, renamed: dict[str, str]) -> Response:
    """A service's ValidationError; ``renamed`` maps the service's field names to the request's where they differ."""
    if hasattr(exc, "error_dict"):
        return invalid({renamed.get(name, name): list(messages) for name, messages in exc.message_dict.items()})
    return invalid({}, list(exc.messages))


def exception_handler(exc, context):
    """DRF's exception handler, giving every error the one shape above."""
    headers = {}
    if isinstance(exc, ApiError):
        return Response(error_body(exc.code, exc.message, exc.fields, exc.reasons), status=exc.status_code)
    if isinstance(exc, TransitionRefused):
        message = exc.reasons[0] if len(exc.reasons) == 1 else "The move cannot be made: see the reasons."
        return Response(
            error_body(exc.code, message, {k: [v] for k, v in exc.fields.items()}, exc.reasons),
            status=TRANSITION_STATUS.get(exc.code, status.HTTP_409_CONFLICT),
        )
    if isinstance(exc, DjangoValidationError):
        return _django_validation(exc, getattr(context.get("view"), "refusal_field_names", {}))
    if isinstance(exc, Conflict):
        return Response(error_body("state", str(exc)), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, Refused):
        # A view whose refusals are about one field of the request (``refusal_field``) names it, as its web form does.
        field = getattr(context.get("view"), "refusal_field", None)
        return invalid({field: [str(exc)]}) if field else invalid({}, [str(exc)])
    if isinstance(exc, ActionRefused | DjangoPermissionDenied):
        message = str(exc) or "You do not have permission to do this."
        return Response(error_body("forbidden", message), status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, Http404):
        message = str(exc) or "Not found."
        return Response(error_body("not_found", message), status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, exceptions.ValidationError):
        return invalid(_flatten(exc.detail))
    if isinstance(exc, exceptions.APIException):
        code = {
            exceptions.NotAuthenticated: "not_authenticated",
            exceptions.AuthenticationFailed: "authentication_failed",
            exceptions.PermissionDenied: "forbidden",
            exceptions.NotFound: "not_found",
            exceptions.MethodNotAllowed: "method_not_allowed",
            exceptions.NotAcceptable: "not_acceptable",
            exceptions.UnsupportedMediaType: "unsupported_media_type",
            exceptions.ParseError: "malformed",
            exceptions.Throttled: "rate_limited",
        }.get(type(exc), exc.default_code)
        message = str(exc.detail) if not isinstance(exc.detail, list | dict) else str(exc.default_detail)
        if isinstance(exc, exceptions.Throttled):
            message = "Too many requests with this token: slow down and try again."
            if exc.wait is not None:
                headers["Retry-After"] = str(int(exc.wait) + 1)
                message = f"Too many requests with this token: try again in {int(exc.wait) + 1} seconds."
        if isinstance(exc, exceptions.NotAuthenticated):
            message = "Send an API token: 'Authorization: Bearer <token>'."
        response = Response(error_body(code, message), status=exc.status_code, headers=headers)
        if getattr(exc, "auth_header", None):
            response["WWW-Authenticate"] = exc.auth_header
        return response
    return None
