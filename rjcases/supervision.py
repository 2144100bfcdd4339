"""Case supervision (the RJ Council's practitioner code): a manager's record of supervising one case.

Imported at the end of ``rjcases.models``, so the model belongs to the ``rjcases`` app and its migrations. Written
only by ``rjcases.services.supervision``; read by the case's facilitators and the partnership's managers only
(``SupervisionQuerySet.visible_to``): never by caseworkers, referrers or reporting centres.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from accounts import roles
from rjcases import limits
from rjcases.limits import bounded_text


class SupervisionQuerySet(models.QuerySet):
    def visible_to(self, user) -> SupervisionQuerySet:
        """Managers see every supervision record; a facilitator those of the cases they facilitate; nobody else."""
        if not user or not user.is_authenticated or not user.is_active:
            return self.none()
        if roles.is_manager(user):
            return self
        if roles.is_facilitator(user):
            return self.filter(Q(case__facilitator=user) | Q(case__co_facilitator=user))
        return self.none()


class Supervision(models.Model):
    """One supervision of a case by a manager: when, what was discussed, what was decided, when to review next."""

    case = models.ForeignKey("rjcases.Case", on_delete=models.PROTECT, related_name="supervisions")
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField("date of the supervision")
    discussion = models.TextField("what was discussed", max_length=limits.NOTE)
    decisions = models.TextField("what was decided", max_length=limits.NOTE, blank=True)
    next_review_on = models.DateField("next review", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = SupervisionQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["next_review_on"])]
        constraints = bounded_text("supervision", discussion=limits.NOTE, decisions=limits.NOTE)

    def __str__(self) -> str:
        return f"Supervision of {self.case_id} on {self.held_on}"
