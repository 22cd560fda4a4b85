"""The prize desk's faults: PIN guessing behind the TLS proxy, a captured staff cookie, and a
stranger taking a visitor's prize QR off the kiosk screen.

Each case lets a headless booth hand out real prize codes (its own event key and
kiosk.toml), then runs the claim server as deployed (``python -m kiosk.cli serve-claims``,
trusted proxy 127.0.0.1: this process plays the proxy and names clients in
X-Forwarded-For) and talks to it over HTTP. "Recovered" means the honest desk handed over
every prize the booth issued and the attacker got none.
"""

from __future__ import annotations

import http.client
import random
import re
import socket
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

from faultkit import Booth, Row, audit

from kiosk.pin import hash_pin
from kiosk.prizes import eventkey

PIN = "48151623"
CLAIM_URL = "HTTPS://CLAIM.EXAMPLE.HK/C/"


def issue_codes(folder: Path, journeys: int = 3) -> tuple[Path, Booth, list[str]]:
    """A booth plays ``journeys`` visits with its own event key; the codes it issued."""
    key = eventkey.generate(folder / "keys" / "event.key")
    db = folder / "scores.db"
    booth = Booth(
        db,
        journeys=journeys,
        config_text=(
            f'kiosk_id = "K07"\nclaim_url = "{CLAIM_URL}"\n'
            f'[prizes]\nkey_file = "{key.path}"\n'
            '[[prizes.tiers]]\nid = "gold"\nmin_score = 85\ndaily_stock = 50\n'
            '[[prizes.tiers]]\nid = "thanks"\nmin_score = 0\ndaily_stock = 50\n'
        ),
    ).start()
    booth.wait(timeout=240)
    conn = sqlite3.connect(db)
    codes = [c for (c,) in conn.execute("SELECT prize_code FROM plays WHERE prize_code NOT NULL")]
    conn.close()
    return db, booth, codes


class ClaimServer:
    """``smartizen serve-claims`` in a subprocess, behind "this process" as its proxy."""

    def __init__(self, folder: Path, name: str = "claims") -> None:
        self.folder = folder
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.config = folder / f"{name}.toml"
        self.config.write_text(
            f'public_key = "{folder / "keys" / "event.pub"}"\n'
            f'database = "{folder / "claims.db"}"\n'
            f'pin_hash = "{hash_pin(PIN)}"\nport = {self.port}\n'
            'trusted_proxies = ["127.0.0.1"]\nmax_pin_failures = 5\nlockout_minutes = 10\n'
        )
        self.proc: subprocess.Popen[str] | None = None

    def start(self) -> ClaimServer:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kiosk.cli", "serve-claims", "--config", str(self.config)],
            cwd=self.folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if Client(self, "monitor").get("/healthz")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("claim server did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


class Client:
    """One browser's worth of cookies, arriving through the proxy as address ``who``."""

    def __init__(self, server: ClaimServer, who: str) -> None:
        self.server = server
        self.who = who
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def _send(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        headers = {"X-Forwarded-For": self.who}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body, headers)
        response = conn.getresponse()
        text = response.read().decode()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";")[0]
        conn.close()
        found = re.search(r'name="csrf" value="([^"]+)"', text)
        if found:
            self.csrf = found.group(1)
        return response.status, text

    def get(self, path: str) -> tuple[int, str]:
        return self._send("GET", path)

    def post(self, path: str, **form: str) -> tuple[int, str]:
        return self._send("POST", path, {**form, "csrf": self.csrf})

    def log_in(self, pin: str = PIN, desk: str = "Main desk") -> int:
        """The login's HTTP status (303: in); then the desk page, for its form token."""
        self.get("/desk")
        status = self.post("/desk/login", pin=pin, desk=desk)[0]
        self.get("/desk")
        return status

    def hand_over(self, code: str) -> str:
        status, html = self.post("/desk/redeem", code=code)
        found = re.search(r'<p class="headline">([^<]+)</p>', html)
        return found.group(1) if status == 200 and found else f"HTTP {status}"


def desk_lockout_via_proxy(folder: Path) -> Row:
    """Twenty wrong PINs from one phone behind the proxy; the real desk must still log in,
    on either of two server processes, and after a restart the guesser is still slowed."""
    db, booth, codes = issue_codes(folder)
    servers = [ClaimServer(folder, "claims-a").start(), ClaimServer(folder, "claims-b").start()]
    try:
        guesser = [Client(servers[i % 2], "203.0.113.66") for i in range(2)]
        answers = [guesser[i % 2].log_in(pin=f"{i:08d}") for i in range(20)]
        slowed = answers.count(429)
        desk = Client(servers[1], "198.51.100.7")
        began = time.monotonic()
        desk_status = desk.log_in()
        login_ms = (time.monotonic() - began) * 1000
        handed = [desk.hand_over(code) for code in codes]
        servers[0].stop()
        servers[0] = ClaimServer(folder, "claims-a").start()  # a restart forgets nothing
        after_restart = Client(servers[0], "203.0.113.66").log_in(pin="99999999")
    finally:
        for server in servers:
            server.stop()
    recovered = (
        desk_status == 303
        and handed == ["HANDED OVER"] * len(codes)
        and slowed >= 15
        and after_restart == 429
    )
    return audit(
        "desk: 20 wrong PINs behind the proxy",
        db,
        [booth],
        recovered=recovered,
        note=f"guesser slowed {slowed}/20 (also after restart: {after_restart == 429}); "
        f"desk logged in in {login_ms:.0f} ms, handed over {handed.count('HANDED OVER')}"
        f"/{len(codes)}",
    )


