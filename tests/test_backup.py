"""A backup taken while the kiosk writes is consistent and has every committed play."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner

from kiosk.cli import cli
from kiosk.playlog.store import PlayStore

T0 = datetime(2026, 7, 18, 3, 0, tzinfo=UTC)


def test_backup_of_a_live_wal_database_has_every_committed_play(tmp_path: Path) -> None:
    db = tmp_path / "scores.db"
    with PlayStore(db, "K01") as store:  # stays open: the WAL holds the latest commits
        for _ in range(25):
            play = store.start_play("recycle_right", "en", "adult", T0)
            store.finish_play(play, "completed", T0, 70)
        assert Path(str(db) + "-wal").stat().st_size > 0
        result = CliRunner().invoke(
            cli, ["backup", "--db", str(db), "--to", str(tmp_path / "copy.db")]
        )
        assert result.exit_code == 0, result.output
        assert "integrity ok" in result.output
    copy = sqlite3.connect(tmp_path / "copy.db")
    assert copy.execute("select count(*) from plays where outcome='completed'").fetchone() == (25,)


def test_backup_refuses_to_overwrite(tmp_path: Path) -> None:
    db = tmp_path / "scores.db"
    PlayStore(db, "K01").close()
    (tmp_path / "copy.db").write_text("precious")
    result = CliRunner().invoke(cli, ["backup", "--db", str(db), "--to", str(tmp_path / "copy.db")])
    assert result.exit_code != 0 and "exists" in result.output
    assert (tmp_path / "copy.db").read_text() == "precious"
