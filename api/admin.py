"""API tokens in the admin: an administrator makes one for a user and sees it once, on the next page; after
that only its first characters are shown. Tokens are revoked, never deleted, so their use stays traceable."""

from django.contrib import admin, messages
from django.utils import timezone

from api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "status"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "user__username", "user__first_name", "user__last_name", "prefix"]
    autocomplete_fields = ["user"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "name"]
        return ["user", "name", "prefix", "created_at", "created_by", "last_used_at", "revoked_at", "revoked_by"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["user", "prefix", "created_at", "created_by", "last_used_at", "revoked_at", "revoked_by"]

    @admin.display(description="Status")
    def status(self, token: ApiToken) -> str:
        return "Revoked" if token.revoked_at else "Active"

    def save_model(self, request, obj: ApiToken, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        obj.created_by = request.user
        raw = obj.set_new_secret()
        super().save_model(request, obj, form, change)
        messages.warning(
            request,
            f"The API token for {obj.user} is {raw} — copy it now: it is shown only this once and cannot be "
            "read back. Give it to the partner system's administrator by a secure route.",
        )

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            token.revoke(by=request.user)
            count += 1
        self.message_user(request, f"{count} token(s) revoked at {timezone.localtime():%H:%M}.", messages.SUCCESS)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
