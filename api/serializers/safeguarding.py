"""What the API reads and writes for the people's safeguards: recording that a person no longer takes part."""

from __future__ import annotations

from rest_framework import serializers

from api.serializers.fields import Day


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
