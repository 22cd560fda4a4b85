"""A new merged fleet file's own layout (kiosk/organiser/fleetfile.py): only the plays
index organisers' tools read, each organiser query reading it (EXPLAIN QUERY PLAN), every
command's output the same as on a file with all a booth's indexes, the unique indexes added
by the first merge into it, and the bulk path's copies settled exactly as merging the inputs
one after another would."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner

from kiosk.cli import cli
from kiosk.organiser import fleetfile, play_ids, reportdata
from kiosk.organiser import merge as merge_module
from kiosk.organiser.merge import MergeConflict, _kiosk_ids, merge
from kiosk.organiser.reportdata import hour_group_queries
from kiosk.organiser.tally import (
    HKT,
    Period,
    counts_query,
    make_period,
    parse_dimensions,
    parse_zone,
)
from kiosk.playlog.access import open_read
from kiosk.playlog.schema import REPORT_HOUR_INDEX
from kiosk.playlog.store import PlayStore
from kiosk.sync import outbox
from tests.tallykit import hk, write_plays
from tests.test_merge import rows

REPORT_HOUR_SQL = "SELECT substr(started_at, 1, 13), game, outcome, prize_tier, score"
BOOTH_ONLY = (
    "idx_plays_started_at",
    "idx_plays_game_started_at",
    "idx_plays_outcome",
    "idx_plays_kiosk_ended_at",
    "idx_plays_version",
)


def plays_indexes(conn: sqlite3.Connection) -> set[str]:
    return {
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'plays'"
        )
    }


def plan(conn: sqlite3.Connection, sql: str, params: list | tuple = ()) -> str:
    return " | ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, list(params)))


def play_counts(result) -> list[tuple[int, int, int]]:
    return [(s.plays.read, s.plays.added, s.plays.updated) for s in result.sources]


@pytest.fixture
def booths(tmp_path: Path) -> list[Path]:
    paths = []
    for k, start in ((1, 10), (2, 11)):
        path = tmp_path / f"K0{k}.db"
        write_plays(
            path,
            [
                (f"K0{k}", "recycle_right", "en", hk(18, start), "completed", 90, "gold"),
                (f"K0{k}", "park_smart", "zh-HK", hk(18, start, 5), "abandoned", None, None),
                (f"K0{k}", "healthy_steps", "en", hk(19, start), "in_progress", None, None),
            ],
        )
        paths.append(path)
    return paths


def test_a_new_fleet_file_keeps_only_the_indexes_organisers_use(booths, tmp_path):
    fleet = tmp_path / "fleet.db"
    merge(booths, fleet)
    conn = sqlite3.connect(fleet)
    try:
        assert plays_indexes(conn) == {REPORT_HOUR_INDEX}
        assert conn.execute("PRAGMA page_size").fetchone()[0] == fleetfile.PAGE_SIZE
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert outbox.missing(conn) == []  # a kiosk database: the outbox's triggers are there
    finally:
        conn.close()
    booth = sqlite3.connect(f"file:{booths[0]}?mode=ro", uri=True)
    try:  # the booth's own schema is not touched
        assert set(BOOTH_ONLY) <= plays_indexes(booth)
        assert not set(BOOTH_ONLY) & set(fleetfile.KEPT_INDEXES)
    finally:
        booth.close()
    # Opening it as a kiosk database adds nothing back.
    PlayStore(fleet, kiosk_id="fleet").close()
    with sqlite3.connect(fleet) as conn:
        assert plays_indexes(conn) == set(fleetfile.KEPT_INDEXES)


def test_the_first_merge_into_a_fleet_file_adds_the_unique_indexes(booths, tmp_path):
    fleet = tmp_path / "fleet.db"
    merge(booths[:1], fleet)
    again = merge(booths, fleet)
    assert play_counts(again) == [(3, 0, 0), (3, 3, 0)]
    conn = sqlite3.connect(fleet)
    try:
        assert plays_indexes(conn) == {*fleetfile.KEPT_INDEXES, *fleetfile.UPSERT_INDEXES}
        one = conn.execute("SELECT * FROM plays WHERE prize_serial IS NULL LIMIT 1").fetchone()
        with pytest.raises(sqlite3.IntegrityError, match=r"failed: plays\.id$"):
            conn.execute(f"INSERT INTO plays VALUES ({', '.join('?' * len(one))})", one)
        by_id = plan(conn, "UPDATE plays SET outcome = 'abandoned' WHERE id = ?", ["x"])
        assert f"INDEX {fleetfile.ID_INDEX} (id=?)" in by_id
    finally:
        conn.close()
    merge(booths, fleet)  # a booth's file, or a file merged into before: nothing to add
    with sqlite3.connect(fleet) as conn:
        assert plays_indexes(conn) == {*fleetfile.KEPT_INDEXES, *fleetfile.UPSERT_INDEXES}


def test_an_input_that_does_not_keep_serials_unique_is_checked(booths, tmp_path):
    """A fleet file given as an input has no unique serial index (an edit by hand could
    give one kiosk's serial to two plays): the new file checks what the index would."""
    first = tmp_path / "first.db"
    merge(booths, first)
    with sqlite3.connect(first) as conn:
        conn.execute(
            "UPDATE plays SET prize_serial = 1, prize_tier = 'gold' WHERE kiosk_id = 'K01'"
        )
    with pytest.raises(MergeConflict, match="kiosk id K01 and prize serial 1"):
        merge([first], tmp_path / "fleet.db")
    assert not (tmp_path / "fleet.db").exists()


ORGANISER_COMMANDS = [
    ["stats", "--format", "json"],
    ["stats", "--by", "game,difficulty", "--format", "csv"],
    ["export", "--by", "game,hour,kiosk", "--format", "csv"],
    ["export", "--by", "day,tier,language", "--format", "csv", "--tz", "+05:30"],
    ["export", "--raw", "--format", "csv"],
    ["funnel", "--format", "json"],
]


def command_outputs(path: Path, tmp_path: Path) -> list[str]:
    runner = CliRunner()
    outputs = []
    for args in ORGANISER_COMMANDS:
        result = runner.invoke(cli, [*args, "--db", str(path)])
        assert result.exit_code == 0, (args, result.output)
        outputs.append(result.output.replace(str(path), "DB"))
    for zone in ("HKT", "+05:30"):
        page = tmp_path / f"{path.parent.name}-{zone}.html"
        args = ["report", "--db", str(path), "--out", str(page), "--tz", zone]
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, result.output
        outputs.append(re.sub(r"generated [^<]*", "", page.read_text(encoding="utf-8")))
    return outputs


def test_every_organiser_command_says_the_same_as_on_a_file_with_every_index(booths, tmp_path):
    """The same inputs merged into a new fleet file (its own layout, one plays index) and
    into a kiosk database made first (every booth index, the upsert path): every organiser
    command prints the same, the report included."""
    (tmp_path / "copies").mkdir()
    inputs = [booths[1], *copies_of_one_booth(tmp_path / "copies")]  # K02; K01 copied 3 times
    fleet, full = tmp_path / "new" / "fleet.db", tmp_path / "full" / "fleet.db"
    fleet.parent.mkdir()
    full.parent.mkdir()
    merge(inputs, fleet)
    PlayStore(full, kiosk_id="fleet").close()
    merge(inputs, full)
    with sqlite3.connect(full) as conn:
        assert set(BOOTH_ONLY) <= plays_indexes(conn)
    assert rows(fleet) == rows(full)
    assert command_outputs(fleet, tmp_path) == command_outputs(full, tmp_path)
    for zone in (HKT, parse_zone("+05:30"), parse_zone("-03:30")):
        for when in (Period(), make_period(zone, day="2026-07-19")):
            with open_read(fleet) as new, open_read(full) as every:
                assert reportdata.read(new, zone, when) == reportdata.read(every, zone, when)


def test_organisers_queries_read_the_kept_indexes(booths, tmp_path):
    fleet = tmp_path / "fleet.db"
    merge(booths, fleet)
    conn = sqlite3.connect(fleet)
    try:
        period = Period("2026-07-18T00:00:00.000Z", "2026-07-19T00:00:00.000Z")
        for zone, when in ((HKT, Period()), (parse_zone("+05:30"), period)):
            for sql, params, _ in hour_group_queries(zone, when):
                used = plan(conn, sql, params)
                assert f"COVERING INDEX {REPORT_HOUR_INDEX}" in used and "TEMP" not in used
        sql, params, _ = counts_query(parse_dimensions("game,hour"), HKT)
        assert f"COVERING INDEX {REPORT_HOUR_INDEX}" in plan(conn, sql, params)
    finally:
        conn.close()
    # Plays per difficulty, prizes issued, plays per kiosk and kiosks per day (by UTC date:
    # every play is between 10:00 and 22:00 in Hong Kong): one pass, no GROUP BY, no lookup.
    seen: list[str] = []
    with open_read(fleet) as conn:
        conn.set_trace_callback(seen.append)
        data = reportdata.read(conn, HKT)
    side = [sql for sql in seen if "report_side_groups" in sql and "INSERT" in sql]
    assert len(side) == 1 and "kiosk_id, substr(started_at, 1, 10)," in side[0]
    assert not [sql for sql in seen if "GROUP BY" in sql and REPORT_HOUR_SQL not in sql]
    assert not [sql for sql in seen if "kiosk_id = ?" in sql]
    assert [(day, kiosks) for day, *_, kiosks in data.daily] == [
        ("2026-07-18", 2),
        ("2026-07-19", 2),
    ]
    assert [k for k, _ in reportdata.read(open_read(fleet), HKT).kiosks] == ["K01", "K02"]


def test_every_organiser_command_opens_a_fleet_file(booths, tmp_path):
    fleet = tmp_path / "fleet.db"
    merge(booths, fleet)
    runner = CliRunner()
    commands = [
        ["stats", "--format", "json"],
        ["stats", "--by", "game,difficulty"],
        ["export", "--by", "game,hour,kiosk"],
        ["export", "--raw"],
        ["report", "--out", str(tmp_path / "report.html")],
        ["funnel", "--format", "json"],
        ["reset", "--all"],
    ]
    for args in commands:
        result = runner.invoke(cli, [*args, "--db", str(fleet)])
        assert result.exit_code == 0, (args, result.output)
    stats = json.loads(runner.invoke(cli, ["stats", "--db", str(fleet), "--format", "json"]).output)
    assert (stats["total"]["plays"], stats["total"]["abandoned"]) == (6, 4)  # reset ended two
    again = merge(booths, fleet)  # and it takes more merging: the in-progress copies lose
    assert [s.plays.added + s.plays.updated for s in again.sources] == [0, 0]


def copies_of_one_booth(tmp_path: Path) -> list[Path]:
    """K01's file copied three times during a day: a play in progress in the first copy is
    completed in the second and given a prize in the third."""
    live = tmp_path / "K01.db"
    with PlayStore(live, kiosk_id="K01") as kiosk:
        play = kiosk.start_play("recycle_right", "en", "adult", hk(18, 10))
        done = kiosk.start_play("park_smart", "en", "adult", hk(18, 9))
        kiosk.finish_play(done, "abandoned", hk(18, 9, 1))
    copies = []
    for name, change in (
        ("early", None),
        ("noon", "UPDATE plays SET outcome = 'completed', ended_at = '2026-07-18T02:01:00.000Z', "
         "score = 70 WHERE id = ?"),
        ("late", "UPDATE plays SET prize_tier = 'gold', prize_serial = 1 WHERE id = ?"),
    ):  # fmt: skip
        if change:
            with PlayStore(live, kiosk_id="K01") as kiosk:
                kiosk.db.execute(change, [play])
        copy = tmp_path / name / "K01.db"
        copy.parent.mkdir()
        shutil.copy(live, copy)
        copies.append(copy)
    return copies


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 1, 0), (1, 0, 2), (0, 2, 1)])
def test_copies_in_one_new_file_count_as_if_merged_one_after_another(tmp_path, order):
    copies = copies_of_one_booth(tmp_path)
    inputs = [copies[i] for i in order]
    at_once = merge(inputs, tmp_path / "at_once.db")
    one_by_one = tmp_path / "one_by_one.db"
    counts = [play_counts(merge([path], one_by_one))[0] for path in inputs]
    assert play_counts(at_once) == counts
    assert rows(tmp_path / "at_once.db") == rows(one_by_one)
    assert rows(one_by_one, "SELECT outcome, prize_tier FROM plays ORDER BY started_at") == [
        ("abandoned", None),
        ("completed", "gold"),
    ]
    if order == (0, 1, 2):
        assert counts == [(2, 2, 0), (2, 0, 1), (2, 0, 1)]


