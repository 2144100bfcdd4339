"""The case timeline: the case's moves, field changes, notes, contacts, letters and emails as one dated list, scoped to
what the user may see (a caseworker sees their client's entries and the case's moves, never other parties'
field changes). Read through ``rjcases.selectors.timeline``; a fixed number of queries per case.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import models
from django.utils import formats, timezone

from conferences.models import (
    Activity,
    Agreement,
    AgreementAction,
    Feedback,
    FollowUp,
    InterpreterBooking,
    PreparationContact,
)
from letters.selectors import letters_for_timeline
from notifications.selectors import messages_for_timeline
from rjcases.models import (
    Assessment,
    Case,
    CaseTransition,
    Complaint,
    Consent,
    ContactAttempt,
    Incident,
    Party,
    Supervision,
)
from rjcases.permissions import (
    can_see_details,
    may_see_party_details,
    may_see_supervision,
    notes_visible_to,
    party_name_for,
    police_may_see_outcome,
    sees_whole_case,
)


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class TimelineEntry:
    """One event in a case's life, ready for the page (all text is escaped by the template)."""

    at: datetime
    kind: str
    title: str
    by: str = ""
    lines: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    order: int = 0
    url: str = ""
    # False when only the day is known (``at`` is then its midnight): shown "time not recorded", sorted last that day.
    time_known: bool = True


TRANSITION_TITLES = {
    "refer": "Referral received",
    "accept": "Referral accepted",
    "decline": "Referral declined",
    "find_suitable": "Found suitable: moved to preparation",
    "find_unsuitable": "Found not suitable: closed",
    "schedule_activity": "Restorative activity confirmed",
    "cancel_activity": "Restorative activity cancelled",
    "record_agreement": "Agreement recorded: monitoring started",
    "conclude": "Closed without an agreement",
    "complete": "Case completed",
    "withdraw": "Withdrawal recorded: closed",
    "reopen": "Case reopened",
    "move_partnership": "Moved to another partnership",
}

# Fields that say nothing to a reader of the timeline, or that the transition entries already tell.
_QUIET_FIELDS = {"id", "case", "created_at", "updated_at", "state", "state_changed_at"}


def _person(user) -> str:
    if user is None:
        return "the system"
    return user.get_full_name() or user.username


def _when(value) -> str:
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "j F Y, H:i")
    return formats.date_format(value, "j F Y")


class _Lookups:
    """Names for the foreign keys that appear in changes, fetched once per related model."""

    def __init__(self):
        self.wanted: dict[type, set] = defaultdict(set)
        self.found: dict[type, dict] = {}

    def want(self, model, pk) -> None:
        if pk is not None:
            self.wanted[model].add(pk)

    def load(self) -> None:
        for model, pks in self.wanted.items():
            self.found[model] = model._default_manager.in_bulk(pks)

    def name(self, model, pk) -> str:
        obj = self.found.get(model, {}).get(pk)
        if obj is None:
            return f"record {pk}"
        if hasattr(obj, "get_full_name"):
            return _person(obj)
        return str(obj)


def _field_label(model, name: str) -> str:
    label = str(model._meta.get_field(name).verbose_name)
    return label[0].upper() + label[1:]


def _display(model, name: str, value, lookups: _Lookups) -> str:
    if value is None or value == "":
        return "(not recorded)"
    model_field = model._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return "Yes" if value else "No"
    if isinstance(model_field, models.ForeignKey):
        return lookups.name(model_field.related_model, value)
    if isinstance(value, datetime | date):
        return _when(value)
    return str(value)


@dataclass
class _HistorySource:
    """One historied model whose rows belong to the case, and how to title its rows."""

    model: type
    lookup: str
    created: Callable
    changed: Callable
    party_field: str | None = None  # the field naming the person a row is about, where it is about one


def _party_name(parties: dict, pk) -> str:
    party = parties.get(pk)
    return party.display_name if party else "a person no longer on the case"


