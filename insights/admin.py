from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from insights.models import CentreSurveyResponse, ReportingCentre, TrainedStaffMember
from rjcases.admin import AccessLoggedAdmin, ReadOnlyHistoryAdmin
from rjcases.models import ReadAccess


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
class CentreSurveyResponseAdmin(AccessLoggedAdmin, ReadOnlyHistoryAdmin):
    """Read-only: answers are given by the public or entered by staff in the service, never edited or deleted
    (they are the centres' evidence); reading them here is recorded, as they may hold what a person wrote."""

    access_what = ReadAccess.What.DOCUMENT
    access_case = None

    list_display = ["centre", "submitted_on", "via", "questions_version", "satisfaction"]
    list_filter = ["centre", "via", "questions_version"]
