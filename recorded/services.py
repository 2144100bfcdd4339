"""Every write of a recorded incident, each keeping the counts exact in the same transaction (``recorded.counts``).

- ``record_case_incident(case)``: an RJ referral or reporting-centre report as a recorded incident, one per
  case, called by every service that creates or changes a case's incident (today
  ``rjcases.services.intake.create_referral``). A case whose crime reference is already on a recorded incident
  (a police record imported earlier) is linked to that record and adds nothing to the counts.
- ``import_police_records(rows, ...)``: the police import (the command, the upload page and the API call it):
  idempotent by crime reference (a record already held is updated, never duplicated), all or nothing unless
  ``skip_invalid``; a police record whose crime reference is on an RJ referral's record replaces that record's
  values and stays linked to the case (counted once).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from recorded import counts, layout, writes
from recorded.models import ImportRun, RecordedIncident
from recorded.repeats import place_key, refresh_repeats
from rjcases.models import Case, normalise_postcode

StrandLink = RecordedIncident.strands.through
CENTRE_ROUTE = "reporting-centre"
VALUE_FIELDS = (
    "crime_reference",
    "reported_on",
    "reported_time",
    "occurred_on",
    "ward_id",
    "postcode",
    "place",
    "crime_type_id",
    "is_crime",
    "repeat_victim_marker",
    "victim_key",
    "place_key",
)


def _ids_with_keys(victim_keys: set[str], place_keys: set[str]) -> set[int]:
    ids: set[int] = set()
    for name, keys in (("victim_key", victim_keys), ("place_key", place_keys)):
        for part in counts.chunks(sorted(k for k in keys if k)):
            ids.update(RecordedIncident.objects.filter(**{f"{name}__in": part}).values_list("pk", flat=True))
    return ids


def _stamp(record: RecordedIncident, user, reason: str) -> None:
    """Who made the change, and why, for the record's history row (simple-history reads these attributes)."""
    record._history_user = user  # type: ignore[attr-defined]
    record._change_reason = reason  # type: ignore[attr-defined]


def _unkeyed_flags(record: RecordedIncident) -> None:
    """The flags of a record without a person or place key (``refresh_repeats`` sets those of keyed ones)."""
    if not record.victim_key:
        record.repeat_victim = record.repeat_victim_marker
    if not record.place_key:
        record.repeat_place = False


class _CountedWrite:
    """Around a write: what the touched rows added to the counts before it, and the difference after it."""

    def __init__(self, rows: Iterable[RecordedIncident], victim_keys: set[str], place_keys: set[str]):
        rows = list(rows)
        self.victim_keys = victim_keys | {r.victim_key for r in rows}
        self.place_keys = place_keys | {r.place_key for r in rows}
        self.ids = {r.pk for r in rows} | _ids_with_keys(self.victim_keys, self.place_keys)
        self.before = counts.contributions(self.ids)

    def finish(self, written_ids: Iterable[int]) -> None:
        refresh_repeats(self.victim_keys, self.place_keys)
        counts.apply_difference(self.before, counts.contributions(self.ids | set(written_ids)))


# ---------------------------------------------------------------------------------------------------
# RJ referrals and reporting-centre reports


def report_date(case: Case):
    """The date the incident was reported to the police or the centre, as the incident records it
    (``Incident.reported_on``); the referral's date where it is not recorded."""
    return case.incident.reported_on or case.received_on


def _case_values(case: Case) -> dict:
    incident = case.incident
    centre = bool(case.reporting_centre_id) or case.route.code == CENTRE_ROUTE
    postcode = normalise_postcode(incident.postcode) if incident.postcode else ""
    return {
        "source": RecordedIncident.Source.CENTRE if centre else RecordedIncident.Source.RJ,
        "crime_reference": incident.crime_reference.strip().upper(),
        "reported_on": report_date(case),
        "reported_time": None,
        "occurred_on": timezone.localtime(incident.occurred_from).date(),
        "ward_id": incident.ward_id,
        "postcode": postcode,
        "place": incident.place,
        "crime_type_id": incident.crime_type_id,
        "is_crime": incident.crime_type.is_crime,
        "repeat_victim_marker": False,
        "victim_key": "",
        "place_key": place_key(incident.ward_id, postcode, incident.place),
    }


