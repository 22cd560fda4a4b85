"""Charts as inline SVG, for the organisers' report (kiosk/organiser/report.py: vertical and
horizontal bars with axes, grid lines and a legend) and the live dashboard
(kiosk/fleet/dashboard/web.py: heat maps of rows × hours, funnel bars, issued-vs-collected
bars).

Inline SVG needs no script, no plotting library and no image requests; it stays sharp at any
zoom, on a tablet and in print, takes the page's own fonts (Chinese labels included) and costs
a few milliseconds of string building. Colours are SVG attributes, not ``style``, so a page's
Content-Security-Policy can forbid inline styles. Each family keeps its own look (a
:class:`Style`: the report's type is a little smaller and greyer than the dashboard's).
Standard library only, at the top of ``kiosk/`` so both rooms import it without a cycle.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Style:
    font: int  # px; the page scales the whole chart with its width
    text: str
    grid: str


REPORT = Style(font=12, text="#33415c", grid="#e3e8f0")
DASHBOARD = Style(font=13, text="#1f2a44", grid="#e6eaf1")
AXIS, INK = "#9aa7b8", "#0e1e3a"  # the report's axis lines and value labels
MUTED = "#6b7890"  # the dashboard's secondary text
# Sequential scale for counts: pale to deep teal, readable at a glance on any screen.
HEAT = ("#f1f5f9", "#d5efec", "#a8e0da", "#72cbc2", "#3fb0a6", "#1d8f88", "#0f6f6c", "#0a4f52")


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _svg(
    style: Style, width: float, height: float, title: str, body: list[str], cls: str = ""
) -> str:
    kind = f"chart {cls}" if cls else "chart"
    return (
        f'<svg class="{kind}" role="img" aria-label="{_e(title)}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        f'xmlns="http://www.w3.org/2000/svg" '
        f'font-size="{style.font}" fill="{style.text}"><title>{_e(title)}</title>'
        f"{''.join(body)}</svg>"
    )


# -- the report: bars with a counting axis ---------------------------------------------------
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
            f'stroke="{REPORT.grid if tick else AXIS}"/>'
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
                f'font-size="{REPORT.font - 1}" fill="{INK}">{_e(bar_labels[i])}</text>'
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
    return _svg(REPORT, width, height, title, body)


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
        body.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{base}" stroke="{REPORT.grid}"/>'
        )
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
        body.append(f'<text x="{left}" y="14" font-size="{REPORT.font - 1}">{_e(note)}</text>')
    if x_label:
        body.append(
            f'<text x="{left + plot_w / 2:.1f}" y="{height - 6}" '
            f'text-anchor="middle">{_e(x_label)}</text>'
        )
    return _svg(REPORT, width, height, title, body)


def message(title: str, text: str, width: int = 360, height: int = 240) -> str:
    """An empty chart's place: the reason, centred."""
    body = [f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle">{_e(text)}</text>']
    return _svg(REPORT, width, height, title, body)


# -- the dashboard: heat maps and bars scaled to the largest ----------------------------------
def _text_width(text: str) -> float:
    """A rough label width in px: CJK characters are twice as wide as Latin ones."""
    return sum(DASHBOARD.font if ord(c) > 0x2E80 else DASHBOARD.font * 0.58 for c in text)


def heat_colour(value: int, top: int) -> str:
    if value <= 0 or top <= 0:
        return HEAT[0]
    step = 1 + int((len(HEAT) - 2) * value / top + 0.5)
    return HEAT[min(len(HEAT) - 1, step)]


def heatmap(
    title: str,
    rows: Sequence[tuple[str, str]],  # (key, label)
    hours: Sequence[int],
    values: dict[tuple[str, int], int],
    total_label: str,
    hour_label: str = "{h:02d}",
) -> str:
    """One row per key, one column per hour, the count in each cell; totals at the right."""
    left = 14 + max((_text_width(label) for _, label in rows), default=40)
    cell_w, cell_h, top, total_w = 50, 28, 26, 70
    width = left + cell_w * len(hours) + total_w
    height = top + cell_h * max(1, len(rows)) + 4
    top_value = max(values.values(), default=0)
    body: list[str] = []
    for j, hour in enumerate(hours):
        x = left + j * cell_w + cell_w / 2
        body.append(
            f'<text x="{x:.0f}" y="16" text-anchor="middle" fill="{MUTED}">'
            f"{_e(hour_label.format(h=hour))}</text>"
        )
    body.append(
        f'<text x="{width - 6:.0f}" y="16" text-anchor="end" fill="{MUTED}">'
        f"{_e(total_label)}</text>"
    )
    for i, (key, label) in enumerate(rows):
        y = top + i * cell_h
        body.append(
            f'<text x="{left - 8:.0f}" y="{y + cell_h / 2 + 4:.0f}" text-anchor="end">'
            f"{_e(label)}</text>"
        )
        total = 0
        for j, hour in enumerate(hours):
            n = values.get((key, hour), 0)
            total += n
            x = left + j * cell_w
            fill = heat_colour(n, top_value)
            body.append(
                f'<rect x="{x + 1:.0f}" y="{y + 1}" width="{cell_w - 2}" height="{cell_h - 2}" '
                f'rx="3" fill="{fill}"><title>{_e(label)} {hour:02d}:00 · {n}</title></rect>'
            )
            if n:
                ink = "#ffffff" if fill in HEAT[4:] else DASHBOARD.text
                body.append(
                    f'<text x="{x + cell_w / 2:.0f}" y="{y + cell_h / 2 + 4:.0f}" '
                    f'text-anchor="middle" fill="{ink}">{n}</text>'
                )
        body.append(
            f'<text x="{width - 6:.0f}" y="{y + cell_h / 2 + 4:.0f}" text-anchor="end" '
            f'font-weight="bold">{total:,}</text>'
        )
    return _svg(DASHBOARD, width, height, title, body, "heat")


def funnel(title: str, steps: Sequence[tuple[str, int]], width: int = 560) -> str:
    """One bar per stage, scaled to the first; each labelled with its count and share."""
    left = 16 + max((_text_width(label) for label, _ in steps), default=40)
    right, bar_h, gap = 120, 26, 10
    first = steps[0][1] if steps else 0
    plot = width - left - right
    height = len(steps) * (bar_h + gap) + 4
    body: list[str] = []
    for i, (label, n) in enumerate(steps):
        y = i * (bar_h + gap) + 2
        share = n / first if first else 0.0
        w = max(2.0, plot * share) if n else 0.0
        body.append(
            f'<text x="{left - 8:.0f}" y="{y + bar_h / 2 + 4:.0f}" text-anchor="end">'
            f"{_e(label)}</text>"
        )
        body.append(
            f'<rect x="{left:.0f}" y="{y}" width="{plot:.0f}" height="{bar_h}" rx="4" '
            f'fill="{DASHBOARD.grid}"/>'
        )
        body.append(
            f'<rect x="{left:.0f}" y="{y}" width="{w:.0f}" height="{bar_h}" rx="4" '
            f'fill="{HEAT[5]}"><title>{_e(label)}: {n:,}</title></rect>'
        )
        body.append(
            f'<text x="{left + plot + 8:.0f}" y="{y + bar_h / 2 + 4:.0f}">'
            f'<tspan font-weight="bold">{n:,}</tspan>'
            f'<tspan fill="{MUTED}"> · {share:.0%}</tspan></text>'
        )
    return _svg(DASHBOARD, width, height, title, body, "funnel")


def issued_collected(
    title: str,
    tiers: Sequence[tuple[str, int, int]],  # (label, issued, collected)
    legend: tuple[str, str],
    width: int = 560,
) -> str:
    """Per tier, a pale bar of prizes issued with the collected part drawn over it."""
    left = 16 + max((_text_width(label) for label, _, _ in tiers), default=40)
    right, bar_h, gap, top = 110, 26, 10, 26
    plot = width - left - right
    most = max((issued for _, issued, _ in tiers), default=0)
    height = top + len(tiers) * (bar_h + gap) + 4
    body = [
        f'<rect x="{left:.0f}" y="4" width="12" height="12" rx="2" fill="#c9d3e3"/>',
        f'<text x="{left + 18:.0f}" y="15">{_e(legend[0])}</text>',
        f'<rect x="{left + 30 + _text_width(legend[0]):.0f}" y="4" width="12" height="12" '
        f'rx="2" fill="#2f6fdb"/>',
        f'<text x="{left + 48 + _text_width(legend[0]):.0f}" y="15">{_e(legend[1])}</text>',
    ]
    for i, (label, issued, collected) in enumerate(tiers):
        y = top + i * (bar_h + gap)
        wi = plot * issued / most if most else 0.0
        wc = plot * collected / most if most else 0.0
        body.append(
            f'<text x="{left - 8:.0f}" y="{y + bar_h / 2 + 4:.0f}" text-anchor="end">'
            f"{_e(label)}</text>"
        )
        body.append(
            f'<rect x="{left:.0f}" y="{y}" width="{wi:.0f}" height="{bar_h}" rx="4" '
            f'fill="#c9d3e3"><title>{_e(label)}: {issued:,}</title></rect>'
        )
        body.append(
            f'<rect x="{left:.0f}" y="{y + 5}" width="{wc:.0f}" height="{bar_h - 10}" rx="3" '
            f'fill="#2f6fdb"><title>{_e(label)}: {collected:,}</title></rect>'
        )
        body.append(
            f'<text x="{left + plot + 8:.0f}" y="{y + bar_h / 2 + 4:.0f}">'
            f'<tspan font-weight="bold">{collected:,}</tspan>'
            f'<tspan fill="{MUTED}"> / {issued:,}</tspan></text>'
        )
    return _svg(DASHBOARD, width, height, title, body, "prizes")
