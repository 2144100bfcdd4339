"""factory_boy factories. Cases reach later states by walking the real services (tests/walk.py)."""

from datetime import date, datetime, timedelta

import factory
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts import roles
from accounts.models import DEFAULT_PARTNERSHIP_CODE, Organisation, Partnership, User
from rjcases.models import CrimeType, HateStrand, ReferralRoute, Ward


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.RJ_SERVICE


def partnership(code: str = DEFAULT_PARTNERSHIP_CODE, name: str | None = None) -> Partnership:
    """A partnership by code, created if the test database has none: the default one is Trafford, where every
    persona works unless a test says otherwise."""
    label = name or code.title()
    # The default partnership's service keeps the installation's name, as the migration that made it does.
    service = settings.SERVICE_NAME if code == DEFAULT_PARTNERSHIP_CODE else f"{label} RJ Service"
    return Partnership.objects.get_or_create(
        code=code, defaults={"name": f"{label} Partnership", "area": label, "service_name": service}
    )[0]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"Test{n}")
    last_name = "Person"
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.django.Password("correct-horse-battery-9")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            group = Group.objects.filter(name=extracted).first()
            if group is None:  # a test database made without migrations: the role groups, once
                roles.ensure_roles()
                group = Group.objects.get(name=extracted)
            self.groups.add(group)
            self.__dict__.pop("_role_names", None)

    @factory.post_generation
    def partnerships(self, create, extracted, **kwargs):
        """The partnerships the user works for: those given (``partnerships=[]`` for none), else the default one
        for anyone with a role."""
        if not create:
            return
        if extracted is None:
            extracted = [partnership()] if self.groups.exists() else []
        if extracted:
            self.partnerships.add(*extracted)
        self.__dict__.pop("_partnership_ids", None)


def reference(model, code):
    """A reference-data row by code, created if a test database has none (tests do not load fixtures)."""
    defaults = {
        Ward: {"name": code.title(), "population": 10000},
        HateStrand: {"name": code.title(), "centrally_monitored": True},
        CrimeType: {"name": code.title(), "is_crime": code != "nchi"},
        ReferralRoute: {"name": code.title()},
    }[model]
    if model is Ward:
        return Ward.objects.get_or_create(code=code, defaults={**defaults, "partnership": partnership()})[0]
    return model.objects.get_or_create(code=code, defaults=defaults)[0]


def incident_data(ward_code="TRF01", crime_code="public-order", **overrides) -> dict:
    data = {
        "occurred_from": timezone.make_aware(datetime(2026, 10, 1, 21, 30)),
        "ward": reference(Ward, ward_code),
        "place": "Bus stop outside the library",
        "crime_type": reference(CrimeType, crime_code),
        "summary": "Racist abuse shouted at a person waiting for a bus.",
    }
    data.update(overrides)
    return data


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)
