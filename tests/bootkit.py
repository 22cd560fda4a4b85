"""``python launch.py`` as an operator runs it, in a subprocess.

A whole boot costs seconds, so the tests that only read what one autoplaying boot leaves
behind (its exit, its play log, its screenshots, its systemd messages, its log file) share
one: :func:`boot_autoplay`, run once per session by the ``booth_run`` fixture in conftest.
It boots as a deployed booth would: its own kiosk.toml with a fresh event key and prize
tiers every score reaches, so each journey ends on the claim screen with a signed QR.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pygame
import zxingcpp
from click.testing import CliRunner

from kiosk import ROOT
from kiosk.cli import cli

CLAIM_URL = "HTTPS://CLAIM.EXAMPLE.HK/C/"  # the default claim_url, written out in kiosk.toml
KIOSK_ID = "K07"
JOURNEYS = 2  # more than one: the second visitor must start clean
BOOT_TIMEOUT_S = 300  # only a hang takes this long


def launch(*args: str, env: dict | None = None, cwd: Path | None = None):
    """``launch.py`` with ``args``, to its exit; stdout and stderr captured as text."""
    return subprocess.run(
        [sys.executable, str(ROOT / "launch.py"), *args],
        capture_output=True,
        text=True,
        timeout=BOOT_TIMEOUT_S,
        env=env,
        cwd=cwd or ROOT,
    )


def decode_qr(png: Path) -> str:
    """The one QR code in a PNG, read by zxing-cpp as a phone's camera would."""
    pixels = pygame.surfarray.array3d(pygame.image.load(str(png))).transpose(1, 0, 2)
    (barcode,) = zxingcpp.read_barcodes(np.ascontiguousarray(pixels))
    assert barcode.format == zxingcpp.BarcodeFormat.QRCode
    return barcode.text


@dataclass
class BoothRun:
    """What one autoplaying boot left behind."""

    folder: Path  # its working directory (logs/ lands here)
    config: Path
    key: Path  # the event's private key; the public half is next to it
    db: Path
    shots: Path
    proc: subprocess.CompletedProcess
    notify: list[str] = field(default_factory=list)  # what it told systemd, in order

    def plays(self) -> list[dict]:
        conn = sqlite3.connect(self.db)
        conn.row_factory = sqlite3.Row
        try:
            return [dict(r) for r in conn.execute("SELECT * FROM plays ORDER BY started_at")]
        finally:
            conn.close()

    def shot_names(self) -> list[str]:
        """The screens in the order they were saved (``0007-claim.png`` → ``claim``)."""
        return [p.stem.split("-", 1)[1] for p in sorted(self.shots.glob("*.png"))]

    def claim_shots(self) -> list[Path]:
        return sorted(self.shots.glob("*-claim.png"))


def _listen(sock: socket.socket, out: list[str]) -> None:
    """Like systemd: read until STOPPING=1 (or 60 s of silence)."""
    sock.settimeout(60)
    while not out or out[-1] != "STOPPING=1":
        try:
            out.append(sock.recv(256).decode())
        except (TimeoutError, OSError):
            break


def boot_autoplay(folder: Path, seed: int = 7) -> BoothRun:
    """Boot ``launch.py --headless --autoplay 2 --fast`` under a systemd-like notify socket
    (watchdog every 0.1 s), with its own kiosk.toml and event key, in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    key = folder / "keys" / "event.key"
    made = CliRunner().invoke(cli, ["keys", "new", "--out", str(key)])
    assert made.exit_code == 0, made.output
    config = folder / "kiosk.toml"
    config.write_text(
        f'kiosk_id = "{KIOSK_ID}"\nclaim_url = "{CLAIM_URL}"\n'
        f'[prizes]\nevent_id = 2026\nkey_file = "{key}"\n'
        '[prizes.desk]\nen = "Hall 2, table 5"\n'
        '[[prizes.tiers]]\nid = "gold"\nmin_score = 85\ndaily_stock = 5\n'
        '[[prizes.tiers]]\nid = "thanks"\nmin_score = 0\ndaily_stock = 5\n'
    )
    db, shots, notify = folder / "scores.db", folder / "shots", []
    notify_path = folder / "notify.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(notify_path))
    listener = threading.Thread(target=_listen, args=(sock, notify), daemon=True)
    listener.start()
    env = dict(os.environ, NOTIFY_SOCKET=str(notify_path), WATCHDOG_USEC="200000")
    env["PYTHONOPTIMIZE"] = "2"  # as deploy/smartizen-kiosk.service runs it
    try:
        proc = launch(
            "--headless", "--autoplay", str(JOURNEYS), "--fast", "--seed", str(seed), "--mute",
            "--db", str(db), "--screenshots", str(shots), "--config", str(config),
            env=env, cwd=folder,
        )  # fmt: skip
        listener.join(timeout=5)
    finally:
        sock.close()
    return BoothRun(folder, config, key, db, shots, proc, notify)
