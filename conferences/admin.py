"""Read-only admin views of the restorative work. Changes go through conferences.services (and the case
workflow), which check permission and keep the history; the admin is for looking, not editing. Every page here
shows personal data, so every one is recorded in the read access log (``AccessLoggedAdmin``)."""

from django.contrib import admin

from conferences.models import (
    Activity,
    Agreement,
    AgreementAction,
    Feedback,
    FollowUp,
    PreparationContact,
    WellbeingMeasure,
)
from rjcases.admin import AccessLoggedAdmin, ReadOnlyHistoryAdmin
from rjcases.models import ReadAccess


class ReadOnlyAdmin(ReadOnlyHistoryAdmin):
    """Old versions can be looked at, never restored (simple-history would save them on POST)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PreparationContact)
class PreparationContactAdmin(AccessLoggedAdmin, ReadOnlyAdmin):
    access_what = ReadAccess.What.PARTY

    list_display = ["case", "party", "held_on", "method"]
    list_select_related = ["case", "party"]


@admin.register(Activity)
class ActivityAdmin(AccessLoggedAdmin, ReadOnlyAdmin):
    access_what = ReadAccess.What.CASE

    list_display = ["case", "kind", "scheduled_for", "status"]
    list_filter = ["kind", "status"]
    list_select_related = ["case"]


class AgreementActionInline(admin.TabularInline):
    model = AgreementAction
    extra = 0
    can_delete = False
    fields = ["kind", "what", "due_on", "status", "resolved_on"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Agreement)
class AgreementAdmin(AccessLoggedAdmin, ReadOnlyAdmin):
    access_what = ReadAccess.What.DOCUMENT

    list_display = ["case", "signed_on", "superseded"]
    list_select_related = ["case"]
    inlines = [AgreementActionInline]


@admin.register(FollowUp)
class FollowUpAdmin(AccessLoggedAdmin, ReadOnlyAdmin):
    access_what = ReadAccess.What.PARTY

    list_display = ["case", "kind", "at", "method"]
    list_select_related = ["case"]


@admin.register(Feedback)
class FeedbackAdmin(AccessLoggedAdmin, ReadOnlyAdmin):
    access_what = ReadAccess.What.PARTY

    list_display = ["case", "refused", "satisfied", "would_recommend", "felt", "recorded_on"]
    list_select_related = ["case"]


@admin.register(WellbeingMeasure)
class WellbeingMeasureAdmin(AccessLoggedAdmin, ReadOnlyAdmin):
    access_what = ReadAccess.What.PARTY

    list_display = ["case", "stage", "wording_version", "recorded_on"]
    list_select_related = ["case"]