def test_one_play_under_two_kiosk_ids_is_still_counted_once(booths, tmp_path):
    """Files that share no kiosk are appended on trust; the unique id index is the check,
    and a play found under two kiosk ids (a file edited by hand) is settled all the same."""
    renamed = tmp_path / "renamed" / "K09.db"
    renamed.parent.mkdir()
    shutil.copy(booths[0], renamed)
    with sqlite3.connect(renamed) as conn:
        conn.execute("UPDATE plays SET kiosk_id = 'K09'")
    result = merge([booths[0], renamed, booths[1]], tmp_path / "fleet.db")
    assert result.plays == 6
    assert play_counts(result) == [(3, 3, 0), (3, 0, 3), (3, 3, 0)]  # whole row: K09 > K01
    assert rows(tmp_path / "fleet.db", "SELECT count(DISTINCT id) FROM plays") == [(6,)]


def test_plays_from_before_the_outbox_are_given_versions(booths, tmp_path):
    old = tmp_path / "old" / "K01.db"
    old.parent.mkdir()
    shutil.copy(booths[0], old)
    with sqlite3.connect(old) as conn:
        for trigger in outbox.trigger_names("plays"):
            conn.execute(f'DROP TRIGGER "{trigger}"')
        conn.execute("UPDATE plays SET version = NULL")
    fleet = tmp_path / "fleet.db"
    merge([old, booths[1]], fleet)
    versions = rows(fleet, "SELECT version FROM plays WHERE kiosk_id = 'K01' ORDER BY rowid")
    assert all(v is not None for (v,) in versions)
    assert [v for (v,) in versions] == sorted({v for (v,) in versions})  # one each, in order
    before = rows(fleet)
    merge([booths[1]], fleet)
    assert rows(fleet) == before


