"""Case notes, and which of the case's caseworkers each one is shared with."""

from __future__ import annotations

from rest_framework import serializers

from api.serializers.fields import ActiveUsernameField, person_name
from rjcases.models import Note
from rjcases.permissions import sees_whole_case


class NoteSerializer(serializers.ModelSerializer):
    """A note. ``shared_with``: the usernames of the caseworkers who may read it, chosen by the case's facilitators
    and managers (only they see it: to a caseworker the list is empty)."""

    author = serializers.SerializerMethodField()
    shared_with = ActiveUsernameField(
        many=True,
        required=False,
        help_text="Usernames of the caseworkers (of the people harmed on the case) who may read it",
    )

    class Meta:
        model = Note
        fields = ["id", "author", "body", "shared_with", "created_at"]
        read_only_fields = ["id", "author", "created_at"]

    def get_author(self, note) -> str | None:
        return person_name(note.author)

    def to_representation(self, note):
        data = super().to_representation(note)
        user = self.context.get("user")
        if user is not None and not sees_whole_case(note.case, user):
            data["shared_with"] = []
        return data


class NoteSharingSerializer(serializers.Serializer):
    shared_with = ActiveUsernameField(
        many=True, help_text="Exactly the caseworkers who may read the note from now on (empty: none)"
    )
