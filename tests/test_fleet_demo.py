"""`make fleet-demo` (tools/fleet_demo.py): the real cluster, services and headless kiosks
start, run, and stop cleanly on --for, Ctrl-C (SIGINT) and SIGTERM, leaving no process and
no folder behind.

Parts of the fleet land on main separately (the booth's sync, the dashboard's accounts, the
claim server on PostgreSQL); the demo names a missing part in a ``note:`` line and runs the
rest. Where a part is there, these tests also check what it adds (marked below).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEMO = [sys.executable, str(ROOT / "tools" / "fleet_demo.py")]
ENV = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead but not yet reaped; the demo reaps its own children.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def processes_mentioning(*needles: str) -> list[str]:
    """Command lines of running processes that contain any of ``needles``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if any(n in cmdline for n in needles) and alive(int(entry.name)):
            found.append(f"{entry.name}: {cmdline}")
    return found


def check_left_nothing(output: str) -> None:
    folder = re.search(r"^fleet-demo: folder: (\S+)$", output, re.M).group(1)
    store = re.search(r"central store on port (\d+) in (\S+):", output)
    port, pg_folder = store.group(1), store.group(2)
    pids = [int(p) for p in re.findall(r"\(pid (\d+),", output)]
    assert pids, output
    assert not [p for p in pids if alive(p)], output
    assert not Path(folder).exists() and not Path(pg_folder).exists()
    assert processes_mentioning(folder, pg_folder, f"port={port}") == []
    assert "stopped the central store" in output
    # Kiosks first, the database last.
    order = [m.group(1) for m in re.finditer(r"^fleet-demo: stopped (\S+)", output, re.M)]
    assert order[0].startswith("kiosk-") and order[-1] == "the"


def test_demo_runs_for_a_while_and_stops_by_itself():
    done = subprocess.run(
        [*DEMO, "--for", "20", "--kiosks", "2"],
        capture_output=True,
        text=True,
        timeout=240,
        env=ENV,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "could not start" not in output and "stopped by itself" not in output, output
    assert "prize desk    http://127.0.0.1:" in output
    assert len(re.findall(r"started kiosk-K0\d", output)) == 2
    check_left_nothing(output)
    # Needs the dashboard's accounts (kiosk/fleet/dashboard, another part of issue 14).
    if "the dashboard (kiosk/fleet/dashboard) is not in this checkout" not in output:
        assert re.search(r"login\s+organiser / \S+", output), output
    # Needs the booth's sync (kiosk/sync, [fleet] in kiosk.toml): plays reach the centre.
    if "the booth's sync" not in output:
        counts = [int(n) for n in re.findall(r"central store: (\d+) plays", output)]
        assert counts and counts[-1] > 0, output


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_demo_stops_cleanly_on_ctrl_c_and_sigterm(stop):
    demo = subprocess.Popen(
        [*DEMO, "--kiosks", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=ENV,
    )
    lines = []
    try:
        for line in demo.stdout:
            lines.append(line)
            if "running; Ctrl-C stops everything" in line or "could not start" in line:
                break
        assert any("running;" in line for line in lines), "".join(lines)
        demo.send_signal(stop)
        rest, _ = demo.communicate(timeout=120)
    finally:
        if demo.poll() is None:
            demo.kill()
            demo.wait()
    output = "".join(lines) + rest
    assert demo.returncode == 0, output
    assert f"{stop.name} received: stopping" in output
    check_left_nothing(output)