def test_a_failed_build_leaves_neither_a_half_file_nor_its_parts(booths, tmp_path, monkeypatch):
    def fail(self, conn, *args):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(fleetfile.Pending, "add_triggers", fail)
    before = open_descriptors()
    with pytest.raises(sqlite3.OperationalError):
        merge(booths, tmp_path / "fleet.db")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["K01.db", "K02.db"]
    assert open_descriptors() == before  # the early sync's (background_sync.py) closed
    assert not [t for t in threading.enumerate() if t.name == "merge-early-sync"]


def test_a_new_file_is_synced_whole_and_leaves_nothing_open(booths, tmp_path, monkeypatch):
    """The plays' pages start going to disk after the copy (kiosk/organiser/background_sync.py)
    on a descriptor of their own; the whole file is still synced before it is renamed into
    place, and neither the thread nor the descriptor outlives the merge."""
    synced: list[str] = []
    real = os.fsync

    def fsync(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real(fd)

    monkeypatch.setattr("kiosk.organiser.merge.os.fsync", fsync)
    before = open_descriptors()
    fleet = tmp_path / "fleet.db"
    merge(booths, fleet)
    assert synced == [str(tmp_path / ".fleet.db.merging")]
    assert open_descriptors() == before
    assert not [t for t in threading.enumerate() if t.name == "merge-early-sync"]
    with open_read(fleet) as conn:
        assert conn.execute("SELECT count(*) FROM plays").fetchone()[0] == 6


def open_descriptors() -> set[str]:
    return set(os.listdir("/proc/self/fd"))


@pytest.mark.parametrize(
    "ids",
    [
        lambda old: old.upper(),  # another 32-character id, nothing in common
        lambda old: f"{old[:8]}-{old[8:12]}-{old[12:16]}-{old[16:20]}-{old[20:]}",  # 36 wide
        lambda old: old[:5],  # shorter than one 8-byte word
        lambda old: old[:13],  # a word and a part: the last 8 bytes overlap the first
        lambda old: old[: 5 + int(old[-1], 16)],  # ids of many widths: not fingerprinted
        lambda old: f"{old[:4]}\x1f{old[5:]}",  # the separator in an id: not fingerprinted
    ],
    ids=["width-32", "width-36", "width-5", "width-13", "mixed-widths", "separator"],
)
def test_one_play_under_two_kiosk_ids_is_found_whatever_its_ids_look_like(booths, tmp_path, ids):
    """Ids from another program (36-character UUIDs, or of any length): the new file's id
    check (fingerprints of ids of one width, else the exact settling by id) still finds a
    play that two files share under different kiosk ids, and only that one."""
    for path in booths:
        with closing(sqlite3.connect(path)) as conn, conn:  # closed: nothing left in a WAL
            for (old,) in conn.execute("SELECT id FROM plays").fetchall():
                conn.execute("UPDATE plays SET id = ? WHERE id = ?", [ids(old), old])
    renamed = tmp_path / "renamed" / "K09.db"
    renamed.parent.mkdir()
    shutil.copy(booths[0], renamed)
    with sqlite3.connect(renamed) as conn:
        conn.execute("UPDATE plays SET kiosk_id = 'K09'")  # no kiosk shared with K01.db
        conn.execute(  # two new plays, their ids as wide as before
            "UPDATE plays SET id = substr(id, 1, length(id) - 1) || 'z' WHERE rowid > 1"
        )
    result = merge([booths[0], renamed, booths[1]], tmp_path / "fleet.db")
    assert result.plays == 8
    assert play_counts(result) == [(3, 3, 0), (3, 2, 1), (3, 3, 0)]  # whole row: K09 > K01
    assert rows(tmp_path / "fleet.db", "SELECT count(DISTINCT id), count(*) FROM plays") == [(8, 8)]


def test_ids_all_distinct_need_no_settling(booths, tmp_path, monkeypatch):
    """Inputs sharing no kiosk and no play id: the fingerprints differ, so the bulk path
    never groups the plays by id."""

    def settle(*args):
        raise AssertionError("copies settled although every id differs")

    monkeypatch.setattr("kiosk.organiser.merge._settle_copies", settle)
    assert merge(booths, tmp_path / "fleet.db").plays == 6


def test_a_play_recorded_after_its_ids_were_read_is_merged_once(booths, tmp_path, monkeypatch):
    """The ids are read beside the copy, in another transaction: a kiosk that records a play
    in between (here a copy of one the other kiosk has, under its own kiosk id) gives the
    copy one play more than the ids read, and the merge settles copies by id instead of
    trusting them."""
    opened = play_ids.IdsRead.__init__

    def read_first(self, paths):
        opened(self, paths)
        self._job.wait()  # the ids are read: then the kiosk records a play
        with closing(sqlite3.connect(booths[1])) as conn, conn:
            columns = [r[1] for r in conn.execute("PRAGMA table_info(plays)") if r[1] != "id"]
            conn.execute(
                f"INSERT INTO plays (id, {', '.join(columns)}) "
                f"SELECT ?, {', '.join(columns)} FROM plays WHERE rowid = 2",  # no prize
                [first_id],
            )

    with closing(sqlite3.connect(booths[0])) as conn:
        first_id = conn.execute("SELECT id FROM plays ORDER BY rowid LIMIT 1").fetchone()[0]
    monkeypatch.setattr(play_ids.IdsRead, "__init__", read_first)
    result = merge(booths, tmp_path / "fleet.db")
    assert result.plays == 6
    assert play_counts(result) == [(3, 3, 0), (4, 3, 0)]  # its copy ranks below K01's
    assert rows(tmp_path / "fleet.db", "SELECT count(DISTINCT id), count(*) FROM plays") == [(6, 6)]


def test_ids_read_say_distinct_only_for_the_counts_the_copy_took(booths, tmp_path):
    """The worker's answer on its own: every id different, as many plays as the copy took
    from each input; a count that differs, a file that cannot be read (logged) or a play
    id twice says not distinct."""
    assert play_ids.IdsRead(booths).distinct([3, 3])
    assert not play_ids.IdsRead(booths).distinct([3, 4])
    assert not play_ids.IdsRead([booths[0], booths[0]]).distinct([3, 3])
    assert not play_ids.IdsRead([booths[0], tmp_path / "gone.db"]).distinct([3, 0])


def test_a_failed_merge_stops_reading_ids(booths, tmp_path, monkeypatch):
    """Nothing of a failed merge outlives it: its ids worker has ended too."""

    def append(*args):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(merge_module._Appended, "append", append)
    with pytest.raises(sqlite3.OperationalError):
        merge(booths, tmp_path / "fleet.db")
    assert not [t for t in threading.enumerate() if t.name == "merge-ids"]
    assert not (tmp_path / ".fleet.db.merging").exists()


@pytest.mark.parametrize("width", [1, 5, 8, 13, 32, 36])
def test_fingerprints_are_alike_only_for_alike_ids(width):
    """Ids of one width read joined by the separator: one fingerprint each, equal for equal
    ids, different for ids differing in any one byte; ids not all one width (or holding the
    separator, or fewer than counted) get none."""
    ids = ["".join(chr(48 + (i * 7 + j) % 40) for j in range(width)) for i in range(40)]
    ids += [ids[3]] + [ids[0][:j] + "~" + ids[0][j + 1 :] for j in range(width)]

    def read(some: list[str], count: int | None = None):
        joined = "\x1f".join(some).encode()
        return play_ids.fingerprints(joined, len(some) if count is None else count)

    fingerprints = read(ids)
    assert len(fingerprints) == len(ids)
    assert fingerprints[40] == fingerprints[3]
    assert len(set(fingerprints.tolist())) == len(ids) - 1
    assert read(["ab" * width, "a" * width]) is None
    assert read(ids[:2], 3) is None  # one id NULL: left out of the string
    assert read(["é" + "a" * (width - 1), "a" * width]) is None  # one width in text, not bytes
    if width > 1:
        assert read([ids[0], f"\x1f{ids[1][1:]}", ids[2]]) is None


def test_kiosk_ids_are_read_alike_with_or_without_a_kiosk_index(booths, tmp_path):
    """A booth's file has indexes starting with kiosk_id (walked kiosk by kiosk); a new
    fleet file has none (read through): both give every kiosk id once, in order."""
    fleet = tmp_path / "fleet.db"
    merge(booths, fleet)
    for path, indexed in ((booths[0], True), (fleet, False)):
        with closing(sqlite3.connect(path)) as conn:
            starts = [
                conn.execute(f'PRAGMA index_info("{name}")').fetchone()[2]
                for _, name, *_ in conn.execute("PRAGMA index_list(plays)").fetchall()
            ]
            assert ("kiosk_id" in starts) is indexed
            expected = [
                k for (k,) in conn.execute("SELECT DISTINCT kiosk_id FROM plays ORDER BY 1")
            ]
            assert _kiosk_ids(conn, "main") == expected
            assert len(expected) == (1 if indexed else 2)


def test_kiosks_per_day_past_local_midnight(tmp_path):
    """Plays on both sides of local midnight within one UTC date (23:50 and 00:10 in Hong
    Kong are both 2026-07-18 in UTC): the one pass keys plays by UTC hour instead, so each
    kiosk counts on its own local day, as on a file with every index."""
    booth = tmp_path / "booth.db"
    write_plays(
        booth,
        [
            ("K01", "recycle_right", "en", hk(18, 23, 50), "completed", 90, "gold"),
            ("K02", "park_smart", "en", hk(19, 0, 10), "completed", 70, "silver"),
            ("K02", "park_smart", "en", hk(19, 10), "abandoned", None, None),
            ("K03", "park_smart", "en", hk(19, 11), "completed", 40, "thanks"),
        ],
    )
    fleet = tmp_path / "fleet.db"
    merge([booth], fleet)
    seen: list[str] = []
    with open_read(fleet) as conn:
        conn.set_trace_callback(seen.append)
        data = reportdata.read(conn, HKT)
    side = [sql for sql in seen if "report_side_groups" in sql and "INSERT" in sql]
    assert "kiosk_id, substr(started_at, 1, 13)," in side[0]
    assert [(day, plays, kiosks) for day, plays, *_, kiosks in data.daily] == [
        ("2026-07-18", 1, 1),
        ("2026-07-19", 3, 2),
    ]
    with open_read(booth) as conn:  # every booth index: kiosks per day by lookups
        assert reportdata.read(conn, HKT) == data
    utc = parse_zone("UTC")  # one local day per UTC date: the short key again
    with open_read(fleet) as new, open_read(booth) as every:
        assert reportdata.read(new, utc) == reportdata.read(every, utc)
