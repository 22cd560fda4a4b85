"""Crash safety: SIGKILL the autoplaying kiosk at random moments, again and again.

Each round starts `launch.py --headless --fast --autoplay` on the same database, kills it
with SIGKILL after a random delay, and collects the "committed play <id> <outcome>" lines it
logged before dying. Afterwards: `PRAGMA integrity_check` must be ok, every reported play
must be in the database exactly once with its outcome, prize serials and codes must never
repeat, and no tier's daily stock (``--stock`` each, small so that it runs out) is exceeded,
neither in the database nor in the prize state file beside it. Prints the counts; exits 1
on any violation.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _common import ROOT, emit

from kiosk.prizes import claimcode

COMMITTED = re.compile(r"committed play ([0-9a-f]{32}) (\w+)")


def one_round(db: Path, seed: int, kill_after: float) -> list[tuple[str, str]]:
    proc = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "launch.py"),
            "--headless",
            "--fast",
            "--mute",
            "--autoplay",
            "100000",
            "--seed",
            str(seed),
            "--db",
            str(db),
        ],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        cwd=db.parent,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True)
    reader.start()
    time.sleep(kill_after)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    reader.join(timeout=5)
    return [m.groups() for line in lines if (m := COMMITTED.search(line))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--stock", type=int, default=4, help="daily stock of each prize tier")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    db = Path(tempfile.mkdtemp()) / "scores.db"
    (db.parent / "kiosk.toml").write_text(
        "".join(
            f'[[prizes.tiers]]\nid = "{tier}"\nmin_score = {low}\ndaily_stock = {args.stock}\n'
            for tier, low in (("gold", 85), ("silver", 60), ("thanks", 0))
        ),
        encoding="utf-8",
    )
    reported: list[tuple[str, str]] = []
    t0 = time.perf_counter()
    for k in range(args.kills):
        reported += one_round(db, seed=args.seed * 1000 + k, kill_after=rng.uniform(0.5, 4.0))
    elapsed = time.perf_counter() - t0

    conn = sqlite3.connect(db)
    integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    rows = dict(conn.execute("SELECT id, outcome FROM plays").fetchall())
    total = conn.execute("SELECT count(*) FROM plays").fetchone()[0]
    missing = [pid for pid, _ in reported if pid not in rows]
    changed = [pid for pid, outcome in reported if rows.get(pid) not in (None, outcome)]
    serials = conn.execute(
        "SELECT count(*) - count(DISTINCT kiosk_id || '/' || prize_serial) FROM plays "
        "WHERE prize_serial IS NOT NULL"
    ).fetchone()[0]
    codes = conn.execute(
        "SELECT count(*) - count(DISTINCT prize_code) FROM plays WHERE prize_code IS NOT NULL"
    ).fetchone()[0]
    given: dict[tuple[str, str], int] = {}
    for tier, code in conn.execute(
        "SELECT prize_tier, prize_code FROM plays WHERE prize_code NOT NULL"
    ):
        key = (claimcode.parse(code).claim.issued.isoformat(), tier)
        given[key] = given.get(key, 0) + 1
    state_file = db.with_name(db.name + ".state.json")
    state = json.loads(state_file.read_text()) if state_file.exists() else {"issued": {}}
    in_state = [n for tiers in state["issued"].values() for n in tiers.values()]
    over_stock = sum(1 for n in [*given.values(), *in_state] if n > args.stock)
    ok = (
        integrity == "ok"
        and not missing
        and not changed
        and serials == 0
        and codes == 0
        and over_stock == 0
    )
    data = {
        "kills": args.kills,
        "seconds": round(elapsed, 1),
        "integrity": integrity,
        "reported_committed": len(reported),
        "rows": total,
        "reported_missing": len(missing),
        "reported_changed": len(changed),
        "duplicate_serials": serials,
        "duplicate_codes": codes,
        "prizes": sum(given.values()),
        "stock_per_tier_day": args.stock,
        "most_given_tier_day": max(given.values(), default=0),
        "over_stock": over_stock,
        "ok": ok,
    }
    emit(data, [(k, v) for k, v in data.items()], ("measure", "value"), args.json)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
