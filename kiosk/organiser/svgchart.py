"""Bar charts as inline SVG for the organisers' report: vertical bars (stacked by series) and
horizontal bars, with a counting axis, grid lines, labels and a legend.

SVG text takes the page's own fonts, so chart labels may be Chinese; the charts stay sharp at
any zoom and in print, and drawing one costs a few milliseconds of string building (the
report used to spend most of its time importing and running a plotting library).
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

AXIS, GRID, TEXT, INK = "#9aa7b8", "#e3e8f0", "#33415c", "#0e1e3a"
FONT = 12  # px; the page scales the whole chart with its width


@dataclass
class Series:
    label: str
    colour: str
    values: Sequence[float]


def thousands(value: float) -> str:
    return f"{value:,.0f}"


def percent(value: float) -> str:
    return f"{value:.0%}"


def nice_ticks(top: float, count: int = 5, whole: bool = True) -> list[float]:
    """Round tick values from 0 to at least ``top`` (steps of 1, 2 or 5 × 10ⁿ)."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    if whole:
        step = max(1.0, step)
    n = math.ceil(top / step - 1e-9)
    return [i * step for i in range(n + 1)]


def _e(text: str) -> str:
    return html.escape(str(text), quote=True)


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    return (
        f'<svg class="chart" role="img" aria-label="{_e(title)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg" '
        f'font-size="{FONT}" fill="{TEXT}"><title>{_e(title)}</title>{"".join(body)}</svg>'
    )


def _legend(series: Sequence[Series], x: float, y: float) -> list[str]:
    out = []
    for s in series:
        out.append(f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="10" height="10" fill="{s.colour}"/>')
        out.append(f'<text x="{x + 14:.1f}" y="{y:.1f}">{_e(s.label)}</text>')
        x += 22 + 7 * len(s.label)
    return out


def columns(
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    width: int = 1000,
    height: int = 340,
    y_label: str = "",
    x_label: str = "",
    bar_labels: Sequence[str] | None = None,
    legend: bool = True,
    fmt: Callable[[float], str] = thousands,
) -> str:
    """Vertical bars, one per category; several series are stacked in the given order."""
    totals = [sum(s.values[i] for s in series) for i in range(len(categories))]
    ticks = nice_ticks(max(totals, default=0) * (1.12 if bar_labels else 1.0))
    # Room for the widest tick label and the axis title; slant labels wider than their bar.
    left = 30 + 7 * max(len(fmt(t)) for t in ticks)
    right, top, bottom = 12, 34 if legend else 18, 44 if x_label else 28
    longest = max((len(c) for c in categories), default=0)
    slanted = 7 * longest + 6 > (width - left - right) / max(1, len(categories))
    if slanted:
        bottom += 5 * longest
    plot_w, plot_h = width - left - right, height - top - bottom
    scale = plot_h / ticks[-1]
    body = []
    for tick in ticks:
        y = top + plot_h - tick * scale
        body.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID if tick else AXIS}"/>'
        )
        body.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{fmt(tick)}</text>')
    slot = plot_w / max(1, len(categories))
    bar = slot * (0.78 if len(categories) > 4 else 0.45)
    for i, name in enumerate(categories):
        x = left + i * slot + (slot - bar) / 2
        base = top + plot_h
        for s in series:
            h = s.values[i] * scale
            if h > 0:
                body.append(
                    f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{bar:.1f}" '
                    f'height="{h:.1f}" fill="{s.colour}"><title>{_e(name)} · '
                    f"{_e(s.label)}: {fmt(s.values[i])}</title></rect>"
                )
                base -= h
        if bar_labels and bar_labels[i]:
            body.append(
                f'<text x="{x + bar / 2:.1f}" y="{base - 4:.1f}" text-anchor="middle" '
                f'font-size="{FONT - 1}" fill="{INK}">{_e(bar_labels[i])}</text>'
            )
        cx, cy = x + bar / 2, top + plot_h + 16
        if slanted:
            body.append(
                f'<text x="{cx:.1f}" y="{cy:.1f}" text-anchor="end" '
                f'transform="rotate(-45 {cx:.1f} {cy:.1f})">{_e(name)}</text>'
            )
        else:
            body.append(f'<text x="{cx:.1f}" y="{cy:.1f}" text-anchor="middle">{_e(name)}</text>')
    if y_label:
        body.append(
            f'<text transform="translate(14 {top + plot_h / 2:.1f}) rotate(-90)" '
            f'text-anchor="middle">{_e(y_label)}</text>'
        )
    if x_label:
        body.append(
            f'<text x="{left + plot_w / 2:.1f}" y="{height - 6}" '
            f'text-anchor="middle">{_e(x_label)}</text>'
        )
    if legend:
        body += _legend(series, left, 14)
    return _svg(width, height, title, body)


def rows(
    title: str,
    names: Sequence[str],
    values: Sequence[float],
    colours: Sequence[str],
    *,
    width: int = 360,
    note: str = "",
    reference: float | None = None,
    x_label: str = "",
) -> str:
    """Horizontal bars for shares (0–1), top to bottom, each labelled with its percentage."""
    left = 12 + 7 * max((len(n) for n in names), default=4)
    right, top, row_h = 44, 24 if note else 10, 26
    plot_w = width - left - right
    height = top + row_h * len(names) + (40 if x_label else 24)
    base = top + row_h * len(names)
    body = []
    for tick in (0.0, 0.5, 1.0):
        x = left + tick * plot_w
        body.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{base}" stroke="{GRID}"/>')
        body.append(f'<text x="{x:.1f}" y="{base + 16}" text-anchor="middle">{tick:.0%}</text>')
    for i, (name, value, colour) in enumerate(zip(names, values, colours, strict=True)):
        y = top + i * row_h + 4
        w = max(0.0, min(1.0, value)) * plot_w
        body.append(f'<text x="{left - 6}" y="{y + 13}" text-anchor="end">{_e(name)}</text>')
        body.append(
            f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{row_h - 8}" '
            f'fill="{colour}"><title>{_e(name)}: {value:.1%}</title></rect>'
        )
        body.append(
            f'<text x="{left + plot_w + 6:.1f}" y="{y + 13}" fill="{INK}">{value:.0%}</text>'
        )
    if reference is not None:
        x = left + reference * plot_w
        body.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 4}" y2="{base}" stroke="{INK}" '
            'stroke-dasharray="4 3"/>'
        )
    body.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{base}" stroke="{AXIS}"/>')
    if note:
        body.append(f'<text x="{left}" y="14" font-size="{FONT - 1}">{_e(note)}</text>')
    if x_label:
        body.append(
            f'<text x="{left + plot_w / 2:.1f}" y="{height - 6}" '
            f'text-anchor="middle">{_e(x_label)}</text>'
        )
    return _svg(width, height, title, body)


def message(title: str, text: str, width: int = 360, height: int = 240) -> str:
    """An empty chart's place: the reason, centred."""
    body = [f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle">{_e(text)}</text>']
    return _svg(width, height, title, body)
