"""Users, organisations, second factors, sign-in records and the security log in the admin.

An administrator manages users and organisations here; every privileged change they make (a role, superuser or
staff status, individual permissions, a user's organisation, an organisation itself) is written to the security
log, which nobody can change or delete. Only a superuser (break-glass, see docs/security.md) can make another
superuser or hand out individual permissions. Second factors are reset through the recorded reset, never
deleted or edited here, and their secrets are shown to nobody but their owner. Sign-in records are kept: an
account is unlocked by a recorded action, not by deleting its attempts.
"""

from axes.admin import AccessAttemptAdmin as BaseAccessAttemptAdmin
from axes.admin import AccessFailureLogAdmin as BaseAccessFailureLogAdmin
from axes.admin import AccessLogAdmin as BaseAccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.forms.models import BaseInlineFormSet, BaseModelFormSet
from django.http import Http404
from django.template.response import TemplateResponse
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin as BaseStaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin as BaseTOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import Organisation, Partnership, SecurityEvent, User
from accounts.services import acting_as, record_security_event, unlock_account

Action = SecurityEvent.Action


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]

    def has_delete_permission(self, request, obj=None):
        return False  # users and cases point at organisations: retire one by marking it inactive

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            changes = {name: str(form.cleaned_data.get(name, "")) for name in form.changed_data}
            record_security_event(
                request.user,
                Action.ORGANISATION_CHANGED if change else Action.ORGANISATION_ADDED,
                obj,
                changed=sorted(form.changed_data),
                values=changes,
            )


# ---------------------------------------------------------------------------------------------------
# Fields in a table's cells (an inline's rows, a list's editable column) have only the column's heading above them,
# which is no label: each is named for assistive technology by its field and its row ("Population, Altrincham").


class LabelledRowsMixin:
    """A formset (of a tabular inline or a list's editable columns) whose fields each carry an ``aria-label``:
    the field's label and the row's object, or "new <verbose name>" for a row not saved yet."""

    def add_fields(self, form, index):
        super().add_fields(form, index)  # type: ignore[misc]
        instance = form.instance
        row = str(instance) if instance.pk is not None else f"new {instance._meta.verbose_name}"
        for field in form.fields.values():
            widget = field.widget
            # Django's wrapper (the add/change links of a foreign key) shares its attrs with the widget it was
            # copied from: the copied inner widget's own are this form's.
            if isinstance(widget, RelatedFieldWidgetWrapper):
                widget = widget.widget
            if not widget.is_hidden:
                widget.attrs["aria-label"] = f"{field.label}, {row}"


class LabelledInlineFormSet(LabelledRowsMixin, BaseInlineFormSet):
    pass


class LabelledChangelistFormSet(LabelledRowsMixin, BaseModelFormSet):
    pass


class LabelledTabularInline(admin.TabularInline):
    """A tabular inline whose fields are named by their column and row."""

    formset = LabelledInlineFormSet


class LabelledListEditableAdmin(admin.ModelAdmin):
    """An admin whose list's editable columns (``list_editable``) are named by their column and row."""

    def get_changelist_formset(self, request, **kwargs):
        return super().get_changelist_formset(request, formset=LabelledChangelistFormSet, **kwargs)


# ---------------------------------------------------------------------------------------------------
# Reference data per partnership: an administrator of a partnership manages its rows, not another's.


