"""Prize desks on one truth: hand-overs on the SQLite file and on the central PostgreSQL.

A throwaway PostgreSQL cluster (kiosk/fleet/pgcluster.py) is started in a temp folder.

1. One desk, one thread: p50/p99 of a hand-over (``ClaimStore.redeem``) on each store.
2. Several desk processes, each with its own connection pool and a few threads, all trying
   to hand over every one of the same codes at once (every code raced by every process):
   attempts per second, p99 of an attempt, and the check that each code was handed over
   exactly once and every other attempt was told "already collected".

Numbers only, no budgets (the issue sets none for desks). ``--json``: one JSON object.
"""

from __future__ import annotations

import argparse
import multiprocessing
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from _common import emit, percentile

from kiosk.claims.pgstore import PgClaimStore
from kiosk.claims.redemptions import RedemptionStore
from kiosk.claims.store import ClaimStore
from kiosk.fleet.migrate import migrate
from kiosk.fleet.pgcluster import Cluster

AT = datetime(2026, 7, 18, 6, 0, tzinfo=UTC)


def hand_over(store: ClaimStore, code: str, desk: str) -> tuple[bool, float]:
    t0 = time.perf_counter()
    won, _ = store.redeem(
        code=code, ref=code[:8], tier="gold", kiosk="K07", event=2026, at=AT, desk=desk
    )
    return won, (time.perf_counter() - t0) * 1000


def sequential(store: ClaimStore, n: int, prefix: str) -> list[float]:
    return [hand_over(store, f"{prefix}-{i:06d}", "Desk 1")[1] for i in range(n)]


def desk_process(dsn: str, desk: str, codes: list[str], threads: int, out) -> None:
    """One desk process: its own pool, ``threads`` workers trying every code."""
    store = PgClaimStore(dsn, pool_size=threads + 2, apply_migrations=False)
    results: list[tuple[bool, float]] = []
    lock = threading.Lock()

    def work(part: list[str]) -> None:
        mine = [hand_over(store, code, desk) for code in part]
        with lock:
            results.extend(mine)

    workers = [threading.Thread(target=work, args=(codes[i::threads],)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    store.close()
    out.put(results)


def race(dsn: str, processes: int, threads: int, codes: int) -> dict[str, float]:
    shared = [f"RACE-{i:06d}" for i in range(codes)]
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    procs = [
        ctx.Process(target=desk_process, args=(dsn, f"Desk {p + 1}", shared, threads, out))
        for p in range(processes)
    ]
    t0 = time.perf_counter()
    for p in procs:
        p.start()
    results = [r for _ in procs for r in out.get()]
    elapsed = time.perf_counter() - t0
    for p in procs:
        p.join()
    wins = sum(1 for won, _ in results if won)
    times = [ms for _, ms in results]
    if wins != codes or len(results) != processes * codes:
        raise SystemExit(f"race broken: {wins} hand-overs of {codes} codes")
    return {
        "attempts": len(results),
        "handed_over": wins,
        "attempts_per_s": round(len(results) / elapsed, 1),
        "attempt_p50_ms": round(percentile(times, 0.5), 2),
        "attempt_p99_ms": round(percentile(times, 0.99), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="sequential hand-overs per store")
    parser.add_argument("--processes", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4, help="threads per desk process")
    parser.add_argument("--codes", type=int, default=300, help="codes raced by every process")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    data: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as folder, Cluster() as cluster:
        dsn = cluster.create_database("desks_bench")
        migrate(dsn)
        with RedemptionStore(Path(folder) / "claims.db") as sqlite:
            one = sequential(sqlite, args.n, "SQLITE")
        data["sqlite_p50_ms"] = round(percentile(one, 0.5), 2)
        data["sqlite_p99_ms"] = round(percentile(one, 0.99), 2)
        with PgClaimStore(dsn, apply_migrations=False) as pg:
            one = sequential(pg, args.n, "PG")
        data["postgres_p50_ms"] = round(percentile(one, 0.5), 2)
        data["postgres_p99_ms"] = round(percentile(one, 0.99), 2)
        data["race"] = race(dsn, args.processes, args.threads, args.codes)
        data["race"]["processes"] = args.processes
        data["race"]["threads"] = args.threads
    r = data["race"]
    table = [
        ("one desk, SQLite", f"{data['sqlite_p50_ms']} ms", f"{data['sqlite_p99_ms']} ms", ""),
        (
            "one desk, PostgreSQL",
            f"{data['postgres_p50_ms']} ms",
            f"{data['postgres_p99_ms']} ms",
            "",
        ),
        (
            f"{args.processes} desks racing every code",
            f"{r['attempt_p50_ms']} ms",
            f"{r['attempt_p99_ms']} ms",
            f"{r['attempts_per_s']} attempts/s, {r['handed_over']} of {r['attempts']} handed over",
        ),
    ]
    emit(data, table, ("hand-over", "p50", "p99", ""), args.json)


if __name__ == "__main__":
    main()
