"""End to end: a bot plays at the kiosk, a phone opens the QR's link, staff hand the prize over.

The kiosk runs as an operator would (``launch.py --autoplay`` in a subprocess, with its own
kiosk.toml and a fresh event key); zxing-cpp reads the QR from the claim screen's screenshot;
the claim server runs on 127.0.0.1 at a free port; headless Chromium (Debian's, driven by
Playwright) opens the decoded HTTPS link with the claim host routed to that server, and then
works the prize desk page like a member of staff with a USB scanner.
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pygame
import pytest
import zxingcpp
from click.testing import CliRunner

from kiosk import ROOT
from kiosk.claims.desk import ClaimDesk
from kiosk.claims.redemptions import RedemptionStore
from kiosk.claims.settings import ClaimsSettings
from kiosk.claims.web import create_app
from kiosk.cli import cli
from kiosk.pin import hash_pin
from kiosk.prizes import eventkey
from tests.serverkit import local_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CLAIM_URL = "HTTPS://CLAIM.EXAMPLE.HK/C/"
PIN = "2580"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium")


def decode(png: Path) -> str:
    pixels = pygame.surfarray.array3d(pygame.image.load(str(png))).transpose(1, 0, 2)
    (barcode,) = zxingcpp.read_barcodes(np.ascontiguousarray(pixels))
    assert barcode.format == zxingcpp.BarcodeFormat.QRCode
    return barcode.text


def kiosk_plays_one_journey(tmp_path: Path) -> tuple[str, dict]:
    made = CliRunner().invoke(cli, ["keys", "new", "--out", str(tmp_path / "keys" / "event.key")])
    assert made.exit_code == 0, made.output
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'kiosk_id = "K07"\nclaim_url = "{CLAIM_URL}"\n'
        f'[prizes]\nevent_id = 2026\nkey_file = "{tmp_path / "keys" / "event.key"}"\n'
        '[prizes.desk]\nen = "Hall 2, table 5"\n'
        '[[prizes.tiers]]\nid = "gold"\nmin_score = 85\ndaily_stock = 5\n'
        '[[prizes.tiers]]\nid = "thanks"\nmin_score = 0\ndaily_stock = 5\n'
    )
    db, shots = tmp_path / "scores.db", tmp_path / "shots"
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "launch.py"),
            "--headless",
            "--autoplay",
            "1",
            "--fast",
            "--seed",
            "5",
            "--mute",
            "--db",
            str(db),
            "--screenshots",
            str(shots),
            "--config",
            str(config),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "DEVELOPMENT" not in proc.stderr  # the installed event key was used
    (claim_png,) = shots.glob("*-claim.png")
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    (row,) = conn.execute("SELECT * FROM plays").fetchall()
    conn.close()
    return decode(claim_png), dict(row)


def test_play_scan_open_log_in_hand_over_and_refuse_a_second_time(tmp_path: Path) -> None:
    link, play = kiosk_plays_one_journey(tmp_path)
    assert link == CLAIM_URL + play["prize_code"]
    assert play["prize_ref"] == f"K07-{play['prize_serial']:04d}"

    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    settings = ClaimsSettings(
        public_key=str(tmp_path / "keys" / "event.pub"),  # only the public half
        database=str(tmp_path / "claims.db"),
        pin_hash=hash_pin(PIN, iterations=1000),
        desk_name="Main desk",
    )
    settings.validate()
    with (
        RedemptionStore(settings.database) as store,
        local_server(
            create_app(ClaimDesk(settings, eventkey.load_public(settings.public_key), store)),
            threads=4,
        ) as base,
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            _visitor_and_staff(browser, link, play, base, tmp_path)
        finally:
            browser.close()


def _visitor_and_staff(browser, link: str, play: dict, base: str, tmp_path: Path) -> None:
    # The visitor's phone: the claim host (HTTPS in the QR) is routed to our local server.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)

    def to_local_server(route) -> None:
        target = re.sub(r"^https://claim\.example\.hk", base, route.request.url, flags=re.I)
        route.fulfill(response=route.fetch(url=target))

    phone.route(re.compile(r"^https://claim\.example\.hk/", re.I), to_local_server)
    page = phone.new_page()
    response = page.goto(link)
    assert response.status == 200
    lang = play["language"]
    ready, prize = {
        "en": ("Ready to collect", {"gold": "Gold prize", "thanks": "Thank-you gift"}),
        "zh-HK": ("可以領取", {"gold": "金獎", "thanks": "紀念品"}),
    }[lang]
    assert page.locator("h1.prize").inner_text() == prize[play["prize_tier"]]
    assert ready in page.locator(".status").inner_text()
    assert play["prize_ref"] in page.locator(".refs").inner_text()
    # The page's own QR (server-side SVG) carries the same link, for the desk's scanner.
    shot = tmp_path / "phone.png"
    page.locator(".qr").screenshot(path=str(shot))
    assert decode(shot) == link

    # The prize desk: a laptop with a USB scanner that types the URL and presses Enter.
    desk = browser.new_context().new_page()
    desk.goto(f"{base}/desk")
    desk.fill("#pin", PIN)
    desk.click("button[type=submit]")
    desk.wait_for_selector("#code:focus")  # logged in, and the input is focused for the scanner
    desk.keyboard.type(link)
    desk.keyboard.press("Enter")
    desk.wait_for_selector(".verdict")
    assert desk.locator(".headline").inner_text() == "READY"
    desk.click("button.handover")
    desk.wait_for_selector(".verdict-handed_over")
    assert desk.locator(".headline").inner_text() == "HANDED OVER"
    desk.keyboard.type(link)  # the same phone again
    desk.keyboard.press("Enter")
    desk.wait_for_selector(".verdict-collected")
    assert desk.locator(".headline").inner_text() == "Already collected"
    assert "Main desk" in desk.locator(".detail").inner_text()
    assert desk.locator("button.handover").count() == 0

    page.reload()
    collected = {"en": "Already collected", "zh-HK": "已經領取"}[lang]
    assert collected in page.locator(".status").inner_text()
