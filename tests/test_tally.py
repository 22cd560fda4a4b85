"""`smartizen stats | export | reset` against real SQLite files written by the kiosk's own
PlayStore, checked against counts worked out by hand; the time-zone arithmetic against
Python's; the Datasette metadata against a real database."""

from __future__ import annotations

import csv
import io
import json
import logging
import random
import re
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from kiosk.cli import cli
from kiosk.organiser import tally
from kiosk.playlog.maintenance import end_in_progress
from kiosk.playlog.store import PLAY_COLUMNS, PlayStore, utc_iso
from tests.tallykit import PLAYS, hk, write_plays

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "scores.db"
    write_plays(path)
    return path


def run(*args: str, ok: bool = True):
    result = CliRunner().invoke(cli, list(args))
    if ok:
        assert result.exit_code == 0, result.output
    return result


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


# -- time zones ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "offset", "label"),
    [
        ("HKT", 480, "HKT"),
        ("Asia/Hong_Kong", 480, "HKT"),
        ("+08:00", 480, "HKT"),
        ("UTC", 0, "UTC"),
        ("utc", 0, "UTC"),
        ("Z", 0, "UTC"),
        ("+0530", 330, "UTC+05:30"),
        ("UTC-5", -300, "UTC-05:00"),
        ("Asia/Tokyo", 540, "UTC+09:00"),
        ("Asia/Kathmandu", 345, "UTC+05:45"),
    ],
)
def test_parse_zone(text, offset, label):
    zone = tally.parse_zone(text)
    assert (zone.offset_min, zone.label) == (offset, label)


@pytest.mark.parametrize("text", ["Europe/London", "America/New_York", "Mars/Olympus", "+15:00"])
def test_parse_zone_refuses_daylight_saving_and_nonsense(text):
    with pytest.raises(ValueError):
        tally.parse_zone(text)


def test_local_hour_and_day_sql_match_python(tmp_path):
    """The digit arithmetic behind every hour and day column agrees with Python's own
    conversion, for whole, half and three-quarter hour offsets either side of UTC, at the
    instants where days, months, years and a leap day turn over."""
    rnd = random.Random(5)
    base = datetime(2028, 1, 1, tzinfo=UTC)
    moments = [base + timedelta(seconds=rnd.randrange(366 * 86400)) for _ in range(3000)]
    for edge in ("2027-12-31T23:59:59.999", "2028-02-28T16:00:00.000", "2028-02-29T23:30:00.000"):
        edge_dt = datetime.fromisoformat(edge + "+00:00")
        moments += [edge_dt + timedelta(minutes=m) for m in range(-900, 900, 15)]
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (started_at TEXT)")
    conn.executemany("INSERT INTO t VALUES (?)", [(utc_iso(m),) for m in moments])
    for offset in (480, 0, -300, 330, 345, 600 + 30, -570, 840, -720):
        zone = tally._zone_for_offset(offset)
        got = conn.execute(
            f"SELECT started_at, {zone.hour_sql()}, {zone.day_sql()} FROM t"
        ).fetchall()
        for stored, hour, day in got:
            local = datetime.fromisoformat(stored).astimezone(zone.tzinfo)
            assert (hour, day) == (local.hour, local.date().isoformat()), (offset, stored)


def test_date_period_is_the_local_day():
    period = tally.make_period(tally.HKT, day="2026-07-18")
    assert (period.since, period.until) == ("2026-07-17T16:00:00.000Z", "2026-07-18T16:00:00.000Z")
    period = tally.make_period(tally.UTC_ZONE, since="2026-07-18", until="2026-07-18")
    assert (period.since, period.until) == ("2026-07-18T00:00:00.000Z", "2026-07-19T00:00:00.000Z")
    period = tally.make_period(tally.HKT, since="2026-07-18T10:00", until="2026-07-18T12:30")
    assert (period.since, period.until) == ("2026-07-18T02:00:00.000Z", "2026-07-18T04:30:00.000Z")
    with pytest.raises(ValueError):
        tally.make_period(tally.HKT, day="2026-07-18", since="2026-07-17")
    with pytest.raises(ValueError):
        tally.make_period(tally.HKT, since="2026-07-19", until="2026-07-18T00:00")


