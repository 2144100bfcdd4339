"""Reads for the case pages: the scoped case lookup, list filtering, dashboard figures, and the timeline
(built in ``rjcases.timeline``).

Every read starts from ``Case.objects.visible_to(user)``; a case outside it is a 404. Each function
runs a fixed number of queries whatever the number of cases, parties or transitions.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from functools import partial

from django.db import models
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from accounts import roles
from accounts.aggregates import Row, json_list, listed
from rjcases import dashboards
from rjcases.held_reads import hold_reads
from rjcases.models import (
    Assessment,
    Case,
    Complaint,
    Consent,
    ContactAttempt,
    Incident,
    Note,
    Party,
    ReadAccess,
    moment_order,
)
from rjcases.permissions import (
    may_see_party_details,
    notes_visible_to,
    party_name_for,
    police_consent_withdrawn_q,
    sees_whole_case,
)
from rjcases.search import CASE_REFERENCE, search_kind
from rjcases.timeline import Change, TimelineEntry, timeline  # noqa: F401  (read through selectors too)
from rjcases.victims_code import clocks as code_clocks

# ---------------------------------------------------------------------------------------------------
# The case a user may open


def get_case_for_user(user, reference: str, *, detailed: bool = True, summary: bool = False) -> Case:
    """The case with this reference if the user may see it, else 404. ``detailed`` loads what the page shows;
    ``summary`` (the case page's summary, which only reads) reads the incident's strands and the possible duplicates in
    the case's own query, for ``strand_names`` and ``duplicate_references``, instead of a query each, and whether it has
    a complaint (``has_complaints``: none, no query for them); and holds the case's current activity and agreement
    once read (``rjcases.held_reads``)."""
    cases = Case.objects.visible_to(user).select_related(
        "partnership",
        "route",
        "referring_organisation",
        "reporting_centre",
        "facilitator",
        "co_facilitator",
        "referred_by",
        "incident__ward",
        "incident__crime_type",
    )
    if summary:
        cases = cases.annotate(
            listed_strands=json_list(
                Incident.strands.through.objects, "incident__case", Row("hatestrand__order", "hatestrand__name")
            ),
            listed_duplicates=json_list(
                Case.possible_duplicate_of.through.objects,
                "from_case",
                Row("to_case__received_on", "to_case_id", "to_case__reference"),
            ),
            has_complaints=Exists(Complaint.objects.filter(case=OuterRef("pk"))),
        )
    if detailed:
        cases = cases.prefetch_related(
            *([] if summary else ["incident__strands"]),
            Prefetch(
                "parties",
                queryset=Party.objects.select_related("caseworker", "supports").prefetch_related(
                    Prefetch("assessments", queryset=Assessment.objects.select_related("assessor", "signed_off_by")),
                    Prefetch("consents", queryset=Consent.objects.select_related("recorded_by")),
                ),
            ),
        )
    try:
        case = cases.get(reference=reference)
    except Case.DoesNotExist:
        raise Http404("No case with that reference that you can see.")
    if summary:
        hold_reads(case)  # the guards of the transitions it offers read the current activity and agreement once
    return case


def strand_names(case: Case) -> list[str]:
    """The names of the incident's strands, in their order (a case read with ``summary``)."""
    return [name for _order, name in sorted(listed(case.listed_strands))]  # type: ignore[attr-defined]


def duplicate_references(case: Case) -> list[str]:
    """The references of the cases this one may duplicate, newest received first, as cases are listed (a case read
    with ``summary``)."""
    rows = listed(case.listed_duplicates)  # type: ignore[attr-defined]
    found = sorted(rows, key=lambda row: (row[0], row[1]), reverse=True)
    return [reference for _received_on, _pk, reference in found]


def get_party(case: Case, party_id: int) -> Party:
    """A party of this case (from the prefetched list when there is one), else 404."""
    for party in case.parties.all():
        if party.pk == party_id:
            return party
    raise Http404("No such person on this case.")


def parties_for_user(case: Case, user) -> list[Party]:
    """The case's people, each marked with what this user may see of them: ``details_visible`` (contact details,
    needs, assessments, consents) and ``shown_name`` (the full name, or the first name or role only)."""
    parties = list(case.parties.all())
    for party in parties:
        party.details_visible = may_see_party_details(case, user, party)
        party.shown_name = party_name_for(case, user, party)
    return parties


def notes_for_user(case: Case, user) -> list[Note]:
    """The case notes this user may read, newest first: all for RJ staff; a caseworker those shared with them.

    For RJ staff each note carries ``shared_names``: the caseworkers it is shared with (one query, however many)."""
    notes = list(notes_visible_to(case, user).select_related("author").order_by("-created_at", "-id"))
    if sees_whole_case(case, user):
        names: dict[int, list[str]] = defaultdict(list)
        links = Note.shared_with.through.objects.filter(note__case=case).select_related("user")
        for link in links.order_by("user__last_name", "user__first_name", "user_id"):
            names[link.note_id].append(link.user.get_full_name() or link.user.username)
        for note in notes:
            note.shared_names = names[note.pk]  # type: ignore[attr-defined]
    return notes


def contacts_for_user(case: Case, user) -> list[ContactAttempt]:
    """Contact attempts, newest first: all for RJ staff; a caseworker only those with their own client."""
    contacts = list(case.contacts.select_related("party", "by").order_by(*moment_order(newest_first=True)))
    if sees_whole_case(case, user):
        return contacts
    return [c for c in contacts if c.party is not None and may_see_party_details(case, user, c.party)]


def sees_details_in_lists(user) -> bool:
    """Whether list pages may show incident details and search by name: RJ staff and caseworkers.

    Referrers see their organisation's referrals by reference, status, dates and outcome only.
    """
    return roles.is_manager(user) or roles.is_facilitator(user) or roles.is_caseworker(user)


# ---------------------------------------------------------------------------------------------------
# Victims' Code clocks


def overdue_q(today: date | None = None) -> Q:
    """Open cases with a Victims' Code contact clock that applies, past its date and not met (in the database)."""
    return code_clocks.overdue_q(today or timezone.localdate())


def attention_q(today: date | None = None) -> Q:
    """Open cases with a contact clock overdue or due within one working day: what the dashboards list."""
    today = today or timezone.localdate()
    return code_clocks.overdue_q(today) | code_clocks.due_soon_q(today)


def with_overdue(cases: QuerySet, today: date | None = None) -> QuerySet:
    today, flag = today or timezone.localdate(), partial(ExpressionWrapper, output_field=BooleanField())
    return cases.annotate(
        is_overdue=flag(code_clocks.overdue_q(today, per_row=True)),
        is_due_soon=flag(code_clocks.due_soon_q(today, per_row=True)),
    )


def overdue_clocks(case: Case, today: date | None = None) -> list[str]:
    """The overdue clocks of one case, in words."""
    return code_clocks.overdue_words(case, today)


# ---------------------------------------------------------------------------------------------------
# The case list


def filter_cases(user, filters: dict) -> QuerySet:
    """The user's cases matching the list filters, newest first, with what the list shows loaded.

    Each filter is one an index serves on PostgreSQL (tests/rjcases/test_list_plans.py): the status and the
    order by ``case_partnership_state`` (a partnership's) or ``case_state_received``, the strand by an ``EXISTS``
    on the strand links' unique index, the ward, route and facilitator by their foreign keys' indexes, "overdue" by
    the two partial indexes of open clocks, and the search by ``search_q``."""
    detailed = sees_details_in_lists(user)
    cases = with_overdue(Case.objects.visible_to(user)).select_related("route")
    if detailed:
        cases = cases.select_related("facilitator", "incident__ward").prefetch_related("incident__strands")
    else:
        cases = cases.annotate(police_consent_withdrawn=police_consent_withdrawn_q())  # the outcome column
    if filters.get("state") == "open":
        cases = cases.exclude(state=Case.State.CLOSED)
    elif filters.get("state"):
        cases = cases.filter(state=filters["state"])
    if filters.get("route"):
        cases = cases.filter(route=filters["route"])
    if detailed:
        if filters.get("strand"):
            links = Incident.strands.through.objects.filter(incident__case=OuterRef("pk"), hatestrand=filters["strand"])
            cases = cases.filter(Exists(links))
        if filters.get("ward"):
            cases = cases.filter(incident__ward=filters["ward"])
        facilitator = filters.get("facilitator")
        if facilitator == "none":
            cases = cases.filter(facilitator__isnull=True)
        elif facilitator:
            cases = cases.filter(Q(facilitator_id=facilitator) | Q(co_facilitator_id=facilitator))
        if filters.get("overdue"):
            cases = cases.filter(overdue_q())
        if filters.get("stale"):
            cases = dashboards.stale_q_cases(cases, timezone.localdate())
    query = (filters.get("q") or "").strip()
    if query:
        cases = cases.filter(search_q(user, query, names=detailed))
    return cases.order_by("-received_on", "-id")


def search_q(user, query: str, *, names: bool) -> Q:
    """The cases a typed search finds (rjcases.search): by case reference, exactly or by its start; by police crime
    reference, likewise; or by the names of the people in it, each word found anywhere in the folded name (case
    and accents ignored). Names only where ``names`` (RJ staff and caseworkers), and a caseworker only their own
    clients' names."""
    kind, value = search_kind(query)
    if kind == "reference":
        return Q(reference=value) if CASE_REFERENCE.match(value) else Q(reference__startswith=value)
    if kind == "crime_reference":
        return Q(Exists(Incident.objects.filter(case=OuterRef("pk"), crime_reference__startswith=value)))
    if not names or not value:
        return Q(pk__in=[])
    named = Party.objects.filter(case=OuterRef("pk"))
    for term in value.split():
        named = named.filter(search_name__contains=term)
    if not (roles.is_manager(user) or roles.is_facilitator(user)):
        named = named.filter(caseworker=user)  # a caseworker finds cases by their own clients' names only
    return Q(Exists(named))


# ---------------------------------------------------------------------------------------------------
# The dashboard


def latest_assessments() -> QuerySet:
    """Each party's newest assessment (the one the guards read)."""
    newest = Assessment.objects.filter(party=OuterRef("party")).order_by("-assessed_on", "-id").values("pk")[:1]
    return Assessment.objects.filter(pk=Subquery(newest))


def awaiting_sign_off(user) -> QuerySet:
    """High-risk current assessments on open cases that no manager has signed off yet."""
    return (
        latest_assessments()
        .filter(
            risk_level=Assessment.RiskLevel.HIGH,
            signed_off_at__isnull=True,
            party__case__in=Case.objects.visible_to(user).exclude(state=Case.State.CLOSED),
        )
        .select_related("party__case", "assessor")
        .order_by("assessed_on", "id")
    )


def possible_duplicates(user) -> QuerySet:
    flagged = Case.possible_duplicate_of.through.objects.filter(from_case=OuterRef("pk"))
    return (
        Case.objects.visible_to(user)
        .filter(Exists(flagged), duplicate_reviewed=False)
        .prefetch_related("possible_duplicate_of")
        .order_by("received_on", "id")
    )


def counts_by_state(cases: QuerySet) -> list[dict]:
    counts = Counter(dict(cases.order_by().values_list("state").annotate(n=models.Count("id"))))
    return [{"state": value, "label": label, "count": counts.get(value, 0)} for value, label in Case.State.choices]


def dashboard(user, today: date | None = None, since=None) -> dict:
    """What needs this user's attention, by role; every list is limited and loaded in a fixed number of queries.
    ``since``: when the user last opened the dashboard (a facilitator's "new to you" lists what came after)."""
    today = today or timezone.localdate()
    visible = Case.objects.visible_to(user)
    figures: dict = {"sections": []}
    listed = with_overdue(visible, today).select_related("route", "facilitator")
    if roles.is_manager(user):
        figures["sections"].append("manager")
        unallocated = listed.filter(facilitator__isnull=True).exclude(state=Case.State.CLOSED)
        figures["unallocated"] = list(unallocated.order_by("received_on")[:20])
        figures["unallocated_count"] = unallocated.count()
        figures["sign_off"] = list(awaiting_sign_off(user)[:20])
        figures["sign_off_count"] = awaiting_sign_off(user).count()
        figures["duplicates"] = list(possible_duplicates(user)[:20])
        figures["duplicates_count"] = possible_duplicates(user).count()
        figures["overdue"] = dashboards.flag_clocks(
            list(
                listed.filter(attention_q(today))
                .select_related("incident")
                .prefetch_related(*dashboards.ATTENTION_LOADS)
                .order_by("received_on")[:20]
            ),
            today,
        )
        figures["overdue_count"] = visible.filter(overdue_q(today)).count()
        figures["open_by_state"] = counts_by_state(visible)
        figures["administrators_with_case_roles"] = administrators_with_case_roles()
        figures.update(dashboards.manager_worklist(user, today))
    if roles.is_facilitator(user):
        figures["sections"].append("facilitator")
        mine = visible.filter(Q(facilitator=user) | Q(co_facilitator=user))
        figures["my_by_state"] = counts_by_state(mine)
        figures["my_overdue"] = dashboards.flag_clocks(
            list(
                with_overdue(mine, today)
                .select_related("route", "incident")
                .prefetch_related(*dashboards.ATTENTION_LOADS)
                .filter(attention_q(today))
                .order_by("received_on")[:20]
            ),
            today,
        )
        figures["queue"] = list(
            listed.filter(facilitator__isnull=True).exclude(state=Case.State.CLOSED).order_by("received_on")[:20]
        )
        figures.update(dashboards.facilitator_worklist(user, today, since))
    if roles.is_caseworker(user):
        figures["sections"].append("caseworker")
        supported = visible.filter(
            Exists(Party.objects.filter(case=OuterRef("pk"), role=Party.Role.HARMED, caseworker=user))
        )
        figures["supported"] = list(
            with_overdue(supported, today).select_related("route").order_by("-received_on")[:30]
        )
        figures["clients"] = dashboards.my_clients(user, today)
    if roles.is_referrer(user):
        figures["sections"].append("referrer")
        ours = (
            visible.filter(
                Q(referring_organisation_id=user.organisation_id) | Q(reporting_centre_id=user.organisation_id)
            )
            if user.organisation_id
            else visible.none()
        )
        figures["organisation_by_state"] = counts_by_state(ours)
        figures["organisation_cases"] = list(
            ours.select_related("route")
            .annotate(police_consent_withdrawn=police_consent_withdrawn_q())
            .order_by("-received_on", "-id")[:30]
        )
    return figures


def administrators_with_case_roles() -> list:
    """Active administrators (and superusers) who also hold a case role: a manager should know who they are,
    since that role lets them read case data. Each user carries ``case_role_labels``; two queries."""
    from accounts.models import User

    case_roles = [role for role in roles.ROLE_LABELS if role not in (roles.ADMINISTRATOR, roles.REGIONAL_LEAD)]
    users = list(
        User.objects.filter(is_active=True)
        .filter(Q(groups__name=roles.ADMINISTRATOR) | Q(is_superuser=True))
        .filter(pk__in=User.objects.filter(groups__name__in=case_roles).values("pk"))
        .distinct()
        .prefetch_related("groups")
        .order_by("last_name", "first_name", "username")
    )
    for user in users:
        user.case_role_labels = [roles.ROLE_LABELS[g.name] for g in user.groups.all() if g.name in case_roles]
    return users


# ---------------------------------------------------------------------------------------------------
# The read access log


def access_log(filters: dict, user=None) -> QuerySet:
    """The read access log: of the cases of ``user``'s partnerships (a manager's), or all where no user is given."""
    rows = ReadAccess.objects.select_related("user", "case")
    if user is not None:
        rows = rows.filter(case__partnership_id__in=sorted(roles.partnership_ids(user)))
    if filters.get("case"):
        rows = rows.filter(case__reference__iexact=filters["case"].strip())
    if filters.get("user"):
        rows = rows.filter(user=filters["user"])
    return rows.order_by("-at", "-id")
