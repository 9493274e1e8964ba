"""Charts as inline SVG, rendered at build time from data: no script, no external file.

Colours come from classes styled in archive.css with the theme's CSS variables, so a chart reads
in the light and the dark scheme alike. Every chart has a <title> and an aria-label, every mark a
<title> tooltip with its value; the pages add a table of the same data. All text is escaped here.
"""
from __future__ import annotations

import calendar as calendars
import datetime as dt
from collections.abc import Callable
from html import escape

from markupsafe import Markup

WIDTH = 720
LABEL_WIDTH = 260  # room for the labels left of horizontal bars and grid rows
ROW = 18  # height of a horizontal bar or grid row
CELL = 13  # a calendar day, with its gap
LEVELS = 4  # shades of a calendar day or grid cell with papers


def _svg(label: str, width: float, height: float, body: list[str], kind: str) -> Markup:
    text = escape(label)
    role = "group" if any(part.startswith("<a ") for part in body) else "img"  # "img" would hide its links
    return Markup(f'<svg class="pda-chart__svg pda-chart__svg--{kind}" xmlns="http://www.w3.org/2000/svg" '
                  f'viewBox="0 0 {width:g} {height:g}" role="{role}" aria-label="{text}"><title>{text}</title>'
                  + "".join(body) + "</svg>")


def _mark(shape: str, tooltip: str) -> str:
    return f"<{shape}><title>{escape(tooltip)}</title></{shape.split()[0]}>"


def quantity(value: int, unit: str) -> str:
    """'1 paper', '3 papers': `unit` is singular."""
    return f"{value} {unit}{'s' if value != 1 else ''}"


def _level(value: int, top: int) -> int:
    """1..LEVELS for a positive value, relative to the largest."""
    return max(1, -(-value * LEVELS // max(top, 1)))


def column_chart(label: str, points: list[tuple[str, int]], unit: str) -> Markup:
    """One column per (label, value), left to right; the first and last labels under the axis."""
    height, top = 180, max((v for _, v in points), default=0)
    slot = WIDTH / max(len(points), 1)
    body = [f'<line class="pda-chart__axis" x1="0" y1="{height - 20}" x2="{WIDTH}" y2="{height - 20}"/>']
    for index, (name, value) in enumerate(points):
        bar = (height - 30) * value / max(top, 1)
        body.append(_mark(f'rect class="pda-chart__bar" x="{index * slot + slot * .1:.2f}" '
                          f'y="{height - 20 - bar:.2f}" width="{max(slot * .8, .5):.2f}" height="{bar:.2f}"',
                          f"{name}: {quantity(value, unit)}"))
    if points:
        body.append(f'<text x="0" y="{height - 4}">{escape(points[0][0])}</text>')
        body.append(f'<text x="{WIDTH}" y="{height - 4}" text-anchor="end">{escape(points[-1][0])}</text>')
        body.append(f'<text x="0" y="10">{escape(quantity(top, unit))}</text>')
    return _svg(label, WIDTH, height, body, "columns")


def bar_chart(label: str, points: list[tuple[str, int]], unit: str) -> Markup:
    """One horizontal bar per (label, value), top to bottom, each labelled with its value."""
    top = max((v for _, v in points), default=0)
    room = WIDTH - LABEL_WIDTH - 40
    body = []
    for index, (name, value) in enumerate(points):
        y = index * ROW
        short = name if len(name) <= 40 else name[:39] + "…"
        body.append(f'<text x="{LABEL_WIDTH - 6}" y="{y + 13}" text-anchor="end">{escape(short)}</text>')
        body.append(_mark(f'rect class="pda-chart__bar" x="{LABEL_WIDTH}" y="{y + 3}" '
                          f'width="{room * value / max(top, 1):.2f}" height="{ROW - 6}"', f"{name}: {quantity(value, unit)}"))
        body.append(f'<text x="{LABEL_WIDTH + room * value / max(top, 1) + 4:.2f}" y="{y + 13}">{value}</text>')
    return _svg(label, WIDTH, max(len(points), 1) * ROW, body, "bars")


def heat_grid(label: str, rows: list[str], columns: list[str], values: list[list[int]], unit: str) -> Markup:
    """A grid of rows x columns, each cell shaded by its value; column labels on top, first and last."""
    top = max((v for row in values for v in row), default=0)
    cell = (WIDTH - LABEL_WIDTH) / max(len(columns), 1)
    body = []
    if columns:
        body.append(f'<text x="{LABEL_WIDTH}" y="12">{escape(columns[0])}</text>')
        body.append(f'<text x="{WIDTH}" y="12" text-anchor="end">{escape(columns[-1])}</text>')
    for r, (name, row) in enumerate(zip(rows, values)):
        y = 18 + r * ROW
        body.append(f'<text x="{LABEL_WIDTH - 6}" y="{y + 13}" text-anchor="end">{escape(name)}</text>')
        for c, value in enumerate(row):
            shade = f"pda-chart__cell--{_level(value, top)}" if value else "pda-chart__cell--0"
            body.append(_mark(f'rect class="pda-chart__cell {shade}" x="{LABEL_WIDTH + c * cell:.2f}" y="{y + 2}" '
                              f'width="{max(cell - 1, .5):.2f}" height="{ROW - 3}"',
                              f"{name}, {columns[c]}: {quantity(value, unit)}"))
    return _svg(label, WIDTH, 18 + len(rows) * ROW, body, "grid")


def calendar(year: int, counts: dict[dt.date, int], href: Callable[[dt.date], str]) -> Markup:
    """A year as weeks (columns) of days (rows, Monday first); a day with a digest links to its page."""
    first = dt.date(year, 1, 1)
    top = max(counts.values(), default=0)
    body = [f'<text x="0" y="{26 + r * 2 * CELL}">{name}</text>' for r, name in enumerate(("Mon", "Wed", "Fri"))]
    for month in range(1, 13):
        x = 30 + (dt.date(year, month, 1) - first + dt.timedelta(first.weekday())).days // 7 * CELL
        body.append(f'<text x="{x}" y="10">{calendars.month_abbr[month]}</text>')
    day = first
    while day.year == year:
        week = (day - first + dt.timedelta(first.weekday())).days // 7
        count = counts.get(day, 0)
        shade = f"pda-chart__cell--{_level(count, top)}" if count else "pda-chart__cell--0"
        shape = f'rect class="pda-chart__cell {shade}" x="{30 + week * CELL}" y="{16 + day.weekday() * CELL}" ' \
                f'width="{CELL - 2}" height="{CELL - 2}" rx="2"'
        cell = _mark(shape, f"{day.isoformat()}: {quantity(count, 'paper') if count else 'no digest'}")
        body.append(f'<a href="{escape(href(day))}">{cell}</a>' if count else cell)
        day += dt.timedelta(1)
    return _svg(f"Digest dates of {year}: {quantity(len(counts), 'date')}", 30 + 54 * CELL, 16 + 7 * CELL, body,
                "calendar")
