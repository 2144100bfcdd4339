"""The moves a case makes (what each move takes, what it answers) and the case timeline."""

from __future__ import annotations

from rest_framework import serializers

from api.serializers.fields import CodeNameSerializer
from rjcases.choices import WITHDRAWN_BY_CHOICES
from rjcases.limits import NAME
from rjcases.models import Case
from rjcases.services import FIELD_LABELS, TRANSITIONS
from rjcases.services.transitions import FIELD_LIMITS

# ---------------------------------------------------------------------------------------------------
# Transitions


class TransitionFieldSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    required = serializers.BooleanField()
    choices = CodeNameSerializer(many=True, help_text="Allowed values, where the field has a fixed list")


class AvailableTransitionSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    help = serializers.CharField()
    ready = serializers.BooleanField(help_text="False while a guard is unmet: see problems")
    problems = serializers.ListField(child=serializers.CharField())
    fields = TransitionFieldSerializer(many=True)
    url = serializers.CharField()


def transition_fields(name: str, withdrawn_by: tuple[str, ...] | None = None) -> list[dict]:
    """The fields move ``name`` takes; ``withdrawn_by`` limits who may be named as withdrawing (a caseworker:
    their client), as ``rjcases.permissions.withdrawn_by_allowed`` says."""
    spec = TRANSITIONS[name]
    fields = []
    withdrawn_by_choices = [c for c in WITHDRAWN_BY_CHOICES if withdrawn_by is None or c[0] in withdrawn_by]
    for field_name in spec.fields:
        options = spec.choices.get(field_name) or (withdrawn_by_choices if field_name == "withdrawn_by" else ())
        fields.append(
            {
                "name": field_name,
                "label": FIELD_LABELS.get(field_name, field_name).replace(" (optional)", ""),
                "required": field_name in spec.required,
                "choices": [{"code": value, "name": label} for value, label in options],
            }
        )
    return fields


class TransitionInSerializer(serializers.Serializer):
    """The fields any transition may take; GET .../transitions/ says which one needs which."""

    reason = serializers.CharField(max_length=FIELD_LIMITS["reason"], required=False, allow_blank=True)
    note = serializers.CharField(max_length=FIELD_LIMITS["note"], required=False, allow_blank=True)
    summary = serializers.CharField(max_length=FIELD_LIMITS["summary"], required=False, allow_blank=True)
    outcome = serializers.CharField(max_length=NAME, required=False, allow_blank=True)
    withdrawn_by = serializers.ChoiceField(choices=WITHDRAWN_BY_CHOICES, required=False)
    expected_state = serializers.ChoiceField(
        choices=Case.State.choices,
        required=False,
        help_text="The state you last saw; if the case is in another one now, the answer is 409",
    )


class TransitionOutSerializer(serializers.Serializer):
    reference = serializers.CharField()
    transition = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField()
    outcome = serializers.CharField(allow_blank=True)
    url = serializers.CharField()


# ---------------------------------------------------------------------------------------------------
# Timeline


class ChangeSerializer(serializers.Serializer):
    label = serializers.CharField()
    old = serializers.CharField()
    new = serializers.CharField()


class TimelineEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.CharField()
    title = serializers.CharField()
    by = serializers.CharField(allow_blank=True)
    lines = serializers.ListField(child=serializers.CharField(allow_blank=True))
    changes = ChangeSerializer(many=True)
