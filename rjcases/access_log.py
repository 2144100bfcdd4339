"""The read access log: who opened a case, a person's details, a timeline or a document. Its own module so that
``rjcases.models`` (re-exporting it) need not grow; written only by ``rjcases.services.log_read``."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from audit.chain import ChainedRow


class ReadAccess(ChainedRow):
    """Who opened a case, a party's details or a document, and when. Always on; managers read it. Append-only and
    hash-chained (``audit.chain``)."""

    class What(models.TextChoices):
        CASE = "case", "Case"
        PARTY = "party", "Party details"
        DOCUMENT = "document", "Document"
        TIMELINE = "timeline", "Timeline"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("rjcases.Case", on_delete=models.PROTECT, null=True, related_name="+")
    what = models.CharField(max_length=12, choices=What.choices)
    object_id = models.CharField(max_length=40, blank=True)
    path = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["case", "at"])]
