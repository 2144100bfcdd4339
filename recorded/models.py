"""Recorded hate incidents: every hate crime and non-crime hate incident the partnership knows of, whether or
not it reached the RJ service. Not cases: a recorded incident has no parties, no workflow and no notes.

Three sources: the police force's recorded crime (imported, keyed by crime reference), reports taken at a
third-party reporting centre, and RJ referrals (both of the latter written from the case by
``recorded.services.record_case_incident``, one per case). A police record that later becomes an RJ referral
is the same record, linked to the case (matched by crime reference): it is counted once.

``RecordedCount`` is the summary the hotspot page reads, kept current by the same services in the same
transaction as every write of a recorded incident (``recorded.counts``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from rjcases import limits
from rjcases.models import CrimeType, HateStrand, Ward, validate_crime_reference, validate_postcode


class PostcodeSector(models.Model):
    """A postcode sector (outward code and the first digit of the inward code, like "M32 0") and the ward it
    lies in, so that a police record with a postcode and no ward can be placed. Reference data an
    administrator keeps; a sector across two wards is entered under the ward most of it lies in."""

    sector = models.CharField(max_length=6, unique=True, help_text='Like "M32 0"')
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="postcode_sectors")
    history = HistoricalRecords()

    class Meta:
        ordering = ["sector"]

    def __str__(self) -> str:
        return f"{self.sector}: {self.ward}"


class RecordedIncident(models.Model):
    """One recorded hate crime or non-crime hate incident, from whichever source first recorded it."""

    class Source(models.TextChoices):
        POLICE = "police", "Police recorded"
        CENTRE = "centre", "Reporting centre report"
        RJ = "rj", "RJ referral"

    source = models.CharField(max_length=8, choices=Source.choices, db_index=True)
    crime_reference = models.CharField(
        "crime or incident reference", max_length=24, blank=True, validators=[validate_crime_reference]
    )
    case = models.OneToOneField(
        "rjcases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recorded_incident",
        help_text="The RJ case about this incident, if it became one",
    )
    reported_on = models.DateField("date reported")
    reported_time = models.TimeField("time reported", null=True, blank=True)
    occurred_on = models.DateField("date of the incident")
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="recorded_incidents")
    postcode = models.CharField(max_length=10, blank=True, validators=[validate_postcode])
    place = models.CharField("place (in words)", max_length=limits.SHORT, blank=True)
    crime_type = models.ForeignKey(CrimeType, on_delete=models.PROTECT, related_name="recorded_incidents")
    is_crime = models.BooleanField("a crime (not a non-crime hate incident)")
    strands = models.ManyToManyField(HateStrand, related_name="recorded_incidents")
    repeat_victim_marker = models.BooleanField(
        "marked as a repeat victim by the police", default=False, help_text="As the police record says"
    )
    victim_key = models.CharField(
        "person key",
        max_length=128,
        blank=True,
        help_text="The police's hashed, normalised identifier of the person harmed: the same person, the same key. "
        "Never a name.",
    )
    # Derived on every write (recorded.services): what the repeat counts read.
    place_key = models.CharField(max_length=220, blank=True, editable=False)
    repeat_victim = models.BooleanField(default=False, editable=False)
    repeat_place = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords(excluded_fields=["updated_at", "place_key", "repeat_victim", "repeat_place"])

    class Meta:
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["crime_reference"], condition=~Q(crime_reference=""), name="recorded_unique_crime_reference"
            )
        ]
        indexes = [
            models.Index(fields=["victim_key", "occurred_on"], condition=~Q(victim_key=""), name="recorded_victim"),
            models.Index(fields=["place_key", "occurred_on"], condition=~Q(place_key=""), name="recorded_place"),
            models.Index(fields=["occurred_on"], name="recorded_occurred"),
            models.Index(fields=["reported_on"], name="recorded_reported"),
        ]

    def __str__(self) -> str:
        return self.crime_reference or f"{self.get_source_display()} {self.pk}"

    @property
    def counted_source(self) -> str:
        return counted_source(self.source, self.case_id)


POLICE_AND_RJ = "police-rj"
COUNTED_SOURCES = {
    RecordedIncident.Source.POLICE: "Police recorded, not referred to RJ",
    POLICE_AND_RJ: "Police recorded, then referred to RJ",
    RecordedIncident.Source.CENTRE: "Reporting centre report",
    RecordedIncident.Source.RJ: "RJ referral (not in the police records)",
}


def counted_source(source: str, case_id: int | None) -> str:
    """The source as the hotspot page counts it: a police record that became an RJ referral apart."""
    return POLICE_AND_RJ if source == RecordedIncident.Source.POLICE and case_id else source


class RecordedCount(models.Model):
    """How many recorded incidents fall in one cell: by date basis (incident date or report date), grain (a
    day, or a whole month on its first day), ward, crime type, counted source and strand (0: each incident
    once; else a strand's id, each incident once in each of its strands), with how many of them are against a
    repeat victim and at a repeat place. Derived data, kept current on every write (``recorded.counts``) and
    rebuilt from the raw rows by ``manage.py rebuild_recorded_counts``; the ids are plain numbers (no foreign
    keys: nothing points here and the rows are rewritten in bulk)."""

    class Basis(models.TextChoices):
        OCCURRED = "occurred", "Date of the incident"
        REPORTED = "reported", "Date reported"

    class Grain(models.TextChoices):
        DAY = "day", "Day"
        MONTH = "month", "Month"

    basis = models.CharField(max_length=8, choices=Basis.choices)
    grain = models.CharField(max_length=5, choices=Grain.choices)
    day = models.DateField()
    ward_id = models.IntegerField()
    crime_type_id = models.IntegerField()
    source = models.CharField(max_length=10)
    strand_id = models.IntegerField()
    incidents = models.IntegerField(default=0)
    repeat_victim = models.IntegerField(default=0)
    repeat_place = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["basis", "grain", "day", "ward_id", "crime_type_id", "source", "strand_id"],
                name="recorded_count_cell",
            )
        ]
        # One partnership's cells: the hotspot page names its wards (insights.selectors.incidents._cells), so that it
        # reads those wards' cells of the period, not every partnership's (bench/partnerships.py).
        indexes = [models.Index(fields=["ward_id", "basis", "grain", "day"], name="recorded_count_ward")]


class ImportRun(models.Model):
    """One import of police records (a file or an API call), kept as the record of who changed the figures."""

    class Via(models.TextChoices):
        COMMAND = "command", "manage.py import_recorded_incidents"
        UPLOAD = "upload", "Upload page"
        API = "api", "API"

    via = models.CharField(max_length=8, choices=Via.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    name = models.CharField("file name", max_length=200, blank=True)
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    imported = models.BooleanField(help_text="False when rejected rows stopped the whole import")

    class Meta:
        ordering = ["-at", "-id"]
