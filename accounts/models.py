from django.contrib.auth.models import AbstractUser
from django.db import models
from simple_history.models import HistoricalRecords


class Organisation(models.Model):
    """A partner organisation: the RJ service, a police force or division, a victim service, a reporting centre."""

    class Kind(models.TextChoices):
        RJ_SERVICE = "rj_service", "RJ service"
        POLICE = "police", "Police force or division"
        VICTIM_SERVICE = "victim_service", "Victim service"
        REPORTING_CENTRE = "reporting_centre", "Third-party reporting centre"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in. Their role is their Group; their organisation scopes what they see."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    job_title = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def role_names(self) -> frozenset[str]:
        """The user's role (group) names, read once per user object."""
        cached = self.__dict__.get("_role_names")
        if cached is None:
            if self.pk is None:
                cached = frozenset()
            elif "groups" in getattr(self, "_prefetched_objects_cache", {}):
                cached = frozenset(g.name for g in self.groups.all())
            else:
                cached = frozenset(self.groups.values_list("name", flat=True))
            self.__dict__["_role_names"] = cached
        return cached
