"""Faults a carnival day brings, each against a headless autoplaying booth (issue 11's proof).

Every case in ``benchmarks/faultcases/*.py`` (a module-level ``CASES`` list) runs in its own
temporary folder and returns one row: plays the booths reported as committed, plays in the
database, lost, duplicated (prize serials or codes), visitors left without a code, the
longest frame stall, and whether the booth recovered by itself. Budget: 0 lost, 0
duplicated, 0 without a code, every row recovered, longest stall <= 100 ms.

    python benchmarks/faults.py [--only NAME] [--json]

Exits 1 when a row misses the budget.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from _common import emit
from faultkit import STALL_BUDGET_MS, Row

CASES_DIR = Path(__file__).resolve().parent / "faultcases"


def discover() -> list[Callable[[Path], Row]]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.py")):
        if path.stem.startswith("_"):
            continue
        module = importlib.import_module(f"faultcases.{path.stem}")
        cases += list(getattr(module, "CASES", []))
    return cases


def run_case(case: Callable[[Path], Row]) -> tuple[Row, float]:
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="fault-") as folder:
        try:
            row = case(Path(folder))
        except Exception as exc:  # a case that breaks is a failed row, not a dead benchmark
            traceback.print_exc(file=sys.stderr)
            row = Row(case.__name__, 0, 0, 0, 0, 0, None, False, f"case failed: {exc!r}")
    return row, time.monotonic() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--only", help="run only the cases whose name contains this")
    args = parser.parse_args()
    cases = [c for c in discover() if not args.only or args.only in c.__name__]
    rows: list[Row] = []
    for case in cases:
        row, seconds = run_case(case)
        rows.append(row)
        print(f"{row.fault}: {'ok' if row.ok else 'FAILED'} in {seconds:.1f} s", file=sys.stderr)
    header = (
        "fault",
        "reported",
        "in db",
        "lost",
        "duplicated",
        "no code",
        "stall ms",
        "recovered",
        "note",
    )
    table = [
        (
            r.fault,
            r.plays_reported,
            r.plays_in_db,
            r.lost,
            r.duplicated,
            r.without_code,
            "-" if r.longest_stall_ms is None else f"{r.longest_stall_ms:.0f}",
            "yes" if r.recovered else "NO",
            r.note,
        )
        for r in rows
    ]
    data = {
        "stall_budget_ms": STALL_BUDGET_MS,
        "rows": [asdict(r) | {"ok": r.ok} for r in rows],
        "ok": all(r.ok for r in rows),
    }
    emit(data, table, header, args.json)
    return 0 if data["ok"] else 1


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
