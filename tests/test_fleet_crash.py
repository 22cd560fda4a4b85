"""The fleet service SIGKILLed while a big batch is half-stored: nothing of that batch is
visible, the booth (which got no acknowledgement) pushes it again to the restarted service,
and every row is then stored exactly once. Runs the real `smartizen fleet serve` (waitress)
as a child process on a real PostgreSQL."""

from __future__ import annotations

import http.client
import threading
import time
from pathlib import Path

import psycopg
import pytest

from kiosk.fleet.child import FleetProcess
from kiosk.fleet.kiosks import add_kiosk
from kiosk.fleet.service import APPLICATION_NAME
from kiosk.fleet.simbooth import SimBooth


def _wait_for(conn: psycopg.Connection, sql: str, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if conn.execute(sql, {"app": APPLICATION_NAME}).fetchone()[0]:
            return
        time.sleep(0.02)
    pytest.fail(f"timed out waiting for {what}")


def test_sigkill_mid_batch_then_repush_stores_every_row_exactly_once(
    central_db: str, tmp_path: Path
) -> None:
    with psycopg.connect(central_db, autocommit=True) as admin:
        token = add_kiosk(admin, "booth-07")
    booth = SimBooth("booth-07")
    small = booth.batch(20)
    big = booth.batch(3000)  # 6,000 rows: plays and visits
    log = tmp_path / "service.log"

    service = FleetProcess(central_db, log=log).start()
    try:
        client = service.client(token)
        assert client.sync(small) == (200, {"acked": small["through"]})

        # Hold the booth's kiosks row, so the service's batch stops after its INSERTs, at
        # the UPDATE of synced_through, before COMMIT: the kill lands mid-batch every time.
        with psycopg.connect(central_db) as blocker:
            blocker.execute("SELECT 1 FROM kiosks WHERE kiosk_id = 'booth-07' FOR UPDATE")
            outcome: list[object] = []

            def push() -> None:
                try:
                    outcome.append(service.client(token).sync(big))
                except (OSError, http.client.HTTPException) as exc:
                    outcome.append(exc)

            pusher = threading.Thread(target=push)
            pusher.start()
            with psycopg.connect(central_db, autocommit=True) as watch:
                _wait_for(
                    watch,
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = %(app)s"
                    " AND wait_event_type = 'Lock' AND query LIKE 'UPDATE kiosks%%'",
                    "the big batch to reach its last statement",
                )
                # Its transaction has written plays (it holds their write lock), uncommitted.
                assert watch.execute(
                    "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)"
                    " WHERE a.application_name = %(app)s AND l.mode = 'RowExclusiveLock'"
                    " AND l.relation = 'plays'::regclass",
                    {"app": APPLICATION_NAME},
                ).fetchone() == (1,)
                assert watch.execute("SELECT count(*) FROM plays").fetchone() == (20,)
                service.kill()
            blocker.rollback()
        pusher.join(timeout=60)
        assert len(outcome) == 1 and isinstance(outcome[0], Exception), outcome  # no ack

        with psycopg.connect(central_db, autocommit=True) as watch:
            # PostgreSQL rolls the orphaned transaction back when it finds the client gone.
            _wait_for(
                watch,
                "SELECT count(*) = 0 FROM pg_stat_activity WHERE application_name = %(app)s",
                "the killed service's sessions to end",
            )
            assert watch.execute("SELECT count(*) FROM plays").fetchone() == (20,)
            assert watch.execute("SELECT synced_through FROM kiosks").fetchone() == (
                small["through"],
            )

        # The booth never got {"acked": ...} for the big batch: it pushes from its last ack.
        service = FleetProcess(central_db, log=log).start()
        client = service.client(token)
        assert client.sync(big) == (200, {"acked": big["through"]})
        assert client.sync(small) == (200, {"acked": small["through"]})  # a stray repeat
        assert client.sync(big) == (200, {"acked": big["through"]})
    finally:
        service.stop()
    assert service.proc is not None and service.proc.returncode == 0  # Ctrl-C: a clean exit

    with psycopg.connect(central_db) as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT id) FROM plays").fetchone() == (
            3020,
            3020,
        )
        assert conn.execute("SELECT count(*) FROM visits").fetchone() == (3020,)
        ids = {r[0] for r in conn.execute("SELECT id FROM plays")}
        sent = {p["id"] for b in (small, big) for p in b["rows"]["plays"]}
        assert ids == sent
        assert conn.execute("SELECT synced_through FROM kiosks").fetchone() == (big["through"],)
