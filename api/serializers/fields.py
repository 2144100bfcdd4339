"""The small fields every API serializer shares."""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from rjcases.models import POSTCODE_RE, Party, normalise_postcode

User = get_user_model()


# ---------------------------------------------------------------------------------------------------
# Small pieces


# Dates the service records fall in this range: nothing earlier than 2000 (birth dates: 1900), nothing
# later than ten years ahead. It keeps every date printable in the service's time zone (London's offsets
# before 1847 had seconds, which ISO 8601 date-times cannot carry; year 9999 plus an offset overflows).
EARLIEST = date(2000, 1, 1)
EARLIEST_BIRTH = date(1900, 1, 1)
YEARS_AHEAD = 10


def _latest() -> date:
    today = timezone.localdate()
    return today.replace(year=today.year + YEARS_AHEAD, day=28 if today.month == 2 else today.day)


class Day(serializers.DateField):
    """A date in the service's range; ``past_only`` for things that have happened."""

    def __init__(self, *, past_only: bool = False, earliest: date = EARLIEST, **kwargs):
        self.past_only = past_only
        self.earliest = earliest
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        _check_range(day, self.earliest, self.past_only)
        return day


def limit_of(model, name: str) -> int:
    """The longest text a model field takes (``rjcases.limits`` through the model), for a plain serializer's field."""
    return model._meta.get_field(name).max_length


def given_as_date(value) -> bool:
    """Whether an ISO 8601 value is a date alone (``2026-12-01``): the time was not recorded."""
    return isinstance(value, str) and parse_date_only(value) is not None


def parse_date_only(value: str) -> date | None:
    try:
        return parse_date(value.strip())
    except ValueError:
        return None


class When(serializers.DateTimeField):
    """A date and time in the service's range (ISO 8601; without an offset it is UK time).

    With ``date_allowed``, a date alone is that day's midnight and means the time is not known: the serializer
    records that with ``given_as_date``.
    """

    def __init__(self, *, past_only: bool = False, date_allowed: bool = False, **kwargs):
        self.past_only = past_only
        self.date_allowed = date_allowed
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        day = parse_date_only(value) if self.date_allowed and isinstance(value, str) else None
        if day is not None:
            moment = timezone.make_aware(datetime.combine(day, datetime.min.time()))
        else:
            moment = super().to_internal_value(value)
        if self.past_only and moment > timezone.now():
            raise serializers.ValidationError("Must be now or in the past.")
        _check_range(moment.date(), EARLIEST, False)
        return moment


def _check_range(day: date, earliest: date, past_only: bool) -> None:
    if day < earliest:
        raise serializers.ValidationError(f"Must be on or after {earliest:%-d %B %Y}.")
    if past_only and day > timezone.localdate():
        raise serializers.ValidationError("Must be today or in the past.")
    if day > _latest():
        raise serializers.ValidationError(f"Must be within {YEARS_AHEAD} years from today.")


class PostcodeField(serializers.CharField):
    """A UK postcode, normalised to upper case with one space (``m32 0th`` becomes ``M32 0TH``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = normalise_postcode(super().to_internal_value(data))
        if value and not POSTCODE_RE.match(value):
            raise serializers.ValidationError("Enter a real UK postcode, like M32 0TH.")
        return value


@extend_schema_field(OpenApiTypes.DATETIME)
class DateOrDateTimeField(serializers.Field):
    """An ISO 8601 date-time, or a date meaning the start of that day (service time zone)."""

    default_error_messages = {"invalid": "Enter a date (2026-10-01) or a date-time (2026-10-01T09:00:00Z)."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            value = parse_datetime(data.strip())
        except ValueError:
            value = None
        if value is None:
            try:
                day = parse_date(data.strip())
            except ValueError:
                day = None
            if day is None:
                self.fail("invalid")
            value = datetime.combine(day, datetime.min.time())
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        _check_range(value.date(), EARLIEST, False)
        return value

    def to_representation(self, value):
        return value.isoformat()


class CodeNameSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


def person_name(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.username


def code_field(model, **kwargs) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="code", queryset=model.objects.all(), **kwargs)


class ActiveUsernameField(serializers.SlugRelatedField):
    """A person by their username (active accounts only)."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="username", queryset=User.objects.filter(is_active=True), **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class CasePartyField(serializers.PrimaryKeyRelatedField):
    """A party of the case named in the URL, by id."""

    default_error_messages = {"does_not_exist": "No person with id {pk_value} on this case."}

    def get_queryset(self):
        case = self.context.get("case")
        return Party.objects.filter(case=case) if case is not None else Party.objects.none()
