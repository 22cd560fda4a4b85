"""The organisers' commands open the database kiosk.toml names when --db is not given."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from kiosk.cli import cli
from kiosk.playlog.store import PlayStore

T0 = datetime(2026, 7, 18, 3, 0, tzinfo=UTC)


def log_plays(path: Path, finished: int, in_progress: int = 0) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with PlayStore(path, "K01") as store:
        for _ in range(finished):
            store.finish_play(store.start_play("recycle_right", "en", "adult", T0), "completed", T0)
        for _ in range(in_progress):
            store.start_play("park_smart", "en", "adult", T0)


def export_plays(*args: str, env: dict[str, str] | None = None) -> int:
    """Plays counted by ``smartizen export --by game`` (CSV: header, one row per game)."""
    result = CliRunner().invoke(cli, ["export", "--by", "game", *args], env=env)
    assert result.exit_code == 0, result.output
    return sum(int(line.split(",")[1]) for line in result.output.splitlines()[1:])


@pytest.fixture
def booth(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A booth's folder: kiosk.toml naming a database in a subfolder, which has 3 plays;
    the working directory is that folder, as for staff on the booth PC."""
    (tmp_path / "kiosk.toml").write_text('kiosk_id = "K01"\ndatabase = "data/booth.db"\n')
    log_plays(tmp_path / "data" / "booth.db", finished=3)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SMARTIZEN_DB", raising=False)
    return tmp_path


def test_tally_commands_read_the_database_from_kiosk_toml(booth: Path) -> None:
    assert export_plays() == 3
    result = CliRunner().invoke(cli, ["stats", "--format", "csv"])
    assert result.exit_code == 0 and "recycle_right" in result.output, result.output


def test_report_and_reset_read_it_too(booth: Path) -> None:
    log_plays(booth / "data" / "booth.db", finished=0, in_progress=2)
    result = CliRunner().invoke(cli, ["reset", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"db": "data/booth.db"' in result.output
    outcomes = sqlite3.connect(booth / "data" / "booth.db").execute(
        "select outcome, count(*) from plays group by outcome order by 1"
    )
    assert outcomes.fetchall() == [("abandoned", 2), ("completed", 3)]
    result = CliRunner().invoke(cli, ["report", "--out", str(booth / "r.html")])
    assert result.exit_code == 0 and "5 plays" in result.output, result.output


def test_backup_reads_it_too(booth: Path) -> None:
    result = CliRunner().invoke(cli, ["backup", "--to", str(booth / "copy.db")])
    assert result.exit_code == 0, result.output
    assert "backed up data/booth.db" in result.output
    copy = sqlite3.connect(booth / "copy.db")
    assert copy.execute("select count(*) from plays").fetchone() == (3,)


def test_config_names_a_kiosk_toml_elsewhere(booth: Path, tmp_path_factory) -> None:
    other = tmp_path_factory.mktemp("other")
    log_plays(other / "fleet.db", finished=5)
    (other / "event.toml").write_text(f'database = "{other / "fleet.db"}"\n')
    assert export_plays("--config", str(other / "event.toml")) == 5


def test_db_wins_over_the_config(booth: Path) -> None:
    log_plays(booth / "other.db", finished=1)
    assert export_plays("--db", "other.db") == 1
    assert export_plays("--db", "other.db", "--config", "kiosk.toml") == 1


def test_smartizen_db_wins_over_kiosk_toml_but_not_over_an_explicit_config(booth: Path) -> None:
    log_plays(booth / "env.db", finished=2)
    env = {"SMARTIZEN_DB": str(booth / "env.db")}
    assert export_plays(env=env) == 2
    assert export_plays("--config", "kiosk.toml", env=env) == 3


def test_without_kiosk_toml_the_default_is_scores_db(booth: Path) -> None:
    (booth / "kiosk.toml").unlink()
    log_plays(booth / "scores.db", finished=4)
    assert export_plays() == 4


def test_a_missing_config_or_database_is_one_clear_error(booth: Path) -> None:
    result = CliRunner().invoke(cli, ["stats", "--config", "nowhere.toml"])
    assert result.exit_code == 1
    assert result.output.strip() == "Error: config file nowhere.toml not found"
    (booth / "kiosk.toml").write_text('database = "gone.db"\n')
    result = CliRunner().invoke(cli, ["backup"])
    assert result.exit_code == 2 and "'gone.db' does not exist" in result.output
    result = CliRunner().invoke(cli, ["stats"])
    assert result.exit_code == 1 and "gone.db: no such file" in result.output