# -- export ----------------------------------------------------------------------------------


def test_export_game_hour_hkt_by_hand(db):
    out = run("export", "--db", str(db), "--by", "game,hour").output
    assert csv_rows(out) == [
        ["game", "hour_hkt", "plays"],
        ["park_smart", "10", "2"],  # 10:30 on the 18th, 10:15 on the 19th
        ["park_smart", "23", "1"],
        ["recycle_right", "0", "1"],  # midnight HKT is 16:00 UTC the day before
        ["recycle_right", "9", "1"],
        ["recycle_right", "10", "1"],
    ]


def test_export_day_in_hkt_and_utc(db):
    hkt = run("export", "--db", str(db), "--by", "day").output
    assert csv_rows(hkt) == [["day_hkt", "plays"], ["2026-07-18", "4"], ["2026-07-19", "2"]]
    utc = run("export", "--db", str(db), "--by", "day", "--utc").output
    assert csv_rows(utc) == [["day_utc", "plays"], ["2026-07-18", "5"], ["2026-07-19", "1"]]
    same = run("export", "--db", str(db), "--by", "day", "--tz", "UTC").output
    assert same == utc


def test_export_any_combination_of_dimensions(db):
    out = run("export", "--db", str(db), "--by", "kiosk, language,tier").output
    assert csv_rows(out) == [
        ["kiosk_id", "language", "prize_tier", "plays"],
        ["K01", "en", "gold", "1"],
        ["K01", "zh-HK", "", "1"],
        ["K01", "zh-HK", "silver", "1"],
        ["K02", "en", "", "1"],
        ["K02", "zh-HK", "", "2"],
    ]
    timeline = run("export", "--db", str(db), "--by", "day,hour,game").output
    assert csv_rows(timeline)[1:3] == [
        ["2026-07-18", "9", "recycle_right", "1"],
        ["2026-07-18", "10", "park_smart", "1"],
    ]


def test_export_since_until_are_local_and_until_includes_the_day(db):
    out = run(
        "export", "--db", str(db), "--by", "game", "--since", "2026-07-18", "--until", "2026-07-18"
    ).output
    assert csv_rows(out) == [["game", "plays"], ["park_smart", "2"], ["recycle_right", "2"]]
    out = run("export", "--db", str(db), "--by", "game", "--since", "2026-07-18T10:00").output
    assert csv_rows(out) == [["game", "plays"], ["park_smart", "3"], ["recycle_right", "2"]]
    out = run("export", "--db", str(db), "--by", "game", "--outcome", "completed").output
    assert csv_rows(out) == [["game", "plays"], ["park_smart", "1"], ["recycle_right", "2"]]


def test_export_json_and_table(db):
    rows = json.loads(run("export", "--db", str(db), "--by", "game", "--format", "json").output)
    assert rows == [{"game": "park_smart", "plays": 3}, {"game": "recycle_right", "plays": 3}]
    table = run("export", "--db", str(db), "--by", "hour", "--format", "table").output
    assert "HKT (UTC+08:00)" in table.splitlines()[0]
    assert re.search(r"^\s*10\s+3$", table, re.MULTILINE)
    empty = run("export", "--db", str(db), "--date", "2026-08-01", "--format", "json").output
    assert json.loads(empty) == []


def test_export_raw_every_play(db, tmp_path):
    out = tmp_path / "plays.csv"
    run("export", "--db", str(db), "--raw", "-o", str(out))
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == len(PLAYS)
    assert list(rows[0]) == [c for c in PLAY_COLUMNS if c != "prize_code"] + ["started_hkt"]
    assert rows[0]["started_at"] == "2026-07-18T01:59:59.000Z"
    assert rows[0]["started_hkt"] == "2026-07-18T09:59:59.000+08:00"
    plays = json.loads(run("export", "--db", str(db), "--raw", "--format", "json").output)
    assert [p["outcome"] for p in plays] == [p[4] for p in PLAYS]
    assert plays[0]["details"] == {"hits": 3}  # decoded, not a string
    assert plays[-1]["details"] is None


