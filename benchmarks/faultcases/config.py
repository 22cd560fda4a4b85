"""Config typos (issue 11, item 9): each is refused at start in one line naming the key, the
value and what is allowed, never a traceback; the corrected file then serves visitors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from _common import ROOT
from faultkit import Booth, Row, audit

KIOSK_TYPOS = [
    'fps = "sixty"',
    '[idle]\nmenu_s = "thirty"',
    "[idle]\nmenu_s = 0",
    '[[prizes.tiers]]\nid = "gold"\nmin_score = 80\ndaily_stock = "three"',
    "[prizes]\ntiers = 5",
    'games = "recycle_right"',
    '[audio]\nmuted = "maybe"',
    'kiosk_id = "攤位七"',
    'kiosk_id = "K0000000000000000000000000000"',
    "[prizes]\nevent_id = 70000",
    '[staff]\npin_hash = "2468"',
    'kiosk_idd = "K07"',
]
CLAIMS_TYPOS = [
    "port = 70000",
    "threads = 0",
    "lockout_minutes = 0",
    "session_minutes = -1",
    'pin_hash = "1234"',
    "portt = 8080",
]


def _one_line(lines: list[str], prefix: str) -> bool:
    ours = [line for line in lines if line.startswith(prefix)]
    return len(ours) == 1 and not any("Traceback" in line for line in lines)


def kiosk_typos(folder: Path) -> Row:
    refused = []
    for i, typo in enumerate(KIOSK_TYPOS):
        booth = Booth(folder / f"typo{i}.db", config_text=typo + "\n", journeys=1).start()
        code = booth.wait(timeout=60)
        refused.append(code == 2 and _one_line(booth.log, "smartizen kiosk:"))
    db = folder / "scores.db"
    fixed = Booth(db, config_text='fps = 60\n[idle]\nmenu_s = 30\n', journeys=2).start()
    code = fixed.wait(timeout=180)
    return audit(
        f"kiosk.toml typos ({len(KIOSK_TYPOS)}), then fixed",
        db,
        [fixed],
        recovered=all(refused) and code == 0,
        note=f"{sum(refused)}/{len(refused)} refused in one line; fixed booth exit {code}",
    )


def claims_typos(folder: Path) -> Row:
    refused = []
    for i, typo in enumerate(CLAIMS_TYPOS):
        config = folder / f"claims{i}.toml"
        config.write_text(typo + "\n", encoding="utf-8")
        proc = subprocess.run(
            [sys.executable, "-m", "kiosk.cli", "serve-claims", "--config", str(config)],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=folder,
            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        )
        lines = proc.stderr.splitlines()
        refused.append(proc.returncode == 1 and _one_line(lines, "Error: ") and len(lines) == 1)
    return Row(
        fault=f"claims.toml typos ({len(CLAIMS_TYPOS)})",
        plays_reported=0,
        plays_in_db=0,
        lost=0,
        duplicated=0,
        without_code=0,
        longest_stall_ms=None,
        recovered=all(refused),
        note=f"{sum(refused)}/{len(refused)} refused in one line before listening",
    )


CASES = [kiosk_typos, claims_typos]
