"""`smartizen report` runs without importing sqlite_utils or numpy: it only reads, and the
two cost its new process 0.14 s of imports (kiosk/playlog/schema.py makes MIGRATIONS on
first use, kiosk/organiser/merge.py imports numpy and the store where a merge needs them).
Nor concurrent.futures, which only a merge's workers use (kiosk/background.py). A merge
still gets them where it needs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.tallykit import write_plays

ROOT = Path(__file__).resolve().parents[1]

RUN = """
import json, sys
from kiosk.cli import cli
try:
    cli.main(sys.argv[1:], standalone_mode=False)
finally:
    watched = ("sqlite_utils", "numpy", "concurrent.futures")
    print(json.dumps(sorted(m for m in watched if m in sys.modules)))
"""


def run(*args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", RUN, *args], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_report_imports_neither_sqlite_utils_nor_numpy(tmp_path):
    db = tmp_path / "scores.db"
    write_plays(db)
    out = tmp_path / "report.html"
    assert run("report", "--db", str(db), "--out", str(out)) == []
    assert "<svg" in out.read_text(encoding="utf-8")


def test_a_merge_still_imports_what_it_needs(tmp_path):
    db = tmp_path / "K01.db"
    write_plays(db)
    fleet = tmp_path / "fleet.db"
    imported = run("merge", str(db), "--into", str(fleet))
    assert imported == ["concurrent.futures", "numpy", "sqlite_utils"]
    assert fleet.exists()
