"""`smartizen fleet import scores.db`: a kiosk file through the live sync's upsert, so an
import after a live sync, a live sync after an import, or a second import never double-count.
The kiosk files are real ones written by the booth's own play log (kiosk/playlog/store.py)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from kiosk.cli import cli
from kiosk.fleet.ingest import check_batch, ingest
from kiosk.fleet.kioskfile import ImportRefused, import_file
from kiosk.fleet.kiosks import add_kiosk
from kiosk.playlog.store import PlayStore
from kiosk.sync import outbox

T0 = datetime(2026, 7, 18, 2, 0, tzinfo=UTC)


def _kiosk_file(
    path: Path, kiosk_id: str = "booth-07", rounds: int = 12, *, pre_outbox: bool = False
) -> Path:
    """A booth's scores.db as the booth writes it (with the outbox's versions), or as it
    wrote it before the outbox (``pre_outbox``: no version column)."""
    store = PlayStore(path, kiosk_id)
    for i in range(rounds):
        at = T0 + timedelta(minutes=2 * i)
        play = store.start_play("recycle_right", "en", "normal", at)
        if i % 4 != 3:  # every fourth still in progress
            store.finish_play(play, "completed", at + timedelta(seconds=60), score=40 + i)
    store.audit("game_off", T0, "park_smart")
    store.set_game_enabled("2026-07-18", "park_smart", False)
    store.adjust_stock("2026-07-18", "gold", 5, T0, "restock")
    store.close()
    return _pre_outbox(path) if pre_outbox else path


def _pre_outbox(path: Path) -> Path:
    """The file as the booth left it before the outbox migration (kiosk/sync/outbox.py)."""
    with sqlite3.connect(path) as db:
        for table in outbox.present(db):
            for name in outbox.trigger_names(table):
                db.execute(f'DROP TRIGGER "{name}"')
            db.execute(f'DROP INDEX "idx_{table}_version"')
            db.execute(f"ALTER TABLE {table} DROP COLUMN version")
        for table in (outbox.CLOCK, outbox.STATE, outbox.IDENTITY, outbox.QUARANTINE):
            db.execute(f"DROP TABLE {table}")
        db.execute("DELETE FROM _sqlite_migrations WHERE name = 'add_sync_outbox'")
    return path


def _with_versions(path: Path) -> None:
    """The booth upgraded: its play log's migration gives every row a version."""
    PlayStore(path, "booth-07").close()


def _live_push(conn, path: Path, kiosk_id: str = "booth-07") -> None:
    """Push the file's rows as the booth's pusher would (real versions, the same values)."""
    with sqlite3.connect(path) as db:
        db.row_factory = sqlite3.Row
        rows = {
            t: [dict(r) for r in db.execute(f"SELECT * FROM {t}")]
            for t in ("plays", "audit", "game_switches", "stock_adjustments")
        }
        file_id = outbox.file_id(db) or ""
    through = max(r["version"] for rs in rows.values() for r in rs)
    ingest(conn, kiosk_id, check_batch(kiosk_id, rows), through, file_id)


def _central(conn) -> list[tuple]:
    return conn.execute(
        "SELECT id, outcome, score, ended_at, version FROM plays ORDER BY started_at"
    ).fetchall()


@pytest.fixture
def conn(central_db: str):
    with psycopg.connect(central_db, autocommit=True) as c:
        yield c


