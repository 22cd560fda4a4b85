"""The `smartizen` command as organisers and staff start it."""

from __future__ import annotations

import subprocess
import sys

from kiosk import ROOT


def test_python_m_kiosk_cli_offers_every_command_group() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for command in (
        "stats",
        "export",
        "merge",
        "report",
        "reset",
        "backup",
        "keys",
        "claims",
        "serve-claims",
        "staff",
    ):
        assert f"\n  {command} " in out, command
