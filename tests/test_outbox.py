"""The local outbox (kiosk/sync/outbox.py) on real kiosk databases: every write the booth
makes is versioned by SQLite itself, in its own transaction, whoever writes it."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from kiosk.organiser.merge import merge
from kiosk.playlog import schema
from kiosk.playlog.queued import QueuedLog
from kiosk.playlog.resilient import ResilientStore
from kiosk.playlog.store import PlayStore
from kiosk.playlog.writer import Writer
from kiosk.sync import outbox

T0 = datetime(2026, 7, 18, 2, 0, tzinfo=UTC)
DAY = "2026-07-18"


def versions(path: Path, table: str) -> dict[object, int | None]:
    conn = sqlite3.connect(path)
    try:
        key = "day || '/' || game" if table == "game_switches" else "id"
        return dict(conn.execute(f"SELECT {key}, version FROM {table}"))
    finally:
        conn.close()


def one_of_everything(store: PlayStore, at: datetime = T0) -> str:
    play = store.start_play("recycle_right", "en", "normal", at)
    store.finish_play(play, "completed", at + timedelta(seconds=40), score=90)
    store.audit("staff_login", at)
    store.adjust_stock(DAY, "gold", 5, at, "delivery")
    store.set_game_enabled(DAY, "recycle_right", False)
    return play


def test_fresh_file_has_the_outbox_on_every_synced_table(tmp_path):
    path = tmp_path / "scores.db"
    PlayStore(path, "K01").close()
    db = Database(path)
    tables = outbox.present(db)
    assert tables == [
        "plays", "visits", "audit", "stock_adjustments", "game_switches", "daily_stock"
    ]
    assert outbox.missing(db) == []
    for table in tables:
        assert "version" in db[table].columns_dict
        assert f"idx_{table}_version" in {i.name for i in db[table].indexes}
    assert db["sync_state"].columns_dict == {"peer": str, "acked": int}
    assert outbox.acked(db) == 0 and outbox.backlog(db) == 0
    migrations = [r["name"] for r in db["_sqlite_migrations"].rows]
    assert "add_sync_outbox" in migrations  # later migrations (add_report_indexes) follow it
    assert migrations.index("create_visits") > migrations.index("add_sync_outbox")


def test_every_change_gets_the_next_version_and_the_backlog_counts_rows(tmp_path):
    path = tmp_path / "scores.db"
    with PlayStore(path, "K01") as store:
        start = outbox.clock(store.db)
        play = store.start_play("recycle_right", "en", "normal", T0)
        started = versions(path, "plays")[play]
        assert started == start + 1
        store.finish_play(play, "completed", T0 + timedelta(seconds=30), score=70)
        finished = versions(path, "plays")[play]
        assert finished == start + 2  # the update took the next version
        store.audit("staff_login", T0)
        store.adjust_stock(DAY, "gold", 5, T0)
        store.set_game_enabled(DAY, "recycle_right", False)
        store.set_game_enabled(DAY, "recycle_right", True)  # an upsert: the same row again
        assert versions(path, "audit") == {1: start + 3}
        assert versions(path, "stock_adjustments") == {1: start + 4}
        switch = versions(path, "game_switches")[f"{DAY}/recycle_right"]
        assert switch is not None and switch > start + 4
        assert outbox.clock(store.db) == switch
        assert outbox.backlog(store.db) == 4  # four rows, however often each changed
        outbox.store_acked(store.db, finished)
        assert outbox.backlog(store.db) == 3
        outbox.store_acked(store.db, start)  # a late answer to an older push
        assert outbox.acked(store.db) == finished


def test_a_write_that_rolls_back_takes_no_version(tmp_path):
    path = tmp_path / "scores.db"
    with PlayStore(path, "K01") as store:
        play = store.start_play("recycle_right", "en", "normal", T0)
        before = outbox.clock(store.db)
        with pytest.raises(sqlite3.IntegrityError):  # the unique serial, mid-transaction
            store.db.execute("BEGIN IMMEDIATE")
            try:
                store.db.execute("UPDATE plays SET prize_serial = 1 WHERE id = ?", [play])
                store.db.execute(
                    "INSERT INTO plays (id, kiosk_id, game, language, difficulty, started_at, "
                    "outcome, prize_serial) VALUES ('x', 'K01', 'g', 'en', 'normal', ?, "
                    "'in_progress', 1)",
                    [schema.utc_iso(T0)],
                )
            finally:
                store.db.execute("ROLLBACK")
        assert outbox.clock(store.db) == before
        assert versions(path, "plays") == {play: before}


def old_file(path: Path) -> None:
    """A kiosk database as the booth wrote it before the outbox existed."""
    old = Migrations("smartizen")
    for step in (schema.create_plays, schema.create_staff_tables, schema.create_prize_tables):
        old()(step)
    db = Database(path)
    old.apply(db)
    for i in range(3):
        db["plays"].insert(
            {
                "id": f"p{i}",
                "kiosk_id": "K01",
                "game": "recycle_right",
                "language": "en",
                "difficulty": "normal",
                "started_at": schema.utc_iso(T0 + timedelta(minutes=i)),
                "outcome": "completed",
            }
        )
    db["audit"].insert({"at": schema.utc_iso(T0), "kiosk_id": "K01", "action": "pause"})
    db.conn.close()


def test_rows_older_than_the_outbox_become_the_first_backlog_oldest_first(tmp_path):
    path = tmp_path / "scores.db"
    old_file(path)
    with PlayStore(path, "K01") as store:
        plays = versions(path, "plays")
        assert plays["p0"] < plays["p1"] < plays["p2"]
        assert versions(path, "audit")[1] not in plays.values()
        assert outbox.backlog(store.db) == 4
        assert outbox.clock(store.db) == max([*plays.values(), versions(path, "audit")[1]])
        play = store.start_play("recycle_right", "en", "normal", T0)
        assert versions(path, "plays")[play] == outbox.clock(store.db)


@pytest.mark.parametrize("rowid", ["", " WITHOUT ROWID"], ids=["rowid", "without_rowid"])
def test_a_synced_table_added_later_gets_its_triggers_however_migrations_are_ordered(
    tmp_path, rowid
):
    path = tmp_path / "scores.db"
    PlayStore(path, "K01").close()
    conn = sqlite3.connect(path)
    # As a later migration might create it, without calling install() itself (the booth's
    # own migration does call it: made again here without it).
    conn.execute("DROP TABLE visits")
    conn.execute(
        f"CREATE TABLE visits (id TEXT PRIMARY KEY, touched_at TEXT, last_stage TEXT){rowid}"
    )
    conn.execute("INSERT INTO visits VALUES ('v0', '2026-07-18T02:00:00.000Z', 'touched')")
    conn.execute("INSERT INTO visits VALUES ('v1', '2026-07-18T02:01:00.000Z', 'touched')")
    conn.commit()
    conn.close()
    with PlayStore(path, "K01") as store:
        assert outbox.missing(store.db) == []
        assert "visits" in outbox.present(store.db)
        first = versions(path, "visits")
        assert first["v0"] + 1 == first["v1"] == outbox.clock(store.db)  # oldest first
        store.db.execute("UPDATE visits SET last_stage = 'left' WHERE id = 'v0'")
        assert versions(path, "visits") == {"v0": first["v1"] + 1, "v1": first["v1"]}
        store.db.execute("INSERT INTO visits (id, last_stage) VALUES ('v2', 'touched')")
        assert versions(path, "visits")["v2"] == first["v1"] + 2
        assert outbox.install(store.db) == outbox.present(store.db)  # again: no harm
        assert outbox.backlog(store.db) == 3


def test_read_batch_takes_the_oldest_changes_across_tables(tmp_path):
    path = tmp_path / "scores.db"
    with PlayStore(path, "K01") as store:
        start = outbox.clock(store.db)
        for i in range(3):
            one_of_everything(store, T0 + timedelta(minutes=i))
        assert outbox.backlog(store.db) == 3 + 3 + 3 + 1
        batch = outbox.read_batch(store.db, start, limit=4)
        assert batch is not None and batch.count == 4
        # start, finish (the same play, now at its finish version), audit, stock, switch …
        assert [t for t in batch.rows] == ["plays", "audit", "stock_adjustments"]
        every = sorted(r["version"] for rows in batch.rows.values() for r in rows)
        assert batch.through == every[-1]
        assert batch.rows["stock_adjustments"][0]["delta"] == 5
        rest = outbox.read_batch(store.db, batch.through, limit=500)
        assert rest is not None and rest.count == 10 - 4
        assert rest.rows["game_switches"] == [
            {
                "day": DAY,
                "kiosk_id": "K01",
                "game": "recycle_right",
                "enabled": False,  # a boolean on the wire, as the centre keeps it
                "version": outbox.clock(store.db),
            }
        ]
        assert outbox.read_batch(store.db, rest.through) is None
        body = rest.body("K01")
        assert body["kiosk_id"] == "K01" and body["through"] == rest.through


def test_writer_thread_and_resilient_replays_are_versioned(tmp_path):
    path = tmp_path / "scores.db"
    store = ResilientStore(path, "K01", now=lambda: T0, busy_timeout_s=0.05)
    log = QueuedLog(Writer(store))
    try:
        blocker = sqlite3.connect(path, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")  # a staff tool holds the write lock
        play = log.start_play("recycle_right", "en", "normal", T0)
        log.finish_play(play, "completed", T0 + timedelta(seconds=20), score=80)
        log.audit("pause", T0)
        log.submit(lambda s: s.pending).result(timeout=30)
        assert log.submit(lambda s: s.pending).result(timeout=30) == 3  # buffered
        blocker.execute("ROLLBACK")
        blocker.close()
        assert log.submit(lambda s: s.flush()).result(timeout=30) == 3
        assert log.submit(lambda s: s.pending).result(timeout=30) == 0
    finally:
        log.close()
    plays, audit = versions(path, "plays"), versions(path, "audit")
    assert plays[play] is not None and audit[1] is not None
    conn = sqlite3.connect(path)
    assert outbox.backlog(conn) == 2
    conn.close()


def test_a_fresh_file_after_a_damaged_one_is_moved_aside_has_newer_versions(tmp_path):
    path = tmp_path / "scores.db"
    with PlayStore(path, "K01") as store:
        one_of_everything(store)
        old_top = outbox.clock(store.db)
    path.write_bytes(b"this is not a database any more" * 100)
    store = ResilientStore(path, "K01", now=lambda: T0)
    try:
        store.audit("staff_login", T0)  # audit id 1 again, as in the old file
    finally:
        store.close()
    assert versions(path, "audit")[1] > old_top  # so the centre takes it as newer


def test_merged_files_keep_the_kiosks_play_versions_and_merge_again_unchanged(tmp_path):
    a, b, fleet = tmp_path / "a.db", tmp_path / "b.db", tmp_path / "fleet.db"
    with PlayStore(a, "K01") as store:
        play_a = one_of_everything(store)
    with PlayStore(b, "K02") as store:
        play_b = one_of_everything(store)
    first = merge([a, b], fleet)
    merged = versions(fleet, "plays")
    assert merged == {play_a: versions(a, "plays")[play_a], play_b: versions(b, "plays")[play_b]}
    again = merge([a, b], fleet)
    assert [s.plays.updated + s.plays.added for s in again.sources] == [0, 0]
    assert first.plays == again.plays == 2
    assert versions(fleet, "plays") == merged
    assert len(versions(fleet, "audit")) == 2


def test_staff_logs_merged_before_a_kiosks_upgrade_are_not_doubled_after_it(tmp_path):
    old, fleet = tmp_path / "old.db", tmp_path / "fleet.db"
    old_file(old)
    copy = tmp_path / "copy-before-upgrade.db"
    copy.write_bytes(old.read_bytes())
    merge([copy], fleet)  # last night, before the upgrade
    PlayStore(old, "K01").close()  # today the kiosk upgraded: its rows have versions now
    result = merge([old], fleet)
    assert result.sources[0].logs["audit"].added == 0
    assert len(versions(fleet, "audit")) == 1
    assert result.plays == 3
