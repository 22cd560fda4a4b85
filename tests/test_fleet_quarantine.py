"""A row the centre refuses (400, "bad_rows") no longer stops a booth's sync for ever: the
pusher (kiosk/sync/pusher.py) halves the batch down to the row, sets it aside in the file
(kept, never deleted, not pushed again, logged once), and the rest of the backlog flows; the
heartbeat, the staff panel and the dashboard show how many were set aside. Against the REAL
fleet service and PostgreSQL, with deliberately bad rows in a real booth file."""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from kiosk.fleet.dashboard import status as dash_status
from kiosk.fleet.kiosks import add_kiosk
from kiosk.fleet.service import POOL_KEY
from kiosk.sync import outbox
from kiosk.sync.heartbeat import Heartbeat
from kiosk.sync.pusher import CONFIRM_S, QUARANTINE_RUN, Pusher
from tests.fleetkit import T0, SimTime, kiosk_file, local_rows, run_until, synced
from tests.journeykit import open_panel
from tests.test_sync_service import Service


@pytest.fixture
def centre(central_db: str):
    with psycopg.connect(central_db, autocommit=True) as conn:
        token = add_kiosk(conn, "K01")
    service = Service(central_db)
    try:
        yield service, token, central_db
    finally:
        service.close()


def bad_audit_row(db: Path, action: str = "broken") -> int:
    """An audit row whose time PostgreSQL cannot read (a bug or a damaged page wrote it);
    the outbox versions it like any other. Returns its id."""
    conn = sqlite3.connect(db)
    try:
        with conn:
            return conn.execute(
                "INSERT INTO audit (at, kiosk_id, action, detail) VALUES (?, 'K01', ?, '')",
                ["half past never", action],
            ).lastrowid
    finally:
        conn.close()


def set_aside(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            f"SELECT tbl, row_key, version, reason FROM {outbox.QUARANTINE}"
        ).fetchall()
    finally:
        conn.close()


def central_count(dsn: str, table: str) -> int:
    with psycopg.connect(dsn) as conn:
        return conn.execute(f"SELECT count(*) FROM {table} WHERE kiosk_id = 'K01'").fetchone()[0]


def test_a_bad_row_is_set_aside_once_and_the_rest_of_the_backlog_flows(centre, tmp_path, caplog):
    service, token, dsn = centre
    db = tmp_path / "scores.db"
    kiosk_file(db, "K01", 300)
    bad = bad_audit_row(db)
    kiosk_file(db, "K01", 250, at=T0 + timedelta(hours=6))  # the booth kept serving
    sim = SimTime(real_s=CONFIRM_S)
    pusher = Pusher(db, service.url, token, "K01", sleep=sim.sleep, wall=sim.wall)
    with caplog.at_level(logging.WARNING, logger="kiosk.sync"):
        run_until(pusher, sim, synced(pusher))
        for _ in range(5):  # more rounds: the row is not offered again
            pusher.step()
    assert central_count(dsn, "plays") == 550  # everything before and after the bad row
    assert central_count(dsn, "audit") == 2  # the two good staff logins, not the bad row
    # Narrowed at once, then in sync: no back-off, no lost minutes (the only other waits are
    # the short looks for the centre's flush); once the row was set aside, the rest went in
    # full batches again.
    assert set(sim.waits[:-1]) <= {0.0, pusher.confirm_s} and sim.waits[-1] == pusher.idle_s
    assert pusher.batch_rows == pusher.max_rows and len(sim.waits) < 40
    assert pusher.last_error is None and pusher.quarantined == 1
    version = local_rows(db, "audit")[bad]["version"]
    [(table, key, kept_version, reason)] = set_aside(db)
    assert (table, key, kept_version) == ("audit", str(bad), version)
    assert "audit" in reason and "half past never" in reason and reason.startswith("HTTP 400")
    assert local_rows(db, "audit")[bad]["action"] == "broken"  # kept in the file, untouched
    logged = [r.getMessage() for r in caplog.records if "set aside" in r.getMessage()]
    assert len(logged) == 1 and f"audit row {bad}" in logged[0] and "half past never" in logged[0]
    assert outbox.backlog(sqlite3.connect(db)) == 0

    # Staff mend the row: its new version goes to the centre, and it is no longer set aside.
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE audit SET at = ? WHERE id = ?", ["2026-07-18T03:00:00.000Z", bad])
    run_until(pusher, sim, lambda: synced(pusher)() and pusher.quarantined == 0)
    assert central_count(dsn, "audit") == 3 and set_aside(db) == []


