"""How fast a booth's sync thread (kiosk/sync/pusher.py) empties a backlog into the real
fleet service (kiosk/fleet/service.py on waitress, a throwaway PostgreSQL cluster).

A kiosk file with ``--plays`` finished rounds (each round is one play row; with the staff
rows the backlog is a little larger) that the centre has never seen, as after a long
outage; then :meth:`Pusher.step` until the backlog is empty. The issue's budget: a 10,000-row
backlog caught up (sent, and confirmed on the centre's disk: ``acked`` stored) in ≤ 10 s.
Also timed: each round (read a batch, POST; or an empty push asking for the flush).
``--json`` prints {"rows": …, "catch_up_s": …, "rows_per_s": …, "push_ms": {...}}.
"""

from __future__ import annotations

import argparse
import contextlib
import tempfile
import threading
import time
from pathlib import Path

import psycopg
from _common import emit, fill_plays, percentile
from waitress.server import create_server

from kiosk.fleet.kiosks import add_kiosk
from kiosk.fleet.migrate import migrate
from kiosk.fleet.pgcluster import Cluster
from kiosk.fleet.service import POOL_KEY, create_app
from kiosk.fleet.settings import FleetSettings
from kiosk.sync.pusher import Pusher

BUDGET_S = 10.0


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--plays", type=int, default=10_000)
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp, Cluster() as cluster:
        dsn = cluster.create_database("catchup")
        migrate(dsn)
        with psycopg.connect(dsn, autocommit=True) as conn:
            token = add_kiosk(conn, "K01")
        app = create_app(FleetSettings(dsn=dsn, threads=4))
        server = create_server(app, host="127.0.0.1", port=0, threads=4)
        thread = threading.Thread(target=lambda: _run(server), daemon=True)
        thread.start()
        url = f"http://127.0.0.1:{server.effective_port}"
        try:
            db = Path(tmp) / "scores.db"
            rows = fill_plays(db, args.plays)
            pusher = Pusher(db, url, token, "K01")
            pushes: list[float] = []
            start = time.perf_counter()
            sent_s = None
            while True:
                t = time.perf_counter()
                delay = pusher.step()
                pushes.append((time.perf_counter() - t) * 1000)
                if pusher.last_error:
                    raise SystemExit(f"push failed: {pusher.last_error}")
                if pusher.backlog == 0 and sent_s is None:
                    sent_s = time.perf_counter() - start
                if pusher.backlog == 0 and not pusher.waiting:
                    break  # sent AND confirmed on the centre's disk: ``acked`` stored
                if delay <= pusher.confirm_s:  # the pusher's own pace between looks
                    time.sleep(delay)
            catch_up = time.perf_counter() - start
            with psycopg.connect(dsn) as conn:
                central = conn.execute("SELECT count(*) FROM plays").fetchone()[0]
        finally:
            server.close()
            thread.join(timeout=5)
            app.extensions[POOL_KEY].close()
    data = {
        "rows": rows,
        "plays_central": central,
        "pushes": len(pushes),
        "catch_up_s": round(catch_up, 2),
        "sent_s": round(sent_s or catch_up, 2),
        "rows_per_s": round(rows / catch_up),
        "push_ms": {
            "p50": round(percentile(pushes, 0.5), 1),
            "p99": round(percentile(pushes, 0.99), 1),
            "max": round(max(pushes), 1),
        },
        "within_budget": catch_up <= BUDGET_S and central == args.plays,
    }
    table = [
        ("backlog rows", rows),
        ("plays at the centre after", central),
        ("pushes (≤ 500 rows each)", len(pushes)),
        ("all sent (s)", data["sent_s"]),
        ("catch-up, confirmed on the centre's disk (s)", data["catch_up_s"]),
        ("rows/s", data["rows_per_s"]),
        ("push p50 / p99 / max (ms)", "{p50} / {p99} / {max}".format(**data["push_ms"])),
        (f"within the {BUDGET_S:.0f} s budget", data["within_budget"]),
    ]
    emit(data, table, ("measure", "value"), args.json)


def _run(server) -> None:
    with contextlib.suppress(OSError, ValueError):
        server.run()


if __name__ == "__main__":
    main()
