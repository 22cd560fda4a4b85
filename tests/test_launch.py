"""`python launch.py` as an operator runs it: autoplay journeys, screenshots, clear errors.

The autoplay checks read the session's one shared boot (``booth_run``, tests/bootkit.py).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from kiosk.booth.scenes import JOURNEY
from tests.bootkit import CLAIM_URL, JOURNEYS, BoothRun, decode_qr, launch


def test_autoplay_runs_complete_journeys_and_logs_each_play(booth_run: BoothRun) -> None:
    proc = booth_run.proc
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary = proc.stdout.strip().splitlines()[-1]
    assert summary.startswith(f"autoplay: {JOURNEYS} journeys")
    assert f"{JOURNEYS} completed" in summary

    rows = (
        sqlite3.connect(booth_run.db)
        .execute("select id, outcome, score, language, game, started_at, ended_at from plays")
        .fetchall()
    )
    assert len(rows) == JOURNEYS
    assert len({r[0] for r in rows}) == JOURNEYS
    assert all(r[1] == "completed" and 0 <= r[2] <= 100 for r in rows)
    assert {r[3] for r in rows} <= {"en", "zh-HK"}
    mode = sqlite3.connect(booth_run.db).execute("pragma journal_mode").fetchone()[0]
    assert mode == "wal"

    names = booth_run.shot_names()
    assert names[: len(JOURNEY)] == list(JOURNEY)
    assert names.count("thanks") == JOURNEYS


def test_each_claim_screen_qr_decodes_to_its_plays_claim_link(booth_run: BoothRun) -> None:
    assert booth_run.proc.returncode == 0, booth_run.proc.stderr[-3000:]
    assert "DEVELOPMENT" not in booth_run.proc.stderr  # the installed event key was used
    links = [decode_qr(png) for png in booth_run.claim_shots()]
    codes = [play["prize_code"] for play in booth_run.plays()]
    assert links == [CLAIM_URL + code for code in codes]  # claim_url + signed code, in order
    assert len(set(codes)) == JOURNEYS


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
