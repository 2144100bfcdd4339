"""When a person may safely be contacted, as data: the days of the week and the times of day (``Party.safe_times``).

Stored as JSON, chosen in the form (day boxes, "from" and "to" times) or sent by the API::

    {"days": ["monday", "tuesday", "wednesday", "thursday", "friday"], "windows": [{"from": "17:00", "to": "21:00"}]}

No days means any day; no windows means any time of day; ``{}`` means none recorded (nothing is checked). A call
or visit outside them needs a reason (``rjcases.services.casework.check_safe_contact``). Anything else about when
to contact someone ("ask for Amina; her brother may answer") is the free-text note ``Party.safe_contact_times``,
shown beside them and never read by the rule. ``read_from_note`` marks times migration 0015 read from that note,
which the person's page asks the facilitator to check.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from django.core.exceptions import ValidationError

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAY_CHOICES = [(name, name.capitalize()) for name in DAYS]
MAX_WINDOWS = 2  # what the form offers; the API takes no more either
KEYS = {"days", "windows", "read_from_note"}


@dataclass(frozen=True)
class SafeTimes:
    """The days (0 = Monday) and times of day a person may be called or visited; None means any."""

    days: frozenset[int] | None = None
    windows: tuple[tuple[time, time], ...] | None = None
    read_from_note: bool = False

    @property
    def recorded(self) -> bool:
        return self.days is not None or self.windows is not None

    def outside(self, day: date, clock: time | None) -> str:
        """Why ``day`` (at ``clock``, if known) is outside these times, or "" when it is not."""
        if self.days is not None and day.weekday() not in self.days:
            return "day"
        if clock is not None and self.windows is not None and not any(a <= clock <= b for a, b in self.windows):
            return "time"
        return ""

    def in_words(self) -> str:
        """For example "Weekdays (Monday to Friday), 17:00 to 21:00"; "" when none are recorded."""
        if not self.recorded:
            return ""
        days = _days_in_words(self.days)
        hours = " or ".join(f"{a:%H:%M} to {b:%H:%M}" for a, b in self.windows) if self.windows else "any time"
        return f"{days}, {hours}"

    def as_data(self) -> dict:
        data: dict = {}
        if self.days is not None:
            data["days"] = [DAYS[number] for number in sorted(self.days)]
        if self.windows is not None:
            data["windows"] = [{"from": f"{a:%H:%M}", "to": f"{b:%H:%M}"} for a, b in self.windows]
        if data and self.read_from_note:
            data["read_from_note"] = True
        return data


def _days_in_words(days: frozenset[int] | None) -> str:
    if days is None or len(days) == 7:
        return "Any day"
    ordered = sorted(days)
    if ordered == [0, 1, 2, 3, 4]:
        return "Weekdays (Monday to Friday)"
    if ordered == [5, 6]:
        return "Weekends"
    names = [DAYS[number].capitalize() for number in ordered]
    if len(ordered) >= 3 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{names[0]} to {names[-1]}"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _clock(value, where: str) -> time:
    if isinstance(value, str) and len(value) == 5:
        try:
            return time.fromisoformat(value)
        except ValueError:
            pass
    raise ValidationError(f"{where} must be a time of day like 17:30.")


def parse(data) -> SafeTimes:
    """The safe times a stored (or sent) value says; ``ValidationError`` naming what is wrong with it."""
    if data in (None, "", {}):
        return SafeTimes()
    if not isinstance(data, dict) or set(data) - KEYS:
        raise ValidationError('Safe times must be {"days": [...], "windows": [{"from": "HH:MM", "to": "HH:MM"}]}.')
    days = data.get("days")
    if days is not None:
        if not isinstance(days, list) or any(day not in DAYS for day in days) or len(set(days)) != len(days):
            raise ValidationError("Safe days must be day names (monday to sunday), each once.")
    windows = data.get("windows")
    parsed: list[tuple[time, time]] = []
    if windows is not None:
        if not isinstance(windows, list) or len(windows) > MAX_WINDOWS:
            raise ValidationError(f"Give at most {MAX_WINDOWS} safe time windows.")
        for index, window in enumerate(windows, 1):
            if not isinstance(window, dict) or set(window) != {"from", "to"}:
                raise ValidationError('Each safe time window must be {"from": "HH:MM", "to": "HH:MM"}.')
            start, end = (
                _clock(window["from"], f"Window {index}'s start"),
                _clock(window["to"], f"Window {index}'s end"),
            )
            if end <= start:
                raise ValidationError(f"Window {index}'s end must be after its start ({start:%H:%M}).")
            parsed.append((start, end))
    return SafeTimes(
        frozenset(DAYS.index(day) for day in days) if days else None,
        tuple(sorted(parsed)) or None,
        bool(data.get("read_from_note")),
    )


def validate_safe_times(value) -> None:
    """The model field's validator (forms, the API and ``full_clean`` alike)."""
    parse(value)


def of(party) -> SafeTimes:
    """The person's safe times; a stored value the rules cannot read counts as none (the validator keeps it out)."""
    try:
        return parse(getattr(party, "safe_times", None))
    except ValidationError:
        return SafeTimes()
