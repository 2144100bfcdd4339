"""The OpenAPI schema's shared parts: the bearer token scheme, and the error answers every operation may
give, all in the one error shape of ``api.errors``."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "fields", "reasons"],
            "properties": {
                "code": {
                    "type": "string",
                    "description": "Stable, for programs: invalid, guard, input, state, "
                    "concurrent, forbidden, not_found, rate_limited, ...",
                },
                "message": {"type": "string", "description": "For people"},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    "description": "Each invalid field (dotted path) and what is wrong with it",
                },
                "reasons": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "What a refused move still needs",
                },
            },
        }
    },
}

ERROR_DESCRIPTIONS = {
    "400": "The body is not JSON",
    "401": "No API token, or a token that is wrong, revoked or of a deactivated account",
    "403": "Not this user's to do or see",
    "404": "No such case (or not one this user may see), or no such item on it",
    "405": "Method not allowed",
    "409": "The case is in another state, or was changed by someone else meanwhile",
    "415": "Send application/json",
    "422": "Invalid input, an unmet guard or a missing field: see fields and reasons",
    "429": "Too many requests with this token: see Retry-After",
}
READ_ERRORS = ["401", "403", "404", "405", "422", "429"]
WRITE_ERRORS = ["400", "401", "403", "404", "405", "409", "415", "422", "429"]


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A per-user API token: `Authorization: Bearer <token>` (`Token <token>` also works).",
        }


def add_error_responses(result, generator, request, public):
    """Postprocessing hook: every operation documents the error answers it may give, in the one shape."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            statuses = READ_ERRORS if method == "get" else WRITE_ERRORS
            responses = operation.setdefault("responses", {})
            for code in statuses:
                responses.setdefault(
                    code,
                    {"description": ERROR_DESCRIPTIONS[code], "content": {"application/json": {"schema": reference}}},
                )
            for code, answer in responses.items():  # an operation's own error answers (e.g. 503) in the same shape
                if code[0] in "45" and "content" not in answer:
                    answer["content"] = {"application/json": {"schema": reference}}
    return result
