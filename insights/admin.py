from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from insights.models import CentreSurveyResponse, ReportingCentre, TrainedStaffMember


class TrainedStaffInline(admin.TabularInline):
    model = TrainedStaffMember
    extra = 0
    fields = ["name", "job_title", "user", "last_trained_on", "active"]


@admin.register(ReportingCentre)
class ReportingCentreAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation", "ward", "bsl", "hearing_loop", "step_free", "is_active"]
    list_filter = ["is_active", "bsl", "hearing_loop", "step_free"]
    search_fields = ["name", "organisation__name"]
    inlines = [TrainedStaffInline]


@admin.register(CentreSurveyResponse)
class CentreSurveyResponseAdmin(SimpleHistoryAdmin):
    """Read-only: answers are given by the public or entered by staff in the service, never edited."""

    list_display = ["centre", "submitted_on", "via", "questions_version", "satisfaction"]
    list_filter = ["centre", "via", "questions_version"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
