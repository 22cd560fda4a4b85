"""Peak memory of the kiosk over many autoplayed journeys (`--autoplay N --fast`).

Runs the real launcher in a child process and reads its peak resident set size from the
kernel (getrusage of children). Budget: ≤ 250 MB over 200 journeys.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, emit

BUDGET_MB = 250.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--journeys", type=int, default=200)
    args = parser.parse_args()
    db = Path(tempfile.mkdtemp()) / "memory.db"
    t0 = time.perf_counter()
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "launch.py"),
            "--headless",
            "--fast",
            "--mute",
            "--seed",
            "1",
            "--autoplay",
            str(args.journeys),
            "--db",
            str(db),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        print(proc.stderr[-2000:], file=sys.stderr)
        return 1
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
    summary = proc.stdout.strip().splitlines()[-1]
    data = {
        "journeys": args.journeys,
        "peak_rss_mb": round(peak_mb, 1),
        "wall_s": round(wall, 1),
        "budget_mb": BUDGET_MB,
        "within_budget": peak_mb <= BUDGET_MB,
        "summary": summary,
    }
    emit(
        data,
        [(f"{args.journeys} journeys --fast", data["peak_rss_mb"], BUDGET_MB, data["wall_s"])],
        ("run", "peak RSS MB", "budget MB", "wall s"),
        args.json,
    )
    if not args.json:
        print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
