"""The organisers' report: one self-contained HTML page (``smartizen report``).

Every number comes from an SQL aggregate in :mod:`kiosk.organiser.tally` (a million plays take about
a second); the charts are drawn by matplotlib's Agg renderer into PNGs embedded as base64,
so the page needs no network, no files beside it and no JavaScript, and prints cleanly.
Headings are bilingual; chart text is English because matplotlib's default font has no
Chinese glyphs, while the page text uses the reader's own CJK fonts.
"""

from __future__ import annotations

import base64
import html
import io
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

from kiosk.organiser import tally
from kiosk.organiser.tally import ALL_PLAYS, Period, Stats, Zone
from kiosk.playlog.schema import PLAYS

DPI = 150
NAVY, INK, SUN, MINT, CORAL, SKY = "#1b345e", "#0e1e3a", "#ffc828", "#2fbf95", "#f26b5b", "#6ebeff"
GAME_COLOURS = [NAVY, SUN, MINT, CORAL, SKY, "#9b7fe6", "#8c6d46", "#e07bb5", "#7a8796"]
OUTCOME_COLOURS = {"completed": MINT, "abandoned": SUN, "error": CORAL, "in_progress": SKY}
TIER_COLOURS = {"gold": "#e0a800", "silver": "#9aa7b8", "bronze": "#b87333", "thanks": MINT}


@dataclass
class Page:
    html: str
    plays: int
    charts: int


def build_report(
    conn: sqlite3.Connection,
    zone: Zone = tally.HKT,
    period: Period = ALL_PLAYS,
    source: str = "scores.db",
    now: datetime | None = None,
) -> Page:
    """The report for the plays in ``period`` on ``conn`` (a kiosk or fleet file)."""
    now = now or zone.now()
    summary = tally.stats(conn, period)
    games = [g.game for g in summary.games if g.game is not None]
    colours = {game: GAME_COLOURS[i % len(GAME_COLOURS)] for i, game in enumerate(games)}
    charts: list[tuple[str, str, str, bool]] = []  # (english, chinese, <img>, full width?)
    if summary.total.plays:
        hours_note = " (all days added up)" if _days(conn, zone, period) > 1 else ""
        charts = [
            (
                f"Plays per hour, by game{hours_note}",
                "每小時各遊戲次數",
                _img(_hourly_chart(conn, zone, period, colours), "Plays per hour by game"),
                True,
            ),
            (
                "Completion rate by game",
                "各遊戲完成率",
                _img(_completion_chart(summary, colours), "Completion rate by game"),
                False,
            ),
            (
                "Score distribution (completed plays)",
                "分數分佈",
                _img(_score_chart(conn, period), "Score distribution"),
                False,
            ),
            (
                "Prizes by tier",
                "各級獎品數目",
                _img(_prize_chart(conn, period), "Prizes by tier"),
                False,
            ),
            (
                "Kiosks compared",
                "各攤位比較",
                _img(_kiosk_chart(conn, period), "Plays per kiosk by outcome"),
                True,
            ),
        ]
    where, params = _where(period)
    kiosks = conn.execute(f"SELECT count(DISTINCT kiosk_id) FROM {PLAYS} {where}", params)
    daily = _daily(conn, zone, period)
    body = _page(summary, charts, daily, kiosks.fetchone()[0], zone, period, source, now)
    return Page(body, summary.total.plays, len(charts))


# -- data ------------------------------------------------------------------------------------


def _where(period: Period, *extra: str) -> tuple[str, list[str]]:
    clauses, params = period.where()
    clauses = [*clauses, *extra]
    return (f"WHERE {' AND '.join(clauses)}" if clauses else ""), params


def _days(conn: sqlite3.Connection, zone: Zone, period: Period) -> int:
    return len(tally.counts(conn, ["day"], zone, period)[1])


