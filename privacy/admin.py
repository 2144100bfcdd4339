from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from privacy.models import RetentionReview, RetentionRule


@admin.register(RetentionRule)
class RetentionRuleAdmin(SimpleHistoryAdmin):
    """The retention schedule: administrators edit it; every change is kept in its history."""

    list_display = ["kind", "keep_months", "after", "then"]
    fields = ["kind", "keep_months", "after", "then", "notes"]

    def has_delete_permission(self, request, obj=None):
        return False  # a kind of record always has a rule; change it instead


@admin.register(RetentionReview)
class RetentionReviewAdmin(admin.ModelAdmin):
    """Read-only: decisions are made on the managers' review queue, through the service."""

    list_display = ["case", "due_on", "decision", "decided_by", "decided_at"]
    readonly_fields = [f.name for f in RetentionReview._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
