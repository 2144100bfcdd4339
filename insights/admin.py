from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin import LabelledTabularInline, PartnershipScopedAdmin
from accounts.models import User
from insights.models import CentreSurveyResponse, ReportingCentre, TrainedStaffMember
from rjcases.admin import AccessLoggedAdmin, ReadOnlyHistoryAdmin
from rjcases.models import ReadAccess, Ward


class TrainedStaffInline(LabelledTabularInline):
    model = TrainedStaffMember
    extra = 0
    fields = ["name", "job_title", "user", "last_trained_on", "active"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A staff member's account is one of the users the administrator may see in the users' admin (their
        # partnerships' and people of none), never another partnership's.
        if db_field.name == "user":
            kwargs["queryset"] = self.admin_site.get_model_admin(User).get_queryset(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(ReportingCentre)
class ReportingCentreAdmin(PartnershipScopedAdmin, SimpleHistoryAdmin):
    """Reporting centres: a partnership's administrator manages those in its wards (and those with no ward yet)."""

    partnership_path = "ward__partnership"
    include_unassigned = True
    list_display = ["name", "organisation", "ward", "bsl", "hearing_loop", "step_free", "is_active"]
    list_filter = ["is_active", "bsl", "hearing_loop", "step_free"]
    search_fields = ["name", "organisation__name"]
    inlines = [TrainedStaffInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        own = self.own_partnerships(request)
        if db_field.name == "ward" and own is not None:
            kwargs["queryset"] = Ward.objects.filter(partnership__in=own)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(CentreSurveyResponse)
class CentreSurveyResponseAdmin(AccessLoggedAdmin, ReadOnlyHistoryAdmin):
    """Read-only: answers are given by the public or entered by staff in the service, never edited or deleted
    (they are the centres' evidence); reading them here is recorded, as they may hold what a person wrote."""

    access_what = ReadAccess.What.DOCUMENT
    access_case = None

    list_display = ["centre", "submitted_on", "via", "questions_version", "satisfaction"]
    list_filter = ["centre", "via", "questions_version"]