def _daily(conn: sqlite3.Connection, zone: Zone, period: Period) -> list[tuple]:
    where, params = _where(period)
    return conn.execute(
        f"SELECT {zone.day_sql()} AS day, count(*), sum(outcome = 'completed'), "
        f"count(prize_tier), count(DISTINCT kiosk_id) FROM {PLAYS} {where} "
        "GROUP BY 1 ORDER BY 1",
        params,
    ).fetchall()


# -- charts ----------------------------------------------------------------------------------


def _figure(width: float, height: float, counts_up: bool = True) -> tuple[Figure, object]:
    fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)  # the Agg renderer: no display, no pyplot state
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    ax.spines[["left", "bottom"]].set_color("#9aa7b8")
    ax.tick_params(colors="#33415c", labelsize=9)
    ax.set_axisbelow(True)
    if counts_up:  # 120,000 rather than 120000 on a vertical count axis
        ax.yaxis.set_major_formatter(THOUSANDS)
    return fig, ax


THOUSANDS = FuncFormatter(lambda value, _: f"{value:,.0f}")


def _compact(n: int) -> str:
    """Bar labels that fit: 950, 12.3k, 189k, 1.2M."""
    if n < 10_000:
        return f"{n:,}"
    if n < 100_000:
        return f"{n / 1000:.1f}k"
    if n < 1_000_000:
        return f"{n / 1000:.0f}k"
    return f"{n / 1_000_000:.1f}M"


def _png(fig: Figure) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _img(fig: Figure, alt: str) -> str:
    width = round(fig.get_figwidth() * 96)  # CSS px; the PNG has DPI/96 × that for sharpness
    return f'<img alt="{html.escape(alt)}" width="{width}" src="data:image/png;base64,{_png(fig)}">'


def _hourly_chart(
    conn: sqlite3.Connection, zone: Zone, period: Period, colours: dict[str, str]
) -> Figure:
    _, rows = tally.counts(conn, ["hour", "game"], zone, period)
    hours = sorted({h for h, _, _ in rows})
    hours = list(range(min(hours), max(hours) + 1))
    fig, ax = _figure(11, 3.8)
    bottom = [0] * len(hours)
    for game, colour in colours.items():
        per_hour = {h: n for h, g, n in rows if g == game}
        values = [per_hour.get(h, 0) for h in hours]
        ax.bar(hours, values, 0.78, bottom=bottom, label=game, color=colour)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    labels = [f"{h:02d}:00" for h in hours] if len(hours) <= 14 else [f"{h:02d}" for h in hours]
    ax.set_xticks(hours, labels)
    ax.set_xlabel(f"Hour of the day ({zone.describe()})", color="#33415c")
    ax.set_ylabel("Plays started", color="#33415c")
    ax.yaxis.grid(True, color="#e3e8f0")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(
        frameon=False,
        fontsize=9,
        ncols=min(len(colours), 6),
        loc="upper left",
        bbox_to_anchor=(0, 1.12),
    )
    return fig


def _completion_chart(summary: Stats, colours: dict[str, str]) -> Figure:
    games = [g for g in summary.games if g.completion_rate is not None]
    fig, ax = _figure(3.7, max(3.2, 0.9 + 0.36 * len(games)), counts_up=False)
    names = [g.game for g in games][::-1]
    rates = [g.completion_rate for g in games][::-1]
    ax.barh(names, rates, 0.66, color=[colours[n] for n in names])
    for y, rate in enumerate(rates):  # a column of figures right of the 100% mark
        ax.text(1.03, y, f"{rate:.0%}", va="center", fontsize=8, color=INK)
    ax.set_xlim(0, 1)
    ax.set_xticks([0, 0.5, 1])
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.xaxis.grid(True, color="#e3e8f0")
    ax.tick_params(axis="y", labelsize=8)
    total = summary.total.completion_rate
    if total is not None:
        ax.axvline(total, color=INK, linewidth=1, linestyle="--")
        ax.set_title(f"dashed: all games, {total:.0%}", fontsize=8, color="#33415c", loc="left")
    ax.set_xlabel("Completed ÷ ended plays", color="#33415c")
    return fig


