"""Small server-rendered SVG charts. No scripts, no third parties.

Each chart is an ``<svg role="img">`` with a title and a short description; the page
always shows the same numbers in a data table next to it, which is the accessible
version. Colours come from CSS classes (``static/css/app.css``).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from bondgenoot.lib.escape import escape_text

_ids = itertools.count(1)

LEFT, RIGHT, TOP, BOTTOM = 44, 12, 16, 36


def _nice_max(value: float) -> int:
    if value <= 5:
        return 5
    for step in (10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000):
        if value <= step:
            return step
    magnitude = 10 ** (len(str(int(value))) - 1)
    return int((value // magnitude + 1) * magnitude)


def _frame(title: str, description: str, width: int, height: int, body: str) -> SafeString:
    uid = next(_ids)
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" width="100%" role="img" '
        'aria-labelledby="chart-title-{i} chart-desc-{i}" xmlns="http://www.w3.org/2000/svg">'
        '<title id="chart-title-{i}">{t}</title><desc id="chart-desc-{i}">{d}</desc>{b}</svg>',
        w=width,
        h=height,
        i=uid,
        t=title,
        d=description,
        b=mark_safe(body),
    )


def _axes(labels: Sequence[str], top: float, width: int, height: int, suffix: str) -> list[str]:
    plot_h = height - TOP - BOTTOM
    parts = []
    # Ticks in whole numbers: split the axis into as many steps as divide the top evenly
    # (5 → 1, 2, 3, 4, 5; 20 → 5, 10, 15, 20), never 1.25 families.
    intervals = next((n for n in (4, 5, 2) if top % n == 0), 1)
    for k in range(intervals + 1):
        value = top * k / intervals
        y = TOP + plot_h - plot_h * k / intervals
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{width - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
        )
        parts.append(
            f'<text class="axis" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{value:g}{escape_text(suffix)}</text>"
        )
    step = (width - LEFT - RIGHT) / max(len(labels), 1)
    for index, label in enumerate(labels):
        x = LEFT + step * (index + 0.5)
        parts.append(
            f'<text class="axis" x="{x:.1f}" y="{height - BOTTOM + 16}" '
            f'text-anchor="middle">{escape_text(label)}</text>'
        )
    return parts


def bar_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[int | None], str]],
    *,
    title: str,
    description: str,
    width: int = 640,
    height: int = 260,
) -> SafeString:
    """Grouped bars: one group per label, one bar per series (name, values, css class).
    A value of None draws no bar at all (a figure the page hides, e.g. below 10): the
    chart then carries nothing of it, not even in its scale."""
    top = _nice_max(max([v for _n, values, _c in series for v in values if v is not None] or [0]))
    plot_h = height - TOP - BOTTOM
    parts = _axes(labels, top, width, height, "")
    step = (width - LEFT - RIGHT) / max(len(labels), 1)
    bar_w = step * 0.8 / max(len(series), 1)
    for s_index, (name, values, css) in enumerate(series):
        for index, value in enumerate(values):
            if value is None:
                continue
            h = plot_h * value / top if top else 0
            x = LEFT + step * index + step * 0.1 + bar_w * s_index
            parts.append(
                f'<rect class="bar {escape_text(css)}" x="{x:.1f}" y="{TOP + plot_h - h:.1f}" '
                f'width="{bar_w:.1f}" height="{h:.1f}"><title>{escape_text(name)}: {value}</title>'
                "</rect>"
            )
    return _frame(title, description, width, height, "".join(parts))


def line_chart(
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    title: str,
    description: str,
    top: float = 100,
    suffix: str = "%",
    css: str = "line",
    width: int = 640,
    height: int = 240,
) -> SafeString:
    plot_h = height - TOP - BOTTOM
    parts = _axes(labels, top, width, height, suffix)
    step = (width - LEFT - RIGHT) / max(len(labels), 1)
    points = []
    for index, value in enumerate(values):
        if value is None:
            continue
        x = LEFT + step * (index + 0.5)
        y = TOP + plot_h - plot_h * min(value, top) / top
        points.append((x, y, value))
    if points:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _v in points)
        parts.append(f'<polyline class="{escape_text(css)}" points="{path}"/>')
        for x, y, value in points:
            parts.append(
                f'<circle class="{escape_text(css)}-dot" cx="{x:.1f}" cy="{y:.1f}" r="4">'
                f"<title>{value:g}{escape_text(suffix)}</title></circle>"
            )
    return _frame(title, description, width, height, "".join(parts))
