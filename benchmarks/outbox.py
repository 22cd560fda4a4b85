"""What the fleet outbox's triggers (kiosk/sync/outbox.py) cost the booth's play writes.

One kiosk file with ``--existing`` plays already in it; then ``--plays`` rounds are written
as the writer thread writes them (``start_play`` and ``finish_play``, each its own
``BEGIN IMMEDIATE`` transaction with ``synchronous=FULL``), once with the outbox's triggers
and once on a copy without them. The fsync dominates a write, so the difference should be
well under a millisecond. Also timed: the pusher's read of a 500-row batch and the
install on a file of ``--existing`` plays that predate the outbox (a booth's first start
after the upgrade). ``--json`` prints {"finish_ms": {"with": {...}, "without": {...}}, ...}.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from _common import emit, fill_plays, percentile

from kiosk.playlog.store import PlayStore
from kiosk.sync import outbox

T0 = datetime(2026, 7, 18, 2, 0, tzinfo=UTC)


def drop_triggers(path: Path) -> None:
    conn = sqlite3.connect(path)
    for table in outbox.present(conn):
        for name in outbox.trigger_names(table):
            conn.execute(f'DROP TRIGGER "{name}"')
    conn.commit()
    conn.close()


def time_writes(path: Path, plays: int) -> dict[str, list[float]]:
    starts, finishes = [], []
    with PlayStore(path, "K01") as store:
        for i in range(plays):
            at = T0 + timedelta(minutes=i)
            t = time.perf_counter()
            play = store.start_play("recycle_right", "en", "normal", at)
            starts.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            store.finish_play(play, "completed", at + timedelta(seconds=40), score=80)
            finishes.append((time.perf_counter() - t) * 1000)
    return {"start": starts, "finish": finishes}


def summary(values: list[float]) -> dict[str, float]:
    return {
        "p50": round(percentile(values, 0.5), 3),
        "p99": round(percentile(values, 0.99), 3),
        "max": round(max(values), 3),
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--existing", type=int, default=100_000)
    p.add_argument("--plays", type=int, default=200)
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base.db"
        fill_plays(base, args.existing, day=date(2026, 7, 17))  # the day before T0
        with_t, without_t = Path(tmp) / "with.db", Path(tmp) / "without.db"
        shutil.copy(base, with_t)
        shutil.copy(base, without_t)
        drop_triggers(without_t)
        # Interleaved halves, so a busy neighbour on the machine hurts both alike.
        half = max(1, args.plays // 2)
        runs = {"with": {"start": [], "finish": []}, "without": {"start": [], "finish": []}}
        for _ in range(2):
            for name, path in (("with", with_t), ("without", without_t)):
                for kind, values in time_writes(path, half).items():
                    runs[name][kind] += values
        conn = sqlite3.connect(with_t)
        t = time.perf_counter()
        conn.execute("BEGIN")
        batch = outbox.read_batch(conn, 0)
        conn.execute("COMMIT")
        batch_ms = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        backlog = outbox.backlog(conn)
        backlog_ms = (time.perf_counter() - t) * 1000
        conn.close()
        # The first start after the upgrade: a file whose rows have no versions yet.
        legacy = Path(tmp) / "legacy.db"
        shutil.copy(base, legacy)
        conn = sqlite3.connect(legacy, isolation_level=None)
        drop_triggers(legacy)
        conn.execute("UPDATE plays SET version = NULL")
        t = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        outbox.install(conn)
        conn.execute("COMMIT")
        install_s = time.perf_counter() - t
        conn.close()
    data = {
        "existing_plays": args.existing,
        "plays": 2 * half,
        "start_ms": {k: summary(v["start"]) for k, v in runs.items()},
        "finish_ms": {k: summary(v["finish"]) for k, v in runs.items()},
        "read_batch_ms": round(batch_ms, 2),
        "batch_rows": batch.count if batch else 0,
        "backlog_count_ms": round(backlog_ms, 2),
        "backlog": backlog,
        "install_on_legacy_s": round(install_s, 2),
    }
    table = [
        (f"{kind} {name}", s["p50"], s["p99"], s["max"])
        for kind in ("start_ms", "finish_ms")
        for name, s in data[kind].items()
    ]
    table += [
        (f"read a {data['batch_rows']}-row batch", data["read_batch_ms"], "", ""),
        (f"count a backlog of {backlog}", data["backlog_count_ms"], "", ""),
        (f"install on {args.existing} old plays (s)", data["install_on_legacy_s"], "", ""),
    ]
    emit(data, table, ("write (ms)", "p50", "p99", "max"), args.json)


if __name__ == "__main__":
    main()