def test_raw_exports_leave_the_claim_codes_out_unless_asked(db, tmp_path):
    """A claim code is a bearer token: a spreadsheet mailed around must not carry them."""
    conn = sqlite3.connect(db)
    codes = [
        c for (c,) in conn.execute("SELECT prize_code FROM plays WHERE prize_code IS NOT NULL")
    ]
    conn.close()
    assert codes
    for fmt in ("csv", "json", "table"):
        text = run("export", "--db", str(db), "--raw", "--format", fmt).output
        assert "prize_code" not in text and not any(code in text for code in codes), fmt
        assert "prize_ref" in text
    assert "prize_code" not in run("export", "--db", str(db), "--raw", "--sql").output
    out = tmp_path / "with-codes.json"
    run("export", "--db", str(db), "--raw", "--with-codes", "--format", "json", "-o", str(out))
    plays = json.loads(out.read_text(encoding="utf-8"))
    assert sorted(p["prize_code"] for p in plays if p["prize_code"]) == sorted(codes)
    refused = CliRunner().invoke(cli, ["export", "--db", str(db), "--with-codes"])
    assert refused.exit_code == 2 and "--with-codes goes with --raw" in refused.output


def test_export_groups_in_sql_from_the_game_index(db):
    """The budgeted export reads only the (game, started_at) index: no table rows, no
    Python loop over plays."""
    sql, params, _ = tally.counts_query(["game", "hour"], tally.HKT)
    conn = sqlite3.connect(db)
    plan = " ".join(row[-1] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, params))
    conn.close()
    assert "COVERING INDEX idx_plays_game_started_at" in plan
    assert "strftime" not in sql  # no per-row timestamp parsing


def test_export_sql_option_prints_runnable_sql(db):
    sql = run("export", "--by", "game,day", "--since", "2026-07-19", "--sql").output
    conn = sqlite3.connect(db)
    assert conn.execute(sql).fetchall() == [
        ("park_smart", "2026-07-19", 1),
        ("recycle_right", "2026-07-19", 1),
    ]
    conn.close()


# -- stats -----------------------------------------------------------------------------------


def test_stats_by_hand(db):
    data = json.loads(run("stats", "--db", str(db), "--format", "json").output)
    assert data["timezone"] == "HKT" and data["utc_offset"] == "+08:00"
    games = {g["game"]: g for g in data["games"]}
    assert games["recycle_right"] == {
        "game": "recycle_right",
        "plays": 3,
        "completed": 2,
        "abandoned": 0,
        "error": 1,
        "in_progress": 0,
        "completion_rate": round(2 / 3, 4),
        "mean_score": 70.0,
        "prizes": 2,
        "title": "Recycle Right · 環保分類",  # the game's own strings, both languages
    }
    assert games["park_smart"]["completion_rate"] == 0.5  # 1 of 2 ended; 1 still playing
    assert games["park_smart"]["mean_score"] == 40.0
    total = data["total"]
    assert (total["plays"], total["completed"], total["prizes"]) == (6, 3, 2)
    assert total["completion_rate"] == 0.6  # 3 of 5 ended
    assert total["mean_score"] == 60.0  # (80 + 60 + 40) / 3, not a mean of means


