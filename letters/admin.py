from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from letters.models import Letter, Letterhead, LetterTemplate


@admin.register(Letterhead)
class LetterheadAdmin(SimpleHistoryAdmin):
    """The service's name and contact details printed on every letter: configuration, edited here."""

    list_display = ["name", "phone", "email"]

    def has_add_permission(self, request):
        return not Letterhead.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LetterTemplate)
class LetterTemplateAdmin(SimpleHistoryAdmin):
    """Read only here: wording is edited in the service (Letter wording), which keeps versions and checks
    placeholders."""

    list_display = ["title", "version", "updated_at", "updated_by"]
    readonly_fields = ["kind", "variant", "format", "subject", "body", "closing", "version", "updated_by",
                       "updated_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Letter)
class LetterAdmin(SimpleHistoryAdmin):
    """Read only: letters are made and changed only by letters.services."""

    list_display = ["case", "kind", "recipient_name", "format", "version", "status", "generated_at"]
    list_filter = ["kind", "status", "format"]
    exclude = ["content"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
