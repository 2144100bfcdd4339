"""Messages are read-only in the admin: what was sent, to whom (by role), and what became of it."""

from django.contrib import admin

from notifications.models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("queued_at", "kind", "audience", "case", "status", "attempts", "sent_at")
    list_filter = ("kind", "status")
    fields = (
        "kind",
        "audience",
        "case",
        "user",
        "status",
        "queued_at",
        "last_attempt_at",
        "sent_at",
        "attempts",
        "error",
        "subject",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
