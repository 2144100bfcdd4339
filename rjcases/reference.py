"""Reference data of the case domain (fixtures/reference.json): wards, hate crime strands, crime types,
referral routes, and the working-day calendar. Models of the ``rjcases`` app, imported by ``rjcases.models``."""

from django.db import models
from simple_history.models import HistoricalRecords


class Ward(models.Model):
    """An electoral ward of a partnership's borough, with the population the hotspot analysis divides by.

    Its name is unique within its partnership, not across them (two boroughs may both have a "Central" ward);
    its code (the ONS code, or the service's own) is unique across the installation, as partner systems send it."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="wards")
    code = models.CharField(max_length=12, unique=True)
    name = models.CharField(max_length=100)
    population = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "name"],
                name="ward_name_unique_in_partnership",
                violation_error_message="This partnership already has a ward of that name.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class HateStrand(models.Model):
    """A hate crime strand: the five monitored ones, alternative subculture (GMP) and other."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    centrally_monitored = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class CrimeType(models.Model):
    """A crime or incident type, grouped as hate crime statistics group them."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    is_crime = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class ReferralRoute(models.Model):
    """How a referral reached the service (police, reporting centre, victim service, self, ...)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class CalendarDay(models.Model):
    """One day of the working-day calendar, so that the database can count working days itself.

    ``working_days`` is the number of working days (``rjcases.clocks.is_working_day``) from the calendar's first
    day up to and including this one; the working days after ``a`` up to and including ``b`` are then
    ``b.working_days - a.working_days``, as ``clocks.working_days_between`` counts them. Filled and kept equal
    to the bank holiday data after every migrate (``rjcases.calendar``), never edited by hand.
    """

    day = models.DateField(primary_key=True)
    working_days = models.PositiveIntegerField()

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day}: {self.working_days}"
