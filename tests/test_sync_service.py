"""The booth's sync and heartbeat threads (kiosk/sync/) against the REAL fleet service
(kiosk/fleet/service.py on waitress) and a real PostgreSQL: an outage of minutes, a booth
cut off while others sync, a revoked booth, a skewed booth clock, and a real ``launch.py``
kiosk killed while it pushes."""

from __future__ import annotations

import contextlib
import signal
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from waitress.server import create_server

from kiosk.fleet.desired import set_desired
from kiosk.fleet.kioskfile import import_file
from kiosk.fleet.kiosks import add_kiosk, revoke
from kiosk.fleet.service import POOL_KEY, create_app
from kiosk.fleet.settings import FleetSettings
from kiosk.organiser.merge import merge
from kiosk.sync.heartbeat import Heartbeat
from kiosk.sync.pusher import CONFIRM_S, Pusher
from tests.fleetkit import (
    BOOT_TIMEOUT_S,
    T0,
    SimTime,
    acked,
    earlier_today,
    kiosk_file,
    kiosk_folder,
    local_rows,
    run_until,
    start_kiosk,
    synced,
)

KIOSKS = ("K01", "K02", "K03", "K07")


class Service:
    """The fleet service on waitress at a fixed local port, so it can go down and come
    back where the booths expect it."""

    def __init__(self, dsn: str) -> None:
        self.app = create_app(FleetSettings(dsn=dsn, threads=4))
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._server = None
        self._thread: threading.Thread | None = None
        self.up()

    def up(self) -> None:
        self._server = create_server(self.app, host="127.0.0.1", port=self.port, threads=4)

        def run() -> None:
            with contextlib.suppress(OSError, ValueError):  # sockets closed under the loop
                self._server.run()

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()

    def down(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server.task_dispatcher.shutdown()  # (close() leaves its threads waiting)
            self._thread.join(timeout=5)
            self._server = None

    def close(self) -> None:
        self.down()
        self.app.extensions[POOL_KEY].close()


@pytest.fixture
def fleet(central_db: str) -> Iterator[tuple[Service, dict[str, str], str]]:
    """(the running service, kiosk id → token, DSN)."""
    with psycopg.connect(central_db, autocommit=True) as conn:
        tokens = {k: add_kiosk(conn, k) for k in KIOSKS}
    service = Service(central_db)
    try:
        yield service, tokens, central_db
    finally:
        service.close()


def central(dsn: str, kiosk: str, table: str = "plays") -> dict[str, tuple]:
    """id → (version, outcome or action) of ``kiosk``'s rows at the centre."""
    column = "outcome" if table == "plays" else "action"
    with psycopg.connect(dsn) as conn:
        rows = conn.execute(
            f"SELECT id::text, version, {column} FROM {table} WHERE kiosk_id = %s", (kiosk,)
        ).fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


def local(db: Path, table: str = "plays") -> dict[str, tuple]:
    column = "outcome" if table == "plays" else "action"
    return {str(k): (r["version"], r[column]) for k, r in local_rows(db, table).items()}


def test_service_down_for_minutes_then_back_every_play_exactly_once(tmp_path, fleet):
    service, tokens, dsn = fleet
    db = tmp_path / "scores.db"
    kiosk_file(db, "K01", 30)
    sim = SimTime(real_s=CONFIRM_S)
    pusher = Pusher(db, service.url, tokens["K01"], "K01", sleep=sim.sleep, wall=sim.wall)
    run_until(pusher, sim, synced(pusher))
    service.down()
    kiosk_file(db, "K01", 40, at=T0 + timedelta(hours=2))  # the booth keeps serving
    went_down = sim.now
    run_until(pusher, sim, lambda: sim.now > went_down + 8 * 60)  # eight minutes
    assert pusher.last_error.startswith("centre unreachable") and pusher.backlog == 42
    assert max(sim.waits) <= 60
    service.up()
    run_until(pusher, sim, synced(pusher))
    assert central(dsn, "K01") == local(db)  # 70 plays, each once, at its latest version
    assert len(central(dsn, "K01")) == 70
    assert central(dsn, "K01", "audit") == local(db, "audit")
    with psycopg.connect(dsn) as conn:
        (through,) = conn.execute(
            "SELECT synced_through FROM kiosks WHERE kiosk_id = 'K01'"
        ).fetchone()
    assert through == acked(db)


def test_one_kiosk_cut_off_while_others_sync(tmp_path, fleet):
    service, tokens, dsn = fleet
    sim = SimTime(real_s=CONFIRM_S)
    pushers, dbs = {}, {}
    for kiosk in ("K01", "K02", "K03"):
        dbs[kiosk] = tmp_path / f"{kiosk}.db"
        kiosk_file(dbs[kiosk], kiosk, 25)
        pushers[kiosk] = Pusher(dbs[kiosk], service.url, tokens[kiosk], kiosk, sleep=sim.sleep)
    pushers["K02"].url = "http://127.0.0.1:9/fleet/v1/sync"  # its network is gone
    for _ in range(5):
        for pusher in pushers.values():
            pusher.step()
    assert pushers["K02"].last_error.startswith("centre unreachable")
    assert central(dsn, "K02") == {}
    for kiosk in ("K01", "K03"):
        assert central(dsn, kiosk) == local(dbs[kiosk])
    pushers["K02"].url = service.url + "/fleet/v1/sync"  # back on the network
    pushers["K02"].step()
    assert central(dsn, "K02") == local(dbs["K02"])


def test_a_revoked_kiosk_is_refused_and_keeps_its_rows(tmp_path, fleet):
    service, tokens, dsn = fleet
    with psycopg.connect(dsn, autocommit=True) as conn:
        revoke(conn, "K03")
    db = tmp_path / "scores.db"
    kiosk_file(db, "K03", 3)
    pusher = Pusher(db, service.url, tokens["K03"], "K03", sleep=SimTime(real_s=CONFIRM_S).sleep)
    assert pusher.step() >= 1
    assert pusher.last_error == "refused: HTTP 403: kiosk K03 is revoked"
    assert pusher.backlog == 5 and acked(db) == 0 and central(dsn, "K03") == {}
    wrong = Pusher(db, service.url, tokens["K01"], "K03")  # another booth's token
    wrong.step()
    assert wrong.last_error.startswith("refused: HTTP 403: this token belongs to kiosk K01")


def test_a_kiosk_with_a_skewed_clock_lands_its_rows_and_is_seen_on_the_centres_clock(
    tmp_path, fleet
):
    service, tokens, dsn = fleet
    now = datetime.now(UTC)
    skewed = now + timedelta(days=400, hours=3)
    db = tmp_path / "scores.db"
    kiosk_file(db, "K07", 2, at=earlier_today(now, 10))  # today, by the centre's clock
    kiosk_file(db, "K07", 3, at=skewed)  # then its clock jumped ahead
    pusher = Pusher(db, service.url, tokens["K07"], "K07")
    pusher.step()
    assert central(dsn, "K07") == local(db) and len(local(db)) == 5
    status = {"screen": "attract", "backlog": pusher.backlog, "paused": False}
    beat = Heartbeat(service.url, tokens["K07"], "K07", lambda: status, wall=lambda: skewed)
    before = datetime.now(UTC)
    assert beat.step(), beat.last_error
    after = datetime.now(UTC)
    with psycopg.connect(dsn) as conn:
        seen_at, booth_clock, backlog = conn.execute(
            "SELECT seen_at, booth_clock, backlog FROM booth_status WHERE kiosk_id = 'K07'"
        ).fetchone()
    assert before - timedelta(seconds=1) <= seen_at <= after + timedelta(seconds=1)
    assert abs(booth_clock - skewed) < timedelta(milliseconds=1) and backlog == 0
    answer = beat.latest()
    server_time = datetime.fromisoformat(answer["server_time"])
    assert before - timedelta(seconds=1) <= server_time <= after + timedelta(seconds=1)
    # Only the two rounds started today by the centre's local day count, not the skewed ones.
    assert beat.played_today() == 2


def test_heartbeat_carries_the_desired_settings_and_a_revoked_booth_is_refused(fleet):
    service, tokens, dsn = fleet
    status = {"screen": "menu", "backlog": 3, "paused": False, "applied_revision": 0}
    beat = Heartbeat(service.url, tokens["K01"], "K01", lambda: status)
    assert beat.step() and "desired" not in beat.latest()
    with psycopg.connect(dsn, autocommit=True) as conn:
        revision = set_desired(conn, "K01", {"paused": True, "volume": 0.4}, by="organiser")
    assert beat.step()
    desired = beat.latest()["desired"]
    assert desired["revision"] == revision and desired["paused"] is True
    assert desired["volume"] == 0.4
    with psycopg.connect(dsn, autocommit=True) as conn:
        revoke(conn, "K01")
    assert not beat.step()
    assert beat.last_error == "refused: HTTP 403: kiosk K01 is revoked"
    assert beat.latest()["desired"]["revision"] == revision  # the last answer is kept


def test_a_real_kiosk_killed_while_it_pushes_loses_nothing_and_counts_once(tmp_path, fleet):
    service, tokens, dsn = fleet
    config, db = kiosk_folder(tmp_path, service.url)
    (tmp_path / "fleet.token").write_text(tokens["K07"] + "\n")
    proc = start_kiosk(tmp_path, config, db)
    try:
        deadline = time.monotonic() + BOOT_TIMEOUT_S
        while len(central(dsn, "K07")) < 3:
            assert proc.poll() is None, proc.communicate()[1][-3000:]
            assert time.monotonic() < deadline, "no plays reached the centre"
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)  # wherever its push happens to be
        proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    pusher = Pusher(db, service.url, tokens["K07"], "K07")  # its next start
    for _ in range(100):
        pusher.step()
        assert pusher.last_error is None, pusher.last_error
        if pusher.backlog == 0:
            break
    assert central(dsn, "K07") == local(db)
    assert central(dsn, "K07", "audit") == local(db, "audit")
    conn = sqlite3.connect(db)
    try:
        # Unique per kiosk at the centre too: the same round was never stored twice.
        assert conn.execute("SELECT count(DISTINCT id) FROM plays").fetchone()[0] == len(
            central(dsn, "K07")
        )
    finally:
        conn.close()


def test_live_sync_and_an_after_hours_import_never_double_count(tmp_path, fleet):
    service, tokens, dsn = fleet
    a, b = tmp_path / "K01.db", tmp_path / "K02.db"
    kiosk_file(a, "K01", 12)
    kiosk_file(b, "K02", 8)
    for db, kiosk in ((a, "K01"), (b, "K02")):
        Pusher(db, service.url, tokens[kiosk], kiosk).step()
    with psycopg.connect(dsn, autocommit=True) as conn:
        again = import_file(conn, a)  # the organisers import the booth's file after hours
        assert again.read["plays"] == 12 and sum(again.applied.values()) == 0
        # A merged fleet file keeps each kiosk's play versions, so its plays add nothing.
        fleet_file = tmp_path / "fleet.db"
        merge([a, b], fleet_file)
        merged = import_file(conn, fleet_file)
        assert merged.read["plays"] == 20 and merged.applied.get("plays", 0) == 0
    assert central(dsn, "K01") == local(a) and central(dsn, "K02") == local(b)
