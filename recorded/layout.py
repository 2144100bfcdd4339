"""The import layout of police records (docs/import.md): column names, how each value is read, and why a row
is rejected. One set of rules for the CSV file (the command and the upload page) and the API's JSON rows.

A row is a mapping of column name to value (text from a CSV; text, booleans or lists from JSON). ``check_rows``
reads every row against the reference data (read once) and returns the rows it could read and, for every other
one, its line number and every reason, in words a person can act on.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.utils import timezone

from recorded.models import PostcodeSector
from rjcases.models import POSTCODE_RE, CrimeType, HateStrand, Ward, normalise_postcode, validate_crime_reference

COLUMNS = (
    "crime_reference",
    "reported_at",
    "occurred_on",
    "ward",
    "postcode",
    "place",
    "crime_type",
    "crime_or_non_crime",
    "strands",
    "repeat_victim",
    "victim_key",
)
REQUIRED = ("crime_reference", "reported_at", "occurred_on", "crime_type", "crime_or_non_crime", "strands")
EARLIEST = date(1990, 1, 1)
MAX_ROWS = 200_000
VICTIM_KEY_RE = re.compile(r"^[0-9a-fA-F]{16,128}$")
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
STRAND_SPLIT_RE = re.compile(r"[;|]")
KNOWN = frozenset(COLUMNS)
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}
PLACE_MAX = 200


@dataclass
class Row:
    line: int
    crime_reference: str
    reported_on: date
    reported_time: time | None
    occurred_on: date
    ward_id: int
    postcode: str
    place: str
    crime_type_id: int
    is_crime: bool
    strand_ids: list[int]
    repeat_victim_marker: bool
    victim_key: str


@dataclass
class Reject:
    line: int
    crime_reference: str
    reasons: list[str]

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


class LayoutError(ValueError):
    """The file as a whole cannot be read (not CSV, no header, a missing column): nothing is imported."""


def read_csv(content: bytes | str) -> list[tuple[int, dict]]:
    """(line number, row) for each data row of a CSV file laid out as docs/import.md says. The header is line 1;
    a blank line is skipped (and still counted, so line numbers match the file)."""
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise LayoutError("The file is not UTF-8 text: save it from the spreadsheet as 'CSV UTF-8'.")
    reader = csv.DictReader(io.StringIO(content))
    if not reader.fieldnames:
        raise LayoutError("The file is empty: it needs a header row and at least one record.")
    header = [name.strip().lower() for name in reader.fieldnames]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise LayoutError(
            f"The header row has no {', '.join(missing)} column{'s' if len(missing) > 1 else ''}. The columns are: "
            + ", ".join(COLUMNS)
            + " (docs/import.md)."
        )
    unknown = [name for name in header if name and name not in COLUMNS]
    if unknown:
        raise LayoutError(
            f"Unknown column{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}. The columns are: "
            + ", ".join(COLUMNS)
            + "."
        )
    rows = []
    for record in reader:
        if not any((value or "").strip() for value in record.values() if isinstance(value, str)):
            continue
        if None in record:
            rows.append((reader.line_num, {"__extra__": record[None]}))
            continue
        rows.append((reader.line_num, {key.strip().lower(): value for key, value in record.items() if key}))
        if len(rows) > MAX_ROWS:
            raise LayoutError(f"The file has more than {MAX_ROWS:,} records: split it into smaller files.")
    if not rows:
        raise LayoutError("The file has a header row but no records.")
    return rows


class _Reference:
    def __init__(self):
        self.wards = {}
        for ward in Ward.objects.all():
            self.wards[ward.code.lower()] = ward
            self.wards[ward.name.lower()] = ward
        self.crime_types = {}
        for crime in CrimeType.objects.all():
            self.crime_types[crime.code.lower()] = crime
            self.crime_types[crime.name.lower()] = crime
        self.strands = {}
        for strand in HateStrand.objects.all():
            self.strands[strand.code.lower()] = strand
            self.strands[strand.name.lower()] = strand
        self.sectors = dict(PostcodeSector.objects.values_list("sector", "ward_id"))
        self.strand_codes = ", ".join(HateStrand.objects.order_by("order").values_list("code", flat=True))
        self.crime_codes = ", ".join(CrimeType.objects.order_by("order").values_list("code", flat=True))


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).strip()


def _date(text: str, name: str, reasons: list[str]) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        reasons.append(f"{name} {text!r} is not a date written YYYY-MM-DD")
        return None


def _reported(text: str, reasons: list[str]) -> tuple[date | None, time | None]:
    if DATE_RE.fullmatch(text):
        return _date(text, "reported_at", reasons), None
    try:
        moment = datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        reasons.append(f"reported_at {text!r} is not a date and time written YYYY-MM-DD HH:MM (or a date alone)")
        return None, None
    return moment.date(), moment.time().replace(second=0, microsecond=0, tzinfo=None)


def check_row(line: int, data: dict, ref: _Reference, today: date) -> Row | Reject:
    """Read one row; every problem with it, not only the first."""
    if "__extra__" in data:
        return Reject(line, "", [f"the row has more values than the header has columns ({len(COLUMNS)} at most)"])
    reasons: list[str] = [f"unknown field {k!r}" for k in sorted(k for k in data if k not in KNOWN)]
    get = data.get
    value = {name: v.strip() if type(v := get(name)) is str else _text(v) for name in COLUMNS}
    if isinstance(data.get("strands"), list | tuple):
        value["strands"] = ";".join(_text(s) for s in data["strands"])
    for name in REQUIRED:
        if not value[name]:
            reasons.append(f"{name} is empty")
    reference = value["crime_reference"].upper()
    if reference:
        try:
            validate_crime_reference(reference)
        except ValidationError:
            reasons.append(f"crime_reference {value['crime_reference']!r} is not a police reference like 06/123456/26")
    reported_on = reported_time = occurred_on = None
    if value["reported_at"]:
        reported_on, reported_time = _reported(value["reported_at"], reasons)
    if value["occurred_on"]:
        occurred_on = _date(value["occurred_on"], "occurred_on", reasons)
    for name, day in (("reported_at", reported_on), ("occurred_on", occurred_on)):
        if day and day > today:
            reasons.append(f"{name} {day.isoformat()} is in the future")
        elif day and day < EARLIEST:
            reasons.append(f"{name} {day.isoformat()} is before {EARLIEST.year}")
    if reported_on and occurred_on and occurred_on > reported_on:
        reasons.append(f"occurred_on {occurred_on.isoformat()} is after the date reported, {reported_on.isoformat()}")
    postcode = ""
    if value["postcode"]:
        postcode = normalise_postcode(value["postcode"])
        if not POSTCODE_RE.match(postcode):
            reasons.append(f"postcode {value['postcode']!r} is not a UK postcode like M32 0TH")
            postcode = ""
    ward_id = None
    if value["ward"]:
        ward = ref.wards.get(value["ward"].lower())
        if ward is None:
            reasons.append(f"ward {value['ward']!r} is not a ward of the borough (give its code, like TRF01, or name)")
        else:
            ward_id = ward.pk
    elif postcode:
        ward_id = ref.sectors.get(postcode[:-2])
        if ward_id is None:
            reasons.append(f"postcode {postcode} is in no ward on the postcode sector list: give the ward")
    elif not value["postcode"]:
        reasons.append("ward and postcode are both empty: give the ward (or a postcode in the borough)")
    if len(value["place"]) > PLACE_MAX:
        reasons.append(f"place is longer than {PLACE_MAX} characters")
    crime = None
    if value["crime_type"]:
        crime = ref.crime_types.get(value["crime_type"].lower())
        if crime is None:
            reasons.append(f"crime_type {value['crime_type']!r} is not one of: {ref.crime_codes}")
    is_crime = None
    if value["crime_or_non_crime"]:
        kind = value["crime_or_non_crime"].lower().replace("_", "-").replace(" ", "-")
        if kind not in ("crime", "non-crime"):
            reasons.append(f"crime_or_non_crime {value['crime_or_non_crime']!r} is not 'crime' or 'non-crime'")
        else:
            is_crime = kind == "crime"
            if crime is not None and crime.is_crime != is_crime:
                reasons.append(
                    f"crime_or_non_crime says {kind} but crime_type {crime.code} is "
                    + ("a crime" if crime.is_crime else "a non-crime hate incident")
                )
    strand_ids = []
    for part in STRAND_SPLIT_RE.split(value["strands"]):
        part = part.strip()
        if not part:
            continue
        strand = ref.strands.get(part.lower())
        if strand is None:
            reasons.append(f"strand {part!r} is not one of: {ref.strand_codes}")
        elif strand.pk not in strand_ids:
            strand_ids.append(strand.pk)
    if value["strands"] and not strand_ids and not any("strand " in r for r in reasons):
        reasons.append("strands has no strand")
    marker = value["repeat_victim"].lower()
    if marker not in YES | NO:
        reasons.append(f"repeat_victim {value['repeat_victim']!r} is not yes or no")
    victim_key = value["victim_key"]
    if victim_key and not VICTIM_KEY_RE.match(victim_key):
        reasons.append(
            "victim_key is not a hashed identifier (16 to 128 hexadecimal characters): never send a name or "
            "other personal details"
        )
    if reasons:
        return Reject(line, reference, reasons)
    return Row(
        line=line,
        crime_reference=reference,
        reported_on=reported_on,
        reported_time=reported_time,
        occurred_on=occurred_on,
        ward_id=ward_id,
        postcode=postcode,
        place=value["place"],
        crime_type_id=crime.pk,
        is_crime=bool(is_crime),
        strand_ids=strand_ids,
        repeat_victim_marker=marker in YES,
        victim_key=victim_key.lower(),
    )


def check_rows(rows: list[tuple[int, dict]], today: date | None = None) -> tuple[list[Row], list[Reject]]:
    """Every row read; a crime reference given twice is rejected on its second line."""
    ref = _Reference()
    today = today or timezone.localdate()
    good, rejects, seen = [], [], {}
    for line, data in rows:
        checked = check_row(line, data, ref, today)
        if isinstance(checked, Row) and checked.crime_reference in seen:
            checked = Reject(
                line, checked.crime_reference, [f"crime_reference is also on line {seen[checked.crime_reference]}"]
            )
        if isinstance(checked, Row):
            seen[checked.crime_reference] = line
            good.append(checked)
        else:
            rejects.append(checked)
    return good, rejects