def _history_sources(parties: dict, supervision: bool = False) -> list[_HistorySource]:
    def verbose(model):
        name = str(model._meta.verbose_name)
        return name[0].upper() + name[1:]

    sources = [
        _HistorySource(Case, "id", lambda r: None, lambda r: _case_change_title(r)),
        _HistorySource(Incident, "case_id", lambda r: "Incident recorded", lambda r: "Incident details changed"),
        _HistorySource(
            Party,
            "case_id",
            lambda r: f"Person added: {r.first_name} {r.last_name}".strip() + f" ({r.get_role_display().lower()})",
            lambda r: (
                f"No longer taking part: {r.first_name} {r.last_name}".strip()
                if (r.history_change_reason or "").startswith("no longer taking part")
                else f"Details changed: {r.first_name} {r.last_name}".strip()
            ),
            "id",
        ),
        _HistorySource(
            Consent,
            "party__case_id",
            lambda r: f"Consent recorded: {_party_name(parties, r.party_id)}, {r.get_purpose_display().lower()}",
            lambda r: (
                f"Consent withdrawn: {_party_name(parties, r.party_id)}, {r.get_purpose_display().lower()}"
                if r.withdrawn_on
                else f"Consent changed: {_party_name(parties, r.party_id)}"
            ),
            "party_id",
        ),
        _HistorySource(
            Assessment,
            "party__case_id",
            lambda r: (
                f"Assessment recorded: {_party_name(parties, r.party_id)}, {r.get_risk_level_display().lower()} risk"
            ),
            lambda r: (
                f"High risk signed off: {_party_name(parties, r.party_id)}"
                if r.signed_off_at
                else f"Assessment changed: {_party_name(parties, r.party_id)}"
            ),
            "party_id",
        ),
    ]
    if supervision:  # managers' and the case's facilitators' only (rjcases.permissions.may_see_supervision)
        sources.append(
            _HistorySource(
                Supervision,
                "case_id",
                lambda r: "Case supervised" + (f": next review {_when(r.next_review_on)}" if r.next_review_on else ""),
                lambda r: "Case supervision changed",
            )
        )
    # The restorative work (conferences) is part of the same case: its records' history is the case's.
    for model, lookup in (
        (PreparationContact, "case_id"),
        (Activity, "case_id"),
        (Agreement, "case_id"),
        (AgreementAction, "agreement__case_id"),
        (FollowUp, "case_id"),
        (Feedback, "case_id"),
        (Complaint, "case_id"),  # Victims' Code Right 12: received, acknowledged, answered
    ):
        sources.append(
            _HistorySource(
                model,
                lookup,
                lambda r, m=model: f"{verbose(m)} recorded",
                lambda r, m=model: f"{verbose(m)} changed",
                "party_id" if model in (PreparationContact, FollowUp, Feedback) else None,
            )
        )
    sources.append(
        _HistorySource(
            InterpreterBooking,
            "activity__case_id",
            lambda r: (
                f"Interpreter booked: {r.language} for {_party_name(parties, r.party_id)}"
                + (" (confirmed)" if r.confirmed else "")
            ),
            lambda r: (
                f"Interpreter booking confirmed: {r.language} for {_party_name(parties, r.party_id)}"
                if (r.history_change_reason or "").startswith("interpreter booking confirmed")
                else f"Interpreter booking changed: {r.language} for {_party_name(parties, r.party_id)}"
            ),
            "party_id",
        )
    )
    return sources


def _case_change_title(record) -> str | None:
    reason = (record.history_change_reason or "").split(":")[0]
    if reason == "enhanced rights":
        return "Enhanced rights changed: " + record.history_change_reason.partition(": ")[2]
    if reason in TRANSITION_TITLES:
        return None  # the transition entry tells this change
    return {
        "allocated": "Facilitator allocated",
        "clock met": "Victims' Code clock met",
        "duplicate reviewed": "Possible duplicate reviewed",
    }.get(reason, "Case details changed")


def _history_entries(
    case: Case, parties: dict, only_parties: set[int] | None = None, supervision: bool = False
) -> list[TimelineEntry]:
    """Field changes of the case's records; with ``only_parties``, only the rows about those people (a
    caseworker's client): no other person's changes, and none of the case's own fields."""
    lookups = _Lookups()
    pending = []
    for source in _history_sources(parties, supervision):
        model = source.model
        if only_parties is not None and source.party_field is None:
            continue
        history = model.history.model
        m2m = {f.name for f in getattr(history, "_history_m2m_fields", [])}
        rows = model.history.filter(**{source.lookup: case.pk})
        if only_parties is not None:
            rows = rows.filter(**{f"{source.party_field}__in": only_parties})
        records = list(rows.select_related("history_user").order_by("id", "history_date", "history_id"))
        previous: dict = {}
        for record in records:
            old = previous.get(record.id)
            previous[record.id] = record
            if record.history_type == "+" or old is None:
                title = source.created(record)
                if title:
                    pending.append((record, title, []))
                continue
            if record.history_type == "-":
                pending.append((record, f"{source.changed(record)} (removed)", []))
                continue
            title = source.changed(record)
            if title is None:
                continue
            delta = record.diff_against(old, excluded_fields=_QUIET_FIELDS | m2m)
            if not delta.changes:
                continue
            raw = []
            for change in delta.changes:
                model_field = model._meta.get_field(change.field)
                if isinstance(model_field, models.ForeignKey):
                    lookups.want(model_field.related_model, change.old)
                    lookups.want(model_field.related_model, change.new)
                raw.append((model, change))
            pending.append((record, title, raw))
    lookups.load()
    entries = []
    for record, title, raw in pending:
        changes = [
            Change(
                _field_label(model, c.field),
                _display(model, c.field, c.old, lookups),
                _display(model, c.field, c.new, lookups),
            )
            for model, c in raw
        ]
        entries.append(
            TimelineEntry(
                at=record.history_date,
                kind="change",
                title=title,
                by=_person(record.history_user),
                changes=changes,
                order=2,
            )
        )
    return entries