def test_an_old_file_imports_with_version_0_and_a_second_import_adds_nothing(conn, tmp_path):
    path = _kiosk_file(tmp_path / "scores.db", pre_outbox=True)
    result = import_file(conn, path)
    assert result.read == {
        "plays": 12,
        "visits": 0,  # the booth's schema has the table; this file's rows predate visits
        "audit": 1,
        "stock_adjustments": 1,
        "game_switches": 1,
        "daily_stock": 0,  # recorded by the booth's prizes, which this file never ran
    }
    assert {t: n for t, n in result.applied.items() if n} == {
        t: n for t, n in result.read.items() if n
    }
    assert result.kiosks == {"booth-07"}
    rows = _central(conn)
    assert len(rows) == 12 and {r[4] for r in rows} == {0}
    assert sum(r[1] == "in_progress" for r in rows) == 3
    again = import_file(conn, path)
    assert sum(again.applied.values()) == 0
    assert _central(conn) == rows
    # the booth appears in the kiosks table, without a token until add-kiosk
    assert conn.execute("SELECT kiosk_id, token_hash FROM kiosks").fetchall() == [
        ("booth-07", None)
    ]


def test_a_newer_copy_of_an_old_file_updates_rounds_that_were_in_progress(conn, tmp_path):
    path = _kiosk_file(tmp_path / "scores.db")
    import_file(conn, path)
    store = PlayStore(path, "booth-07")
    store.close_stale(T0 + timedelta(hours=3))  # the booth restarted: leftovers abandoned
    store.close()
    result = import_file(conn, path)
    assert {t: n for t, n in result.applied.items() if n} == {"plays": 3}
    outcomes = [r[1] for r in _central(conn)]
    assert outcomes.count("abandoned") == 3 and "in_progress" not in outcomes


def test_import_after_a_live_sync_changes_nothing(conn, tmp_path):
    add_kiosk(conn, "booth-07")
    path = _kiosk_file(tmp_path / "scores.db", pre_outbox=True)
    _with_versions(path)
    _live_push(conn, path)
    live = _central(conn)
    assert len(live) == 12 and min(r[4] for r in live) >= 1
    for copy in (path, _strip_versions(path, tmp_path / "old.db")):
        result = import_file(conn, copy)
        assert sum(result.applied.values()) == 0, copy
        assert _central(conn) == live


def test_a_live_sync_after_an_import_replaces_without_double_counting(conn, tmp_path):
    add_kiosk(conn, "booth-07")
    path = _kiosk_file(tmp_path / "scores.db", pre_outbox=True)
    import_file(conn, path)
    _with_versions(path)
    _live_push(conn, path)
    rows = _central(conn)
    assert len(rows) == 12 and min(r[4] for r in rows) >= 1  # the live versions won
    assert conn.execute("SELECT count(*) FROM audit").fetchone() == (1,)
    assert conn.execute("SELECT count(*) FROM stock_adjustments").fetchone() == (1,)


def _strip_versions(path: Path, out: Path) -> Path:
    """An older copy of the same file, taken before the outbox existed."""
    with sqlite3.connect(path) as db:
        db.execute("VACUUM INTO ?", (str(out),))
    return _pre_outbox(out)


def test_a_file_that_is_not_a_kiosk_database_is_refused(conn, tmp_path):
    junk = tmp_path / "notes.db"
    junk.write_bytes(b"just some text, not SQLite" * 100)
    with pytest.raises(ImportRefused, match="not a readable kiosk database"):
        import_file(conn, junk)
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    with pytest.raises(ImportRefused, match="no plays table"):
        import_file(conn, empty)
    with pytest.raises(ImportRefused, match="no such file"):
        import_file(conn, tmp_path / "missing.db")


def test_the_import_command_reports_each_file_and_fails_on_a_bad_one(central_db, tmp_path):
    good = _kiosk_file(tmp_path / "a.db", "booth-01", rounds=3)
    other = _kiosk_file(tmp_path / "b.db", "booth-02", rounds=2)
    result = CliRunner().invoke(
        cli, ["fleet", "--dsn", central_db, "import", str(good), str(tmp_path / "x.db"), str(other)]
    )
    assert result.exit_code == 1
    assert f"{good}: booth-01: read 3 plays" in result.output
    assert f"{other}: booth-02: read 2 plays" in result.output
    assert "x.db: no such file" in result.output
    with psycopg.connect(central_db) as conn:
        assert conn.execute("SELECT count(*) FROM plays").fetchone() == (5,)
