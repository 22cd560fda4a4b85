"""Start-up time: `python launch.py --headless` until its first frame is presented.

Measured from process spawn to the "first frame presented" log line, so it includes the
interpreter, imports, font loading, the database and the first draw. Budget ≤ 2 s.

When Xvfb is installed it also times a fullscreen start on a real X server, which adds what
a booth's screen costs: the OpenGL probe that picks the presentation path
(kiosk/booth/glprobe.py, a child process) and opening the window.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, emit

BUDGET_S = 2.0


def once(db: Path, display: str | None = None) -> float:
    """Seconds to the first frame: headless, or fullscreen on X ``display``."""
    args = ["--mute", "--db", str(db)] + ([] if display else ["--headless"])
    env = dict(os.environ)
    if display:
        env.update(DISPLAY=display, SDL_VIDEODRIVER="x11", SDL_AUDIODRIVER="dummy")
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "launch.py"), *args],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
        env=env,
    )
    try:
        for line in proc.stderr:
            if "first frame presented" in line:
                return time.perf_counter() - t0
        raise RuntimeError(f"kiosk exited before its first frame (code {proc.wait()})")
    finally:
        proc.kill()
        proc.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    db = Path(tempfile.mkdtemp()) / "startup.db"
    once(db)  # warm the OS file cache and create the database, as a booth's second boot
    times = [once(db) for _ in range(args.runs)]
    data = {
        "runs": len(times),
        "median_s": round(statistics.median(times), 3),
        "max_s": round(max(times), 3),
        "budget_s": BUDGET_S,
        "within_budget": max(times) <= BUDGET_S,
    }
    rows = [("launch → first frame (headless)", data["median_s"], data["max_s"], BUDGET_S)]
    if shutil.which("Xvfb"):
        from xvfb import start_xvfb

        xvfb, display = start_xvfb((1920, 1080))
        try:
            x_times = [once(db, display) for _ in range(args.runs)]
        finally:
            xvfb.terminate()
            xvfb.wait()
        data["xvfb_median_s"] = round(statistics.median(x_times), 3)
        data["xvfb_max_s"] = round(max(x_times), 3)
        data["within_budget"] = data["within_budget"] and max(x_times) <= BUDGET_S
        rows.append(("… fullscreen on Xvfb", data["xvfb_median_s"], data["xvfb_max_s"], BUDGET_S))
    else:
        data["xvfb"] = "skipped: Xvfb is not installed (apt-get install -y xvfb)"
    emit(data, rows, ("measure", "median s", "max s", "budget s"), args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
