"""British Sign Language videos: the link a manager sets for each kind of letter (and for the reporting-centre
survey), and the QR code printed beside it on the letters of a person who uses BSL (``rjcases.needs.uses_bsl``).

The QR code is made with segno as a PNG (black modules on white, a four-module quiet zone, error correction level
M), which reportlab embeds as an image: a phone's camera, or a decoder reading the image back out of the PDF,
finds the same link."""

from __future__ import annotations

import io

import segno
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import roles
from letters.models import BslVideo
from rjcases.exceptions import ActionRefused

BSL_VIDEO_INTRO = "Watch this letter explained in British Sign Language (BSL):"
SURVEY_INTRO = "Watch the survey explained in British Sign Language (BSL):"


def bsl_video_url(subject: str) -> str:
    """The link set for this kind of letter (or ``BslVideo.CENTRE_SURVEY``); '' when none is set."""
    return BslVideo.objects.filter(subject=subject).values_list("url", flat=True).first() or ""


def bsl_videos() -> dict[str, BslVideo]:
    """Every link set, by subject."""
    return {video.subject: video for video in BslVideo.objects.select_related("updated_by")}


def set_bsl_video(user, subject: str, url: str) -> BslVideo | None:
    """Set (or, with an empty ``url``, remove) the BSL video of one kind of letter or of the survey: managers only.
    Every change is kept in the history; a removal too."""
    if not roles.is_manager(user):
        raise ActionRefused("Only a manager can change the BSL videos.")
    if subject not in dict(BslVideo.SUBJECTS):
        raise ValidationError({"subject": ["Choose a kind of letter or the survey."]})
    url = (url or "").strip()
    with transaction.atomic():
        video = BslVideo.objects.select_for_update().filter(subject=subject).first()
        if not url:
            if video is not None:
                video._history_user = user
                video._change_reason = "BSL video removed"
                video.delete()
            return None
        video = video or BslVideo(subject=subject)
        if video.pk and video.url == url:
            return video
        video.url = url
        video.updated_by = user
        video.updated_at = timezone.now()
        video._history_user = user
        video._change_reason = "BSL video set"
        video.full_clean()
        video.save()
    return video


def qr_png(url: str, *, scale: int = 8) -> bytes:
    """A QR code of ``url`` as PNG bytes."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=scale, border=4, dark="black", light="white")
    return buffer.getvalue()
