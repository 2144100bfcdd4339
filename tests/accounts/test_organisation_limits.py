"""An organisation's address is bounded like every other address (500 characters), in the form and the database."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import Organisation

pytestmark = pytest.mark.django_db


def test_an_address_of_500_characters_is_kept():
    Organisation.objects.create(name="Long address", kind=Organisation.Kind.OTHER, address="a" * 500)
    assert Organisation.objects.get(name="Long address").address == "a" * 500


def test_a_longer_address_is_refused_with_the_limit_named_and_nothing_saved():
    organisation = Organisation(name="Too long", kind=Organisation.Kind.OTHER, address="a" * 501)
    with pytest.raises(ValidationError, match="500 characters or fewer"):
        organisation.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        organisation.save()
    assert not Organisation.objects.filter(name="Too long").exists()
