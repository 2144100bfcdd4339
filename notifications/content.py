"""The words of each message, from templates in ``templates/notifications/``: a plain-text body and an HTML one
(autoescaped), given only what the message may say (a case's reference, its status, a link, dates). The callers
in ``notifications.services`` build those contexts; no party, incident or note ever reaches a template."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

SUBJECTS = {
    "allocated": "Case {reference} is allocated to you",
    "status_change": "Case {reference}: the status is now {status}",
    "digest": "Your cases: deadlines for {day}",
    "password_reset": "Choose a new password",
    "enrolment": "Set up your authenticator app",
    "survey": "How was your visit to the reporting centre?",
}


def site_link(path: str) -> str:
    """``path`` as an absolute link for an email (``RJ_SITE_URL`` in front)."""
    return f"{settings.RJ_SITE_URL}{path}"


def case_link(reference: str) -> str:
    return site_link(reverse("rjcases:detail", args=[reference]))


def render(kind: str, **context) -> tuple[str, str, str]:
    """(subject, plain text, HTML) of a message of ``kind``."""
    context = {"service_name": settings.SERVICE_NAME, **context}
    subject = SUBJECTS[kind].format(**context)
    text = render_to_string(f"notifications/{kind}.txt", context).strip() + "\n"
    html = render_to_string(f"notifications/{kind}.html", {**context, "subject": subject})
    return subject, text, html
