"""The quarterly return's communication-needs lines: the people with each need, the interpreters booked, and the
letters sent in each format and in each language."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, Sum

from conferences.models import InterpreterBooking
from insights.selectors.common import Period, in_partnerships
from letters.languages import language_name
from letters.models import Letter, LetterFormat
from rjcases.models import Party
from rjcases.needs import NEED_KINDS, needs_of

NEEDS_FIELDS = ("language", "interpreter_needed", "interpreter_language", "bsl", "large_print", "easy_read")


def communication_lines(
    period: Period, partnerships: tuple[int, ...] | None = None
) -> list[tuple[str, str, str, object, str]]:
    """(code, section, measure, value, definition) of each line, counting these partnerships' cases only (every
    partnership's where None); four queries."""
    start, end = period.datetimes()
    section = "Communication needs"
    lines: list[tuple[str, str, str, object, str]] = []
    people = in_partnerships(
        Party.objects.filter(case__received_on__gte=period.start, case__received_on__lte=period.end),
        "case__partnership_id",
        partnerships,
    )
    counted: Counter[str] = Counter()
    with_any = 0
    for party in people.order_by().only(*NEEDS_FIELDS, "other_adjustments"):
        kinds = {need.kind for need in needs_of(party)}
        counted.update(kinds)
        with_any += bool(kinds)
    lines.append(
        (
            "M1",
            section,
            "People with a communication need",
            with_any,
            "People on the cases received in the quarter (A1) with at least one communication need recorded.",
        )
    )
    for i, (kind, label) in enumerate(NEED_KINDS, start=1):
        lines.append(
            (
                f"M1.{i}",
                section,
                f"People needing: {label}",
                counted.get(kind, 0),
                "M1 by need (a person with several needs counts once in each).",
            )
        )
    booked = in_partnerships(
        InterpreterBooking.objects.filter(confirmed=True, confirmed_on__gte=period.start, confirmed_on__lte=period.end),
        "party__case__partnership_id",
        partnerships,
    ).order_by()
    by_language = list(booked.values("language").annotate(n=Count("id"), pence=Sum("cost_pence")).order_by("language"))
    total = sum(row["n"] for row in by_language)
    pence = sum(row["pence"] or 0 for row in by_language)
    lines.append(
        (
            "M2",
            section,
            "Interpreters booked",
            total,
            "Interpreter bookings for a restorative activity confirmed on a date in the quarter.",
        )
    )
    for i, row in enumerate(by_language, start=1):
        lines.append((f"M2.{i}", section, f"Interpreters booked: {row['language']}", row["n"], "M2 by language."))
    lines.append(
        ("M3", section, "Cost of the interpreters booked (£)", round(pence / 100, 2), "M2's costs, where recorded.")
    )
    sent = in_partnerships(
        Letter.objects.filter(status=Letter.Status.SENT, sent_at__gte=start, sent_at__lt=end),
        "case__partnership_id",
        partnerships,
    ).order_by()
    formats = dict(sent.values("format").annotate(n=Count("id")).values_list("format", "n"))
    lines.append(("M4", section, "Letters sent", sum(formats.values()), "Letters marked sent in the quarter."))
    for i, (value, label) in enumerate(LetterFormat.choices, start=1):
        lines.append((f"M4.{i}", section, f"Letters sent: {label}", formats.get(value, 0), "M4 by format."))
    languages = dict(sent.values("language").annotate(n=Count("id")).values_list("language", "n"))
    for i, (code, n) in enumerate(sorted(languages.items()), start=1):
        lines.append((f"M5.{i}", section, f"Letters sent in: {language_name(code)}", n, "M4 by language."))
    return lines
