"""What the case pages share: the case page's address and the permission checks the views make."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from rjcases.models import Case
from rjcases.permissions import can_edit_case_work, is_case_caseworker


def detail_url(case: Case) -> str:
    return reverse("rjcases:detail", args=[case.reference])


def people_url(case: Case, anchor: str = "") -> str:
    """The case page's people section (with the contact log and the notes), at ``anchor`` if given."""
    return reverse("rjcases:people", args=[case.reference]) + (f"#{anchor}" if anchor else "")


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def may_record_consent(case: Case, user) -> bool:
    """Whether any consent on the case is this user's to record: each person's is checked with
    ``may_record_for_party`` (a caseworker's own client only)."""
    return can_edit_case_work(case, user) or is_case_caseworker(case, user)
