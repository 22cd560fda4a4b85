"""`python launch.py` as an operator runs it: autoplay journeys, screenshots, clear errors."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pygame
import zxingcpp

from kiosk import ROOT
from kiosk.booth.scenes import JOURNEY


def launch(*args: str, env: dict | None = None, cwd: Path | None = None):
    return subprocess.run(
        [sys.executable, str(ROOT / "launch.py"), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=cwd or ROOT,
    )


def test_autoplay_runs_complete_journeys_and_logs_each_play(tmp_path: Path) -> None:
    db = tmp_path / "scores.db"
    shots = tmp_path / "shots"
    proc = launch(
        "--headless",
        "--autoplay",
        "3",
        "--fast",
        "--seed",
        "7",
        "--db",
        str(db),
        "--screenshots",
        str(shots),
        "--mute",
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary = proc.stdout.strip().splitlines()[-1]
    assert summary.startswith("autoplay: 3 journeys") and "3 completed" in summary

    rows = (
        sqlite3.connect(db)
        .execute("select id, outcome, score, language, game, started_at, ended_at from plays")
        .fetchall()
    )
    assert len(rows) == 3
    assert len({r[0] for r in rows}) == 3
    assert all(r[1] == "completed" and 0 <= r[2] <= 100 for r in rows)
    assert {r[3] for r in rows} <= {"en", "zh-HK"}
    mode = sqlite3.connect(db).execute("pragma journal_mode").fetchone()[0]
    assert mode == "wal"

    names = [p.stem.split("-", 1)[1] for p in sorted(shots.glob("*.png"))]
    assert names[: len(JOURNEY)] == list(JOURNEY)
    assert names.count("thanks") == 3


def test_the_claim_screen_qr_decodes_to_the_claim_link(tmp_path: Path) -> None:
    db = tmp_path / "scores.db"
    shots = tmp_path / "shots"
    proc = launch(
        "--headless",
        "--autoplay",
        "1",
        "--fast",
        "--seed",
        "3",
        "--db",
        str(db),
        "--screenshots",
        str(shots),
        "--mute",
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    (claim_png,) = shots.glob("*-claim.png")
    pixels = pygame.surfarray.array3d(pygame.image.load(str(claim_png))).transpose(1, 0, 2)
    (barcode,) = zxingcpp.read_barcodes(np.ascontiguousarray(pixels))
    (code,) = sqlite3.connect(db).execute("select prize_code from plays").fetchone()
    assert barcode.format == zxingcpp.BarcodeFormat.QRCode
    assert barcode.text == "HTTPS://CLAIM.EXAMPLE.HK/C/" + code  # default claim_url + signed code


def test_without_a_display_the_message_names_headless(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")
    }
    proc = launch("--db", str(tmp_path / "s.db"), env=env)
    assert proc.returncode == 2
    ours = [line for line in proc.stderr.splitlines() if line.startswith("smartizen kiosk:")]
    assert len(ours) == 1 and "--headless" in ours[0]
    assert "Traceback" not in proc.stderr


def test_a_broken_config_is_one_clear_line(tmp_path: Path) -> None:
    bad = tmp_path / "kiosk.toml"
    bad.write_text("kiosk_id = = 1\n")
    proc = launch("--headless", "--config", str(bad))
    assert proc.returncode == 2
    assert "not valid TOML" in proc.stderr and "Traceback" not in proc.stderr
