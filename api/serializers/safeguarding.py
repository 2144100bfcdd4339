"""What the API reads and writes for the people's safeguards: recording that a person no longer takes part, and a
person's safe times (``SafeTimesField``)."""

from __future__ import annotations

from dataclasses import replace

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.fields import Day
from rjcases import safe_times


class NoLongerTakingPartSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text="Why they no longer take part (kept on the record)")
    on = Day(past_only=True, required=False, help_text="The day their part ended; today if not given")


class TakingPartSerializer(serializers.Serializer):
    """Whether a person still takes part, and since when and why not."""

    id = serializers.IntegerField(source="pk")
    role = serializers.CharField()
    participating = serializers.BooleanField()
    stopped_taking_part_on = serializers.DateField(allow_null=True)
    stopped_taking_part_reason = serializers.CharField()


@extend_schema_field(
    {
        "type": "object",
        "description": "When it is safe to call or visit the person: no `days` means any day, no `windows` any time "
        "of day, `{}` none recorded. A call or visit outside them needs `outside_safe_times_reason`.",
        "properties": {
            "days": {"type": "array", "items": {"type": "string", "enum": list(safe_times.DAYS)}, "uniqueItems": True},
            "windows": {
                "type": "array",
                "maxItems": safe_times.MAX_WINDOWS,
                "items": {
                    "type": "object",
                    "required": ["from", "to"],
                    "properties": {
                        "from": {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "example": "17:00"},
                        "to": {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "example": "21:00"},
                    },
                },
            },
            "read_from_note": {
                "type": "boolean",
                "readOnly": True,
                "description": "Read from the free-text note when safe times became data: to be checked",
            },
        },
    }
)
class SafeTimesField(serializers.JSONField):
    """A person's safe times as ``rjcases.safe_times`` stores them; anything else is a 422 naming the field."""

    def to_internal_value(self, data):
        try:
            # Sent by a person: their times as given, no longer "read from the note".
            return replace(safe_times.parse(super().to_internal_value(data)), read_from_note=False).as_data()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc

    def to_representation(self, value):
        return safe_times.parse(value).as_data()