def test_stats_table_and_date(db):
    out = run("stats", "--db", str(db), "--date", "2026-07-19").output
    lines = out.splitlines()
    assert lines[0] == f"{db} · 2026-07-19 HKT · days in HKT (UTC+08:00)"
    assert re.search(
        r"^park_smart\s+1\s+0\s+0\s+0\s+1\s+—\s+—\s+0\s+Park Smart · 智能泊車$", out, re.MULTILINE
    )
    assert re.search(r"^all games\s+2\s+0\s+0\s+1\s+1\s+0\.0%\s+—\s+0\s+—$", out, re.MULTILINE)
    nothing = run("stats", "--db", str(db), "--date", "2026-07-25").output
    assert "No plays." in nothing
    rows = csv_rows(run("stats", "--db", str(db), "--format", "csv").output)
    assert rows[0][:3] == ["game", "plays", "completed"] and rows[-1][:2] == ["all games", "6"]


def test_stats_reads_a_live_kiosk_without_writing(db):
    """A kiosk mid-play holds the file open in WAL mode; stats sees its committed plays."""
    with PlayStore(db, kiosk_id="K03") as kiosk:
        kiosk.start_play("recycle_right", "en", "child", hk(19, 11))
        before = db.read_bytes()
        data = json.loads(run("stats", "--db", str(db), "--format", "json").output)
        assert data["total"]["plays"] == 7
        assert db.read_bytes() == before


# -- errors and help -------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["stats", "export", "reset", "report"])
def test_a_missing_or_foreign_db_is_a_clear_error(tmp_path, command):
    missing = run(command, "--db", str(tmp_path / "nope.db"), ok=False)
    assert missing.exit_code == 1
    assert "nope.db: no such file" in missing.output
    assert not (tmp_path / "nope.db").exists()  # never created by looking
    text = tmp_path / "notes.db"
    text.write_text("not a database\n" * 100)
    foreign = run(command, "--db", str(text), ok=False)
    assert foreign.exit_code == 1
    assert "not an SQLite database" in foreign.output
    assert "Traceback" not in foreign.output


def test_bad_options_are_usage_errors(db):
    assert (
        "unknown dimension 'week'"
        in run("export", "--db", str(db), "--by", "game,week", ok=False).output
    )
    assert run("export", "--db", str(db), "--tz", "Europe/London", ok=False).exit_code == 2
    assert run("stats", "--db", str(db), "--utc", "--tz", "+09:00", ok=False).exit_code == 2
    clash = run("stats", "--db", str(db), "--date", "today", "--since", "2026-07-18", ok=False)
    assert clash.exit_code == 2 and "not both" in clash.output


def test_tz_from_the_environment(db):
    result = CliRunner().invoke(
        cli, ["export", "--db", str(db), "--by", "day"], env={"SMARTIZEN_TZ": "UTC"}
    )
    assert result.output.startswith("day_utc,plays")


@pytest.mark.parametrize("command", ["stats", "export", "merge", "report", "reset"])
def test_help(command):
    out = run(command, "--help").output
    assert "Examples:" in out
    if command != "merge":
        assert "--db" in out


# -- reset -----------------------------------------------------------------------------------


def test_reset_ends_plays_in_progress(tmp_path):
    path = tmp_path / "scores.db"
    with PlayStore(path, kiosk_id="K01") as k1, PlayStore(path, kiosk_id="K02") as k2:
        old = k1.start_play("recycle_right", "en", "adult", hk(18, 10))
        done = k1.start_play("recycle_right", "en", "adult", hk(18, 10, 5))
        k1.finish_play(done, "completed", hk(18, 10, 6), 70)
        other = k2.start_play("park_smart", "en", "adult", hk(18, 10, 1))
    dry = run("reset", "--db", str(path), "--dry-run").output
    assert "would end 2 play(s)" in dry
    with PlayStore(path, kiosk_id="K01") as s:
        assert s.count("in_progress") == 2
    out = run("reset", "--db", str(path), "--kiosk", "K01").output
    assert "ended 1 play(s) in progress as abandoned" in out and old in out
    with PlayStore(path, kiosk_id="K01") as s:
        row = s.get(old)
        assert row["outcome"] == "abandoned"
        ended = datetime.fromisoformat(row["ended_at"])
        assert abs((ended - datetime.now(UTC)).total_seconds()) < 60
        assert row["duration_s"] == pytest.approx((ended - hk(18, 10)).total_seconds(), abs=0.01)
        assert s.get(done)["outcome"] == "completed"  # finished plays untouched
        assert s.get(other)["outcome"] == "in_progress"  # another kiosk's, not asked for
        audit = s.db.execute("SELECT kiosk_id, action FROM audit").fetchall()
        assert audit == [("K01", "cli_reset")]
    again = json.loads(run("reset", "--db", str(path), "--format", "json").output)
    assert [p["id"] for p in again["plays"]] == [other]
    assert "no plays in progress" in run("reset", "--db", str(path)).output


