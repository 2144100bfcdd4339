"""Errors to an error tracker (Sentry, or anything that speaks its protocol) when ``SENTRY_DSN`` is set.

What leaves the service is the error and where it happened, never what a person typed or who they are:
``send_default_pii=False``, no local variables, no request bodies, and ``scrub_event`` runs on every event
before it is sent. It keeps the request's method and path (a case reference is not personal data) and the
user's id; it removes the body, cookies, the query string, headers that carry credentials or addresses, the
WSGI environment, the user's name, email and address, and every frame's local variables. Breadcrumbs keep
their category, not their data (SQL parameters, HTTP query strings).

An exception's *message* may quote what a person typed (a database error quotes the row's values: "Key
(last_name)=(Quillfeather) already exists"), so each exception keeps its type, module and frames, and its value
becomes ``WITHHELD``. So does the text of every breadcrumb but an SQL one (a log line's breadcrumb carries the
formatted message; an SQL breadcrumb is the statement with its placeholders, its parameters are in the data that is
removed). A log event keeps the logging call's template, not the arguments formatted into it.
"""

from __future__ import annotations

from typing import Any

# Headers kept in an event: nothing that authenticates (cookies, tokens), nor the client's address.
KEPT_HEADERS = frozenset({"accept", "accept-language", "content-type", "content-length", "host", "user-agent"})


WITHHELD = "[message withheld: it may quote personal data]"
# Breadcrumbs whose message is the statement only (placeholders, no values): sentry-sdk's database breadcrumbs.
SQL_CATEGORIES = frozenset({"query"})


def _strip_query(url: str) -> str:
    return url.split("?", 1)[0].split("#", 1)[0]


def _scrub_frames(container: dict | None, *, withhold_values: bool = False) -> None:
    for value in (container or {}).get("values", None) or []:
        if not isinstance(value, dict):
            continue
        if withhold_values and value.get("value") is not None:
            value["value"] = WITHHELD
        for frame in (value.get("stacktrace") or {}).get("frames", None) or []:
            frame.pop("vars", None)


def _scrub_crumb(crumb: dict[str, Any]) -> dict[str, Any]:
    crumb.pop("data", None)
    if crumb.get("message") is not None and crumb.get("category") not in SQL_CATEGORIES:
        crumb["message"] = WITHHELD
    return crumb


def scrub_event(event: dict[str, Any], hint: dict | None = None) -> dict[str, Any]:
    """Sentry's ``before_send``: the event without personal data (see the module docstring)."""
    request = event.get("request")
    if isinstance(request, dict):
        scrubbed: dict[str, Any] = {}
        if "method" in request:
            scrubbed["method"] = request["method"]
        if "url" in request:
            scrubbed["url"] = _strip_query(str(request["url"]))
        headers = request.get("headers") or {}
        if isinstance(headers, dict):
            scrubbed["headers"] = {k: v for k, v in headers.items() if k.lower() in KEPT_HEADERS}
        event["request"] = scrubbed
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if user.get("id") is not None else {}
    _scrub_frames(event.get("exception"), withhold_values=True)
    _scrub_frames(event.get("threads"))
    breadcrumbs = event.get("breadcrumbs")
    values = breadcrumbs.get("values") if isinstance(breadcrumbs, dict) else breadcrumbs
    for crumb in values or []:
        if isinstance(crumb, dict):
            _scrub_crumb(crumb)
    logentry = event.get("logentry")
    if isinstance(logentry, dict):
        # The template is the code's own text; the arguments formatted into it may be anything.
        logentry.pop("params", None)
        if "formatted" in logentry:
            logentry["formatted"] = logentry.get("message") or WITHHELD
    # Free-form extras (logging's ``extra``, set_extra) may hold anything: only ours are known to be safe.
    event.pop("extra", None)
    return event


def scrub_breadcrumb(crumb: dict[str, Any], hint: dict | None = None) -> dict[str, Any]:
    """Sentry's ``before_breadcrumb``: a breadcrumb's data (SQL parameters, query strings) never kept, nor the text
    of any but an SQL breadcrumb (a log line's breadcrumb is its formatted message)."""
    return _scrub_crumb(crumb)


def init_sentry(dsn: str, *, environment: str | None = None, traces_sample_rate: float = 0.0) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.logging import LoggingIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=scrub_event,
        before_breadcrumb=scrub_breadcrumb,
        traces_sample_rate=traces_sample_rate,
        integrations=[DjangoIntegration(), LoggingIntegration()],
        # No version, host name or server name leaves the service with an event.
        server_name="",
    )
