"""The durable-position acknowledgement against the REAL fleet service and PostgreSQL: a
booth asking ``"ack": "durable-lsn"`` gets its batch committed without waiting for the
disk and answered with log positions; its stored ``acked`` moves only once the centre says
its log is flushed past them, so a crash of the centre's PostgreSQL right after the answer
loses nothing the booth forgot: the pusher sends the lost rows again. A booth that does not
ask keeps synchronous commits and ``{"acked": n}``."""

from __future__ import annotations

import time

import psycopg
import pytest

from kiosk.fleet.kiosks import add_kiosk
from kiosk.fleet.migrate import migrate
from kiosk.fleet.pgcluster import Cluster
from kiosk.fleet.service import create_app
from kiosk.fleet.settings import FleetSettings
from kiosk.fleet.simbooth import SimBooth
from kiosk.sync.pusher import CONFIRM_S, Pusher
from tests.fleetkit import SimTime, acked, kiosk_file, run_until, synced
from tests.test_sync_service import Service


@pytest.fixture
def fleet(central_db: str):
    """(test client, DSN, token of booth-07)."""
    with psycopg.connect(central_db, autocommit=True) as conn:
        token = add_kiosk(conn, "booth-07")
    app = create_app(FleetSettings(dsn=central_db, threads=2))
    try:
        yield app.test_client(), central_db, {"Authorization": f"Bearer {token}"}
    finally:
        app.extensions["fleet_pool"].close()


def _flushed_past(client, auth: dict, lsn: int, timeout_s: float = 30) -> dict:
    """Empty pushes until the centre reports its log flushed past ``lsn`` (the walwriter
    flushes asynchronous commits within wal_writer_delay, 200 ms here)."""
    deadline = time.monotonic() + timeout_s
    while True:
        empty = {"kiosk_id": "booth-07", "through": 0, "rows": {}, "ack": "durable-lsn"}
        answer = client.post("/fleet/v1/sync", json=empty, headers=auth)
        assert answer.status_code == 200 and set(answer.json) == {"flushed", "epoch"}
        if answer.json["flushed"] >= lsn or time.monotonic() > deadline:
            return answer.json
        time.sleep(0.05)


def test_a_durable_push_answers_log_positions_and_a_later_empty_push_confirms(fleet) -> None:
    client, dsn, auth = fleet
    booth = SimBooth("booth-07")
    body = booth.batch(25, durable_lsn=True)
    answer = client.post("/fleet/v1/sync", json=body, headers=auth)
    assert answer.status_code == 200
    got = answer.json
    assert set(got) == {"received", "lsn", "flushed", "epoch"}
    assert got["received"] == body["through"]
    assert all(type(got[k]) is int for k in ("lsn", "flushed")) and got["lsn"] > 0
    assert isinstance(got["epoch"], str) and len(got["epoch"]) == 36
    with psycopg.connect(dsn) as conn:
        assert conn.execute("SELECT count(*) FROM plays").fetchone() == (25,)  # committed
        (now,) = conn.execute("SELECT pg_current_wal_insert_lsn() - '0/0'::pg_lsn").fetchone()
    assert got["lsn"] <= now  # a real position of this log
    later = _flushed_past(client, auth, got["lsn"])
    assert later["flushed"] >= got["lsn"] and later["epoch"] == got["epoch"]  # same epoch
    # A repeat changes nothing and is answered the same way; the positions only grow.
    again = client.post("/fleet/v1/sync", json=body, headers=auth).json
    assert again["lsn"] >= got["lsn"] and again["epoch"] == got["epoch"]
    with psycopg.connect(dsn) as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT id) FROM plays").fetchone() == (
            25,
            25,
        )
        assert conn.execute("SELECT synced_through FROM kiosks").fetchone() == (body["through"],)


