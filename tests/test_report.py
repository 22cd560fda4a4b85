"""`smartizen report`: one self-contained page, checked as HTML and rendered in headless
Chromium with every network request refused."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from kiosk.cli import cli
from kiosk.organiser.report import build_report
from kiosk.organiser.tally import HKT, UTC_ZONE, make_period
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


def images(page: str) -> list[bytes]:
    return [base64.b64decode(b) for b in re.findall(r'src="data:image/png;base64,([^"]+)"', page)]


def test_report_is_one_self_contained_page(db, tmp_path):
    out = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["report", "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "9 plays, 5 charts, hours in HKT (UTC+08:00)" in result.output
    page = out.read_text(encoding="utf-8")
    assert "<title>Smartizen Park 智慧市民樂園" in page
    assert "主辦單位報告" in page
    pngs = images(page)
    assert len(pngs) == 5
    for png in pngs:  # real PNGs drawn by matplotlib, big enough to read on a HiDPI screen
        image = Image.open(io.BytesIO(png))
        assert image.format == "PNG" and image.width >= 500
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
    assert "No plays in this period." in page.html and not images(page.html)


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
        decoded = page.evaluate("[...document.images].map(i => i.complete && i.naturalWidth > 0)")
        widths = page.evaluate("[...document.images].map(i => i.getBoundingClientRect().width)")
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
    assert decoded == [True] * 5
    assert all(w > 250 for w in widths)
    assert not overflow  # no sideways scrolling at a laptop's width
    assert table_rows == 5  # four games and the total
    image = Image.open(shot).convert("RGB")
    assert image.width == 1280 and image.height > 1500
    # Not a blank page: the navy header band and the chart colours are on screen.
    colours = image.resize((64, 128)).getcolors(64 * 128)
    assert len(colours) > 50
    assert image.getpixel((10, 10)) == (14, 30, 58)
