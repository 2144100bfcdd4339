"""Posting a date the way the GOV.UK date input sends it: three boxes."""

from datetime import date


def date_parts(name: str, day: date) -> dict[str, str]:
    """The form data of the date field ``name`` typed as ``day``: ``name-day``, ``name-month``, ``name-year``."""
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}


def fill_date_boxes(page, name: str, day: date) -> None:
    """Type ``day`` into the day, month and year boxes of the date field ``name`` (a Playwright page)."""
    for part, value in (("day", day.day), ("month", day.month), ("year", day.year)):
        page.locator(f"#id_{name}-{part}").fill(str(value))