def _score_chart(conn: sqlite3.Connection, period: Period) -> Figure:
    where, params = _where(period, "outcome = 'completed'", "score IS NOT NULL")
    rows = dict(
        conn.execute(
            f"SELECT min(score / 10, 9), count(*) FROM {PLAYS} {where} GROUP BY 1", params
        ).fetchall()
    )
    fig, ax = _figure(3.7, 3.2)
    labels = [f"{b * 10}–{b * 10 + 9}" if b < 9 else "90–100" for b in range(10)]
    counts = [rows.get(b, 0) for b in range(10)]
    bars = ax.bar(range(10), counts, 0.8, color=NAVY)
    ax.bar_label(bars, [_compact(n) if n else "" for n in counts], padding=2, fontsize=7, color=INK)
    ax.set_xticks(range(10), labels, rotation=35, ha="right", fontsize=8)
    ax.set_xlabel("Score", color="#33415c")
    ax.set_ylabel("Completed plays", color="#33415c")
    ax.yaxis.grid(True, color="#e3e8f0")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.margins(y=0.12)
    return fig


def _prize_chart(conn: sqlite3.Connection, period: Period) -> Figure:
    where, params = _where(period, "prize_tier IS NOT NULL")
    rows = conn.execute(  # best tier first: the one its winners scored highest in
        f"SELECT prize_tier, count(*) FROM {PLAYS} {where} GROUP BY 1 ORDER BY avg(score) DESC, 1",
        params,
    ).fetchall()
    fig, ax = _figure(3.7, 3.2)
    if not rows:
        ax.text(0.5, 0.5, "No prizes issued", ha="center", va="center", color="#33415c")
        ax.set_axis_off()
        return fig
    tiers = [t for t, _ in rows]
    spare = iter(GAME_COLOURS)
    colours = [TIER_COLOURS.get(t.lower()) or next(spare, NAVY) for t in tiers]
    bars = ax.bar(tiers, [n for _, n in rows], 0.6, color=colours)
    ax.bar_label(bars, [f"{n:,}" for _, n in rows], padding=2, fontsize=9, color=INK)
    ax.set_ylabel("Prizes issued", color="#33415c")
    ax.yaxis.grid(True, color="#e3e8f0")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.margins(y=0.12)
    return fig


def _kiosk_chart(conn: sqlite3.Connection, period: Period) -> Figure:
    where, params = _where(period)
    outcomes = list(OUTCOME_COLOURS)
    sums = ", ".join(f"sum(outcome = '{o}')" for o in outcomes)
    rows = conn.execute(
        f"SELECT kiosk_id, {sums} FROM {PLAYS} {where} GROUP BY 1 ORDER BY 1", params
    ).fetchall()
    fig, ax = _figure(11, 3.4)
    kiosks = [r[0] for r in rows]
    positions = range(len(rows))
    bottom = [0] * len(rows)
    for i, outcome in enumerate(outcomes, start=1):
        values = [r[i] for r in rows]
        if any(values):
            ax.bar(
                positions,
                values,
                0.72 if len(rows) > 4 else 0.4,
                bottom=bottom,
                color=OUTCOME_COLOURS[outcome],
                label=outcome.replace("_", " "),
            )
        bottom = [a + v for a, v in zip(bottom, values, strict=True)]
    many = len(rows) > 24
    ax.set_xticks(positions, kiosks, rotation=90 if many else 0, fontsize=8 if many else 9)
    ax.set_xlim(-0.6, max(len(rows), 4) - 0.4)
    ax.yaxis.grid(True, color="#e3e8f0")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("Plays started", color="#33415c")
    ax.legend(frameon=False, fontsize=9, ncols=4, loc="upper left", bbox_to_anchor=(0, 1.12))
    return fig


# -- page ------------------------------------------------------------------------------------

