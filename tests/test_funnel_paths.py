"""The visitors' funnel has one definition (kiosk/funnel.py) and every path that counts it
gives the same numbers for the same visits: the organisers' tallies on a kiosk file and on
the central store (kiosk/organiser/visits.py, `smartizen funnel --db | --fleet`) and the
dashboard's half-hour totals (kept by migration 0007's triggers, read by
kiosk/fleet/dashboard/today.py).

The visits are written as a booth writes them (PlayStore's visit stages, real plays) on two
Hong Kong days, taken to a real central PostgreSQL by the after-hours import (once at midday,
again after hours, so the second import updates rows the first one stored), plus one booth
whose visits arrived but whose plays did not yet: a completed round counts from its visit
alone, on every path.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner
from psycopg_pool import ConnectionPool

from kiosk.cli import cli
from kiosk.fleet.dashboard import today as dashboard_today
from kiosk.fleet.ingest import check_batch, ingest
from kiosk.fleet.kioskfile import ImportResult, import_file, read_tables
from kiosk.funnel import STAGES
from kiosk.organiser import visits
from kiosk.organiser.source import FleetSource, Source
from kiosk.organiser.tally import HKT, make_period
from kiosk.playlog.access import open_read
from kiosk.playlog.store import PlayStore
from tests.tallykit import give_prize, hk

DAY1, DAY2 = "2026-07-18", "2026-07-19"

# (kiosk, visit, touched (HKT), furthest stage it reached, the round's outcome, QR shown)
WALKS = [
    ("K01", "a-touch", hk(18, 10, 0), "touched", None, False),
    ("K01", "a-lang", hk(18, 10, 5), "language", None, False),
    ("K01", "a-game", hk(18, 10, 9), "game", None, False),
    ("K01", "a-gave-up", hk(18, 10, 14), "started", "abandoned", False),
    ("K02", "a-failed", hk(18, 11, 20), "started", "error", False),
    ("K02", "a-playing", hk(18, 11, 25), "started", None, False),  # done after midday
    ("K02", "a-done", hk(18, 11, 30), "started", "completed", False),  # no prize left
    ("K01", "a-prize", hk(18, 12, 40), "started", "completed", True),
    ("K02", "a-late", hk(18, 23, 50), "started", "completed", True),  # the day's last
    ("K01", "a-still", hk(18, 16, 0), "started", None, False),  # the round never ended
    ("K01", "b-early", hk(19, 0, 10), "started", "completed", False),  # next local day
    ("K02", "b-lang", hk(19, 9, 0), "language", None, False),
]
MIDDAY = 6  # the midday import carries the first six walks, then they are done again


def walk(store: PlayStore, visit: str, at: datetime, reached: str, outcome, qr: bool) -> None:
    """One visitor as the booth records them: the touch, each stage, the round, leaving."""
    store.start_visit(visit, at)
    if reached != "touched":
        store.update_visit(visit, "language", at + timedelta(seconds=4), "en")
    if reached in ("game", "started"):
        store.update_visit(visit, "game", at + timedelta(seconds=9), "recycle_right")
    left = at + timedelta(seconds=30)
    if reached == "started":
        start = at + timedelta(seconds=12)
        play = store.start_play("recycle_right", "en", "normal", start)
        store.update_visit(visit, "started", start, play)
        if outcome is not None:
            end = start + timedelta(seconds=45)
            store.finish_play(play, outcome, end, 80 if outcome == "completed" else None, {})
            store.update_visit(visit, "finished", end, outcome)
            left = end + timedelta(seconds=20)
            if qr:
                give_prize(store, play, "gold", 1)
                store.update_visit(visit, "qr", end + timedelta(seconds=2))
    if outcome is not None or reached != "started":
        store.update_visit(visit, "left", left)


def write_walks(path: Path, walks: list) -> None:
    for kiosk, visit, at, reached, outcome, qr in walks:
        with PlayStore(path, kiosk_id=kiosk) as store:
            walk(store, visit, at, reached, outcome, qr)


def add(*rows: dict[str, int]) -> dict[str, int]:
    return {stage: sum(r[stage] for r in rows) for stage in STAGES}


def file_funnel(path: Path, day: str | None) -> dict[str, int]:
    with Source(open_read(path), str(path)) as source:
        (row,) = visits.funnel(source, HKT, make_period(HKT, day))
    return row.as_dict()


def cli_funnel(*args: str) -> dict[str, int]:
    result = CliRunner().invoke(cli, ["funnel", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return {s["stage"]: s["visits"] for s in json.loads(result.output)["funnel"]}


@pytest.fixture
def fleet(tmp_path: Path, central_db: str) -> tuple[Path, Path, str]:
    """Two booths' log (imported at midday and after hours) and a third booth whose visits
    reached the centre but whose plays did not yet."""
    booths, lagging = tmp_path / "booths.db", tmp_path / "k09.db"
    write_walks(booths, WALKS[:MIDDAY])
    with psycopg.connect(central_db) as conn:
        import_file(conn, booths)
    with PlayStore(booths, kiosk_id="K02") as store:  # the round on at midday completes
        (visit,) = store.visits(id="a-playing")
        end = hk(18, 11, 26)
        store.finish_play(visit["play_id"], "completed", end, 70, {})
        store.update_visit("a-playing", "finished", end, "completed")
        store.update_visit("a-playing", "left", end + timedelta(seconds=20))
    write_walks(booths, WALKS[MIDDAY:])
    write_walks(lagging, [("K09", "c-done", hk(18, 15, 0), "started", "completed", False)])
    with psycopg.connect(central_db) as conn:
        assert import_file(conn, booths).applied["visits"] == len(WALKS) - MIDDAY + 1
        db = open_read(lagging)
        db.row_factory = sqlite3.Row
        (rows,) = read_tables(db, ImportResult()).values()
        db.close()
        ingest(conn, "K09", check_batch("K09", {"visits": rows["visits"]}))
        conn.commit()
        assert conn.execute("SELECT count(*) FROM plays WHERE kiosk_id = 'K09'").fetchone() == (
            0,
        )
    return booths, lagging, central_db


def test_every_path_counts_the_same_funnel(fleet) -> None:
    booths, lagging, dsn = fleet
    by_hand = {
        DAY1: {"touched": 11, "language": 10, "game": 9, "started": 8, "completed": 5, "qr": 2},
        DAY2: {"touched": 2, "language": 2, "game": 1, "started": 1, "completed": 1, "qr": 0},
    }
    pool = ConnectionPool(dsn, min_size=1, max_size=1, open=True)
    try:
        for day, expected in by_hand.items():
            files = add(file_funnel(booths, day), file_funnel(lagging, day))
            with FleetSource(dsn) as central:
                (row,) = visits.funnel(central, HKT, make_period(HKT, day))
            now = datetime.now(UTC)
            shown = dashboard_today.compute(pool, datetime.fromisoformat(day).date(), 8, now)
            command = add(
                cli_funnel("--db", str(booths), "--date", day),
                cli_funnel("--db", str(lagging), "--date", day),
            )
            assert files == expected
            assert row.as_dict() == expected
            assert shown.funnel == expected
            assert command == expected
            assert cli_funnel("--fleet", dsn, "--date", day) == expected
    finally:
        pool.close()
    everything = add(*by_hand.values())
    assert cli_funnel("--fleet", dsn) == everything
    assert add(cli_funnel("--db", str(booths)), cli_funnel("--db", str(lagging))) == everything


def test_the_funnel_command_reads_the_central_store_with_tiers(fleet) -> None:
    booths, _, dsn = fleet
    fleet_out = CliRunner().invoke(cli, ["funnel", "--fleet", dsn, "--date", DAY1])
    assert fleet_out.exit_code == 0, fleet_out.output
    assert "Completed the game" in fleet_out.output and "Prizes by tier" in fleet_out.output
    as_json = CliRunner().invoke(cli, ["funnel", "--fleet", dsn, "--format", "json"])
    from_file = CliRunner().invoke(cli, ["funnel", "--db", str(booths), "--format", "json"])
    # Every prize play reached the centre: the tiers agree with the booths' own file.
    assert json.loads(as_json.output)["tiers"] == json.loads(from_file.output)["tiers"]
    assert json.loads(as_json.output)["tiers"][0]["given"] == 2
