"""The Makefile as a newcomer meets it: `make run` ends quietly on the staff panel's Quit."""

from __future__ import annotations

import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def run_with_exit(tmp_path: Path, status: int) -> subprocess.CompletedProcess[str]:
    """`make run` with a launch.py stand-in for the interpreter that exits with ``status``.

    Only the Makefile's own handling is under test here: the kiosk's exit status 3 on
    "Quit app" is tested with the staff panel (tests/test_staff.py).
    """
    python = tmp_path / "python"
    python.write_text(f"#!/bin/sh\nexit {status}\n")
    python.chmod(python.stat().st_mode | stat.S_IEXEC)
    stamp = tmp_path / "installed"
    stamp.touch()
    return subprocess.run(
        ["make", "-s", "--no-print-directory", "run", f"BIN={tmp_path}", f"BOOTH={stamp}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_quit_from_the_staff_panel_is_not_reported_as_an_error(tmp_path: Path) -> None:
    done = run_with_exit(tmp_path, 3)
    assert done.returncode == 0
    assert "Error" not in done.stderr
    assert "Kiosk closed from the staff panel." in done.stdout


@pytest.mark.parametrize("status", [1, 2])
def test_a_real_failure_still_fails_make(tmp_path: Path, status: int) -> None:
    done = run_with_exit(tmp_path, status)
    assert done.returncode != 0
    assert f"Error {status}" in done.stderr


def test_building_the_package_raises_no_deprecation_warning(tmp_path: Path) -> None:
    """setuptools warned at every install that `project.license` as a table is deprecated."""
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "deprecated" not in (done.stdout + done.stderr).lower()
