"""Safe times become data (``Party.safe_times``: days and times of day, see ``rjcases.safe_times``). Until now the
service read the free-text note ("Weekdays after 5pm") with the heuristic below, at every contact. This migration
reads each note once with that same heuristic, so that every contact the service checked before is checked the same
way after, and stores what it read as data marked ``read_from_note`` (the person's page asks the facilitator to
check it). The note stays, shown beside the times. A note the heuristic could not read (it was not checked before
either), or read as more windows than the form offers, is left as a note only.

The heuristic is copied here as it was (rjcases/services/casework.py before this migration), so that this
migration does what it did when it was written, whatever the code does later. Each person whose times were read
gets a history row saying so. Reversing empties ``safe_times`` of the rows this migration wrote.
"""

import re
from datetime import time

from django.db import migrations
from django.utils import timezone

REASON = "safe times read from the note (migration 0015)"
MAX_WINDOWS = 2
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAYS, WEEKEND = frozenset(range(5)), frozenset({5, 6})
END_OF_DAY = time(23, 59, 59)
PERIODS = {  # the words people use for parts of the day, as the service reads them
    "morning": (time(8), time(12)),
    "lunchtime": (time(12), time(14)),
    "afternoon": (time(12), time(17)),
    "daytime": (time(9), time(17)),
    "evening": (time(17), time(21)),
    "night": (time(21), END_OF_DAY),
}
_CLOCK = r"(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?"
_RANGE = re.compile(rf"(?:between\s+|from\s+)?{_CLOCK}\s*(?:-|–|to|until|till|and)\s*{_CLOCK}")
_AFTER = re.compile(rf"(?:after|from)\s+{_CLOCK}")
_BEFORE = re.compile(rf"(?:before|until|till)\s+{_CLOCK}")
_NOT_DAYS = re.compile(r"not\s+(?:at\s+|on\s+)?(?:the\s+)?(weekends?|weekdays?|" + "|".join(DAYS) + r")s?")


def _clock(hour, minute, half, *, bare_is_pm):
    h, m = int(hour), int(minute or 0)
    if half == "pm" and h < 12:
        h += 12
    elif half == "am" and h == 12:
        h = 0
    elif half is None and bare_is_pm and 1 <= h <= 7:
        h += 12  # "after 6" means the evening
    if h > 23 or m > 59:
        return None
    return time(h, m)


def _day_words(text):
    found = set()
    if re.search(r"weekdays?\b", text):
        found |= WEEKDAYS
    if re.search(r"weekends?\b", text):
        found |= WEEKEND
    for number, name in enumerate(DAYS):
        if re.search(rf"\b{name}s?\b", text):
            found.add(number)
    return found


def parse_safe_times(text):
    """(days or None, windows or None): the days and times of day the old heuristic read in ``text``."""
    text = (text or "").lower()
    if not text.strip() or re.search(r"any\s*time", text):
        return None, None
    days = None
    excluded = set()
    for match in _NOT_DAYS.finditer(text):
        excluded |= _day_words(match.group(1))
    positive = _day_words(_NOT_DAYS.sub(" ", text))
    if positive:
        days = positive
    if excluded:
        days = (days if days is not None else set(range(7))) - excluded
    windows = []
    rest = text
    for match in _RANGE.finditer(text):
        start = _clock(*match.group(1, 2, 3), bare_is_pm=False)
        end = _clock(*match.group(4, 5, 6), bare_is_pm=False)
        if start and end and end <= start and end.hour < 12:
            end = time(end.hour + 12, end.minute)  # "9 to 5"
        if start and end and start < end:
            windows.append((start, end))
        rest = rest.replace(match.group(0), " ")
    for pattern, after in ((_AFTER, True), (_BEFORE, False)):
        for match in pattern.finditer(rest):
            moment = _clock(*match.group(1, 2, 3), bare_is_pm=after)
            if moment:
                windows.append((moment, END_OF_DAY) if after else (time(0), moment))
    for word, window in PERIODS.items():
        if re.search(rf"\b{word}s?\b", rest):
            windows.append(window)
    return (frozenset(days) if days is not None else None), (tuple(windows) or None)


def _merged(windows):
    """Overlapping or touching windows as one ("mornings and afternoons": 08:00 to 17:00)."""
    merged = []
    for start, end in sorted(windows):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def as_data(text):
    """What the note says as ``safe_times`` data, or None where there is nothing the rule can keep."""
    days, windows = parse_safe_times(text)
    if days is None and windows is None:
        return None
    data = {}
    if days is not None:
        if not days:
            return None  # "not on weekdays or weekends": nothing left to keep
        data["days"] = [DAYS[number] for number in sorted(days)]
    if windows is not None:
        windows = _merged(windows)
        if len(windows) > MAX_WINDOWS:
            return None
        data["windows"] = [{"from": f"{a:%H:%M}", "to": f"{b:%H:%M}"} for a, b in windows]
    data["read_from_note"] = True
    return data


def read_safe_times(apps, schema_editor):
    Party = apps.get_model("rjcases", "Party")
    HistoricalParty = apps.get_model("rjcases", "HistoricalParty")
    kept = {f.attname for f in HistoricalParty._meta.concrete_fields}  # what the history keeps of a person
    fields = [f.attname for f in Party._meta.concrete_fields if f.attname in kept]
    now = timezone.now()
    for party in Party.objects.exclude(safe_contact_times="").filter(safe_times={}).order_by("pk"):
        data = as_data(party.safe_contact_times)
        if data is None:
            continue
        party.safe_times = data
        Party.objects.filter(pk=party.pk).update(safe_times=data)  # the history row below says why
        HistoricalParty.objects.create(
            **{name: getattr(party, name) for name in fields},
            history_date=now,
            history_type="~",
            history_change_reason=REASON,
        )


def forget_safe_times(apps, schema_editor):
    Party = apps.get_model("rjcases", "Party")
    HistoricalParty = apps.get_model("rjcases", "HistoricalParty")
    for party in Party.objects.filter(pk__in=HistoricalParty.objects.filter(history_change_reason=REASON).values("id")):
        if party.safe_times.get("read_from_note"):
            Party.objects.filter(pk=party.pk).update(safe_times={})
    HistoricalParty.objects.filter(history_change_reason=REASON).delete()


class Migration(migrations.Migration):
    dependencies = [("rjcases", "0014_party_safe_times")]

    operations = [migrations.RunPython(read_safe_times, forget_safe_times)]
