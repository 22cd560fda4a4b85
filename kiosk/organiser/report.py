"""The organisers' report: one self-contained HTML page (``smartizen report``).

Every number comes from one walk along an index of the plays (:mod:`kiosk.organiser.reportdata`);
the charts are inline SVG (:mod:`kiosk.svgchart`), so the page needs no network, no
files beside it and no JavaScript, prints cleanly and sets chart text in the reader's own
fonts, Chinese included. Headings are bilingual. The visitors' funnel and prizes collected
come from their own small queries (:mod:`kiosk.organiser.visits`,
:mod:`kiosk.organiser.claimtally`), on a kiosk file or the central store alike.
"""

from __future__ import annotations

import html
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from kiosk import svgchart
from kiosk.organiser import claimtally, reportdata, tally, visits
from kiosk.organiser.claimtally import ClaimRow
from kiosk.organiser.reportdata import OUTCOMES, ReportData
from kiosk.organiser.source import Source, as_source
from kiosk.organiser.tally import ALL_PLAYS, GameStats, Period, Stats, Zone
from kiosk.organiser.titles import title as game_title
from kiosk.organiser.visits import FunnelRow
from kiosk.svgchart import Series

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
    conn: Source | sqlite3.Connection,
    zone: Zone = tally.HKT,
    period: Period = ALL_PLAYS,
    source: str = "scores.db",
    now: datetime | None = None,
) -> Page:
    """The report for the plays in ``period`` on ``conn`` (a kiosk or fleet file)."""
    now = now or zone.now()
    db = as_source(conn)
    data = reportdata.read(db, zone, period)
    funnel = visits.funnel(db, zone, period)[0] if visits.has_visits(db) else None
    prizes = data.issued
    if prizes is None or db.collected_refs_sql() is not None:
        prizes = claimtally.claims(db, zone, period, ["tier"])
    summary = data.stats
    games = [g.game for g in summary.games if g.game is not None]
    colours = {game: GAME_COLOURS[i % len(GAME_COLOURS)] for i, game in enumerate(games)}
    charts: list[tuple[str, str, str, bool]] = []  # (english, chinese, <svg>, full width?)
    if summary.total.plays:
        hours_note = " (all days added up)" if len(data.days) > 1 else ""
        charts = [
            (
                f"Plays per hour, by game{hours_note}",
                "每小時各遊戲次數",
                _hourly_chart(data, zone, colours),
                True,
            ),
            ("Completion rate by game", "各遊戲完成率", _completion_chart(summary, colours), False),
            ("Score distribution (completed plays)", "分數分佈", _score_chart(data), False),
            ("Prizes by tier", "各級獎品數目", _prize_chart(data), False),
            ("Kiosks compared", "各攤位比較", _kiosk_chart(data), True),
        ]
    if funnel is not None and funnel.counts[0]:
        charts.append(("Visitors' funnel", "訪客流失漏斗", _funnel_chart(funnel), True))
    if any(c.issued for c in prizes):
        charts.append(
            ("Prizes issued and collected", "獎品發出及領取", _claims_chart(prizes), True)
        )
    tables = []
    if summary.total.plays:
        tables = [_difficulty_table(data.by_difficulty), _day_hour_table(data, zone)]
    body = _page(summary, charts, data.daily, len(data.kiosks), zone, period, source, now, tables)
    return Page(body, summary.total.plays, len(charts))


# -- charts ----------------------------------------------------------------------------------


def _compact(n: int) -> str:
    """Bar labels that fit: 950, 12.3k, 189k, 1.2M."""
    if n < 10_000:
        return f"{n:,}"
    if n < 100_000:
        return f"{n / 1000:.1f}k"
    if n < 1_000_000:
        return f"{n / 1000:.0f}k"
    return f"{n / 1_000_000:.1f}M"


def _hourly_chart(data: ReportData, zone: Zone, colours: dict[str, str]) -> str:
    hours = sorted({h for h, _, _ in data.hourly})
    hours = list(range(min(hours), max(hours) + 1))
    per = {(h, g): n for h, g, n in data.hourly}
    labels = [f"{h:02d}:00" for h in hours] if len(hours) <= 14 else [f"{h:02d}" for h in hours]
    series = [
        Series(game, colour, [per.get((h, game), 0) for h in hours])
        for game, colour in colours.items()
    ]
    return svgchart.columns(
        "Plays per hour by game",
        labels,
        series,
        width=1040,
        height=360,
        y_label="Plays started",
        x_label=f"Hour of the day ({zone.describe()})",
    )


