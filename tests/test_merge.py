"""`smartizen merge` on real kiosk files: hand-counted totals, idempotence, the conflict
rule, refusals of files that are not kiosk databases, and inputs left byte-for-byte
untouched (live WAL files included)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from kiosk.cli import cli
from kiosk.organiser import merge as merge_module
from kiosk.playlog.store import PlayStore
from tests.tallykit import hk, write_plays

# Three booths' days, counted by hand below.
K01 = [
    ("K01", "recycle_right", "en", hk(18, 10), "completed", 90, "gold"),
    ("K01", "recycle_right", "zh-HK", hk(18, 11), "completed", 55, "thanks"),
    ("K01", "park_smart", "en", hk(18, 14), "abandoned", None, None),
]
K02 = [
    ("K02", "park_smart", "zh-HK", hk(18, 10, 30), "completed", 70, "silver"),
    ("K02", "park_smart", "zh-HK", hk(18, 15), "error", None, None),
]
K03 = [
    ("K03", "recycle_right", "en", hk(19, 10, 10), "completed", 65, "silver"),
    ("K03", "healthy_steps", "zh-HK", hk(19, 21, 59), "completed", 30, "thanks"),
    ("K03", "healthy_steps", "en", hk(19, 22, 0), "in_progress", None, None),
]


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def merged(*args: str) -> dict:
    result = run("merge", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def digest(path: Path) -> dict[str, str | None]:
    """Hashes of a database and its WAL, as they are on disk."""
    out: dict[str, str | None] = {}
    for suffix in ("", "-wal"):
        file = Path(f"{path}{suffix}")
        out[suffix or "db"] = (
            hashlib.sha256(file.read_bytes()).hexdigest() if file.exists() else None
        )
    return out


def rows(path: Path, sql: str = "SELECT * FROM plays ORDER BY id") -> list[tuple]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@pytest.fixture
def kiosks(tmp_path: Path) -> list[Path]:
    paths = []
    for plays in (K01, K02, K03):
        path = tmp_path / f"{plays[0][0]}.db"
        write_plays(path, plays)
        paths.append(path)
    return paths


def test_merge_counts_by_hand(kiosks, tmp_path):
    fleet = tmp_path / "fleet.db"
    before = {p: digest(p) for p in kiosks}
    report = merged(*map(str, kiosks), "--into", str(fleet))
    assert (report["plays"], report["kiosks"]) == (8, 3)
    assert [(s["kiosks"], s["plays"]["read"], s["plays"]["new"]) for s in report["sources"]] == [
        (["K01"], 3, 3),
        (["K02"], 2, 2),
        (["K03"], 3, 3),
    ]
    assert {p: digest(p) for p in kiosks} == before  # inputs untouched
    # The fleet file is a kiosk database like any other: the tallies run on it.
    by_kiosk = run("export", "--db", str(fleet), "--by", "kiosk").output
    assert list(csv.reader(io.StringIO(by_kiosk))) == [
        ["kiosk_id", "plays"],
        ["K01", "3"],
        ["K02", "2"],
        ["K03", "3"],
    ]
    by_game_day = run("export", "--db", str(fleet), "--by", "game,day", "--format", "json")
    assert json.loads(by_game_day.output) == [
        {"game": "healthy_steps", "day_hkt": "2026-07-19", "plays": 2},
        {"game": "park_smart", "day_hkt": "2026-07-18", "plays": 3},
        {"game": "recycle_right", "day_hkt": "2026-07-18", "plays": 2},
        {"game": "recycle_right", "day_hkt": "2026-07-19", "plays": 1},
    ]
    stats = json.loads(run("stats", "--db", str(fleet), "--format", "json").output)["total"]
    assert (stats["completed"], stats["prizes"], stats["mean_score"]) == (5, 5, 62.0)
    # Each kiosk's prize serials survive as they were.
    assert rows(fleet, "SELECT kiosk_id, prize_serial FROM plays WHERE prize_serial "
                "IS NOT NULL ORDER BY 1, 2") == [
        ("K01", 1), ("K01", 2), ("K02", 1), ("K03", 1), ("K03", 2)
    ]  # fmt: skip
    migrations = rows(fleet, "SELECT name FROM _sqlite_migrations")
    assert len(migrations) == len(set(migrations))  # its own bookkeeping, not the inputs'
    assert not list(tmp_path.glob(".fleet.db.merging*"))


def test_merge_twice_or_overlapping_counts_every_play_once(kiosks, tmp_path):
    fleet = tmp_path / "fleet.db"
    merged(*map(str, kiosks), "--into", str(fleet))
    first = rows(fleet)
    again = merged(*map(str, kiosks), "--into", str(fleet))
    assert [s["plays"]["new"] + s["plays"]["updated"] for s in again["sources"]] == [0, 0, 0]
    assert rows(fleet) == first
    copy = tmp_path / "usb" / "K01.db"  # the same kiosk's file, copied twice to a USB stick
    copy.parent.mkdir()
    shutil.copy(kiosks[0], copy)
    overlap = tmp_path / "overlap.db"
    report = merged(
        str(kiosks[0]), str(copy), str(kiosks[0]), str(kiosks[1]), "--into", str(overlap)
    )
    assert report["plays"] == 5
    assert [s["plays"]["new"] for s in report["sources"]] == [3, 0, 2]  # repeats named once


def test_more_finished_copy_wins_whatever_the_order(tmp_path):
    """A copy taken mid-game says in_progress; the kiosk's later file says completed, with a
    prize. Either order of inputs gives the same fleet: the finished, prized play."""
    live = tmp_path / "K01.db"
    with PlayStore(live, kiosk_id="K01") as kiosk:
        play = kiosk.start_play("recycle_right", "en", "adult", hk(18, 10))
        other = kiosk.start_play("park_smart", "en", "adult", hk(18, 10, 5))
        kiosk.finish_play(other, "abandoned", hk(18, 10, 6))
    early = tmp_path / "early" / "K01.db"
    early.parent.mkdir()
    shutil.copy(live, early)
    with PlayStore(live, kiosk_id="K01") as kiosk:
        kiosk.finish_play(play, "completed", hk(18, 10, 1), 88)
    late = tmp_path / "late" / "K01.db"
    late.parent.mkdir()
    shutil.copy(live, late)
    with PlayStore(late, kiosk_id="K01") as kiosk:
        kiosk.db.execute(
            "UPDATE plays SET prize_tier = 'gold', prize_serial = 1, prize_ref = 'K01-X', "
            "prize_code = 'C1' WHERE id = ?",
            [play],
        )

    one, two = tmp_path / "one.db", tmp_path / "two.db"
    merged(str(early), str(live), str(late), "--into", str(one))
    report = merged(str(late), str(live), str(early), "--into", str(two))
    assert rows(one) == rows(two)
    outcome, score, tier = rows(
        one, f"SELECT outcome, score, prize_tier FROM plays WHERE id = '{play}'"
    )[0]
    assert (outcome, score, tier) == ("completed", 88, "gold")
    assert len(rows(one)) == 2
    assert [s["plays"]["updated"] for s in report["sources"]] == [0, 0, 0]  # late came first

    # Merging the in-progress copy into a fleet that has the finished play changes nothing;
    # merging the finished one into a fleet from the early copy upgrades it in place.
    fleet = tmp_path / "fleet.db"
    merged(str(early), "--into", str(fleet))
    assert rows(fleet, f"SELECT outcome FROM plays WHERE id = '{play}'") == [("in_progress",)]
    upgrade = merged(str(late), "--into", str(fleet))
    assert upgrade["sources"][0]["plays"] == {"read": 2, "new": 0, "updated": 1, "unchanged": 1}
    assert rows(fleet) == rows(one)


def test_a_live_kiosk_is_read_through_its_wal_and_left_untouched(tmp_path):
    path = tmp_path / "K01.db"
    with PlayStore(path, kiosk_id="K01") as kiosk:
        for minute in range(5):
            kiosk.start_play("recycle_right", "en", "adult", hk(18, 10, minute))
        wal = Path(f"{path}-wal")
        assert wal.stat().st_size > 0  # the plays are in the WAL, not yet in K01.db
        before = digest(path)
        report = merged(str(path), "--into", str(tmp_path / "fleet.db"))
        assert report["plays"] == 5
        assert digest(path) == before
        kiosk.start_play("recycle_right", "en", "adult", hk(18, 11))  # the kiosk carries on
        assert kiosk.count() == 6


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: p.write_text("kiosk,game\nK01,recycle_right\n"), "not an SQLite database"),
        (lambda p: p.write_bytes(b""), "empty file (0 bytes)"),
        (lambda p: sqlite3.connect(p).execute("CREATE TABLE scores (x)").connection.commit(),
         "an SQLite database without a plays table"),
        (lambda p: sqlite3.connect(p).execute("CREATE TABLE plays (id, game)").connection.commit(),
         "its plays table lacks kiosk_id, language, difficulty, started_at, outcome"),
        (lambda p: None, "no such file"),
    ],
    ids=["text", "empty", "no-plays-table", "other-plays-table", "missing"],
)  # fmt: skip
def test_not_a_kiosk_database_is_refused_and_nothing_written(kiosks, tmp_path, make, reason):
    bad = tmp_path / "bad.db"
    make(bad)
    bad_before = bad.read_bytes() if bad.exists() else None
    fleet = tmp_path / "fleet.db"
    result = run("merge", str(kiosks[0]), str(bad), "--into", str(fleet))
    assert result.exit_code == 1
    assert f"{bad}: {reason}" in result.output
    assert "nothing merged" in result.output
    assert "Traceback" not in result.output and result.exception is not None
    assert isinstance(result.exception, SystemExit)
    assert not fleet.exists()
    assert (bad.read_bytes() if bad.exists() else None) == bad_before
    # An existing fleet is not touched either.
    merged(str(kiosks[1]), "--into", str(fleet))
    before = digest(fleet)
    assert run("merge", str(kiosks[0]), str(bad), "--into", str(fleet)).exit_code == 1
    assert digest(fleet) == before


def test_every_bad_input_is_named_at_once(kiosks, tmp_path):
    text, empty = tmp_path / "a.txt", tmp_path / "b.db"
    text.write_text("hello")
    empty.touch()
    result = run("merge", str(text), str(kiosks[0]), str(empty), "--into", str(tmp_path / "f.db"))
    assert result.exit_code == 1
    assert str(text) in result.output and str(empty) in result.output


def test_into_must_not_be_an_input_nor_a_foreign_file(kiosks, tmp_path):
    same = run("merge", str(kiosks[0]), str(kiosks[1]), "--into", str(kiosks[0]))
    assert same.exit_code == 1 and "is also the --into file" in same.output
    notes = tmp_path / "notes.txt"
    notes.write_text("minutes of the meeting")
    foreign = run("merge", str(kiosks[0]), "--into", str(notes))
    assert foreign.exit_code == 1 and "--into not an SQLite database" in foreign.output
    assert notes.read_text() == "minutes of the meeting"


def test_staff_logs_carried_once_each_and_settings_left_out(tmp_path):
    paths = []
    for kiosk_id in ("K01", "K02"):
        path = tmp_path / f"{kiosk_id}.db"
        with PlayStore(path, kiosk_id=kiosk_id) as store:
            store.audit("staff_login", hk(18, 9))  # both kiosks: audit id 1
            store.audit("game_off", hk(18, 9, 1), "park_smart")
            store.set_game_enabled("2026-07-18", "park_smart", False)
        paths.append(path)
    fleet = tmp_path / "fleet.db"
    first = merged(*map(str, paths), "--into", str(fleet))
    merged(*map(str, paths), "--into", str(fleet))
    audit = rows(fleet, "SELECT kiosk_id, action, detail FROM audit ORDER BY at, kiosk_id")
    assert audit == [
        ("K01", "staff_login", ""),
        ("K02", "staff_login", ""),
        ("K01", "game_off", "park_smart"),
        ("K02", "game_off", "park_smart"),
    ]
    assert first["sources"][0]["audit"] == {"read": 2, "new": 2, "updated": 0, "unchanged": 0}
    assert rows(fleet, "SELECT count(*) FROM game_switches") == [(0,)]
    assert first["sources"][0]["skipped_tables"] == []


def test_two_kiosks_with_one_id_and_clashing_serials_are_refused(tmp_path):
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    for path, game in ((a, "recycle_right"), (b, "park_smart")):  # both configured as K01
        write_plays(path, [("K01", game, "en", hk(18, 10), "completed", 90, "gold")])
    result = run("merge", str(a), str(b), "--into", str(tmp_path / "fleet.db"))
    assert result.exit_code == 1
    assert "kiosk id K01 and prize serial 1" in result.output
    assert str(a) in result.output and str(b) in result.output
    assert not (tmp_path / "fleet.db").exists()
    assert not list(tmp_path.glob(".fleet.db.merging*"))
    fleet = tmp_path / "existing.db"  # into an existing fleet: that batch is undone
    merged(str(a), "--into", str(fleet))
    before = rows(fleet)
    clash = run("merge", str(b), "--into", str(fleet))
    assert clash.exit_code == 1 and "kiosk id K01 and prize serial 1" in clash.output
    assert rows(fleet) == before


def test_more_files_than_sqlite_attaches_at_once(tmp_path):
    paths = []
    for k in range(1, 14):
        path = tmp_path / f"K{k:02d}.db"
        write_plays(
            path, [(f"K{k:02d}", "recycle_right", "en", hk(18, 10, k), "completed", 50, None)]
        )
        paths.append(str(path))
    report = merged(*paths, "--into", str(tmp_path / "fleet.db"))
    assert (report["plays"], report["kiosks"], len(report["sources"])) == (13, 13, 13)


def test_an_older_or_newer_schema_is_merged_by_common_columns(tmp_path):
    newer = tmp_path / "newer.db"
    write_plays(newer, [("K09", "recycle_right", "en", hk(18, 10), "completed", 50, None)])
    conn = sqlite3.connect(newer)
    conn.execute("ALTER TABLE plays ADD COLUMN mood TEXT")
    conn.execute("CREATE TABLE weather (at TEXT, rain REAL)")
    conn.commit()
    conn.close()
    result = run("merge", str(newer), "--into", str(tmp_path / "fleet.db"))
    assert result.exit_code == 0, result.output
    assert "columns unknown to this version, not merged: mood" in result.output
    assert "tables not merged: weather" in result.output


def test_merge_table_output(kiosks, tmp_path):
    out = run("merge", *map(str, kiosks), "--into", str(tmp_path / "fleet.db")).output
    assert out.splitlines()[0].split() == [
        "input", "kiosk", "plays", "new", "updated", "unchanged", "staff", "log", "rows", "new"
    ]  # fmt: skip
    assert out.rstrip().endswith("fleet.db holds 8 plays from 3 kiosks.")


def test_conflict_rule_is_documented_where_it_is_coded():
    assert merge_module.OUTCOME_RANK["completed"] > merge_module.OUTCOME_RANK["abandoned"]
    assert merge_module.OUTCOME_RANK["abandoned"] > merge_module.OUTCOME_RANK["in_progress"]
    assert "completed > error > abandoned > in_progress" in merge_module.CONFLICT_RULE[0]


def test_duration_is_not_touched_by_merging(kiosks, tmp_path):
    fleet = tmp_path / "fleet.db"
    merged(*map(str, kiosks), "--into", str(fleet))
    durations = {
        d for (d,) in rows(fleet, "SELECT duration_s FROM plays WHERE ended_at IS NOT NULL")
    }
    assert durations == {timedelta(seconds=45).total_seconds()}


def test_into_a_missing_folder_is_a_clear_error(kiosks, tmp_path):
    result = run("merge", str(kiosks[0]), "--into", str(tmp_path / "no" / "fleet.db"))
    assert result.exit_code == 1 and "folder that does not exist" in result.output
