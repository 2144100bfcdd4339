from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from letters.models import Letter, Letterhead, LetterTemplate
from rjcases.admin import AccessLoggedAdmin, ReadOnlyHistoryAdmin


@admin.register(Letterhead)
class LetterheadAdmin(SimpleHistoryAdmin):
    """The service's name and contact details printed on every letter: configuration, edited here."""

    list_display = ["name", "phone", "email"]

    def has_add_permission(self, request):
        return not Letterhead.objects.exists() and super().has_add_permission(request)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history restores an old version on POST after checking only the view permission.
        if request.method != "GET" and not self.has_change_permission(request):
            raise PermissionDenied("You cannot restore old versions of the letterhead.")
        return super().history_form_view(request, object_id, version_id, extra_context)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LetterTemplate)
class LetterTemplateAdmin(ReadOnlyHistoryAdmin):
    """Read only here: wording is edited in the service (Letter wording), which keeps versions and checks
    placeholders."""

    list_display = ["title", "version", "updated_at", "updated_by"]
    readonly_fields = ["kind", "variant", "format", "subject", "body", "closing", "version", "updated_by", "updated_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Letter)
class LetterAdmin(AccessLoggedAdmin, ReadOnlyHistoryAdmin):
    """Read only: letters are made and changed only by letters.services. Opening one is recorded, as in the
    service (the read access log's "document")."""

    access_what = "document"

    list_display = ["case", "kind", "recipient_name", "format", "version", "status", "file_status", "generated_at"]
    list_filter = ["kind", "status", "file_status", "format"]
    exclude = ["content"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
