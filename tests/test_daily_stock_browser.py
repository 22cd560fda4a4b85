"""The dashboard's stock section in real headless Chromium, both languages: a booth whose
day was synced through the fleet service (configured stock, a correction, sell-outs,
downgrades) beside booths of the afternoon in tests/dashboardkit.py. Screenshots of the
section are left in the test's tmp folder to look at."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from PIL import Image

from kiosk.fleet.kiosks import add_kiosk
from kiosk.fleet.service import POOL_KEY, create_app
from kiosk.fleet.settings import FleetSettings
from kiosk.playlog.store import PlayStore
from kiosk.prizes import eventkey
from tests.dashboardkit import PASSWORD, hk, seed, serving
from tests.test_daily_stock import KIOSK, a_busy_day, push_all

WIDTHS = {"laptop": (1366, 900), "tablet": (820, 1180)}
# booth → tier → configured for today; booth-03's gold (1) went at 12:00 (its one gold play).
CONFIGURED = {
    "booth-01": {"gold": 20, "silver": 60},
    "booth-02": {"gold": 20, "silver": 3},
    "booth-03": {"gold": 1, "silver": 8},
    "booth-04": {"gold": 8, "silver": 20},
}


def seed_stock(dsn: str) -> None:
    """The seeded booths' configured stock for today, as their play logs would sync it."""
    with psycopg.connect(dsn) as conn:
        for booth, tiers in CONFIGURED.items():
            for tier, n in tiers.items():
                conn.execute(
                    "INSERT INTO daily_stock (kiosk_id, day, tier, configured, set_at, version)"
                    " VALUES (%s, '2026-07-18', %s, %s, %s, 1)",
                    (booth, tier, n, hk(9, 30)),
                )
        conn.execute(
            "INSERT INTO audit (kiosk_id, id, at, action, detail, version)"
            " VALUES ('booth-03', 1, %s, 'sold_out', '2026-07-18 gold', 1)",
            (hk(12, 2),),
        )


@pytest.fixture
def server(central_db, tmp_path) -> Iterator[str]:
    seed(central_db)
    seed_stock(central_db)
    with psycopg.connect(central_db, autocommit=True) as conn:
        token = add_kiosk(conn, KIOSK)
    service = create_app(FleetSettings(dsn=central_db, threads=2))
    key = eventkey.generate(tmp_path / "keys" / "event.key")
    with PlayStore(tmp_path / "scores.db", KIOSK) as store:
        a_busy_day(store, key)
        push_all(service.test_client(), store.path, token)
    service.extensions[POOL_KEY].close()

    with serving(central_db) as url:
        yield url


@pytest.mark.parametrize("lang", ["en", "zh-HK"])
def test_stock_section_in_chromium(server, chromium, tmp_path: Path, lang: str):
    for size, (width, height) in WIDTHS.items():
        context = chromium.new_context(
            viewport={"width": width, "height": height}, java_script_enabled=False
        )
        try:
            page = context.new_page()
            page.goto(f"{server}/dashboard/")
            page.fill("#username", "ada")
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            page.goto(f"{server}/dashboard/lang/{lang}?next=/dashboard/")
            section = page.locator("#stock")
            silver = page.locator(f"#stock-{KIOSK}-silver")
            assert "12:03" in silver.inner_text()
            assert "out" in (silver.get_attribute("class") or "")
            gold = page.locator(f"#stock-{KIOSK}-gold").inner_text()
            assert gold.split()[0] == "2" and "12:02" in gold
            assert "12:02" in page.locator("#stock-booth-03-gold").inner_text()
            assert page.locator("#stock-booth-01-gold").inner_text().split()[0] == "19"
            overflow = page.evaluate(
                "document.documentElement.scrollWidth > document.documentElement.clientWidth"
            )
            assert not overflow, f"sideways scroll at {size} width"
            shot = tmp_path / f"stock-{lang}-{size}.png"
            section.screenshot(path=str(shot))
            with Image.open(shot) as image:
                assert image.width > 300 and image.height > 150
        finally:
            context.close()
