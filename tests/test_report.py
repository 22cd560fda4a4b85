"""`smartizen report`: one self-contained page, checked as HTML and rendered in headless
Chromium with every network request refused."""

from __future__ import annotations

import re
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from kiosk.cli import cli
from kiosk.organiser import claimtally, reportdata, tally
from kiosk.organiser.report import build_report
from kiosk.organiser.tally import HKT, UTC_ZONE, make_period, parse_zone
from kiosk.playlog.access import open_read
from kiosk.playlog.store import PlayStore
from tests.tallykit import PLAYS, hk, write_plays

MORE = [
    ("K03", "healthy_steps", "en", hk(18, 13, 5), "completed", 95, "gold"),
    ("K03", "healthy_steps", "zh-HK", hk(18, 19, 40), "completed", 72, "silver"),
    ("K03", "smart_commute", "zh-HK", hk(19, 20, 10), "abandoned", None, None),
]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "fleet.db"
    write_plays(path, PLAYS + MORE)
    return path


SVG = "{http://www.w3.org/2000/svg}"


def charts(page: str) -> list[ET.Element]:
    """The page's inline SVG charts, each parsed as the XML a browser reads."""
    return [ET.fromstring(svg) for svg in re.findall(r'<svg class="chart".*?</svg>', page, re.S)]


def bar_values(chart: ET.Element) -> list[int]:
    """What each bar says it is worth (its tooltip ends ": 1,234")."""
    return [
        int(rect.findtext(f"{SVG}title").rsplit(": ", 1)[1].replace(",", ""))
        for rect in chart.iter(f"{SVG}rect")
        if rect.find(f"{SVG}title") is not None
    ]


def test_report_is_one_self_contained_page(db, tmp_path):
    out = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["report", "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "9 plays, 6 charts, hours in HKT (UTC+08:00)" in result.output
    page = out.read_text(encoding="utf-8")
    assert "<title>Smartizen Park 智慧市民樂園" in page
    assert "主辦單位報告" in page
    drawn = charts(page)
    assert len(drawn) == 6  # no visits in this file: no funnel
    hourly, completion, scores, prizes, kiosks, claims = drawn
    assert sum(bar_values(hourly)) == 9 and sum(bar_values(kiosks)) == 9  # every play, once
    assert sum(bar_values(scores)) == 5  # the completed plays
    assert all(int(c.get("width")) >= 360 for c in drawn)
    assert len(list(completion.iter(f"{SVG}rect"))) == 4  # one bar per game
    assert prizes.findtext(f"{SVG}title") == "Prizes by tier"
    assert sum(bar_values(claims)) == 4  # issued only: a kiosk file knows no collections
    # Nothing outside the page: no links to scripts, styles, fonts or images elsewhere.
    assert not re.search(r'(src|href)="(?!data:)', page)
    assert "<script" not in page and "@import" not in page and "url(" not in page
    # The totals table carries the same numbers as smartizen stats.
    assert re.search(r"<tr class=\"total\"><td>All games.*?</td><td>9</td><td>5</td>", page)
    assert "times in HKT (UTC+08:00)" in page


def test_report_for_one_day_and_in_utc(db):
    conn = open_read(db)
    try:
        day = build_report(conn, HKT, make_period(HKT, day="2026-07-19"), source="fleet.db")
        utc = build_report(conn, UTC_ZONE, source="fleet.db")
    finally:
        conn.close()
    assert day.plays == 3 and "2026-07-19 HKT" in day.html
    assert "<th>Day (HKT)" not in day.html  # one day: no per-day table
    assert utc.plays == 9 and "times in UTC" in utc.html and "<th>Day (UTC)" in utc.html


def test_report_with_no_plays(tmp_path):
    path = tmp_path / "scores.db"
    PlayStore(path, kiosk_id="K01").close()
    conn = open_read(path)
    try:
        page = build_report(conn)
    finally:
        conn.close()
    assert page.plays == 0 and page.charts == 0
    assert "No plays in this period." in page.html and not charts(page.html)


def test_report_renders_in_headless_chromium(db, tmp_path, chromium):
    out = tmp_path / "report.html"
    assert CliRunner().invoke(cli, ["report", "--db", str(db), "--out", str(out)]).exit_code == 0
    shot = tmp_path / "report.png"
    outside: list[str] = []
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()

        def refuse(route) -> None:  # the page must need nothing but itself
            if route.request.url != out.as_uri():
                outside.append(route.request.url)
                route.abort()
            else:
                route.continue_()

        page.route(re.compile(r"^(?!data:).*"), refuse)
        page.goto(out.as_uri())
        title = page.title()
        heading = page.inner_text("h1")
        widths = page.evaluate(
            "[...document.querySelectorAll('svg.chart')].map(c => c.getBoundingClientRect().width)"
        )
        overflow = page.evaluate(
            "document.documentElement.scrollWidth > document.documentElement.clientWidth"
        )
        table_rows = page.locator("table").first.locator("tbody tr").count()
        page.screenshot(path=str(shot), full_page=True)
    finally:
        context.close()
    assert outside == []
    assert title.startswith("Smartizen Park 智慧市民樂園")
    assert "智慧市民樂園" in heading
    assert len(widths) == 6 and all(w > 250 for w in widths)
    assert not overflow  # no sideways scrolling at a laptop's width
    assert table_rows == 5  # four games and the total
    image = Image.open(shot).convert("RGB")
    assert image.width == 1280 and image.height > 1500
    # Not a blank page: the navy header band and the chart colours are on screen.
    colours = image.resize((64, 128)).getcolors(64 * 128)
    assert len(colours) > 50
    assert image.getpixel((10, 10)) == (14, 30, 58)


@pytest.mark.parametrize("zone_name", ["HKT", "UTC", "+05:30", "-03:30", "+05:45", "-11:00"])
def test_report_numbers_equal_the_tally_queries_in_any_zone(db, zone_name):
    """The report's two passes add up to what the per-chart queries of tally say."""
    zone = parse_zone(zone_name)
    conn = open_read(db)
    try:
        data = reportdata.read(conn, zone)
        assert data.stats == tally.stats(conn)
        assert data.hourly == tally.counts(conn, ["hour", "game"], zone)[1]
        days = tally.counts(conn, ["day"], zone)[1]
        assert [(d, n) for d, n, *_ in data.daily] == days
        assert data.days == [d for d, _ in days]
        by_kiosk = tally.counts(conn, ["kiosk"], zone)[1]
        assert [(k, sum(c.values())) for k, c in data.kiosks] == by_kiosk
        one_day = make_period(zone, day=days[0][0])
        assert reportdata.read(conn, zone, one_day).stats == tally.stats(conn, one_day)
    finally:
        conn.close()


@pytest.mark.parametrize("period", [{}, {"day": "2026-07-19"}, {"since": "2026-07-19T10:30"}])
@pytest.mark.parametrize("zone_name", ["HKT", "+05:30"])
def test_report_walks_its_index_without_sorting_plays(db, zone_name, period):
    """The million-play budget rests on this: SQLite reads the hour index in its own order
    (no temporary b-tree: no sort of every play), from the index alone."""
    zone = parse_zone(zone_name)
    conn = open_read(db)
    try:
        for sql, params, _ in reportdata.hour_group_queries(zone, make_period(zone, **period)):
            plan = " | ".join(r[-1] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params))
            assert "COVERING INDEX idx_plays_report_hour" in plan, plan
            assert "TEMP B-TREE" not in plan, plan
    finally:
        conn.close()


