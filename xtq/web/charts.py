"""Geometry for the server-rendered SVG charts; templates draw them and Jinja escapes every label.

Horizontal positions are percentages of the chart's width and vertical ones are pixels, so a
chart fills a phone or a desktop column without scaling its text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

ROW = 26  # pixels per bar
LABEL_PX = 160  # the label (up to 6 characters) and value column at the left
VALUE_PX = 66  # of which the value takes this much
BAR_SPAN = 50  # percent of the width that the longest bar takes
PLOT_LEFT = 10  # percent: room for the 0–100% labels of a line chart


@dataclass(frozen=True)
class Bar:
    label: str
    value_text: str
    y: int
    width_pct: float  # 0 when the value is not shown (样本不足)
    tone: str = "main"
    href: str | None = None


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]
    height: int
    label_px: int = LABEL_PX
    value_px: int = VALUE_PX
    span_pct: int = BAR_SPAN


def bar_chart(
    title: str,
    rows: Sequence[tuple[str, float | None, str]],
    *,
    maximum: float | None = None,
    tones: Sequence[str] | None = None,
    links: Sequence[str | None] | None = None,
) -> BarChart:
    """Bars for (label, value, value_text) rows, scaled to `maximum` (default: the largest value)."""
    values = [v for _, v, _ in rows if v is not None]
    top = maximum if maximum is not None else max(values, default=0.0)
    bars = [
        Bar(
            label,
            text,
            i * ROW,
            round(BAR_SPAN * value / top, 2) if value and top else 0.0,
            tones[i] if tones else "main",
            links[i] if links else None,
        )
        for i, (label, value, text) in enumerate(rows)
    ]
    return BarChart(title, bars, max(len(bars), 1) * ROW)


@dataclass(frozen=True)
class Point:
    x_pct: float
    y: float
    label: str
    value_text: str
    minor: bool  # every other axis label, hidden on narrow screens


@dataclass(frozen=True)
class Segment:
    x1_pct: float
    y1: float
    x2_pct: float
    y2: float


@dataclass(frozen=True)
class LineChart:
    title: str
    points: list[Point]  # only the weeks with enough questions
    segments: list[Segment]  # between consecutive shown weeks
    labels: list[Point]  # one per week, for the axis
    height: int
    plot_top: int
    plot_bottom: int
    gridlines: list[tuple[float, str]]
    plot_left: int = PLOT_LEFT


def line_chart(title: str, rows: Sequence[tuple[str, float | None, str]], *, height: int = 180) -> LineChart:
    """A 0–100% line over (label, percent, value_text) rows; rows without a value leave a gap."""
    top, bottom = 16, height - 28
    n = len(rows)

    def x(i: int) -> float:
        return round(PLOT_LEFT + (100 - PLOT_LEFT - 4) * i / max(n - 1, 1), 2)

    def y(value: float) -> float:
        return round(bottom - (bottom - top) * value / 100, 1)

    labels = [Point(x(i), bottom, label, text, i % 2 == 1) for i, (label, _, text) in enumerate(rows)]
    points = [Point(x(i), y(v), label, text, False) for i, (label, v, text) in enumerate(rows) if v is not None]
    segments = [
        Segment(x(i), y(v), x(i + 1), y(w))
        for i, ((_, v, _), (_, w, _)) in enumerate(zip(rows, rows[1:]))
        if v is not None and w is not None
    ]
    grid = [(y(p), f"{p}%") for p in (0, 50, 100)]
    return LineChart(title, points, segments, labels, height, top, bottom, grid)
