"""End to end: a bot plays at the kiosk, a phone opens the QR's link, staff hand the prize over.

The kiosk runs as an operator would (``launch.py --autoplay`` in a subprocess, with its own
kiosk.toml and a fresh event key: the session's shared boot, tests/bootkit.py); zxing-cpp
reads the QR from the claim screen's screenshot; the claim server runs on 127.0.0.1 at a
free port; headless Chromium (Debian's, driven by Playwright) opens the decoded HTTPS link
with the claim host routed to that server, and then works the prize desk page like a member
of staff with a USB scanner.
"""

from __future__ import annotations

import re
from contextlib import closing
from pathlib import Path

from kiosk.claims.desk import ClaimDesk
from kiosk.claims.redemptions import RedemptionStore
from kiosk.claims.settings import ClaimsSettings
from kiosk.claims.web import create_app
from kiosk.pin import hash_pin
from kiosk.prizes import eventkey
from tests.bootkit import CLAIM_URL, KIOSK_ID, BoothRun, decode_qr
from tests.serverkit import local_server

PIN = "2580"


def test_play_scan_open_log_in_hand_over_and_refuse_a_second_time(
    booth_run: BoothRun, chromium, tmp_path: Path
) -> None:
    assert booth_run.proc.returncode == 0, booth_run.proc.stderr[-3000:]
    assert "DEVELOPMENT" not in booth_run.proc.stderr  # the installed event key was used
    play = booth_run.plays()[0]
    link = decode_qr(booth_run.claim_shots()[0])
    assert link == CLAIM_URL + play["prize_code"]
    assert play["prize_ref"] == f"{KIOSK_ID}-{play['prize_serial']:04d}"

    settings = ClaimsSettings(
        public_key=str(eventkey.public_path(booth_run.key)),  # only the public half
        database=str(tmp_path / "claims.db"),
        pin_hash=hash_pin(PIN, iterations=1000),
        desk_name="Main desk",
    )
    settings.validate()
    desk = ClaimDesk(
        settings, eventkey.load_public(settings.public_key), RedemptionStore(settings.database)
    )
    with closing(desk), local_server(create_app(desk), threads=4) as base:
        try:
            _visitor_and_staff(chromium, link, play, base, tmp_path)
        finally:
            for context in chromium.contexts:  # the phone and the desk; the browser stays
                context.close()


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
    assert decode_qr(shot) == link

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
