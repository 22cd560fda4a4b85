"""PostgreSQL CPU per push with the dashboard's running-total triggers built per push
(migration 0007: ``EXECUTE format(…)``, parsed and planned on every call) and as static SQL
(0008: planned once per connection), beside the same pushes with those triggers off (the
floor; diagnosis only, the service always has them).

Starts its own throwaway PostgreSQL (kiosk/fleet/pgcluster.py) with three stores: one
migrated to 0007, one to the newest, one to the newest with the triggers on plays and visits
disabled. One connection per store writes the same pushes through the service's own upsert
(kiosk/fleet/ingest.py ``ingest``): ``--rounds`` new SimBooth rounds (a play and its visit
each) plus ``--updates`` plays and visits of the booth's previous push sent again with a
newer version, as a booth sends a row's later state. The stores take turns, ``--pushes`` at a
time, ``--repeat`` times, so a busy machine slows each alike. Measured per push: the
backend's CPU time (user + system, from /proc) and the push's wall time at the client. At the
end the two triggered stores' dashboard tables must be identical, row by row.

The session commits with ``synchronous_commit = off``: what is measured is CPU, not the
disk's flush (benchmarks/fleet.py measures pushes end to end).

``--json`` prints one JSON object and nothing else on stdout.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from typing import Any

from _common import emit, percentile
from fleet import cpu_seconds

from kiosk.fleet.ingest import check_batch, ingest
from kiosk.fleet.migrate import migrate
from kiosk.fleet.pgcluster import Cluster
from kiosk.fleet.simbooth import SimBooth

DYNAMIC_UPTO = 7  # the last migration whose triggers build their statements per call
STORES = ("dynamic_0007", "static_0008", "no_triggers")
DASH_TABLES = ("dash_plays", "dash_prizes", "dash_visits")


class Store:
    """One database, its connection, the backend's pid and the booths writing to it."""

    def __init__(self, cluster: Cluster, name: str, rounds: int, updates: int) -> None:
        import psycopg

        dsn = cluster.create_database(f"bench_{name}")
        migrate(dsn, upto=DYNAMIC_UPTO if name == "dynamic_0007" else None)
        self.conn = psycopg.connect(dsn, autocommit=True)
        self.conn.execute("SET synchronous_commit = off")
        if name == "no_triggers":
            for table in ("plays", "visits"):
                self.conn.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        self.pid = int(self.conn.execute("SELECT pg_backend_pid()").fetchone()[0])
        self.rounds, self.updates = rounds, updates
        self.cpu_ms: list[float] = []  # per push, one value per block of pushes
        self.wall_ms: list[float] = []

    def booth(self, kiosk_id: str) -> SimBooth:
        self.conn.execute(
            "INSERT INTO kiosks (kiosk_id) VALUES (%s) ON CONFLICT DO NOTHING", (kiosk_id,)
        )
        return SimBooth(kiosk_id)

    def pushes(self, booth: SimBooth, count: int) -> None:
        """``count`` pushes of ``booth``; their CPU and wall time recorded."""
        previous: dict[str, list[dict[str, Any]]] = {"plays": [], "visits": []}
        cpu_before = cpu_seconds(self.pid)
        for _ in range(count):
            rows = booth.batch(self.rounds)["rows"]
            for table in ("plays", "visits"):
                for row in previous[table][: self.updates]:
                    booth.version += 1
                    rows[table].append({**row, "version": booth.version})
            previous = {t: rows[t][: self.rounds] for t in ("plays", "visits")}
            t0 = time.perf_counter()
            ingest(self.conn, booth.kiosk_id, check_batch(booth.kiosk_id, rows))
            self.wall_ms.append((time.perf_counter() - t0) * 1000)
        self.cpu_ms.append((cpu_seconds(self.pid) - cpu_before) * 1000 / count)

    def dashboard(self) -> dict[str, list[tuple]]:
        return {
            t: self.conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2, 3").fetchall()
            for t in DASH_TABLES
        }


def run(args: argparse.Namespace) -> dict:
    with Cluster() as cluster:
        stores = {name: Store(cluster, name, args.rounds, args.updates) for name in STORES}
        try:
            for store in stores.values():  # each connection plans its statements once
                store.pushes(store.booth("warm-up"), 5)
                store.cpu_ms.clear()
                store.wall_ms.clear()
            for r in range(args.repeat):
                order = STORES if r % 2 == 0 else STORES[::-1]
                for name in order:
                    stores[name].pushes(stores[name].booth(f"booth-{r:03d}"), args.pushes)
            same = stores["dynamic_0007"].dashboard() == stores["static_0008"].dashboard()
            stored = {
                name: int(store.conn.execute("SELECT count(*) FROM plays").fetchone()[0])
                for name, store in stores.items()
            }
        finally:
            for store in stores.values():
                store.conn.close()
    result: dict[str, Any] = {
        "pushes_per_block": args.pushes,
        "blocks": args.repeat,
        "rounds_per_push": args.rounds,
        "updated_rows_per_push": 2 * args.updates,
        "dashboards_identical": same,
        "plays_stored": stored,
    }
    for name, store in stores.items():
        result[f"{name}_pg_cpu_ms_per_push"] = round(statistics.median(store.cpu_ms), 3)
        result[f"{name}_pg_cpu_ms_blocks"] = [round(x, 3) for x in store.cpu_ms]
        result[f"{name}_push_p50_ms"] = round(percentile(store.wall_ms, 0.5), 2)
        result[f"{name}_push_p99_ms"] = round(percentile(store.wall_ms, 0.99), 2)
    floor = result["no_triggers_pg_cpu_ms_per_push"]
    for name in ("dynamic_0007", "static_0008"):
        result[f"{name}_trigger_cpu_ms_per_push"] = round(
            result[f"{name}_pg_cpu_ms_per_push"] - floor, 3
        )
    result["load_avg_1min"] = round(os.getloadavg()[0], 2)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    parser.add_argument("--pushes", type=int, default=300, help="pushes per store per block")
    parser.add_argument("--repeat", type=int, default=4, help="blocks per store, taking turns")
    parser.add_argument("--rounds", type=int, default=20, help="new rounds per push")
    parser.add_argument(
        "--updates", type=int, default=5, help="plays and visits of the last push sent again"
    )
    args = parser.parse_args()
    result = run(args)
    rows = [
        (
            name,
            result[f"{name}_pg_cpu_ms_per_push"],
            result[f"{name}_push_p50_ms"],
            result[f"{name}_push_p99_ms"],
        )
        for name in STORES
    ]
    emit(result, rows, ("store", "PostgreSQL CPU ms/push", "push p50 ms", "push p99 ms"), args.json)
    return 0 if result["dashboards_identical"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
