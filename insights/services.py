"""Writes for insights: the reporting-centre register and the centre satisfaction survey.

Each checks permission on the server; the views only call these.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from insights import access, survey
from insights.models import CentreSurveyResponse, ReportingCentre, SurveyLink, TrainedStaffMember
from notifications.content import site_link
from notifications.models import SurveyInvitation
from notifications.services import survey_message
from rjcases.services.casework import save_with_history

SURVEY_LINK_DAYS = 30
# A survey link's token: short enough to type from a printed slip (12 characters of an alphabet without 0/O, 1/I/L),
# 60 bits, kept only hashed, one use, and expiring: guessing one gets a chance to answer a survey, nothing more.
SHORT_TOKEN_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
SHORT_TOKEN_LENGTH = 12


class SurveyLinkUnusable(Exception):
    """The link does not exist, has expired or was used already (the page says which, in general words)."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def save_centre(centre: ReportingCentre, user) -> ReportingCentre:
    """Add or change a register entry (managers of the partnership of the centre's ward)."""
    if not access.manages_centre(user, centre):
        raise PermissionDenied("Only a manager can change the reporting centre register.")
    save_with_history(centre, user, "register entry added" if centre.pk is None else "register entry changed")
    return centre


def save_trained_staff(member: TrainedStaffMember, user) -> TrainedStaffMember:
    """Add or change a trained member of a centre's staff (managers of the centre's partnership)."""
    if not access.manages_centre(user, member.centre):
        raise PermissionDenied("Only a manager can change the reporting centre register.")
    save_with_history(member, user, "trained staff added" if member.pk is None else "trained staff changed")
    return member


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_survey_link(centre: ReportingCentre, user) -> tuple[SurveyLink, str]:
    """A new one-use survey link for this centre; returns it and the token (shown once, kept only hashed)."""
    if not access.takes_surveys(user, centre):
        raise PermissionDenied("You cannot make survey links for this centre.")
    if not centre.is_active:
        raise ValidationError("This centre is closed: it cannot take surveys.")
    return _new_survey_link(centre, user)


def _new_survey_link(centre: ReportingCentre, user) -> tuple[SurveyLink, str]:
    token = "".join(secrets.choice(SHORT_TOKEN_ALPHABET) for _ in range(SHORT_TOKEN_LENGTH))
    link = SurveyLink(
        centre=centre,
        token_hash=_hash(token),
        created_by=user,
        expires_at=timezone.now() + timedelta(days=SURVEY_LINK_DAYS),
    )
    save_with_history(link, user, "survey link made")
    return link, token


def usable_link(token: str) -> SurveyLink:
    """The link for this token if it can still be answered; else ``SurveyLinkUnusable``. A short token typed from a
    slip may come in lower case, or with spaces or hyphens between its groups; links made before tokens were short
    are matched as given."""
    token = token or ""
    typed = "".join(token.split()).replace("-", "").upper()
    candidates = {_hash(token), _hash(typed)} if len(typed) == SHORT_TOKEN_LENGTH else {_hash(token)}
    link = SurveyLink.objects.select_related("centre").filter(token_hash__in=candidates).first()
    if link is None:
        raise SurveyLinkUnusable("not_found")
    if link.used_at is not None:
        raise SurveyLinkUnusable("used")
    if link.expires_at <= timezone.now() or not link.centre.is_active:
        raise SurveyLinkUnusable("expired")
    return link


def _response(centre: ReportingCentre, answers: dict, via: str, user=None) -> CentreSurveyResponse:
    codes = survey.question_codes()
    missing = [code for code in codes if not answers.get(code)]
    if missing:
        raise ValidationError({code: "Select an answer" for code in missing})
    response = CentreSurveyResponse(
        centre=centre,
        via=via,
        recorded_by=user,
        questions_version=survey.CURRENT_VERSION,
        questions_language=survey.language_or_english(answers.get("language")),
        comments=(answers.get("comments") or "").strip(),
        **{code: answers[code] for code in codes},
    )
    save_with_history(response, user, "survey answered")
    return response


def record_survey_response(centre: ReportingCentre, user, answers: dict) -> CentreSurveyResponse:
    """Centre staff (or a manager) enter a person's answers for them."""
    if not access.takes_surveys(user, centre):
        raise PermissionDenied("You cannot record survey answers for this centre.")
    return _response(centre, answers, CentreSurveyResponse.Via.STAFF, user)


def submit_survey_by_link(token: str, answers: dict) -> CentreSurveyResponse:
    """A person answers on their link, without signing in. The link is used up in the same transaction,
    so it can be answered once; a second try (even at the same moment) is refused."""
    with transaction.atomic():
        link = usable_link(token)
        link = SurveyLink.objects.select_for_update().select_related("centre").get(pk=link.pk)
        if link.used_at is not None:
            raise SurveyLinkUnusable("used")
        response = _response(link.centre, answers, CentreSurveyResponse.Via.LINK)
        link.used_at = timezone.now()
        link._history_user = None
        link._change_reason = "survey answered"
        link.save(update_fields=["used_at"])
    return response


def email_survey_links() -> dict[str, list[str]]:
    """Email the survey link to each person who reported at a centre and agreed to it at intake (their
    ``SurveyInvitation``), once: a new one-use link each, made on the centre's behalf by whoever recorded the
    report. Safe to run twice or at once (each invitation is locked and skipped once its email is written).
    Returns the case references by outcome: queued, or not sent because the centre is not on the register or
    closed (tried again next run)."""
    outcomes: dict[str, list[str]] = {}
    pending = SurveyInvitation.objects.filter(message__isnull=True).values_list("pk", flat=True)
    for invitation_id in list(pending):
        with transaction.atomic():
            invitation = (
                SurveyInvitation.objects.select_for_update()
                .select_related("case", "recorded_by")
                .filter(pk=invitation_id, message__isnull=True)
                .first()
            )
            if invitation is None:
                continue
            centre = ReportingCentre.objects.filter(organisation__centre_reports=invitation.case).first()
            if centre is None or not centre.is_active:
                outcomes.setdefault("centre not on the register or closed", []).append(invitation.case.reference)
                continue
            link, token = _new_survey_link(centre, invitation.recorded_by)
            url = site_link(reverse("insights:survey", args=[token]))
            survey_message(invitation, url, link.expires_at, centre.name)
            outcomes.setdefault("queued", []).append(invitation.case.reference)
    return outcomes