def record_case_incident(case: Case, user=None) -> RecordedIncident | None:
    """Make or bring up to date the recorded incident of a case's incident; the record it counts under.

    - No crime reference, or one on no other record: the case's own record (source: reporting centre when the
      case came from a centre, else RJ referral), with the incident's date, ward, postcode, place, crime type
      and strands; the report date is the referral's date.
    - A crime reference already on another record (a police record imported earlier, or an earlier case's):
      that record is linked to the case if it has no case yet, and the case has no record of its own; a record
      of its own made before is removed (the police record counts the incident once).
    - Linked to a police record already: the police's values stand; if the case's crime reference has since
      changed, the link is undone and the case gets its own record.
    """
    with transaction.atomic():
        values = _case_values(case)
        strands = list(case.incident.strands.values_list("pk", flat=True))
        reference = values["crime_reference"]
        own = RecordedIncident.objects.select_for_update().filter(case=case).first()
        match = None
        if reference:
            match = RecordedIncident.objects.select_for_update().filter(crime_reference=reference).first()
        if match and own and match.pk == own.pk:
            match = None
        touched = [r for r in (own, match) if r]
        write = _CountedWrite(touched, set(), {values["place_key"]})
        if match:
            if own and own.source == RecordedIncident.Source.POLICE:
                own.case = None
                _stamp(own, user, "no longer the crime reference of its case")
                own.save(update_fields=["case"])
            elif own:
                StrandLink.objects.filter(recordedincident=own).delete()
                own.delete()
            if match.case_id is None:
                match.case = case
                _stamp(match, user, f"referred to RJ as {case.reference}")
                match.save(update_fields=["case", "updated_at"])
            write.finish([])
            return match
        if own and own.source == RecordedIncident.Source.POLICE:
            if own.crime_reference == reference:
                write.finish([])
                return own
            own.case = None
            _stamp(own, user, "no longer the crime reference of its case")
            own.save(update_fields=["case"])
            own = None
        if own is None:
            own = RecordedIncident(case=case, **values)
            reason = "recorded from the case"
        else:
            for name, value in values.items():
                setattr(own, name, value)
            reason = "the case's incident changed"
        _unkeyed_flags(own)
        own.updated_at = timezone.now()
        _stamp(own, user, reason)
        own.save()
        own.strands.set(strands)
        write.finish([own.pk])
        return own


# ---------------------------------------------------------------------------------------------------
# The police import


@dataclass
class ImportReport:
    rows: int
    rejects: list[layout.Reject]
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    imported: bool = False
    run: ImportRun | None = field(default=None, repr=False)

    @property
    def message(self) -> str:
        if not self.imported:
            return (
                f"Nothing imported: {len(self.rejects)} of {self.rows} rows could not be read. Correct them, or "
                "import the valid rows only and leave the rejected ones out."
            )
        return (
            f"Imported {self.rows - len(self.rejects)} of {self.rows} rows: {self.created} new, {self.updated} "
            f"updated, {self.unchanged} unchanged; {len(self.rejects)} rejected."
        )


def _police_values(row: layout.Row) -> dict:
    return {
        "crime_reference": row.crime_reference,
        "reported_on": row.reported_on,
        "reported_time": row.reported_time,
        "occurred_on": row.occurred_on,
        "ward_id": row.ward_id,
        "postcode": row.postcode,
        "place": row.place,
        "crime_type_id": row.crime_type_id,
        "is_crime": row.is_crime,
        "repeat_victim_marker": row.repeat_victim_marker,
        "victim_key": row.victim_key,
        "place_key": place_key(row.ward_id, row.postcode, row.place),
    }


HELD_FIELDS = ("id", "source", "case_id", "created_at", *VALUE_FIELDS, "repeat_victim", "repeat_place")


def _unkeyed_values(record: dict) -> None:
    """``_unkeyed_flags`` for a record held as a dict of its columns."""
    if not record["victim_key"]:
        record["repeat_victim"] = record["repeat_victim_marker"]
    if not record["place_key"]:
        record["repeat_place"] = False


