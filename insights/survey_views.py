"""The survey slip a reporting centre prints for a person who has just reported: a one-use link as a QR code and
as a short link to type. Thin, like insights.views."""

from __future__ import annotations

import segno
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import roles
from govuk.refusals import refusals_to
from insights import access, services
from insights.models import ReportingCentre
from insights.views import _centre_for


@login_required
def survey_slip_start(request):
    """From the centre's menu: the page with the button that makes a slip for the centre's staff's own centre."""
    if not roles.is_centre_staff(request.user):
        raise PermissionDenied("Survey slips are made by reporting centre staff.")
    centre = ReportingCentre.objects.filter(organisation_id=request.user.organisation_id).first()
    if centre is None:
        return render(request, "insights/centre_missing.html", {"page_title": "Your reporting centre"})
    context = {"page_title": "Print a survey slip", "centre": centre, "days": services.SURVEY_LINK_DAYS}
    return render(request, "insights/survey_slip_start.html", context)


def _qr_svg(url: str) -> str:
    # segno writes the SVG itself from the link, which is the service's own address and a token it made.
    svg = segno.make(url, error="m").svg_inline(
        scale=5, omitsize=True, svgclass="rj-qr__code", title="QR code: scan it to open the survey"
    )
    return mark_safe(svg.replace("<svg ", '<svg role="img" focusable="false" ', 1))  # noqa: S308


@never_cache
@require_POST
@login_required
def survey_link_create(request, pk: int):
    """A one-use link for a person who has just reported, as a printable slip; shown once, on this page."""
    centre = _centre_for(request.user, pk)
    if not access.takes_surveys(request.user, centre):
        raise Http404("No such centre.")
    with refusals_to(request=request) as refusal:
        link, token = services.create_survey_link(centre, request.user)
    if refusal:
        return redirect("insights:centre", pk=centre.pk)
    url = request.build_absolute_uri(reverse("insights:survey", args=[token]))
    context = {
        "page_title": "A survey slip for the person who reported",
        "centre": centre,
        "link": link,
        "url": url,
        "qr_svg": _qr_svg(url),
        "token_groups": " ".join(token[i : i + 4] for i in range(0, len(token), 4)),
    }
    return render(request, "insights/survey_link.html", context)