def _transition_entries(case: Case, detailed: bool, reasons: bool = True) -> list[TimelineEntry]:
    states = dict(Case.State.choices)
    outcomes = dict(Case.Outcome.choices)
    outcome_shown = detailed or police_may_see_outcome(case)
    entries = []
    for row in CaseTransition.objects.filter(case=case).select_related("by").order_by("at", "id"):
        if row.data.get("moved"):
            lines = [row.data["moved"]]  # rjcases.services.partnerships: the state did not change
        elif row.source:
            lines = [f"Status: {states.get(row.source, row.source)} to {states.get(row.target, row.target)}."]
        else:
            lines = [f"Status: {states.get(row.target, row.target)}."]
        outcome = row.data.get("outcome")
        if outcome and (detailed or outcome_shown):
            lines.append(f"Outcome: {outcomes.get(outcome, outcome)}.")
        by = ""
        if detailed:
            by = _person(row.by)
            if row.data.get("withdrawn_by"):
                lines.append(f"Withdrawn by: {row.data['withdrawn_by']}.")
            if reasons and row.reason and row.name != "refer":
                lines.append(row.reason)
        entries.append(
            TimelineEntry(
                at=row.at,
                kind="transition",
                title=TRANSITION_TITLES.get(row.name, row.name),
                by=by,
                lines=lines,
                order=1,
            )
        )
    return entries


def _note_entries(case: Case, user) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            at=note.created_at, kind="note", title="Note", by=_person(note.author), lines=[note.body], order=3
        )
        for note in notes_visible_to(case, user).select_related("author").order_by("created_at", "id")
    ]


def _contact_entries(case: Case, only_parties: set[int] | None = None) -> list[TimelineEntry]:
    entries = []
    contacts = ContactAttempt.objects.filter(case=case)
    if only_parties is not None:
        contacts = contacts.filter(party_id__in=only_parties)
    for contact in contacts.select_related("party", "by").order_by("at", "id"):
        who = contact.party.display_name if contact.party else "not one person"
        lines = [f"Result: {contact.get_result_display()}."]
        if contact.rj_information_given:
            lines.append("Told about restorative justice.")
        if contact.notes:
            lines.append(contact.notes)
        entries.append(
            TimelineEntry(
                at=contact.at,
                kind="contact",
                title=f"Contact by {contact.get_method_display().lower()}: {who}",
                by=_person(contact.by),
                lines=lines,
                order=4,
                time_known=contact.time_known,
            )
        )
    return entries


def _letter_entries(case: Case, user) -> list[TimelineEntry]:
    """Letters generated and sent that this user may see (the letters app's own read)."""
    return [
        TimelineEntry(at=at, kind="letter", title=description, url=url, order=5)
        for at, description, url in letters_for_timeline(case, user)
    ]


def _message_entries(case: Case, user) -> list[TimelineEntry]:
    """Emails sent, failed or waiting, that this user may see, by the recipient's role (the notifications app's
    own read): "Email sent to the referrer", never an address."""
    return [
        TimelineEntry(at=at, kind="message", title=title, order=6) for at, title in messages_for_timeline(case, user)
    ]


def _timeline_order(entry: TimelineEntry) -> tuple:
    """By day, then the entries of known time in time order, then those whose time was not recorded."""
    return (timezone.localdate(entry.at), not entry.time_known, entry.at, entry.order)


def timeline(case: Case, user, kinds: set[str] | None = None, newest_first: bool = False) -> list[TimelineEntry]:
    """The case's life in one chronological list: transitions, field changes, notes, contacts, letters, emails.

    A user who may not see the case's details (a referrer) gets its status changes only, without
    who made them or why. A caseworker gets the case's moves (without the facilitators' reasons) and the
    entries about their own client only: no other person's changes, contacts, letters or emails, and the notes
    shared with them.
    """
    kinds = kinds if kinds is not None else {"transition", "change", "note", "contact", "letter", "message"}
    detailed = can_see_details(case, user)
    whole = sees_whole_case(case, user)
    entries: list[TimelineEntry] = []
    if "transition" in kinds:
        entries += _transition_entries(case, detailed, reasons=whole)
    if detailed:
        parties = {p.pk: p for p in Party.objects.filter(case=case)}
        clients = None if whole else {pk for pk, p in parties.items() if may_see_party_details(case, user, p)}
        if not whole:
            # Other people are named by first name or role only, even in the titles of the client's entries.
            for party in parties.values():
                if party.pk not in clients:
                    party.first_name, party.last_name = party_name_for(case, user, party), ""
        if "change" in kinds:
            entries += _history_entries(case, parties, clients, supervision=may_see_supervision(case, user))
        if "note" in kinds:
            entries += _note_entries(case, user)
        if "contact" in kinds:
            entries += _contact_entries(case, clients)
        if "letter" in kinds:
            entries += _letter_entries(case, user)
        if "message" in kinds:
            entries += _message_entries(case, user)
    entries.sort(key=_timeline_order, reverse=newest_first)
    return entries