def test_the_heartbeat_reports_it_and_the_dashboard_raises_an_alert(centre, tmp_path):
    service, token, dsn = centre
    db = tmp_path / "scores.db"
    kiosk_file(db, "K01", 5)
    bad_audit_row(db, "one")
    bad_audit_row(db, "two")
    sim = SimTime(real_s=CONFIRM_S)
    pusher = Pusher(db, service.url, token, "K01", sleep=sim.sleep, wall=sim.wall)
    run_until(pusher, sim, synced(pusher))
    assert pusher.quarantined == 2 and central_count(dsn, "plays") == 5

    def status() -> dict:
        return {"screen": "attract", "backlog": pusher.backlog, "quarantined": pusher.quarantined}

    assert Heartbeat(service.url, token, "K01", status).step()
    with psycopg.connect(dsn) as conn:
        assert conn.execute("SELECT quarantined FROM booth_status").fetchone() == (2,)
    now = datetime.now(UTC)
    booths = dash_status.booths(service.app.extensions[POOL_KEY], now)
    alerts = [a for a in dash_status.alerts(booths, now) if a.kind == "quarantined"]
    assert [(a.kiosk_id, a.severity, a.detail) for a in alerts] == [
        ("K01", dash_status.WARNING, {"n": 2})
    ]


def test_the_staff_panel_shows_the_rows_set_aside_in_both_languages(make_kiosk, centre, tmp_path):
    service, token, _ = centre
    app = make_kiosk()
    db = Path(app.store.submit(lambda s: s.path).result(timeout=30))
    app.store.submit(lambda s: s.audit("staff_login", T0)).result(timeout=30)
    bad_audit_row(db)
    sim = SimTime(real_s=CONFIRM_S)
    pusher = Pusher(db, service.url, token, "K01", sleep=sim.sleep, wall=lambda: T0)
    run_until(pusher, sim, synced(pusher))
    app.fleet_sync = pusher
    assert app.staff.fleet_status() == ("Fleet: 0 to send · 1 refused, kept here · last sent 10:00")
    app.staff.toggle_language()
    assert app.staff.fleet_status() == (
        "中央數據庫：0 項未傳送 · 1 項被拒，保留本機 · 上次傳送 10:00"
    )
    open_panel(app)
    app.draw()  # the line fits the panel in both languages
    app.staff.toggle_language()
    app.draw()


def test_a_centre_refusing_row_after_row_is_not_set_aside_for_ever(centre, tmp_path):
    """Every row refused is not a bad row but a fault at the centre or in the protocol:
    after QUARANTINE_RUN rows in a row the pusher stops setting them aside and backs off."""
    service, token, dsn = centre
    db = tmp_path / "scores.db"
    kiosk_file(db, "K01", 2)
    for i in range(QUARANTINE_RUN + 5):
        bad_audit_row(db, f"bad {i}")
    sim = SimTime(real_s=CONFIRM_S)
    pusher = Pusher(db, service.url, token, "K01", sleep=sim.sleep, wall=sim.wall)
    run_until(pusher, sim, lambda: sim.now > 10 * 60)
    assert pusher.quarantined == QUARANTINE_RUN
    assert pusher.backlog == 5 and pusher.last_error.startswith("refused: HTTP 400")
    assert max(sim.waits) >= 30  # backing off, as for any refusal
    assert central_count(dsn, "plays") == 2  # the good rows before them went through


def test_a_refusal_that_is_not_about_a_row_sets_nothing_aside(centre, tmp_path):
    """A column the centre does not know (a booth newer than its centre) is the batch's
    shape, not one row's fault: the backlog waits, whole, with the usual back-off."""
    service, token, dsn = centre
    db = tmp_path / "scores.db"
    kiosk_file(db, "K01", 3)
    with sqlite3.connect(db) as conn:
        conn.execute("ALTER TABLE audit ADD COLUMN mood TEXT")
    sim = SimTime(real_s=CONFIRM_S)
    pusher = Pusher(db, service.url, token, "K01", sleep=sim.sleep, wall=sim.wall)
    run_until(pusher, sim, lambda: sim.now > 5 * 60)
    assert pusher.quarantined == 0 and set_aside(db) == []
    assert "unknown column" in pusher.last_error and pusher.backlog == 5
    assert central_count(dsn, "plays") == 0
