"""Complaints (Victims' Code Right 12): a complaint about the service on a case, its acknowledgement and response.

Imported at the end of ``rjcases.models``, so the model belongs to the ``rjcases`` app and its migrations.
The deadlines are set when the complaint is recorded, from the partnership's settings
(``RJ_COMPLAINT_ACKNOWLEDGE_WORKING_DAYS``, ``RJ_COMPLAINT_RESPONSE_WORKING_DAYS``), so a later change of the
settings does not rewrite a complaint's deadlines. Written only by ``rjcases.services.complaints``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from accounts import roles
from rjcases import limits
from rjcases.limits import bounded_text


class ComplaintQuerySet(models.QuerySet):
    def visible_to(self, user) -> ComplaintQuerySet:
        """Complaints on the cases this user may see the whole of: managers all; facilitators their cases'."""
        if not user or not user.is_authenticated or not user.is_active:
            return self.none()
        own = sorted(roles.partnership_ids(user))
        scope = Q(pk__in=[])
        if roles.is_manager(user):
            scope |= Q(case__partnership_id__in=own)
        if roles.is_facilitator(user):
            scope |= (Q(case__facilitator=user) | Q(case__co_facilitator=user)) & Q(case__partnership_id__in=own)
        return self.filter(scope)

    def open(self) -> ComplaintQuerySet:
        return self.filter(responded_on__isnull=True)


class Complaint(models.Model):
    """A complaint about the service (Victims' Code Right 12), with its deadlines, acknowledgement and response."""

    class From(models.TextChoices):
        HARMED = "harmed", "The person harmed"
        RESPONSIBLE = "responsible", "The person responsible"
        SUPPORTER = "supporter", "A supporter or family member"
        REFERRER = "referrer", "The referrer"
        OTHER = "other", "Someone else"

    class Outcome(models.TextChoices):
        UPHELD = "upheld", "Upheld"
        PARTLY_UPHELD = "partly_upheld", "Partly upheld"
        NOT_UPHELD = "not_upheld", "Not upheld"
        WITHDRAWN = "withdrawn", "Withdrawn by the complainant"

    case = models.ForeignKey("rjcases.Case", on_delete=models.PROTECT, related_name="complaints")
    complainant = models.CharField("from", max_length=12, choices=From.choices)
    complainant_name = models.CharField("name of the complainant", max_length=limits.SHORT, blank=True)
    about = models.TextField("what the complaint is about", max_length=limits.SUMMARY)
    received_on = models.DateField("complaint received on")
    acknowledge_due_on = models.DateField("acknowledgement due by")
    respond_due_on = models.DateField("response due by")
    acknowledged_on = models.DateField(null=True, blank=True)
    responded_on = models.DateField(null=True, blank=True)
    response = models.TextField("the response, in summary", blank=True, max_length=limits.SUMMARY)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["acknowledge_due_on"]), models.Index(fields=["respond_due_on"])]
        constraints = bounded_text("complaint", about=limits.SUMMARY, response=limits.SUMMARY)

    def __str__(self) -> str:
        return f"Complaint received {self.received_on:%d/%m/%Y}"
