"""`systemctl stop` (SIGTERM) and Ctrl+C (SIGINT) stop a running kiosk cleanly, fullscreen too.

Real ``launch.py`` processes: each is signalled while a play is in progress (seen in its
SQLite file), and must exit by itself with that play logged ``abandoned``. The fullscreen
case runs on a real X server (Xvfb), where SDL's own handlers used to turn the signal into a
QUIT event that kiosk mode drops. Escape and window-close stay ignored (tests/test_journey.py).
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from kiosk import ROOT
from kiosk.booth.app import run
from kiosk.booth.stopsignals import StopSignals
from kiosk.input import PointerTranslator
from kiosk.ui.scaling import Letterbox

EXIT_TIMEOUT_S = 20  # only a kiosk ignoring the signal takes this long (the budget is 2 s:
# benchmarks/faults.py measures it); a generous bound keeps a loaded CI machine green
PLAY_TIMEOUT_S = 120


def in_progress(db: Path) -> list[str]:
    if not db.exists():
        return []
    conn = sqlite3.connect(db, timeout=5)
    try:
        return [r[0] for r in conn.execute("SELECT id FROM plays WHERE outcome = 'in_progress'")]
    except sqlite3.OperationalError:  # the schema is not there yet
        return []
    finally:
        conn.close()


def outcome(db: Path, play_id: str) -> tuple[str, str, str]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT outcome, started_at, ended_at FROM plays WHERE id = ?", [play_id]
        ).fetchone()
    finally:
        conn.close()


def signal_mid_play(args: list[str], folder: Path, sig: int, env: dict[str, str]) -> tuple:
    """Start the kiosk, wait for a play in progress, send ``sig``; returns (exit code,
    the play's row, stderr). With ``--fast`` a round can end between seeing it in progress
    and the signal landing (a few milliseconds of a ~2 s round): then try again, in a new
    folder, at most twice more."""
    for attempt in range(3):
        code, row, err = _signal_mid_play(args, folder / f"run{attempt}", sig, env)
        if row[0] != "completed":
            break
    return code, row, err


def _signal_mid_play(args: list[str], folder: Path, sig: int, env: dict[str, str]) -> tuple:
    folder.mkdir()
    db = folder / "scores.db"
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "launch.py"), *args, "--db", str(db), "--mute"],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + PLAY_TIMEOUT_S
        while not (playing := in_progress(db)):
            assert proc.poll() is None, proc.communicate()[1][-3000:]
            assert time.monotonic() < deadline, "no play started"
            time.sleep(0.02)
        proc.send_signal(sig)
        try:
            _, err = proc.communicate(timeout=EXIT_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            pytest.fail(f"{signal.Signals(sig).name} ignored: the kiosk kept running")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    return proc.returncode, outcome(db, playing[0]), err


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_headless_kiosk_stops_on_the_signal_and_logs_the_play_abandoned(tmp_path, sig) -> None:
    args = ["--headless", "--fast", "--autoplay", "1000", "--seed", "5"]
    code, (result, started, ended), err = signal_mid_play(args, tmp_path, sig, dict(os.environ))
    assert code == 0, err[-3000:]
    assert result == "abandoned" and ended >= started
    name = signal.Signals(sig).name
    assert f"{name} received: stopping" in err
    assert f"after {name}: play log closed, speech stopped" in err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err


@pytest.fixture
def xserver(tmp_path: Path) -> Iterator[str]:
    """A real X server (Xvfb) on a free display number; yields its DISPLAY."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        pytest.skip("needs Xvfb for a real fullscreen window")
    read, write = os.pipe()
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write), "-screen", "0", "1280x720x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    try:
        with os.fdopen(read) as f:
            number = f.readline().strip()
        assert number, "Xvfb did not report a display"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_fullscreen_kiosk_stops_on_sigterm(tmp_path, xserver) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SDL_")}
    env.update(DISPLAY=xserver, SDL_AUDIODRIVER="dummy")
    args = ["--fast", "--autoplay", "1000", "--seed", "3"]  # no --windowed: fullscreen
    code, (result, started, ended), err = signal_mid_play(args, tmp_path, signal.SIGTERM, env)
    assert code == 0, err[-3000:]
    assert result == "abandoned" and ended >= started
    assert "SIGTERM received: stopping" in err


def test_the_loop_stops_on_a_stop_request_in_kiosk_mode(make_kiosk) -> None:
    """In process: QUIT and Escape are dropped in kiosk mode, a stop request is not."""
    app = make_kiosk()
    stop = StopSignals()

    class Display:
        frames = 0

        def present(self, changed=None, started=None) -> None:
            self.frames += 1
            if self.frames == 5:
                stop.received = "SIGTERM"

    pygame.event.clear()
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_ESCAPE, mod=0))
    display = Display()
    run(app, display, PointerTranslator(Letterbox((1920, 1080))), kiosk_mode=True, stop=stop)
    assert display.frames == 5 and not app.running