def _completion_chart(summary: Stats, colours: dict[str, str]) -> str:
    games = [g for g in summary.games if g.completion_rate is not None]
    total = summary.total.completion_rate
    return svgchart.rows(
        "Completion rate by game",
        [str(g.game) for g in games],
        [g.completion_rate or 0.0 for g in games],
        [colours[str(g.game)] for g in games],
        note=f"dashed: all games, {total:.0%}" if total is not None else "",
        reference=total,
        x_label="Completed ÷ ended plays",
    )


def _score_chart(data: ReportData) -> str:
    labels = [f"{b * 10}–{b * 10 + 9}" if b < 9 else "90–100" for b in range(10)]
    counts = [data.score_bands.get(b, 0) for b in range(10)]
    return svgchart.columns(
        "Score distribution",
        labels,
        [Series("completed plays", NAVY, counts)],
        width=360,
        height=300,
        y_label="Completed plays",
        x_label="Score",
        bar_labels=[_compact(n) if n else "" for n in counts],
        legend=False,
    )


def _prize_chart(data: ReportData) -> str:
    if not data.prizes:
        return svgchart.message("Prizes by tier", "No prizes issued")
    tiers = [t for t, _ in data.prizes]
    spare = iter(GAME_COLOURS)
    colours = [TIER_COLOURS.get(t.lower()) or next(spare, NAVY) for t in tiers]
    series = [
        Series(t, colour, [n if i == j else 0 for j in range(len(tiers))])
        for i, ((t, n), colour) in enumerate(zip(data.prizes, colours, strict=True))
    ]
    return svgchart.columns(
        "Prizes by tier",
        tiers,
        series,
        width=360,
        height=300,
        y_label="Prizes issued",
        bar_labels=[f"{n:,}" for _, n in data.prizes],
        legend=False,
    )


def _kiosk_chart(data: ReportData) -> str:
    kiosks = [k for k, _ in data.kiosks]
    series = [
        Series(outcome.replace("_", " "), OUTCOME_COLOURS[outcome], values)
        for outcome in OUTCOMES
        if any(values := [counts.get(outcome, 0) for _, counts in data.kiosks])
    ]
    return svgchart.columns(
        "Plays per kiosk by outcome",
        kiosks,
        series,
        width=1040,
        height=340,
        y_label="Plays started",
    )


def _funnel_chart(funnel: FunnelRow) -> str:
    labels = [visits.STAGE_LABELS[stage][0] for stage in visits.STAGES]
    touched = funnel.counts[0]
    return svgchart.columns(
        "Visitors at each stage",
        labels,
        [Series("visitors", NAVY, list(funnel.counts))],
        width=1040,
        height=320,
        y_label="Visitors",
        bar_labels=[f"{n:,} ({n / touched:.0%})" for n in funnel.counts],
        legend=False,
    )


def _claims_chart(prizes: list[ClaimRow]) -> str:
    """Prizes issued per tier; where the source knows, each bar split into collected and
    not (yet) collected, so the whole bar is what was issued."""
    tiers = [str(c.key[0]) for c in prizes]
    known = all(c.collected is not None for c in prizes)
    if known:
        series = [
            Series("collected", MINT, [c.collected or 0 for c in prizes]),
            Series("not collected", SUN, [c.issued - (c.collected or 0) for c in prizes]),
        ]
    else:
        series = [Series("issued", NAVY, [c.issued for c in prizes])]
    return svgchart.columns(
        "Prizes issued and collected by tier",
        tiers,
        series,
        width=1040,
        height=300,
        y_label="Prizes issued",
        x_label="" if known else "Collected: not known from this source",
        bar_labels=[
            f"{c.collected:,} of {c.issued:,}" if known else f"{c.issued:,}" for c in prizes
        ],
        legend=known,
    )


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
svg.chart { display: block; max-width: 100%; height: auto; margin: 0 auto; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 7px 10px; border-bottom: 1px solid var(--line); text-align: right; }
th { font-size: 13px; color: var(--muted); font-weight: 600; vertical-align: bottom; }
th:first-child, td:first-child { text-align: left; }
tr.total td { font-weight: 700; border-top: 2px solid var(--navy2); border-bottom: none; }
.empty { padding: 40px; text-align: center; color: var(--muted); font-size: 18px; }
footer { max-width: 1160px; margin: 0 auto; padding: 8px 40px 32px; color: var(--muted);
         font-size: 12px; }