CSS = """
:root { --navy: #0e1e3a; --navy2: #1b345e; --sun: #ffc828; --mist: #cedbee; --ink: #0e1e3a;
        --muted: #4a5a78; --line: #e3e8f0; }
* { box-sizing: border-box; }
body { margin: 0; background: #f4f6fa; color: var(--ink);
       font: 15px/1.5 "Segoe UI", "Helvetica Neue", Arial, "Noto Sans HK", "Noto Sans CJK HK",
             "Microsoft JhengHei", "PingFang HK", sans-serif; }
header { background: var(--navy); color: #fff; padding: 28px 40px 24px;
         border-bottom: 6px solid var(--sun); }
header .eyebrow { margin: 0; color: var(--mist); letter-spacing: .04em; font-size: 13px; }
header h1 { margin: 4px 0 0; font-size: 34px; line-height: 1.2; }
header h1 .zh { color: var(--sun); margin-left: .35em; }
header .sub { margin: 2px 0 10px; font-size: 20px; color: #fff; }
header .meta { margin: 0; color: var(--mist); font-size: 13px; }
main { max-width: 1160px; margin: 0 auto; padding: 24px 40px 8px; }
.cards { display: grid; grid-template-columns: repeat(5, 1fr); gap: 14px; margin-bottom: 22px; }
.card { background: #fff; border-radius: 12px; padding: 14px 16px;
        box-shadow: 0 1px 3px rgba(14,30,58,.12); border-top: 4px solid var(--navy2); }
.card .label { font-size: 13px; color: var(--muted); }
.card .value { font-size: 28px; font-weight: 700; }
.grid { display: grid; grid-template-columns: repeat(3, 1fr); gap: 18px; margin-bottom: 18px; }
section.panel { background: #fff; border-radius: 12px; padding: 16px 18px 12px;
                box-shadow: 0 1px 3px rgba(14,30,58,.12); margin-bottom: 18px; }
.grid section.panel { margin-bottom: 0; }
h2 { font-size: 17px; margin: 0 0 8px; }
.label .zh, th .zh { color: var(--muted); font-weight: 400; margin-left: .4em; }
h2 .zh { display: block; color: var(--muted); font-weight: 400; font-size: 14px; }
img { display: block; max-width: 100%; height: auto; margin: 0 auto; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 7px 10px; border-bottom: 1px solid var(--line); text-align: right; }
th { font-size: 13px; color: var(--muted); font-weight: 600; vertical-align: bottom; }
th:first-child, td:first-child { text-align: left; }
tr.total td { font-weight: 700; border-top: 2px solid var(--navy2); border-bottom: none; }
.empty { padding: 40px; text-align: center; color: var(--muted); font-size: 18px; }
footer { max-width: 1160px; margin: 0 auto; padding: 8px 40px 32px; color: var(--muted);
         font-size: 12px; }
td .zh { margin-left: .4em; }
@media (max-width: 900px) { .grid { grid-template-columns: 1fr; }
                            .cards { grid-template-columns: repeat(2, 1fr); } }
@media print { body { background: #fff; } section.panel, .card { box-shadow: none;
               border: 1px solid var(--line); } section.panel { break-inside: avoid; } }
"""


def _zh(text: str) -> str:
    return f'<span class="zh" lang="zh-HK">{text}</span>'


