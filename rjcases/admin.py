"""The admin: reference data is edited here; case data is only looked at.

Cases, parties and everything about them change only through rjcases.services, which check permission
and keep the transition log and history. So their admin pages are read-only: no add, change or delete,
no state field, no django-fsm transition buttons (FSMAdminMixin's buttons skip the permission check),
and no simple-history "revert" (its history form saves an old version of the row on POST, with only a
view permission checked, which would put back an old state). Every admin page that shows personal data (a
list, a record, its history or an old version) is recorded in the read access log, as the case pages are:
``AccessLoggedAdmin``, which every admin of personal data uses.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin import LabelledListEditableAdmin, PartnershipScopedAdmin
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
class WardAdmin(PartnershipScopedAdmin, LabelledListEditableAdmin, ReferenceAdmin, SimpleHistoryAdmin):
    """Wards with the population the hotspot analysis divides by (editable from the list); a partnership's
    administrator manages its own wards only. A ward stays in its partnership (its cases and counts are there)."""

    list_display = ["name", "code", "partnership", "population"]
    list_editable = ["population"]
    list_filter = ["partnership"]

    def get_readonly_fields(self, request, obj=None):
        return ["code", "partnership"] if obj is not None else []


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


class AccessLoggedAdmin:
    """Records every admin page showing rows of personal data in the read access log (``log_read``), as the case
    pages do: the list (a row per record shown), a record's page, its history and an old version.

    ``access_case`` is the path from a row to its case (``"case"``, ``"party__case"``; ``""`` for the case
    itself, ``None`` for rows belonging to no case); ``access_what`` says what was read."""

    access_what: str = ReadAccess.What.DOCUMENT
    access_history_what: str | None = None
    access_case: str | None = "case"

    def _case_id(self, obj) -> int | None:
        if self.access_case is None:
            return None
        if self.access_case == "":
            return obj.pk
        *hops, last = self.access_case.split("__")
        for hop in hops:
            obj = getattr(obj, hop, None)
            if obj is None:
                return None
        return getattr(obj, f"{last}_id", None)

    def _log_reads(self, request, objects, what: str, path: str) -> None:
        objects = list(objects)
        ids = {self._case_id(obj) for obj in objects} - {None}
        cases = Case.objects.in_bulk(ids) if ids else {}
        with transaction.atomic():
            for obj in objects:
                log_read(request.user, cases.get(self._case_id(obj)), what, obj.pk, path)

    def _log_object(self, request, response, object_id, what: str) -> None:
        if request.method != "GET" or response.status_code != 200:
            return
        obj = self.get_object(request, unquote(str(object_id)))
        if obj is not None:
            self._log_reads(request, [obj], what, request.path)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if response.status_code == 200 and changelist is not None:
            self._log_reads(request, changelist.result_list, self.access_what, request.get_full_path())
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        self._log_object(request, response, object_id, self.access_what)
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        self._log_object(request, response, object_id, self.access_history_what or self.access_what)
        return response

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        response = super().history_form_view(request, object_id, version_id, extra_context)
        self._log_object(request, response, object_id, self.access_history_what or self.access_what)
        return response


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False


class IncidentInline(ReadOnlyMixin, admin.StackedInline):
    model = Incident
    can_delete = False
    fields = [
        "occurred_from",
        "occurred_to",
        "ward",
        "place",
        "postcode",
        "crime_type",
        "crime_reference",
        "strands",
        "perceived_by",
        "summary",
    ]
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
class CaseAdmin(AccessLoggedAdmin, ReadOnlyHistoryAdmin):
    """Cases to look at. The state is shown, never offered as a field: it moves only through the services."""

    access_case = ""
    access_what = ReadAccess.What.CASE
    access_history_what = ReadAccess.What.TIMELINE

    list_display = ["reference", "state_label", "outcome", "route", "received_on", "facilitator"]
    list_filter = ["state", "outcome", "route"]
    search_fields = ["reference"]
    list_select_related = ["route", "facilitator"]
    fields = [
        "reference",
        "state_label",
        "state_changed_at",
        "outcome",
        "outcome_reason",
        "closed_at",
        "closure_summary",
        "route",
        "referring_organisation",
        "referred_by",
        "referrer_name",
        "referrer_contact",
        "received_on",
        "reporting_centre",
        "report_kind",
        "consents_to_police",
        "facilitator",
        "co_facilitator",
        "enhanced_rights",
        "enhanced_rights_reason",
        "rj_information_due_on",
        "rj_information_given_on",
        "initial_contact_due_on",
        "initial_contact_on",
        "duplicate_reviewed",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields
    inlines = [IncidentInline, PartyInline, TransitionInline]

    @admin.display(description="state", ordering="state")
    def state_label(self, case: Case) -> str:
        return case.get_state_display()


@admin.register(Party)
class PartyAdmin(AccessLoggedAdmin, ReadOnlyHistoryAdmin):
    access_what = ReadAccess.What.PARTY

    list_display = ["__str__", "role", "case"]
    list_filter = ["role"]
    search_fields = ["case__reference"]
    list_select_related = ["case"]
    exclude = ["supports"]
    readonly_fields = [f.name for f in Party._meta.concrete_fields if f.name not in ("id", "supports")]


@admin.register(Consent)
class ConsentAdmin(AccessLoggedAdmin, ReadOnlyHistoryAdmin):
    access_what = ReadAccess.What.PARTY
    access_case = "party__case"

    list_display = ["party", "purpose", "given_on", "withdrawn_on"]
    list_filter = ["purpose"]
    list_select_related = ["party"]


@admin.register(Assessment)
class AssessmentAdmin(AccessLoggedAdmin, ReadOnlyHistoryAdmin):
    access_what = ReadAccess.What.PARTY
    access_case = "party__case"

    list_display = ["party", "assessed_on", "risk_level", "signed_off_at"]
    list_filter = ["risk_level"]
    list_select_related = ["party"]


@admin.register(Note)
class NoteAdmin(AccessLoggedAdmin, ReadOnlyHistoryAdmin):
    access_what = ReadAccess.What.DOCUMENT

    list_display = ["case", "author", "created_at"]
    list_select_related = ["case", "author"]


@admin.register(ContactAttempt)
class ContactAttemptAdmin(AccessLoggedAdmin, ReadOnlyHistoryAdmin):
    access_what = ReadAccess.What.PARTY

    list_display = ["case", "party", "at", "method", "result"]
    list_select_related = ["case", "party"]


@admin.register(CaseTransition)
class CaseTransitionAdmin(AccessLoggedAdmin, ReadOnlyMixin, admin.ModelAdmin):
    """The workflow log: written only by rjcases.services.take_transition. Its reasons can name people, so
    reading it is recorded as reading the case's timeline."""

    access_what = ReadAccess.What.TIMELINE

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
