"""Interpreters booked for a case's restorative activity."""

from __future__ import annotations

from rest_framework import serializers

from api.serializers.fields import CasePartyField, Day, person_name
from conferences.models import InterpreterBooking


class InterpreterBookingSerializer(serializers.ModelSerializer):
    booked_by = serializers.SerializerMethodField()

    class Meta:
        model = InterpreterBooking
        fields = [
            "id",
            "activity",
            "party",
            "language",
            "provider",
            "registration_number",
            "confirmed",
            "confirmed_on",
            "cost_pence",
            "booked_by",
            "created_at",
        ]

    def get_booked_by(self, booking) -> str | None:
        return person_name(booking.booked_by)


class InterpreterBookingInSerializer(serializers.Serializer):
    party = CasePartyField(help_text="The id of the person (invited to the activity) the interpreter is for")
    provider = serializers.CharField(max_length=200, help_text="The agency or the interpreter booked")
    language = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=60, help_text="Defaults to the person's"
    )
    registration_number = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=30,
        help_text="For BSL the NRCPD number: 4 to 8 digits, 'NRCPD' in front optional. Needed to confirm.",
    )
    cost_pence = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0)
    confirmed = serializers.BooleanField(default=False)
    confirmed_on = Day(past_only=True, required=False, allow_null=True, default=None)


class InterpreterConfirmSerializer(serializers.Serializer):
    confirmed_on = Day(past_only=True, required=False, allow_null=True, default=None, help_text="Defaults to today")
    registration_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=30)
    cost_pence = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0)