def _page(
    summary: Stats,
    charts: Sequence[tuple[str, str, str, bool]],
    daily: list[tuple],
    kiosks: int,
    zone: Zone,
    period: Period,
    source: str,
    now: datetime,
) -> str:
    esc = html.escape
    total = summary.total
    cards = [
        ("Plays", "遊戲次數", f"{total.plays:,}"),
        ("Completion", "完成率", _pct(total.completion_rate)),
        ("Mean score", "平均分數", _num(total.mean_score)),
        ("Prizes", "獎品", f"{total.prizes:,}"),
        ("Kiosks", "攤位", f"{kiosks:,}"),
    ]
    parts = [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Smartizen Park 智慧市民樂園 — Organisers' report · 主辦單位報告</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f'<p class="eyebrow">Smart City Consortium · {_zh("智慧城市聯盟")}</p>',
        f"<h1>Smartizen Park{_zh('智慧市民樂園')}</h1>",
        f'<p class="sub">Organisers\' report · {_zh("主辦單位報告")}</p>',
        f'<p class="meta">{esc(source)} · {esc(period.label)} · times in {esc(zone.describe())}'
        f" · generated {now.astimezone(zone.tzinfo):%Y-%m-%d %H:%M} {esc(zone.label)}</p>",
        "</header>",
        "<main>",
        '<div class="cards">',
        *(
            f'<div class="card"><div class="label">{en}{_zh(zh)}</div>'
            f'<div class="value">{value}</div></div>'
            for en, zh, value in cards
        ),
        "</div>",
    ]
    if not charts:
        parts.append(
            f'<section class="panel empty">No plays in this period.{_zh("此期間沒有遊戲紀錄。")}'
            "</section>"
        )
    row: list[str] = []  # narrow charts share a row, three abreast
    for english, chinese, img, wide in charts:
        if not wide:
            row.append(_panel(english, chinese, img))
            continue
        if row:
            parts += ['<div class="grid">', *row, "</div>"]
            row = []
        parts.append(_panel(english, chinese, img))
    if row:
        parts += ['<div class="grid">', *row, "</div>"]
    parts.append(_totals_table(summary))
    if len(daily) > 1:
        parts.append(_daily_table(daily, zone))
    parts += [
        "</main>",
        f"<footer>Made by <code>smartizen report</code> from {esc(source)}. Plays are counted "
        "when they start; completion rate is completed plays out of those that ended; mean "
        f"score is over completed plays. Days and hours are {esc(zone.describe())}.</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _panel(english: str, chinese: str, img: str) -> str:
    return f'<section class="panel"><h2>{html.escape(english)}{_zh(chinese)}</h2>{img}</section>'


def _totals_table(summary: Stats) -> str:
    head = [
        ("Game", "遊戲"),
        ("Plays", "次數"),
        ("Completed", "完成"),
        ("Abandoned", "放棄"),
        ("Error", "錯誤"),
        ("In progress", "進行中"),
        ("Completion", "完成率"),
        ("Mean score", "平均分數"),
        ("Prizes", "獎品"),
    ]
    rows = []
    for g in [*summary.games, summary.total]:
        cls = ' class="total"' if g.game is None else ""
        name = html.escape(g.game) if g.game is not None else f"All games{_zh('全部')}"
        cells = [
            name,
            f"{g.plays:,}",
            f"{g.completed:,}",
            f"{g.abandoned:,}",
            f"{g.error:,}",
            f"{g.in_progress:,}",
            _pct(g.completion_rate),
            _num(g.mean_score),
            f"{g.prizes:,}",
        ]
        rows.append(f"<tr{cls}>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    header = "".join(f"<th>{en}<br>{_zh(zh)}</th>" for en, zh in head)
    return (
        f'<section class="panel"><h2>Totals by game{_zh("各遊戲總數")}</h2>'
        f"<table><thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        "</section>"
    )


def _daily_table(daily: list[tuple], zone: Zone) -> str:
    head = [
        (f"Day ({zone.label})", "日期"),
        ("Plays", "次數"),
        ("Completed", "完成"),
        ("Prizes", "獎品"),
        ("Kiosks", "攤位"),
    ]
    header = "".join(f"<th>{html.escape(en)}<br>{_zh(zh)}</th>" for en, zh in head)
    rows = "".join(
        f"<tr><td>{day}</td><td>{plays:,}</td><td>{done:,}</td><td>{prizes:,}</td>"
        f"<td>{kiosks:,}</td></tr>"
        for day, plays, done, prizes, kiosks in daily
    )
    return (
        f'<section class="panel"><h2>By day{_zh("每日")}</h2>'
        f"<table><thead><tr>{header}</tr></thead><tbody>{rows}</tbody></table></section>"
    )


def _pct(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.1%}"


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"