def import_police_records(
    raw_rows: list[tuple[int, dict]],
    *,
    user=None,
    via: str = ImportRun.Via.COMMAND,
    name: str = "",
    skip_invalid: bool = False,
) -> ImportReport:
    """Check every row (``layout.check_rows``); import nothing when any is rejected, unless ``skip_invalid``
    (then the valid rows). Each row is matched by crime reference: new ones are created, held ones updated
    (those that would not change are left alone), each created or changed record with its history row.
    Records the run (``ImportRun``) either way.

    Written in bulk (``recorded.writes``: COPY on PostgreSQL), the records read and compared as plain values.
    The counts: what the changed records added before the write, and after it what the written records and
    every record whose repeat flags the write changed add (the latter before as well, from the flags it had);
    the difference is applied. A record neither written nor re-flagged adds the same before and after."""
    good, rejects = layout.check_rows(raw_rows)
    report = ImportReport(rows=len(raw_rows), rejects=rejects)
    with transaction.atomic():
        if rejects and not skip_invalid:
            report.run = _log(report, user, via, name)
            return report
        existing: dict[str, dict] = {}
        for part in counts.chunks([row.crime_reference for row in good]):
            held_rows = RecordedIncident.objects.select_for_update().filter(crime_reference__in=part)
            for values in held_rows.values_list(*HELD_FIELDS):
                record = dict(zip(HELD_FIELDS, values, strict=True))
                existing[record["crime_reference"]] = record
        held_strands: dict[int, set[int]] = {}
        for part in counts.chunks([r["id"] for r in existing.values()]):
            for incident_id, strand_id in StrandLink.objects.filter(recordedincident_id__in=part).values_list(
                "recordedincident_id", "hatestrand_id"
            ):
                held_strands.setdefault(incident_id, set()).add(strand_id)
        new: list[dict] = []
        changed: list[dict] = []
        strand_rows: dict[str, list[int]] = {}
        victim_keys: set[str] = set()
        place_keys: set[str] = set()
        now = timezone.now()
        for row in good:
            values = _police_values(row)
            held = existing.get(row.crime_reference)
            if held is None:
                record = {
                    "source": RecordedIncident.Source.POLICE,
                    "case_id": None,
                    "created_at": now,
                    "updated_at": now,
                    "repeat_victim": False,
                    "repeat_place": False,
                    **values,
                }
                new.append(record)
            else:
                same = held["source"] == RecordedIncident.Source.POLICE and all(held[k] == v for k, v in values.items())
                if same and held_strands.get(held["id"], set()) == set(row.strand_ids):
                    report.unchanged += 1
                    continue
                # The keys it had too: the records left under them may stop being repeats.
                victim_keys.add(held["victim_key"])
                place_keys.add(held["place_key"])
                record = {**held, "source": RecordedIncident.Source.POLICE, "updated_at": now, **values}
                changed.append(record)
            _unkeyed_values(record)
            victim_keys.add(record["victim_key"])
            place_keys.add(record["place_key"])
            strand_rows[row.crime_reference] = row.strand_ids
        before = counts.contributions([r["id"] for r in changed])
        if new:
            writes.insert_records(new)
            writes.insert_history(new, "+", user=user, reason=f"police import {name}".strip(), when=now)
        if changed:
            writes.update_records(changed)
            writes.insert_history(changed, "~", user=user, reason=f"police import {name} (update)".strip(), when=now)
            for part in counts.chunks([r["id"] for r in changed]):
                StrandLink.objects.filter(recordedincident_id__in=part).delete()
        writes.insert_strand_links(
            [(r["id"], strand) for r in new + changed for strand in strand_rows[r["crime_reference"]]]
        )
        flipped: dict[int, set[str]] = {}
        refresh_repeats(victim_keys, place_keys, flipped)
        written = {r["id"] for r in new + changed}
        others = {pk: flags for pk, flags in flipped.items() if pk not in written}
        counts.contributions(list(others), invert=others, cells=before)
        after = counts.contributions(list(others))
        for r in new + changed:  # as written, with the flags the refresh gave them
            flags = flipped.get(r["id"], ())
            counts.add(
                after,
                r["source"],
                r["case_id"],
                r["occurred_on"],
                r["reported_on"],
                r["ward_id"],
                r["crime_type_id"],
                r["repeat_victim"] != ("repeat_victim" in flags),
                r["repeat_place"] != ("repeat_place" in flags),
                strand_rows[r["crime_reference"]],
            )
        counts.apply_difference(before, after)
        report.created, report.updated, report.imported = len(new), len(changed), True
        report.run = _log(report, user, via, name)
    return report


def _log(report: ImportReport, user, via: str, name: str) -> ImportRun:
    return ImportRun.objects.create(
        via=via,
        by=user if user is not None and user.is_authenticated else None,
        name=name[:200],
        rows=report.rows,
        created=report.created,
        updated=report.updated,
        rejected=len(report.rejects),
        imported=report.imported,
    )
