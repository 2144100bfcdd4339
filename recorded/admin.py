"""Recorded incidents in the admin: read only (they change through the import and the case services, which
keep the counts exact); the postcode sector list is reference data an administrator keeps."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from recorded.models import ImportRun, PostcodeSector, RecordedIncident
from rjcases.admin import AccessLoggedAdmin


@admin.register(PostcodeSector)
class PostcodeSectorAdmin(SimpleHistoryAdmin):
    list_display = ("sector", "ward")
    search_fields = ("sector",)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RecordedIncident)
class RecordedIncidentAdmin(AccessLoggedAdmin, ReadOnly):
    """A record linked to an RJ case is a read of that case's data: logged like every admin of case data."""

    list_display = ("crime_reference", "source", "occurred_on", "reported_on", "ward", "crime_type", "case")
    list_filter = ("source", "crime_type", "ward")
    search_fields = ("crime_reference",)
    exclude = ("victim_key",)


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnly):
    list_display = ("at", "via", "by", "name", "rows", "created", "updated", "rejected", "imported")
