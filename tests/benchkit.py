"""Running a benchmark script at toy size from a test: clean ``--json`` on stdout or the
test fails (a program reads it: no pygame banner, no progress lines)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from kiosk import ROOT


def run_json(script: str, *args: str) -> dict:
    """``benchmarks/<script> --json *args``; its exit must be 0 and all of stdout JSON."""
    env = {k: v for k, v in os.environ.items() if k != "PYGAME_HIDE_SUPPORT_PROMPT"}
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), "--json", *args],
        capture_output=True,
        text=True,
        timeout=240,
        env=env,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)  # the whole of stdout, or this fails
