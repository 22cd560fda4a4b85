"""The dashboard's charts as inline SVG: a heat map (rows × hours), funnel bars and
issued-vs-collected bars.

Inline SVG needs no script and no image requests, stays sharp on a tablet, and takes the page's
fonts (Chinese labels included). Colours are SVG attributes, not ``style``, so the page's
Content-Security-Policy can forbid inline styles. (kiosk/organiser/svgchart.py draws the
report's bar charts; the fleet room does not import the organisers' room, which is to read the
central store and would then form an import cycle.)
"""

from __future__ import annotations

import html
from collections.abc import Sequence

TEXT, MUTED, GRID = "#1f2a44", "#6b7890", "#e6eaf1"
# Sequential scale for counts: pale to deep teal, readable at a glance on any screen.
HEAT = ("#f1f5f9", "#d5efec", "#a8e0da", "#72cbc2", "#3fb0a6", "#1d8f88", "#0f6f6c", "#0a4f52")
FONT = 13


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _svg(width: float, height: float, title: str, body: list[str], cls: str) -> str:
    return (
        f'<svg class="chart {cls}" role="img" aria-label="{_e(title)}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        f'xmlns="http://www.w3.org/2000/svg" '
        f'font-size="{FONT}" fill="{TEXT}"><title>{_e(title)}</title>{"".join(body)}</svg>'
    )


def _text_width(text: str) -> float:
    """A rough label width in px: CJK characters are twice as wide as Latin ones."""
    return sum(FONT if ord(c) > 0x2E80 else FONT * 0.58 for c in text)


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
                ink = "#ffffff" if fill in HEAT[4:] else TEXT
                body.append(
                    f'<text x="{x + cell_w / 2:.0f}" y="{y + cell_h / 2 + 4:.0f}" '
                    f'text-anchor="middle" fill="{ink}">{n}</text>'
                )
        body.append(
            f'<text x="{width - 6:.0f}" y="{y + cell_h / 2 + 4:.0f}" text-anchor="end" '
            f'font-weight="bold">{total:,}</text>'
        )
    return _svg(width, height, title, body, "heat")


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
            f'fill="{GRID}"/>'
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
    return _svg(width, height, title, body, "funnel")


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
    return _svg(width, height, title, body, "prizes")