def revoked_cookie(folder: Path) -> Row:
    """Staff log out; a copy of their cookie taken before must redeem nothing."""
    db, booth, codes = issue_codes(folder)
    server = ClaimServer(folder).start()
    try:
        desk = Client(server, "198.51.100.7")
        desk.log_in()
        thief = Client(server, "203.0.113.66")
        thief.cookies, thief.csrf = dict(desk.cookies), desk.csrf
        desk.post("/desk/logout")
        stolen = [thief.hand_over(code) for code in codes]
        desk.log_in()
        handed = [desk.hand_over(code) for code in codes]
    finally:
        server.stop()
    recovered = "HANDED OVER" not in stolen and handed == ["HANDED OVER"] * len(codes)
    return audit(
        "desk: captured cookie after logout",
        db,
        [booth],
        recovered=recovered,
        note=f"thief's hand-overs {stolen.count('HANDED OVER')}/{len(codes)} "
        f"({stolen[0] if stolen else '-'}); desk afterwards {handed.count('HANDED OVER')}"
        f"/{len(codes)}",
    )


def qr_theft(folder: Path) -> Row:
    """A visitor reaches the prize QR and walks off; a stranger touches the screen from the
    39th second on, corner hold included. No frame after the countdown may carry the code,
    and a stranger who scanned it in time shows up at the desk as a second phone."""
    db, booth, codes = issue_codes(folder, journeys=2)
    frames_with_code, seconds = _screen_after_countdown(folder)
    server = ClaimServer(folder).start()
    try:
        code = codes[0]
        Client(server, "203.0.113.10").get(f"/C/{code}")  # the visitor's phone
        Client(server, "203.0.113.11").get(f"/C/{code}")  # the stranger's
        desk = Client(server, "198.51.100.7")
        desk.log_in()
        _, verdict = desk.post("/desk/check", code=code)
        warned = "Opened on 2 different phones" in verdict
        handed = desk.hand_over(code)
    finally:
        server.stop()
    return audit(
        "prize QR after its countdown",
        db,
        [booth],
        recovered=frames_with_code == 0 and warned and handed == "HANDED OVER",
        note=f"{frames_with_code} of {seconds * 2} frames over {seconds} s after the countdown "
        f"decode to the code; desk warned of 2 phones: {warned}",
    )


def _screen_after_countdown(folder: Path, seconds: int = 30) -> tuple[int, int]:
    """An in-process kiosk on the simulated clock: frames after the QR's countdown that
    zxing-cpp reads the claim link from."""
    import numpy as np
    import pygame
    import zxingcpp

    from games.registry import discover
    from kiosk.booth.app import Kiosk
    from kiosk.clock import SimClock
    from kiosk.config import Config
    from kiosk.i18n import Strings
    from kiosk.input import PointerEvent
    from kiosk.playlog.resilient import ResilientStore
    from kiosk.speech import Speech

    pygame.init()
    config = Config()
    config.prizes.key_file = str(folder / "keys" / "event.key")
    clock = SimClock()
    epoch = datetime(2026, 7, 18, 2, 0, tzinfo=UTC)
    store = ResilientStore(folder / "screen.db", "K07", now=lambda: epoch)
    speech = Speech(folder / "speech", muted=True)
    app = Kiosk(
        config=config,
        strings=Strings(),
        store=store,
        speech=speech,
        games=list(discover().values()),
        clock=clock,
        wall=lambda: epoch,
        seed=3,
    )
    rng = random.Random(5)

    def run(s: float) -> None:
        for _ in range(round(s / 0.05)):
            clock.advance(0.05)
            app.frame(0.05, draw=False)

    def tap(x: float, y: float, hold: float = 0.1) -> None:
        app.pointer(PointerEvent("down", x, y, 1))
        run(hold)
        app.pointer(PointerEvent("up", x, y, 1))

    def codes_on_screen() -> list[str]:
        app.draw()
        pixels = pygame.surfarray.array3d(app.canvas).transpose(1, 0, 2)
        return [b.text for b in zxingcpp.read_barcodes(np.ascontiguousarray(pixels))]

    try:
        run(1)
        tap(960, 540)
        for _ in ("language", "menu"):
            run(0.5)
            tap(*app.scene.buttons[0].rect.center)
        run(0.5)
        tap(*app.scene.start.rect.center)
        # Start keeps the how-to up until the round built ahead (in real time) is ready.
        app.pregame.wait()
        while app.scene.name == "howto":
            run(0.05)
        bot = app.visit.game.bot(app.scene.game, random.Random(4), 0.9)
        while app.scene.name == "play":
            for ev in bot.step(0.05):
                app.pointer(ev)
            run(0.05)
        run(0.5)
        tap(*app.scene.buttons[0].rect.center)  # collect my prize
        app.store.writer.drain(30)  # the code is shown once the writer thread saved it
        run(0.05)
        link = app.scene.award.url
        assert link in codes_on_screen(), "the QR must read while its countdown runs"
        run(39 - app.scene.t)
        tap(960, 540)  # a stranger at 39 s
        tap(40, 40, hold=3.2)  # and the staff corner: the PIN pad
        while app.scene.name == "claim":  # the countdown runs on under the PIN pad
            run(0.05)
        found = 0
        for _ in range(seconds * 2):
            tap(rng.uniform(0, 1920), rng.uniform(0, 1080))
            run(0.4)
            found += link in codes_on_screen()
        return found, seconds
    finally:
        speech.shutdown()
        app.store.close()  # the kiosk's writer thread, then the store


CASES = [desk_lockout_via_proxy, revoked_cookie, qr_theft]
