"""The bulk import of police records: the JSON layout is the CSV layout (docs/import.md), one object per row."""

from rest_framework import serializers

from recorded.layout import MAX_ROWS


class RecordedIncidentRowSerializer(serializers.Serializer):
    """One police record. Every value as in the CSV file; ``strands`` may be a list of codes."""

    crime_reference = serializers.CharField(help_text="Like 06/123456/26: the key (a record held is updated)")
    reported_at = serializers.CharField(help_text="YYYY-MM-DD HH:MM, or YYYY-MM-DD")
    occurred_on = serializers.DateField()
    ward = serializers.CharField(required=False, help_text="Ward code (TRF01) or name; or give a postcode")
    postcode = serializers.CharField(required=False)
    place = serializers.CharField(required=False)
    crime_type = serializers.CharField(help_text="public-order, violence, criminal-damage, other-offences, nchi")
    crime_or_non_crime = serializers.ChoiceField(choices=["crime", "non-crime"])
    strands = serializers.ListField(child=serializers.CharField(), help_text='Strand codes, e.g. ["race"]')
    repeat_victim = serializers.BooleanField(required=False)
    victim_key = serializers.CharField(required=False, help_text="The police's hashed person key (hexadecimal)")


class RecordedIncidentBulkSerializer(serializers.Serializer):
    incidents = serializers.ListField(
        child=serializers.DictField(), allow_empty=False, max_length=MAX_ROWS, help_text="Rows as documented above"
    )
    skip_invalid = serializers.BooleanField(default=False)


class RejectedRowSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="1 for the first object of incidents")
    crime_reference = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())


class RecordedIncidentImportSerializer(serializers.Serializer):
    rows = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    rejected = RejectedRowSerializer(many=True)
    message = serializers.CharField()
