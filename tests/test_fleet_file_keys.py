"""Per-file keys at the centre (migration 0006, kiosk/fleet/ingest.py): audit and stock
adjustment ids count from 1 in each booth file, so two files of one kiosk (a replaced
scores.db) keep both their row 1s, live or imported, and rows the centre held before file
ids are adopted, never doubled. Real booth files, the real fleet service, real PostgreSQL."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import timedelta
from pathlib import Path

import psycopg

from kiosk.fleet.kioskfile import import_file
from kiosk.fleet.kiosks import add_kiosk
from kiosk.fleet.migrate import MIGRATIONS_DIR, migrate, migration_files
from kiosk.playlog.store import PlayStore
from kiosk.sync import outbox
from kiosk.sync.pusher import CONFIRM_S, Pusher
from tests.fleetkit import T0, SimTime, kiosk_file, local_rows, run_until, synced
from tests.test_sync_service import Service


def file_id(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        found = outbox.file_id(conn)
    finally:
        conn.close()
    assert found and len(found) == 32
    return found


def per_file(dsn: str, table: str) -> list[tuple]:
    with psycopg.connect(dsn) as conn:
        return conn.execute(
            f"SELECT kiosk_id, file_id, id FROM {table} ORDER BY file_id, id"
        ).fetchall()


def push_all(path: Path, url: str, token: str, kiosk: str) -> None:
    sim = SimTime(real_s=CONFIRM_S)
    pusher = Pusher(path, url, token, kiosk, sleep=sim.sleep, wall=sim.wall)
    run_until(pusher, sim, synced(pusher))


def test_two_files_of_one_kiosk_keep_both_audit_row_1s_live_and_imported(tmp_path, central_db):
    with psycopg.connect(central_db, autocommit=True) as conn:
        token = add_kiosk(conn, "K01")
    old, new = tmp_path / "old.db", tmp_path / "new.db"  # the disk swapped in between
    kiosk_file(old, "K01", 3)
    kiosk_file(new, "K01", 2, at=T0 + timedelta(hours=1))
    assert set(local_rows(old, "audit")) == set(local_rows(new, "audit")) == {1}
    assert file_id(old) != file_id(new)
    service = Service(central_db)
    try:
        push_all(old, service.url, token, "K01")
        push_all(new, service.url, token, "K01")
    finally:
        service.close()
    for table in ("audit", "stock_adjustments"):
        assert per_file(central_db, table) == sorted(
            [("K01", file_id(old), 1), ("K01", file_id(new), 1)]
        ), table
    with psycopg.connect(central_db, autocommit=True) as conn:
        for path in (old, new):  # the after-hours import meets the live rows' keys
            result = import_file(conn, path)
            assert result.file_id == file_id(path)
            assert sum(result.applied.values()) == 0, path
        assert conn.execute("SELECT count(*) FROM plays").fetchone() == (5,)
    assert len(per_file(central_db, "audit")) == 2


def test_an_old_file_gets_its_identity_on_first_open_and_keeps_it(tmp_path):
    path = tmp_path / "scores.db"
    kiosk_file(path, "K01", 1)
    with sqlite3.connect(path) as conn:  # as a booth before file ids left it
        conn.execute(f"DROP TABLE {outbox.IDENTITY}")
        conn.execute(f"DROP TABLE {outbox.QUARANTINE}")
    with sqlite3.connect(path) as conn:
        assert outbox.file_id(conn) is None and not outbox.complete(conn)
    PlayStore(path, "K01").close()
    first = file_id(path)
    PlayStore(path, "K01").close()
    assert file_id(path) == first
    with sqlite3.connect(path) as conn:  # docs/fleet.md: after restoring a backup
        conn.execute(f"DELETE FROM {outbox.IDENTITY}")
    PlayStore(path, "K01").close()
    assert file_id(path) != first
    with sqlite3.connect(path) as conn:
        assert outbox.complete(conn) and outbox.quarantined(conn) == 0


def test_migration_0006_keeps_the_rows_it_finds_and_a_file_adopts_its_own(tmp_path, pg_cluster):
    dsn = pg_cluster.create_database("t_file_keys_migration")
    before = tmp_path / "before"
    before.mkdir()
    for number, _, source in migration_files():
        if number < 6:
            shutil.copy(source, before / source.name)
    migrate(dsn, before)
    booth = tmp_path / "scores.db"
    kiosk_file(booth, "K01", 2)
    with psycopg.connect(dsn, autocommit=True) as conn:  # what the centre held before 0006
        for table, columns in (
            ("audit", "id, at, action, detail, version"),
            ("stock_adjustments", "id, at, day, tier, delta, note, version"),
        ):
            for row in local_rows(booth, table).values():
                values = [row[c.strip()] for c in columns.split(",")]
                conn.execute(
                    f"INSERT INTO {table} (kiosk_id, {columns}) VALUES"
                    f" ('K01', {', '.join(['%s'] * len(values))})",
                    values,
                )
    assert [m for m in migrate(dsn, MIGRATIONS_DIR) if m.startswith("0006")] == ["0006_file_keys"]
    assert per_file(dsn, "audit") == [("K01", "", 1)]
    with psycopg.connect(dsn, autocommit=True) as conn:
        result = import_file(conn, booth)  # the booth's own file: the same rows, adopted
        assert result.applied.get("audit", 0) == 0
        assert result.applied.get("stock_adjustments", 0) == 0
    for table in ("audit", "stock_adjustments"):
        assert per_file(dsn, table) == [("K01", file_id(booth), 1)], table
    fresh = tmp_path / "fresh.db"  # its replacement: a row 1 of its own, beside the old one
    kiosk_file(fresh, "K01", 1, at=T0 + timedelta(hours=2))
    with psycopg.connect(dsn, autocommit=True) as conn:
        assert import_file(conn, fresh).applied["audit"] == 1
    assert len(per_file(dsn, "audit")) == 2
