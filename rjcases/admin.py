"""The admin: reference data is edited here; case data is only looked at.

Cases, parties and everything about them change only through rjcases.services, which check permission
and keep the transition log and history. So their admin pages are read-only: no add, change or delete,
no state field, no django-fsm transition buttons (FSMAdminMixin's buttons skip the permission check),
and no simple-history "revert" (its history form saves an old version of the row on POST, with only a
view permission checked, which would put back an old state). Opening a case or a party here is
recorded in the read access log, as it is in the service.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from rjcases.models import (
    Assessment,
    Case,
    CaseTransition,
    Consent,
    ContactAttempt,
    CrimeType,
    HateStrand,
    Incident,
    Note,
    Party,
    ReadAccess,
    ReferralRoute,
    Ward,
)
from rjcases.services import log_read

# ---------------------------------------------------------------------------------------------------
# Reference data: editable, except the codes the code and the reports rely on; every change has history.


class ReferenceAdmin(admin.ModelAdmin):
    search_fields = ["code", "name"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False  # cases point at reference rows; retire a row by renaming it instead


@admin.register(Ward)
class WardAdmin(ReferenceAdmin, SimpleHistoryAdmin):
    """Wards with the population the hotspot analysis divides by (editable from the list)."""

    list_display = ["name", "code", "population"]
    list_editable = ["population"]


@admin.register(HateStrand)
class HateStrandAdmin(ReferenceAdmin, SimpleHistoryAdmin):
    list_display = ["name", "code", "centrally_monitored", "order"]


@admin.register(CrimeType)
class CrimeTypeAdmin(ReferenceAdmin, SimpleHistoryAdmin):
    list_display = ["name", "code", "is_crime", "order"]


@admin.register(ReferralRoute)
class ReferralRouteAdmin(ReferenceAdmin, SimpleHistoryAdmin):
    list_display = ["name", "code", "order"]


# ---------------------------------------------------------------------------------------------------
# Case data: read-only.


class ReadOnlyMixin:
    """No add, change or delete in the admin, whoever the user is."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyHistoryAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    """Read-only, with the history list and old versions to look at but never to revert to."""

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied("Old versions can be looked at here, not restored.")
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False


class IncidentInline(ReadOnlyMixin, admin.StackedInline):
    model = Incident
    can_delete = False
    fields = ["occurred_from", "occurred_to", "ward", "place", "postcode", "crime_type", "crime_reference",
              "strands", "perceived_by", "summary"]
    readonly_fields = fields


class PartyInline(ReadOnlyInline):
    model = Party
    fields = ["role", "first_name", "last_name", "participating", "caseworker"]
    readonly_fields = fields


class TransitionInline(ReadOnlyInline):
    model = CaseTransition
    fields = ["at", "name", "source", "target", "by", "reason"]
    readonly_fields = fields
    ordering = ["at", "id"]


@admin.register(Case)
class CaseAdmin(ReadOnlyHistoryAdmin):
    """Cases to look at. The state is shown, never offered as a field: it moves only through the services."""

    list_display = ["reference", "state_label", "outcome", "route", "received_on", "facilitator"]
    list_filter = ["state", "outcome", "route"]
    search_fields = ["reference"]
    list_select_related = ["route", "facilitator"]
    fields = ["reference", "state_label", "state_changed_at", "outcome", "outcome_reason", "closed_at",
              "closure_summary", "route", "referring_organisation", "referred_by", "referrer_name",
              "referrer_contact", "received_on", "reporting_centre", "report_kind", "consents_to_police",
              "facilitator", "co_facilitator", "enhanced_rights", "enhanced_rights_reason", "rj_information_due_on",
              "rj_information_given_on", "initial_contact_due_on", "initial_contact_on", "duplicate_reviewed",
              "created_at", "updated_at"]
    readonly_fields = fields
    inlines = [IncidentInline, PartyInline, TransitionInline]

    @admin.display(description="state", ordering="state")
    def state_label(self, case: Case) -> str:
        return case.get_state_display()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        case = Case.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
        if case is not None and response.status_code == 200:
            log_read(request.user, case, ReadAccess.What.CASE, case.pk, request.path)
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        case = Case.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
        if case is not None and response.status_code == 200:
            log_read(request.user, case, ReadAccess.What.TIMELINE, case.pk, request.path)
        return response


@admin.register(Party)
class PartyAdmin(ReadOnlyHistoryAdmin):
    list_display = ["__str__", "role", "case"]
    list_filter = ["role"]
    search_fields = ["case__reference"]
    list_select_related = ["case"]
    exclude = ["supports"]
    readonly_fields = [f.name for f in Party._meta.concrete_fields if f.name not in ("id", "supports")]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        party = Party.objects.filter(pk=object_id).select_related("case").first() if str(object_id).isdigit() else None
        if party is not None and response.status_code == 200:
            log_read(request.user, party.case, ReadAccess.What.PARTY, party.pk, request.path)
        return response


@admin.register(Consent)
class ConsentAdmin(ReadOnlyHistoryAdmin):
    list_display = ["party", "purpose", "given_on", "withdrawn_on"]
    list_filter = ["purpose"]
    list_select_related = ["party"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyHistoryAdmin):
    list_display = ["party", "assessed_on", "risk_level", "signed_off_at"]
    list_filter = ["risk_level"]
    list_select_related = ["party"]


@admin.register(Note)
class NoteAdmin(ReadOnlyHistoryAdmin):
    list_display = ["case", "author", "created_at"]
    list_select_related = ["case", "author"]


@admin.register(ContactAttempt)
class ContactAttemptAdmin(ReadOnlyHistoryAdmin):
    list_display = ["case", "party", "at", "method", "result"]
    list_select_related = ["case", "party"]


@admin.register(CaseTransition)
class CaseTransitionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The workflow log: written only by rjcases.services.take_transition."""

    list_display = ["case", "name", "source", "target", "by", "at"]
    list_filter = ["name", "target"]
    search_fields = ["case__reference"]
    list_select_related = ["case", "by"]
    date_hierarchy = "at"


@admin.register(ReadAccess)
class ReadAccessAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Who opened what: always on, never edited."""

    list_display = ["at", "user", "what", "case", "object_id", "path"]
    list_filter = ["what"]
    list_select_related = ["user", "case"]
    date_hierarchy = "at"