def test_reset_older_than_spares_a_visitor_mid_game(tmp_path):
    path = tmp_path / "scores.db"
    now = datetime.now(UTC)
    with PlayStore(path, kiosk_id="K01") as s:
        stale = s.start_play("recycle_right", "en", "adult", now - timedelta(hours=3))
        live = s.start_play("recycle_right", "en", "adult", now - timedelta(minutes=1))
    data = json.loads(
        run("reset", "--db", str(path), "--older-than", "10", "--format", "json").output
    )
    assert [p["id"] for p in data["plays"]] == [stale]
    with PlayStore(path, kiosk_id="K01") as s:
        assert s.get(live)["outcome"] == "in_progress"


def test_reset_while_the_kiosk_is_writing(tmp_path, caplog):
    """The kiosk holds the file open and is mid-transaction when staff reset: reset waits
    for the lock, then ends the play; the kiosk's later finish is ignored, counted once."""
    path = tmp_path / "scores.db"
    with PlayStore(path, kiosk_id="K01") as kiosk:
        play = kiosk.start_play("recycle_right", "en", "adult", hk(18, 10))
        done: dict[str, object] = {}
        order: list[str] = []  # the wait's length is benchmarks/lock_wait.py's business

        def staff_reset() -> None:
            done["ended"] = end_in_progress(path, datetime.now(UTC))
            order.append("reset done")

        with kiosk._write():  # the kiosk is writing when staff press enter
            staff = threading.Thread(target=staff_reset)
            staff.start()
            time.sleep(0.6)
            assert staff.is_alive()  # queued behind the kiosk's transaction, not failed
            order.append("kiosk commits")  # before the commit: the reset cannot end sooner
        staff.join(timeout=10)
        assert [p.id for p in done["ended"]] == [play]
        assert order == ["kiosk commits", "reset done"]
        with caplog.at_level(logging.WARNING, logger="kiosk.playlog.store"):
            kiosk.finish_play(play, "completed", hk(18, 10, 1), 90)
        assert "already finished" in caplog.text
        assert kiosk.get(play)["outcome"] == "abandoned"
        assert kiosk.count() == 1
        assert kiosk._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# -- Datasette metadata ----------------------------------------------------------------------