class PartnershipScopedAdmin(admin.ModelAdmin):
    """An admin of rows that belong to a partnership (``partnership_path`` names the key): a partnership's
    administrator lists, opens and changes only the rows of the partnerships they belong to (another's is a
    404), and can give a row only one of theirs. A superuser sees every partnership's."""

    partnership_path = "partnership"
    # Rows of no partnership (a user who works for none, a centre with no ward) are no other partnership's.
    include_unassigned = False

    def own_partnerships(self, request):
        return None if request.user.is_superuser else sorted(request.user.partnership_ids)

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        own = self.own_partnerships(request)
        if own is None:
            return rows
        scope = Q(**{f"{self.partnership_path}__in": own})
        if self.include_unassigned:
            scope |= Q(**{f"{self.partnership_path}__isnull": True})
        return rows.filter(scope).distinct()

    def _in_scope_or_404(self, request, object_id) -> None:
        """simple-history's history pages fall back to the history's copy of a row the queryset does not hold:
        another partnership's row is a 404 there too."""
        try:
            found = self.get_queryset(request).filter(pk=unquote(object_id)).exists()
        except (ValueError, ValidationError):
            found = False
        if not found:
            raise Http404("Not one of your partnership's rows")

    def history_view(self, request, object_id, extra_context=None):
        self._in_scope_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._in_scope_or_404(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        own = self.own_partnerships(request)
        if db_field.name == "partnerships" and own is not None:
            kwargs["queryset"] = Partnership.objects.filter(pk__in=own)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        own = self.own_partnerships(request)
        if db_field.name == "partnership" and own is not None:
            kwargs["queryset"] = Partnership.objects.filter(pk__in=own)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(User)
class UserAdmin(PartnershipScopedAdmin, BaseUserAdmin, SimpleHistoryAdmin):
    """Users: a partnership's administrator manages its staff (and people of no partnership), not another's."""

    partnership_path = "partnerships"
    include_unassigned = True
    list_display = ["username", "first_name", "last_name", "organisation", "is_active"]
    list_filter = ["groups", "organisation", "is_active"]
    fieldsets = BaseUserAdmin.fieldsets + (("Organisation", {"fields": ["organisation", "partnerships", "job_title"]}),)

    def has_change_permission(self, request, obj=None):
        # A superuser's account (its password, its roles) is changed only by a superuser: otherwise an
        # administrator could set its password and become one.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Superuser status and one-off permissions bypass the roles: a break-glass superuser's decision only.
            readonly += ["is_superuser", "user_permissions"]
        return readonly

    def save_model(self, request, obj, form, change):
        """Save the user; what the change did to their roles becomes the history row's reason, so the history
        says which role changed (the roles themselves are saved, and logged, in ``save_related``)."""
        if change and "groups" in form.changed_data:
            before = set(obj.groups.values_list("name", flat=True)) if obj.pk else set()
            after = {group.name for group in form.cleaned_data.get("groups", [])}
            described = [f"granted {name}" for name in sorted(after - before)]
            described += [f"removed {name}" for name in sorted(before - after)]
            if described:
                obj._change_reason = "roles: " + ", ".join(described)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        with transaction.atomic(), acting_as(request.user):
            super().save_related(request, form, formsets, change)
            self._record_privileges(request, form, change)

    def _record_privileges(self, request, form, change) -> None:
        user = form.instance
        if not change:
            for name, action in (("is_superuser", Action.SUPERUSER_CHANGED), ("is_staff", Action.STAFF_CHANGED)):
                if getattr(user, name):
                    record_security_event(request.user, action, user, **{name: True})
            return
        for name, action in (("is_superuser", Action.SUPERUSER_CHANGED), ("is_staff", Action.STAFF_CHANGED)):
            if name in form.changed_data:
                record_security_event(request.user, action, user, **{name: bool(form.cleaned_data[name])})
        if "user_permissions" in form.changed_data:
            record_security_event(
                request.user,
                Action.PERMISSION_CHANGED,
                user,
                permissions=sorted(str(p) for p in form.cleaned_data["user_permissions"]),
            )
        if "organisation" in form.changed_data:
            before = form.initial.get("organisation")
            after = form.cleaned_data.get("organisation")
            record_security_event(
                request.user,
                Action.USER_ORGANISATION_CHANGED,
                user,
                organisation_before=str(Organisation.objects.filter(pk=before).first() or ""),
                organisation_after=str(after or ""),
            )


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    """The security log, to read: nobody adds, changes or deletes a row here."""

    list_display = ["at", "actor_name", "action", "subject_name", "reason"]
    list_filter = ["action"]
    search_fields = ["actor_name", "subject_name", "reason"]
    date_hierarchy = "at"
    readonly_fields = [
        "at",
        "actor",
        "actor_name",
        "action",
        "subject_user",
        "subject_type",
        "subject_id",
        "subject_name",
        "reason",
        "details",
    ]
    fields = readonly_fields
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# ---------------------------------------------------------------------------------------------------
# Second factors: looked at, never edited or deleted here (the recorded reset replaces a lost one).


class DeviceAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # a second factor goes only through the recorded reset, with a reason


admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(DeviceAdminMixin, BaseTOTPDeviceAdmin):
    def _own_device(self, request, pk):
        device = TOTPDevice.objects.filter(pk=pk).select_related("user").first()
        if device is None:
            raise Http404("No such authenticator.")
        # The configuration page and QR code give the secret: whoever sees them can sign in as the owner.
        if device.user_id != request.user.pk or not self.has_view_or_change_permission(request, device):
            raise PermissionDenied
        return device

    def config_view(self, request, pk):
        self._own_device(request, pk)
        return super().config_view(request, pk)

    def qrcode_view(self, request, pk):
        self._own_device(request, pk)
        return super().qrcode_view(request, pk)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        hidden = {"key", "qrcode_link"}
        return [(name, {**opts, "fields": [f for f in opts["fields"] if f not in hidden]}) for name, opts in fieldsets]

    def get_list_display(self, request):
        return [field for field in super().get_list_display(request) if field != "qrcode_link"]


@admin.register(StaticDevice)
class StaticDeviceAdmin(DeviceAdminMixin, BaseStaticDeviceAdmin):
    def get_inline_instances(self, request, obj=None):
        return []  # the backup codes themselves are shown once, to their owner, and nowhere else


# ---------------------------------------------------------------------------------------------------
# Sign-in records: kept. An account is unlocked by a recorded action, with a reason.


class KeptRecordMixin:
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for _model in (AccessAttempt, AccessLog, AccessFailureLog):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(KeptRecordMixin, BaseAccessAttemptAdmin):
    actions = ["unlock"]

    @admin.action(
        description="Unlock the selected usernames and addresses (recorded, with a reason)", permissions=["unlock"]
    )
    def unlock(self, request, queryset):
        reason = (request.POST.get("reason") or "").strip()
        if request.POST.get("confirm") and reason:
            pairs = sorted(set(queryset.values_list("username", "ip_address")), key=str)
            cleared = sum(
                unlock_account(request.user, username=username or None, ip_address=ip or None, reason=reason)
                for username, ip in pairs
            )
            self.message_user(
                request, f"{len(pairs)} lockout(s) ended ({cleared} attempt record(s) cleared).", messages.SUCCESS
            )
            return None
        if request.POST.get("confirm"):
            self.message_user(request, "Give a reason for unlocking.", messages.ERROR)
        return TemplateResponse(
            request,
            "admin/accounts/unlock_confirmation.html",
            {
                **self.admin_site.each_context(request),
                "title": "Unlock sign-in",
                "opts": self.model._meta,
                "attempts": queryset,
                "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
                "action_name": "unlock",
            },
        )

    def has_unlock_permission(self, request) -> bool:
        from accounts import roles

        return roles.is_administrator(request.user)


@admin.register(AccessLog)
class AccessLogAdmin(KeptRecordMixin, BaseAccessLogAdmin):
    pass


@admin.register(AccessFailureLog)
class AccessFailureLogAdmin(KeptRecordMixin, BaseAccessFailureLogAdmin):
    pass


@admin.register(Partnership)
class PartnershipAdmin(PartnershipScopedAdmin, SimpleHistoryAdmin):
    """The partnerships: a partnership's administrator edits its name, RJ service and contact details; only a
    superuser adds one (its wards, staff, centres and wording follow)."""

    partnership_path = "pk"
    list_display = ["name", "code", "area", "service_name", "is_active"]
    search_fields = ["name", "code", "area"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj is not None else []

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False  # cases and wards point at it; retire it with is_active