@pytest.mark.parametrize("zone_name", ["HKT", "+05:30", "-03:30"])
def test_a_file_without_the_report_indexes_gives_the_same_report(db, tmp_path, zone_name):
    """A kiosk file copied before the report's indexes existed is read as it is (read-only,
    not migrated): slower, the same numbers."""
    old = tmp_path / "old.db"
    conn = open_read(db)
    conn.execute("VACUUM INTO ?", [str(old)])
    conn.close()
    raw = sqlite3.connect(old)
    raw.execute("DROP INDEX idx_plays_report_hour")
    raw.execute("DROP INDEX idx_plays_kiosk_outcome_started")
    raw.commit()
    raw.close()
    zone = parse_zone(zone_name)
    for period in (tally.ALL_PLAYS, make_period(zone, day="2026-07-19")):
        with_indexes, without = open_read(db), open_read(old)
        try:
            assert reportdata.read(without, zone, period) == reportdata.read(
                with_indexes, zone, period
            )
        finally:
            with_indexes.close()
            without.close()


@pytest.mark.parametrize("zone_name", ["HKT", "+05:30"])
def test_difficulty_and_prizes_issued_equal_their_own_tallies(db, zone_name):
    """The report adds both up in one pass (no sort of every play); the numbers are
    what ``stats --by difficulty`` and the claims tally say, odd rows included: a prize
    reference without a tier, a tier without a reference, every difficulty."""
    with sqlite3.connect(db) as raw:
        ids = [i for (i,) in raw.execute("SELECT id FROM plays ORDER BY started_at")]
        for i, play in enumerate(ids):
            level = ("child", "adult", "senior", "Senior", "成人")[i % 5]
            raw.execute("UPDATE plays SET difficulty = ? WHERE id = ?", [level, play])
        raw.execute("UPDATE plays SET prize_tier = NULL WHERE id = ?", [ids[0]])
        raw.execute("UPDATE plays SET prize_ref = NULL WHERE prize_tier = 'silver'")
        raw.execute("UPDATE plays SET prize_ref = 'K09-X', score = NULL WHERE id = ?", [ids[-1]])
    zone = parse_zone(zone_name)
    conn = open_read(db)
    try:
        days = [d for d, _ in tally.counts(conn, ["day"], zone)[1]]
        for period in (tally.ALL_PLAYS, make_period(zone, day=days[-1])):
            data = reportdata.read(conn, zone, period)
            assert data.by_difficulty == tally.stats(conn, period, ["difficulty"]).games
            assert data.issued == claimtally.claims(conn, zone, period, ["tier"])
        everything = reportdata.read(conn, zone)
        assert len(everything.by_difficulty) == 5 and len(everything.issued) == 2
        assert everything.issued[0].key == (None,)
    finally:
        conn.close()
