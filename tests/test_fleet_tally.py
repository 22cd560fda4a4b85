"""`smartizen stats | export | report --fleet`: the organisers' numbers from the central
PostgreSQL store are the numbers the same plays give from a kiosk's SQLite file.

One set of plays is written through PlayStore (as a booth does), with visits and prize
hand-overs beside it, then copied row for row into a real central store (plain INSERTs
matching 0001_central.sql). Every tally is asked of both and must agree; the funnel, claims,
difficulty split and Hong Kong days and hours across midnight UTC are also checked by hand.

The booth's own ``visits`` table comes from the booth's playlog migration (another part of
issue 14); until it is on main these tests create it here with the contract's columns
(docs/fleet-contract.md: the central ``visits`` minus ``received_at``).
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from kiosk.claims.redemptions import RedemptionStore
from kiosk.cli import cli
from kiosk.organiser import claimtally, tally, visits
from kiosk.organiser.dialect import POSTGRES
from kiosk.organiser.report import build_report
from kiosk.organiser.source import FleetSource, Source
from kiosk.organiser.tally import HKT, UTC_ZONE, make_period
from kiosk.playlog.access import open_read
from kiosk.playlog.schema import PLAY_COLUMNS, utc_iso
from kiosk.playlog.store import PlayStore
from tests.tallykit import give_prize, hk

# (kiosk, game, language, difficulty, start HKT, outcome, score, tier)
PLAYS = [
    # 07:59:59 HKT is 23:59:59 UTC on the 17th; 08:00 HKT is midnight UTC on the 18th.
    ("K01", "recycle_right", "en", "easy", hk(18, 7, 59, 59), "completed", 90, "gold"),
    ("K01", "recycle_right", "zh-HK", "normal", hk(18, 8, 0, 0), "completed", 55, "silver"),
    ("K01", "park_smart", "zh-HK", "normal", hk(18, 8, 30), "abandoned", None, None),
    ("K02", "park_smart", "en", "easy", hk(18, 23, 59, 59), "completed", 40, "bronze"),
    ("K02", "recycle_right", "zh-HK", "hard", hk(19, 0, 0), "error", None, None),
    ("K02", "park_smart", "zh-HK", "hard", hk(19, 10, 15), "completed", 75, "silver"),
    ("K03", "healthy_steps", "en", "normal", hk(19, 7, 45), "in_progress", None, None),
]

# The contract's booth visits table (central `visits` minus received_at).
VISIT_COLUMNS = (
    "kiosk_id", "id", "touched_at", "language_chosen_at", "language", "game_chosen_at",
    "game", "play_started_at", "play_id", "finished_at", "qr_shown_at", "left_at",
    "last_stage",
)  # fmt: skip


def write_fleet(path: Path) -> list[str]:
    """The plays (through PlayStore), a visit for each and three that went nowhere far;
    returns the prize refs in play order (None: no prize)."""
    refs: list[str | None] = []
    serials: dict[str, int] = {}
    visit_rows = []
    for n, (kiosk, game, lang, level, start, outcome, score, tier) in enumerate(PLAYS):
        with PlayStore(path, kiosk_id=kiosk) as store:
            play_id = store.start_play(game, lang, level, start)
            end = start + timedelta(seconds=45)
            if outcome != "in_progress":
                store.finish_play(play_id, outcome, end, score, {"hits": n})
            ref = None
            if tier:
                serials[kiosk] = serials.get(kiosk, 0) + 1
                give_prize(store, play_id, tier, serials[kiosk])
                ref = store.db.execute(
                    "SELECT prize_ref FROM plays WHERE id = ?", [play_id]
                ).fetchone()[0]
        refs.append(ref)
        touched = start - timedelta(seconds=20)
        ended = outcome != "in_progress"
        visit_rows.append(
            (kiosk, f"v{n}", utc_iso(touched), utc_iso(touched + timedelta(seconds=5)), lang,
             utc_iso(touched + timedelta(seconds=12)), game, utc_iso(start), play_id,
             utc_iso(end) if ended else None, utc_iso(end + timedelta(seconds=3)) if tier else None,
             utc_iso(end + timedelta(seconds=30)) if ended else None,
             "qr" if tier else ("completed" if outcome == "completed" else "started"))
        )  # fmt: skip
    # Touched and walked away; chose a language only; chose a game but never started.
    visit_rows += [
        ("K01", "w1", utc_iso(hk(18, 9)), None, None, None, None, None, None, None, None,
         utc_iso(hk(18, 9, 1)), "touched"),
        ("K02", "w2", utc_iso(hk(18, 12)), utc_iso(hk(18, 12, 0, 5)), "en", None, None, None,
         None, None, None, utc_iso(hk(18, 12, 1)), "language"),
        ("K02", "w3", utc_iso(hk(19, 11)), utc_iso(hk(19, 11, 0, 5)), "zh-HK",
         utc_iso(hk(19, 11, 0, 9)), "park_smart", None, None, None, None,
         utc_iso(hk(19, 11, 1)), "game"),
    ]  # fmt: skip
    conn = sqlite3.connect(path)
    conn.execute(  # until the booth's own migration creates it (see the module docstring)
        "CREATE TABLE IF NOT EXISTS visits (kiosk_id TEXT NOT NULL, id TEXT NOT NULL, "
        "touched_at TEXT NOT NULL, language_chosen_at TEXT, language TEXT, game_chosen_at TEXT, "
        "game TEXT, play_started_at TEXT, play_id TEXT, finished_at TEXT, qr_shown_at TEXT, "
        "left_at TEXT, last_stage TEXT NOT NULL, PRIMARY KEY (kiosk_id, id))"
    )
    conn.executemany(
        f"INSERT INTO visits ({', '.join(VISIT_COLUMNS)}) "
        f"VALUES ({', '.join('?' * len(VISIT_COLUMNS))})",
        visit_rows,
    )
    conn.commit()
    conn.close()
    return refs


def copy_to_central(path: Path, dsn: str) -> None:
    """Every play and visit of the kiosk file into the central store, as plain INSERTs."""
    src = sqlite3.connect(path)
    play_cols = list(PLAY_COLUMNS)
    with psycopg.connect(dsn) as pg, pg.cursor() as cur:
        for table, cols in (("plays", play_cols), ("visits", list(VISIT_COLUMNS))):
            names = ", ".join(cols)
            rows = src.execute(f"SELECT {names} FROM {table}").fetchall()
            marks = ", ".join(["%s"] * len(cols))
            cur.executemany(f"INSERT INTO {table} ({names}, version) VALUES ({marks}, 1)", rows)
    src.close()


@pytest.fixture
def fleet(tmp_path: Path, central_db: str) -> dict:
    """The same plays as a kiosk file (+ a desk's claims.db) and in the central store."""
    db = tmp_path / "fleet.db"
    refs = write_fleet(db)
    copy_to_central(db, central_db)
    gold, silver, bronze, silver2 = (r for r in refs if r)
    collected = [gold, silver2]
    claims_db = tmp_path / "claims.db"
    with RedemptionStore(claims_db) as desks:
        for i, ref in enumerate(collected):
            desks.redeem(code=f"C{i}", ref=ref, tier="?", kiosk=ref[:3], event=1,
                         at=hk(19, 18), desk="desk-1")  # fmt: skip
    with psycopg.connect(central_db) as pg:
        events = [(gold, "opened"), (gold, "collected"), (silver2, "opened"),
                  (silver2, "collected"), (silver2, "collected"),  # a second desk's retry
                  (bronze, "opened"), (silver, "refused")]  # fmt: skip
        for ref, event in events:
            pg.execute(
                "INSERT INTO claim_events (prize_ref, kiosk_id, event, desk) "
                "VALUES (%s, %s, %s, 'desk-1')",
                [ref, ref[:3], event],
            )
    return {"db": db, "dsn": central_db, "claims_db": claims_db}


def run(*args: str, ok: bool = True, env: dict | None = None) -> str:
    result = CliRunner().invoke(cli, list(args), env=env)
    if ok:
        assert result.exit_code == 0, result.output
    return result.output


def both(fleet: dict, *args: str) -> tuple[str, str]:
    """The command's output from the kiosk file (with the desk's claims.db) and the fleet."""
    local = run(*args, "--db", str(fleet["db"]), "--claims-db", str(fleet["claims_db"]))
    central = run(*args, "--fleet", fleet["dsn"])
    return local, central


# -- the same numbers from either store -------------------------------------------------------


@pytest.mark.parametrize("by", ["game", "difficulty", "game,difficulty"])
def test_stats_from_the_fleet_match_the_kiosk_file(fleet, by):
    local, central = (
        json.loads(out) for out in both(fleet, "stats", "--format", "json", "--by", by)
    )
    assert central["db"].startswith("fleet ") and local["db"] == str(fleet["db"])
    for key in ("games", "total", "funnel", "claims", "by", "period"):
        assert central[key] == local[key], key
    assert central["total"]["plays"] == len(PLAYS)


def test_stats_by_difficulty_by_hand(fleet):
    out = json.loads(
        run("stats", "--fleet", fleet["dsn"], "--by", "difficulty", "--format", "json")
    )
    levels = {g["difficulty"]: g for g in out["games"]}
    assert sorted(levels) == ["easy", "hard", "normal"]
    assert (levels["easy"]["plays"], levels["easy"]["completed"]) == (2, 2)
    assert levels["easy"]["mean_score"] == 65.0  # (90 + 40) / 2
    assert (levels["hard"]["completed"], levels["hard"]["error"]) == (1, 1)
    assert levels["hard"]["completion_rate"] == 0.5
    assert (levels["normal"]["plays"], levels["normal"]["in_progress"]) == (3, 1)
    table = run("stats", "--fleet", fleet["dsn"], "--by", "game,difficulty")
    assert re.search(
        r"^recycle_right\s+hard\s+1\s+0\s+0\s+1\s+0\s+0\.0%\s+—\s+0\s+Recycle Right · 環保分類$",
        table,
        re.MULTILINE,
    )


@pytest.mark.parametrize("zone", ["HKT", "UTC", "+05:45", "-09:30"])
def test_export_counts_from_the_fleet_match_the_kiosk_file(fleet, zone):
    for dims in ("game", "day,hour", "hour", "kiosk,difficulty", "tier", "language,game"):
        local, central = both(fleet, "export", "--by", dims, "--tz", zone)
        assert local == central and len(local.splitlines()) > 1, dims


def test_export_raw_from_the_fleet_matches_the_kiosk_file(fleet):
    for fmt in ("csv", "json"):
        local, central = both(fleet, "export", "--raw", "--format", fmt, "--with-codes")
        assert local == central, fmt
    rows = list(csv.DictReader(io.StringIO(both(fleet, "export", "--raw")[1])))
    assert len(rows) == len(PLAYS) and "prize_code" not in rows[0]
    assert rows[0]["started_at"] == "2026-07-17T23:59:59.000Z"
    assert rows[0]["started_hkt"] == "2026-07-18T07:59:59.000+08:00"


def test_export_funnel_and_claims_match(fleet):
    for args in (["--funnel", "--by", "kiosk"], ["--funnel", "--by", "day,game"],
                 ["--claims", "--by", "tier"], ["--claims", "--by", "day,kiosk"]):  # fmt: skip
        local, central = both(fleet, "export", *args)
        assert local == central, args


@pytest.mark.parametrize("period", [{}, {"day": "2026-07-18"}, {"since": "2026-07-19T07:00"}])
def test_report_from_the_fleet_is_the_same_page(fleet, period):
    now = datetime(2026, 7, 19, 22, 0, tzinfo=UTC)
    chosen = make_period(HKT, **period)
    conn = open_read(fleet["db"])
    local = Source(conn, "fleet.db")
    local.attach_claims(fleet["claims_db"])
    central = FleetSource(fleet["dsn"])
    try:
        a = build_report(local, HKT, chosen, source="carnival", now=now)
        b = build_report(central, HKT, chosen, source="carnival", now=now)
    finally:
        local.close()
        central.close()
    assert a.html == b.html and a.plays == b.plays
    if not period:
        assert a.charts == 7  # the five of a kiosk file, the funnel and prizes collected
        assert "訪客流失漏斗" in a.html
        assert "Recycle Right" in a.html and "環保分類" in a.html


def test_report_command_reads_the_fleet(fleet, tmp_path):
    out = tmp_path / "fleet.html"
    said = run("report", "--fleet", fleet["dsn"], "--out", str(out))
    assert f"{len(PLAYS)} plays, 7 charts" in said
    page = out.read_text(encoding="utf-8")
    assert "HKT day × hour" in page and "By difficulty" in page


# -- by hand ----------------------------------------------------------------------------------


def test_funnel_by_hand(fleet):
    """Ten visitors: seven played (one still playing), one chose a game and left, one chose
    a language and left, one touched and walked away. Four plays completed (the error and
    abandon did not), and the four with a prize saw its QR code."""
    central = FleetSource(fleet["dsn"])
    try:
        (whole,) = visits.funnel(central, HKT)
        assert whole.as_dict() == {
            "touched": 10, "language": 9, "game": 8, "started": 7, "completed": 4, "qr": 4,
        }  # fmt: skip
        per_day = {r.key[0]: r.counts for r in visits.funnel(central, HKT, dims=["day"])}
        # The visitor who touched at 23:59:40 and played at midnight HKT counts on the 18th.
        assert per_day == {"2026-07-18": (7, 6, 5, 5, 3, 3), "2026-07-19": (3, 3, 3, 2, 1, 1)}
        one_day = make_period(HKT, day="2026-07-19")
        assert visits.funnel(central, HKT, one_day)[0].counts == (3, 3, 3, 2, 1, 1)
    finally:
        central.close()
    table = run("stats", "--fleet", fleet["dsn"])
    assert "Touched the screen" in table and "Saw a prize QR code" in table


def test_claims_by_hand(fleet):
    """Four prizes issued; two collected (one twice, by two desks: counted once); an opened
    or refused code is not collected."""
    central = FleetSource(fleet["dsn"])
    try:
        rows = {r.key[0]: (r.issued, r.collected) for r in claimtally.claims(central)}
    finally:
        central.close()
    assert rows == {"bronze": (1, 0), "gold": (1, 1), "silver": (2, 1)}
    local = json.loads(run("stats", "--db", str(fleet["db"]), "--format", "json"))["claims"]
    assert {c["tier"]: (c["issued"], c["collected"]) for c in local} == {
        "bronze": (1, None),
        "gold": (1, None),
        "silver": (2, None),
    }  # fmt: skip  (a kiosk file alone cannot know what a desk handed over)
    table = run("stats", "--db", str(fleet["db"]))
    assert "collected: unknown here" in table


def test_day_by_hour_in_hong_kong_across_midnight_utc(fleet):
    """23:59:59 UTC on the 17th is 07:59:59 HKT on the 18th: the same Hong Kong day as the
    play a second later, which is the first of a new UTC day."""
    hkt = list(csv.reader(io.StringIO(run("export", "--fleet", fleet["dsn"], "--by", "day,hour"))))
    assert hkt == [
        ["day_hkt", "hour_hkt", "plays"],
        ["2026-07-18", "7", "1"],
        ["2026-07-18", "8", "2"],
        ["2026-07-18", "23", "1"],
        ["2026-07-19", "0", "1"],
        ["2026-07-19", "7", "1"],
        ["2026-07-19", "10", "1"],
    ]
    utc = list(
        csv.reader(io.StringIO(run("export", "--fleet", fleet["dsn"], "--by", "day,hour", "--utc")))
    )
    assert utc[1:4] == [
        ["2026-07-17", "23", "1"],
        ["2026-07-18", "0", "2"],
        ["2026-07-18", "15", "1"],
    ]
    day = json.loads(
        run("stats", "--fleet", fleet["dsn"], "--date", "2026-07-18", "--format", "json")
    )
    assert day["total"]["plays"] == 4  # 07:59:59, 08:00, 08:30 and 23:59:59 HKT


def test_postgres_local_hours_and_days_match_python(central_db):
    """The centre's shift to local wall time agrees with Python's own conversion, for whole,
    half and three-quarter hour offsets either side of UTC, across day, month and leap-day
    boundaries (as the kiosk file's digit arithmetic is checked in test_tally)."""
    rnd = random.Random(7)
    base = datetime(2028, 1, 1, tzinfo=UTC)
    moments = [base + timedelta(seconds=rnd.randrange(366 * 86400)) for _ in range(400)]
    edge = datetime(2028, 2, 28, 16, 0, tzinfo=UTC)
    moments += [edge + timedelta(minutes=m) for m in range(-600, 2400, 15)]
    with psycopg.connect(central_db) as pg:
        pg.execute("CREATE TEMP TABLE t (at timestamptz)")
        with pg.cursor() as cur:
            cur.executemany("INSERT INTO t VALUES (%s)", [(m,) for m in moments])
        for offset in (480, 0, -300, 330, 345, 630, -570, 840, -720):
            zone = tally._zone_for_offset(offset)
            got = pg.execute(
                f"SELECT at, {POSTGRES.hour(zone, 'at')}, {POSTGRES.day(zone, 'at')}, "
                f"{POSTGRES.local_iso(zone, 'at')} FROM t"
            ).fetchall()
            for at, hour, day, iso in got:
                local = at.astimezone(zone.tzinfo)
                assert (hour, day) == (local.hour, local.date().isoformat()), (offset, at)
                assert datetime.fromisoformat(iso) == at


# -- choosing the central store ---------------------------------------------------------------


def test_fleet_from_fleet_toml_and_env(fleet, tmp_path, monkeypatch):
    toml = tmp_path / "fleet.toml"
    toml.write_text(f'dsn = "{fleet["dsn"]}"\n', encoding="utf-8")
    from_file = json.loads(run("stats", "--fleet", str(toml), "--format", "json"))
    assert from_file["total"]["plays"] == len(PLAYS)
    monkeypatch.chdir(tmp_path)
    alone = json.loads(run("stats", "--fleet", "--format", "json"))  # ./fleet.toml
    assert alone["db"] == from_file["db"]
    env = {"SMARTIZEN_FLEET_DSN": fleet["dsn"]}
    assert json.loads(run("stats", "--format", "json", env=env))["db"].startswith("fleet ")
    # A --db typed on the command line wins over the environment.
    typed = json.loads(run("stats", "--db", str(fleet["db"]), "--format", "json", env=env))
    assert typed["db"] == str(fleet["db"])


def test_unreachable_or_misconfigured_fleet_is_one_clear_line(tmp_path, pg_cluster):
    dead = f"host=127.0.0.1 port={pg_cluster.port} user=postgres dbname=no_such_db"
    result = CliRunner().invoke(cli, ["stats", "--fleet", dead])
    assert result.exit_code == 1
    assert result.output.startswith("Error: central store:") and "no_such_db" in result.output
    assert "Traceback" not in result.output
    empty = tmp_path / "fleet.toml"
    empty.write_text("[other]\nx = 1\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["export", "--fleet", str(empty)])
    assert result.exit_code == 1 and f"{empty}: unknown key other" in result.output
    missing = CliRunner().invoke(cli, ["report", "--fleet", str(tmp_path / "nowhere.toml")])
    assert missing.exit_code == 1 and "nowhere.toml: no such file" in missing.output
    both_given = CliRunner().invoke(
        cli, ["stats", "--fleet", dead, "--claims-db", str(tmp_path / "claims.db")]
    )
    assert both_given.exit_code == 2 and "--claims-db goes with a kiosk file" in both_given.output


def test_sql_option_shows_the_centre_s_dialect(fleet):
    sql = run("export", "--fleet", fleet["dsn"], "--by", "day,hour", "--sql")
    assert "AT TIME ZONE 'UTC'" in sql and "substr(" not in sql
    with psycopg.connect(fleet["dsn"]) as pg:
        assert len(pg.execute(sql).fetchall()) == 6
    assert run("export", "--by", "day", "--sql").count("substr(") >= 1  # a kiosk file's


def test_export_titles_column(fleet):
    rows = list(csv.reader(io.StringIO(run("export", "--fleet", fleet["dsn"], "--titles"))))
    assert rows[0] == ["game", "title_en", "title_zh-HK", "plays"]
    assert ["recycle_right", "Recycle Right", "環保分類", "3"] in rows


def test_period_on_the_fleet_uses_the_same_instants(fleet):
    central = FleetSource(fleet["dsn"])
    try:
        period = make_period(UTC_ZONE, since="2026-07-18T00:00", until="2026-07-18T15:59:59")
        assert tally.stats(central, period).total.plays == 2  # 00:00 and 00:30 UTC
    finally:
        central.close()


def test_without_psycopg_the_file_tools_work_and_fleet_says_what_to_install(fleet):
    """A booth or a claim server has `smartizen` but maybe not the fleet extra: psycopg is
    imported only when --fleet asks for the central store."""
    script = (
        "import sys; sys.modules['psycopg'] = None; sys.modules['psycopg_pool'] = None\n"
        "from kiosk.cli import main; main()"
    )
    base = [sys.executable, "-c", script]
    ok = subprocess.run([*base, "stats", "--db", str(fleet["db"])], capture_output=True, text=True)
    assert ok.returncode == 0 and "Recycle Right" in ok.stdout, ok.stderr
    refused = subprocess.run(
        [*base, "stats", "--fleet", fleet["dsn"]], capture_output=True, text=True
    )
    assert refused.returncode == 1
    assert "needs psycopg: install smartizen-kiosk[fleet]" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_numbers_after_smartizen_fleet_import_match_the_file(tmp_path, central_db):
    """The same check through the fleet's own after-hours import (the live sync's upsert)
    instead of plain INSERTs: what organisers see centrally is what the booths recorded."""
    db = tmp_path / "booths.db"
    write_fleet(db)
    imported = CliRunner().invoke(cli, ["fleet", "--dsn", central_db, "import", str(db)])
    assert imported.exit_code == 0, imported.output
    local = json.loads(run("stats", "--db", str(db), "--format", "json", "--by", "game,difficulty"))
    central = json.loads(
        run("stats", "--fleet", central_db, "--format", "json", "--by", "game,difficulty")
    )
    for key in ("games", "total", "funnel"):
        assert central[key] == local[key], key
    for args in (["--by", "day,hour,kiosk"], ["--raw"], ["--funnel", "--by", "game"]):
        assert run("export", "--fleet", central_db, *args) == run(
            "export", "--db", str(db), *args
        ), args
