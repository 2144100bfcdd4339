"""A person's safe times in the person form: the days they may be called or visited (boxes) and up to two windows
of the day ("from" and "to" times), stored as ``Party.safe_times`` (``rjcases.safe_times``). The free-text note
beside them (``safe_contact_times``) is for anything else about when to contact them."""

from __future__ import annotations

from django import forms

from rjcases import safe_times

WINDOW_FIELDS = (("safe_from", "safe_to"), ("safe_from_2", "safe_to_2"))
FIELDS = ("safe_days", *(name for pair in WINDOW_FIELDS for name in pair))


def _time(label: str, help_text: str = "") -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.TimeInput(format="%H:%M"),
        error_messages={"invalid": f"Enter the time {label.lower()} like 17:30"},
    )


class SafeTimesFields:
    """Mixed into ``PartyForm``: the fields, their starting values from the person, and ``safe_times`` in
    ``cleaned_data`` (the fields themselves are taken out by ``safe_times_data``)."""

    def add_safe_times_fields(self) -> None:
        self.fields["safe_days"] = forms.MultipleChoiceField(
            label="Days it is safe to call or visit them",
            choices=safe_times.DAY_CHOICES,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text="Leave them all unticked if any day is safe.",
        )
        self.fields["safe_from"] = _time("From", "The times of day it is safe, for example from 17:00 to 21:00.")
        self.fields["safe_to"] = _time("To")
        self.fields["safe_from_2"] = _time("And from", "A second time of day, if there is one.")
        self.fields["safe_to_2"] = _time("And to")
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk and not self.is_bound:
            current = safe_times.of(instance)
            if current.days is not None:
                self.initial["safe_days"] = [safe_times.DAYS[n] for n in sorted(current.days)]
            for (start, end), window in zip(WINDOW_FIELDS, current.windows or (), strict=False):
                self.initial[start], self.initial[end] = window

    def clean_safe_times(self, data: dict) -> None:
        """Check the windows (both ends, end after start) and put the stored form of the times in ``data``."""
        windows = []
        for start_name, end_name in WINDOW_FIELDS:
            start, end = data.get(start_name), data.get(end_name)
            if start is None and end is None:
                continue
            if start is None:
                self.add_error(start_name, "Enter the time it is safe from")
            elif end is None:
                self.add_error(end_name, "Enter the time it is safe to")
            elif end <= start:
                self.add_error(end_name, f"The time it is safe to must be after {start:%H:%M}")
            else:
                windows.append((start.replace(second=0), end.replace(second=0)))
        days = data.get("safe_days") or []
        chosen = safe_times.SafeTimes(
            frozenset(safe_times.DAYS.index(day) for day in days) if days else None, tuple(sorted(windows)) or None
        )
        data["safe_times"] = chosen.as_data()

    @staticmethod
    def safe_times_data(data: dict) -> dict:
        """The service's keyword arguments: ``safe_times`` in place of the form's own fields."""
        for name in FIELDS:
            data.pop(name, None)
        return data