def test_an_old_booth_gets_acked_and_an_unknown_ack_mode_is_refused(fleet) -> None:
    client, dsn, auth = fleet
    body = SimBooth("booth-07").batch(3)
    assert "ack" not in body
    answer = client.post("/fleet/v1/sync", json=body, headers=auth)
    assert (answer.status_code, answer.json) == (200, {"acked": body["through"]})
    odd = SimBooth("booth-07", seed=2).batch(1) | {"ack": "eventually"}
    refused = client.post("/fleet/v1/sync", json=odd, headers=auth)
    assert refused.status_code == 400 and '"ack"' in refused.json["error"]
    with psycopg.connect(dsn) as conn:
        assert conn.execute("SELECT count(*) FROM plays").fetchone() == (3,)


@pytest.fixture
def lazy_disk():
    """A cluster of its own (the session's must not be killed under other tests) whose
    walwriter waits 10 s between flushes and with no autovacuum: an asynchronous commit
    stays in the WAL buffers until something else flushes them."""
    cluster = Cluster(settings={"wal_writer_delay": "10s", "autovacuum": "off"}).start()
    try:
        dsn = cluster.create_database("fleet")
        migrate(dsn)
        yield cluster, dsn
    finally:
        cluster.stop()


def _plays(dsn: str, kiosk: str) -> tuple[int, int]:
    with psycopg.connect(dsn) as conn:
        return conn.execute(
            "SELECT count(*), count(DISTINCT id) FROM plays WHERE kiosk_id = %s", (kiosk,)
        ).fetchone()


def test_a_crash_at_the_centre_right_after_the_answer_loses_nothing_the_booth_forgot(
    lazy_disk, tmp_path
) -> None:
    cluster, dsn = lazy_disk
    with psycopg.connect(dsn, autocommit=True) as conn:
        token = add_kiosk(conn, "K01")
        old_token = add_kiosk(conn, "K02")
        conn.execute("SELECT fleet_wal_epoch()")  # drawn now: its commit flushes nothing later
    service = Service(dsn)
    try:
        # An old booth first: its commit waits for the flush, so its rows survive the crash.
        old = SimBooth("K02").batch(5)
        client = create_app(FleetSettings(dsn=dsn, threads=1)).test_client()
        answer = client.post(
            "/fleet/v1/sync", json=old, headers={"Authorization": f"Bearer {old_token}"}
        )
        assert answer.json == {"acked": old["through"]}

        db = tmp_path / "scores.db"
        plays = kiosk_file(db, "K01", 120)
        sim = SimTime(real_s=CONFIRM_S)
        pusher = Pusher(
            db, service.url, token, "K01", sleep=sim.sleep, wall=sim.wall, batch_rows=50
        )
        for _ in range(3):  # three batches taken, none flushed (the walwriter sleeps 10 s)
            pusher.step()
        assert len(pusher.waiting) == 3 and pusher.unconfirmed == 122 and pusher.backlog == 0
        assert acked(db) == 0  # nothing forgotten
        assert _plays(dsn, "K01") == (120, 120)  # committed and visible, not yet on disk

        with psycopg.connect(dsn) as conn:  # the last commit is only in the WAL buffers
            (on_disk,) = conn.execute(
                "SELECT pg_current_wal_flush_lsn() - '0/0'::pg_lsn"
            ).fetchone()
        last = list(pusher.waiting._batches)[-1]
        assert on_disk < last.lsn

        cluster.crash()  # right after the answers
        cluster.settings["wal_writer_delay"] = "200ms"  # back with the default flush pace
        cluster.start()
        # The centre really lost rows it had answered for (so this test exercised the path:
        # at least the last batch, whose commit record never left the WAL buffers; earlier
        # ones may have reached the OS when their pages filled), and kept the old booth's
        # synchronously committed rows.
        assert _plays(dsn, "K01")[0] <= 100
        assert _plays(dsn, "K02") == (5, 5)

        # The pusher learns the new epoch, sends the unconfirmed rows again, and stores
        # ``acked`` once the walwriter has flushed them.
        run_until(pusher, sim, synced(pusher), limit_s=600)
        assert _plays(dsn, "K01") == (120, 120)  # every row exactly once
        with psycopg.connect(dsn) as conn:
            ids = {r[0] for r in conn.execute("SELECT id FROM plays WHERE kiosk_id = 'K01'")}
        assert ids == set(plays)
        assert acked(db) == pusher._sent and pusher.pushed == 122
    finally:
        service.close()