td .zh { margin-left: .4em; }
td code.id { color: var(--muted); font-size: 12px; }
table.dayhour th, table.dayhour td.dh { padding: 5px 4px; font-size: 12px; text-align: center; }
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
    tables: Sequence[str] = (),
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
    for english, chinese, svg, wide in charts:
        if not wide:
            row.append(_panel(english, chinese, svg))
            continue
        if row:
            parts += ['<div class="grid">', *row, "</div>"]
            row = []
        parts.append(_panel(english, chinese, svg))
    if row:
        parts += ['<div class="grid">', *row, "</div>"]
    parts.append(_totals_table(summary))
    if len(daily) > 1:
        parts.append(_daily_table(daily, zone))
    parts.extend(tables)
    parts += [
        "</main>",
        f"<footer>Made by <code>smartizen report</code> from {esc(source)}. Plays are counted "
        "when they start; completion rate is completed plays out of those that ended; mean "
        f"score is over completed plays. Days and hours are {esc(zone.describe())}.</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _panel(english: str, chinese: str, chart: str) -> str:
    return f'<section class="panel"><h2>{html.escape(english)}{_zh(chinese)}</h2>{chart}</section>'


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
        name = _game_cell(g.game) if g.game is not None else f"All games{_zh('全部')}"
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


def _game_cell(game: str) -> str:
    """The game's title in both languages, its id beneath (a retired game: the id alone)."""
    en, zh = game_title(game, "en"), game_title(game, "zh-HK")
    if en is None:
        return html.escape(game)
    return (
        f"{html.escape(en)}{_zh(html.escape(zh or ''))}"
        f'<br><code class="id">{html.escape(game)}</code>'
    )


def _table_panel(title: tuple[str, str], head: list[tuple[str, str]], rows: list[list[str]]) -> str:
    """A panel with a bilingual heading and a table of already formatted cells."""
    header = "".join(f"<th>{html.escape(en)}<br>{_zh(zh)}</th>" for en, zh in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (
        f'<section class="panel"><h2>{title[0]}{_zh(title[1])}</h2>'
        f"<table><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table></section>"
    )


def _difficulty_table(levels: list[GameStats]) -> str:
    head = [
        ("Difficulty", "難度"),
        ("Plays", "次數"),
        ("Completed", "完成"),
        ("Completion", "完成率"),
        ("Mean score", "平均分數"),
        ("Prizes", "獎品"),
    ]
    rows = [
        [
            html.escape(str(g.difficulty)),
            f"{g.plays:,}",
            f"{g.completed:,}",
            _pct(g.completion_rate),
            _num(g.mean_score),
            f"{g.prizes:,}",
        ]
        for g in levels
    ]
    return _table_panel(("By difficulty", "各難度"), head, rows)


def _day_hour_table(data: ReportData, zone: Zone) -> str:
    """Plays per local day × hour, each cell shaded by its share of the busiest hour."""
    hours = sorted({h for _, h in data.day_hour})
    hours = list(range(hours[0], hours[-1] + 1))
    top = max(data.day_hour.values())
    header = f"<th>{html.escape(zone.label)} day × hour{_zh('日期')}</th>" + "".join(
        f"<th>{h:02d}</th>" for h in hours
    )
    body = []
    for day in data.days:
        cells = []
        for h in hours:
            n = data.day_hour.get((day, h), 0)
            shade = f' style="background: rgba(27,52,94,{0.08 + 0.5 * n / top:.2f})"' if n else ""
            cells.append(f'<td class="dh"{shade}>{n:,}</td>' if n else '<td class="dh">·</td>')
        body.append(f"<tr><td>{day}</td>{''.join(cells)}</tr>")
    return (
        f'<section class="panel"><h2>Plays by day and hour{_zh("每日每小時遊戲次數")}</h2>'
        f'<table class="dayhour"><thead><tr>{header}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></section>"
    )


def _daily_table(daily: list[tuple], zone: Zone) -> str:
    head = [
        (f"Day ({zone.label})", "日期"),
        ("Plays", "次數"),
        ("Completed", "完成"),
        ("Prizes", "獎品"),
        ("Kiosks", "攤位"),
    ]
    rows = [
        [day, f"{plays:,}", f"{done:,}", f"{prizes:,}", f"{kiosks:,}"]
        for day, plays, done, prizes, kiosks in daily
    ]
    return _table_panel(("By day", "每日"), head, rows)


def _pct(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.1%}"


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"
