"""Bar and column charts drawn as SVG on the server: the geometry is worked out here, the template
(templates/insights/includes/chart.html) writes the elements. No script, no style attributes (the
content security policy forbids them): colours are SVG presentation attributes. Every chart is shown with
a one-line summary and followed by a table of the same figures."""

from __future__ import annotations

from dataclasses import dataclass, field

BAR_COLOUR = "#1d70b8"  # GOV.UK blue: 5.2:1 on white
TEXT_COLOUR = "#0b0c0c"
AXIS_COLOUR = "#505a5f"


@dataclass
class Bar:
    label: str
    value: int | float
    x: float
    y: float
    width: float
    height: float
    value_x: float
    value_y: float
    label_x: float
    label_y: float
    value_text: str
    sublabel: str = ""  # a second line under a column's label (the year under a month)


@dataclass
class Chart:
    id: str
    title: str
    summary: str
    width: int
    height: int
    bars: list[Bar]
    label_anchor: str
    value_anchor: str
    axis: tuple[float, float, float, float]  # x1, y1, x2, y2 of the baseline
    fill: str = BAR_COLOUR
    text: str = TEXT_COLOUR
    axis_colour: str = AXIS_COLOUR
    ticks: list[tuple[float, float, str]] = field(default_factory=list)


def _format(value) -> str:
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def horizontal_bars(
    chart_id: str,
    title: str,
    items: list[tuple[str, int | float]],
    summary: str = "",
    *,
    width: int = 720,
    label_width: int = 230,
) -> Chart:
    """One bar per item, labels on the left, values at the end of the bars."""
    row, bar, top = 26, 18, 8
    highest = max((v for _, v in items), default=0) or 1
    plot = width - label_width - 60
    bars = []
    for i, (label, value) in enumerate(items):
        y = top + i * row
        length = plot * value / highest
        bars.append(
            Bar(
                label=label,
                value=value,
                x=label_width,
                y=y,
                width=round(length, 1),
                height=bar,
                value_x=round(label_width + length + 6, 1),
                value_y=y + bar - 4,
                label_x=label_width - 8,
                label_y=y + bar - 4,
                value_text=_format(value),
            )
        )
    height = top * 2 + row * max(len(items), 1)
    return Chart(
        id=chart_id,
        title=title,
        summary=summary or _summary(items),
        width=width,
        height=height,
        bars=bars,
        label_anchor="end",
        value_anchor="start",
        axis=(label_width, top - 2, label_width, height - top + 2),
    )


def columns(
    chart_id: str,
    title: str,
    items: list[tuple[str, int | float]],
    summary: str = "",
    *,
    width: int = 720,
    height: int = 260,
) -> Chart:
    """One column per item (months, quarters), labels under the columns, values above them. A label with a
    space is written on two lines ("Dec 2025": "Dec" over "2025"), the second only where it changes."""
    left, right, top, bottom = 10, 10, 24, 48
    plot_width, plot_height = width - left - right, height - top - bottom
    slot = plot_width / max(len(items), 1)
    column = max(4.0, slot * 0.7)
    highest = max((v for _, v in items), default=0) or 1
    every = max(1, round(len(items) / 12))  # label at most about 12 columns so the text never overlaps
    bars = []
    previous_second = None
    for i, (label, value) in enumerate(items):
        first, _, second = label.partition(" ")
        x = left + i * slot + (slot - column) / 2
        length = plot_height * value / highest
        y = top + plot_height - length
        shown = i % every == 0
        bars.append(
            Bar(
                label=first if shown else "",
                value=value,
                x=round(x, 1),
                y=round(y, 1),
                width=round(column, 1),
                height=round(length, 1),
                value_x=round(x + column / 2, 1),
                value_y=round(y - 5, 1),
                label_x=round(x + column / 2, 1),
                label_y=height - bottom + 18,
                value_text=_format(value) if len(items) <= 24 else "",
                sublabel=second if shown and second != previous_second else "",
            )
        )
        if shown:
            previous_second = second
    baseline = top + plot_height
    return Chart(
        id=chart_id,
        title=title,
        summary=summary or _summary(items),
        width=width,
        height=height,
        bars=bars,
        label_anchor="middle",
        value_anchor="middle",
        axis=(left, baseline, width - right, baseline),
    )


def _summary(items: list[tuple[str, int | float]]) -> str:
    if not items or not any(v for _, v in items):
        return "No cases to show."
    label, value = max(items, key=lambda item: item[1])
    return f"Highest: {label}, {_format(value)}."
