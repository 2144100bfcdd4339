from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from privacy.models import RetentionRule


@admin.register(RetentionRule)
class RetentionRuleAdmin(SimpleHistoryAdmin):
    """The retention schedule: administrators edit it; every change is kept in its history."""

    list_display = ["kind", "keep_months", "after", "then"]
    fields = ["kind", "keep_months", "after", "then", "notes"]

    def has_delete_permission(self, request, obj=None):
        return False  # a kind of record always has a rule; change it instead


# RetentionReview has no admin: its decisions are made and read on the managers' review queue (privacy.views),
# and an admin of case records would have to log its reads like the others (tests/test_admin_read_access.py).