def test_datasette_metadata_names_real_tables_and_columns(tmp_path):
    meta = json.loads((ROOT / "datasette-metadata.json").read_text(encoding="utf-8"))
    path = tmp_path / "scores.db"
    write_plays(path, PLAYS[:2])
    conn = sqlite3.connect(path)
    tables = {
        name: {row[1] for row in conn.execute(f"PRAGMA table_info({name})")}
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    assert meta["title"] and meta["description"]
    for db_name in ("scores", "fleet"):
        described = meta["databases"][db_name]["tables"]
        assert "plays" in described and "audit" in described
        for table, info in described.items():
            assert table in tables, table
            assert set(info.get("columns", {})) <= tables[table], table
            for column in [*info.get("facets", []), info.get("sort_desc", "started_at")]:
                if table == "plays":
                    assert column in tables[table]
        assert set(described["plays"]["columns"]) == set(PLAY_COLUMNS)  # every column told
        for name, query in meta["databases"][db_name].get("queries", {}).items():
            params = dict.fromkeys(re.findall(r":(\w+)", query["sql"]), "")  # the blank form
            conn.execute(query["sql"], params).fetchall()  # each canned query runs on a real log
            assert query["title"], name
    conn.close()


def test_datasette_serves_the_log_with_the_metadata(tmp_path):
    """Only where Datasette is installed (it is not a dependency of the kiosk)."""
    datasette_app = pytest.importorskip("datasette.app")
    import asyncio

    path = tmp_path / "scores.db"
    write_plays(path)
    meta = json.loads((ROOT / "datasette-metadata.json").read_text(encoding="utf-8"))

    async def fetch() -> tuple[int, str]:
        ds = datasette_app.Datasette([str(path)], metadata=meta)
        response = await ds.client.get("/scores/every_play")
        return response.status_code, response.text

    # In a thread of its own: the session's Chromium (Playwright's sync API, the chromium
    # fixture) keeps an event loop running in the main thread once a browser test has run.
    with ThreadPoolExecutor(1) as pool:
        status, text = pool.submit(asyncio.run, fetch()).result(timeout=60)
    assert status == 200
    assert "Every play, without claim codes" in text and "recycle_right" in text


def test_datasette_never_shows_the_claim_codes(tmp_path):
    """The metadata closes the plays table and free SQL (either would show prize_code) and
    offers every play without codes as a saved query; the other tables stay browsable."""
    datasette_app = pytest.importorskip("datasette.app")
    import asyncio

    path = tmp_path / "scores.db"
    write_plays(path)
    conn = sqlite3.connect(path)
    codes = [
        c for (c,) in conn.execute("SELECT prize_code FROM plays WHERE prize_code IS NOT NULL")
    ]
    conn.close()
    meta = json.loads((ROOT / "datasette-metadata.json").read_text(encoding="utf-8"))
    urls = [
        "/scores/plays",
        "/scores/plays.json",
        "/scores/plays.csv",
        "/scores/plays/" + "x",
        "/scores.json?sql=select+prize_code+from+plays",
        "/scores.db",
        "/scores/plays_by_game.json",
        "/scores/every_play.json",
        "/scores/every_play.json?game=recycle_right&outcome=completed",
        "/scores/audit.json",
    ]

    async def fetch() -> dict[str, tuple[int, str]]:
        ds = datasette_app.Datasette([str(path)], metadata=meta)
        return {url: ((r := await ds.client.get(url)).status_code, r.text) for url in urls}

    with ThreadPoolExecutor(1) as pool:
        answers = pool.submit(asyncio.run, fetch()).result(timeout=60)
    for url, (_, text) in answers.items():
        assert not any(code in text for code in codes), url
    assert {url for url, (status, _) in answers.items() if status == 200} == {
        "/scores/plays_by_game.json",
        "/scores/every_play.json",
        "/scores/every_play.json?game=recycle_right&outcome=completed",
        "/scores/audit.json",
    }
    every = json.loads(answers["/scores/every_play.json"][1])
    assert len(every["rows"]) == len(PLAYS) and "prize_code" not in every["columns"]
    assert "prize_ref" in every["columns"]
    chosen = json.loads(answers["/scores/every_play.json?game=recycle_right&outcome=completed"][1])
    assert len(chosen["rows"]) == 2


# -- the organisers' guide -------------------------------------------------------------------


def test_guide_shows_the_real_help_of_every_command():
    """docs/organisers.md quotes each command's --help; it must match the code."""
    guide = (ROOT / "docs" / "organisers.md").read_text(encoding="utf-8")
    blocks = dict(re.findall(r"```console\n\$ smartizen (\w+) --help\n(.*?)```", guide, re.DOTALL))
    assert set(blocks) == {"stats", "export", "merge", "report", "reset"}
    for command, shown in blocks.items():
        real = CliRunner().invoke(
            cli, [command, "--help"], terminal_width=80, prog_name="smartizen"
        )
        assert shown == real.output, f"docs/organisers.md: regenerate smartizen {command} --help"
    assert "datasette scores.db -m datasette-metadata.json" in guide
