"""Migration 0008 (the dashboard's running-total triggers as static SQL) has exactly the
effects of 0007's dynamic ones: the same pushes, desk claims, updates and deletes applied to a
store migrated to 0007 and to one migrated to 0008 leave every dashboard table identical,
row by row (zero rows included), and equal to the numbers counted from the raw rows."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import psycopg
import pytest

from kiosk.fleet.ingest import check_batch, ingest
from kiosk.fleet.migrate import migrate
from kiosk.fleet.simbooth import GAMES, SimBooth, iso
from tests.test_dashboard_totals import assert_totals_match

BEFORE = 7  # the last migration with the dynamic triggers
DASH_TABLES = {
    "dash_plays": "bucket, kiosk_id, game, plays, completed",
    "dash_prizes": "bucket, kiosk_id, tier, issued, collected",
    "dash_visits": "bucket, kiosk_id, touched, language, game, started, completed, qr",
    "dash_gaps": "kiosk_id, from_at, to_at",
}
BOOTHS = ("north-1", "south-2", "lake-3")


def _at(text: str, delta: timedelta) -> str:
    return iso(datetime.fromisoformat(text) + delta)


def _play_steps(play: dict[str, Any], rnd: random.Random, i: int) -> list[dict[str, Any]]:
    """A play as the booth writes it over time: in progress (sometimes under another game,
    or before the booth's clock was corrected by 90 minutes: another half hour), then its
    end, a completed round's prize last."""
    early = {**play, "outcome": "in_progress", "ended_at": None, "duration_s": None,
             "score": None, "prize_tier": None, "earned_tier": None, "prize_serial": None,
             "prize_ref": None, "prize_code": None}  # fmt: skip
    if i % 5 == 1:
        early["game"] = GAMES[(GAMES.index(play["game"]) + 1) % len(GAMES)]
    if i % 7 == 2:
        early["started_at"] = _at(play["started_at"], timedelta(minutes=-90))
    outcome = rnd.choice(["completed", "completed", "completed", "abandoned", "error"])
    if outcome != "completed":
        return [early, {**early, "started_at": play["started_at"], "outcome": outcome}]
    steps = [early]
    if play["prize_ref"]:
        steps.append({**early, "started_at": play["started_at"], "outcome": "completed"})
    return [*steps, play]


def _visit_steps(visit: dict[str, Any], completed: bool, i: int) -> list[dict[str, Any]]:
    """A visit stage by stage; some visitors leave early, some first touches were stamped
    before a clock correction (another half hour)."""
    stages = [
        ("touched_at", "touched"),
        ("language_chosen_at", "language"),
        ("game_chosen_at", "game"),
        ("play_started_at", "started"),
        ("finished_at", "completed" if completed else None),
        ("qr_shown_at", "qr"),
    ]
    first = visit["touched_at"]
    if i % 6 == 3:
        first = _at(first, timedelta(minutes=-45))
    row: dict[str, Any] = {"id": visit["id"], "kiosk_id": visit["kiosk_id"], "touched_at": first}
    steps = []
    for column, stage in stages[: 1 + i % 6]:
        if visit[column] is None or (column == "qr_shown_at" and not completed):
            break
        row = {**row, column: first if column == "touched_at" else visit[column]}
        if column == "play_started_at":
            row["play_id"] = visit["play_id"]
        if stage:
            row["last_stage"] = stage
        steps.append(row)
    steps[-1] = {**steps[-1], "touched_at": visit["touched_at"]}  # the corrected time last
    return steps


def _changes(booth: SimBooth, rnd: random.Random, rounds: int) -> list[tuple[str, dict]]:
    """Every row version a booth sends, each with the next value of its counter."""
    out: list[tuple[str, dict]] = []
    version = 0
    for i in range(rounds):
        play, visit = booth.round()
        plays = _play_steps(play, rnd, i)
        visits = _visit_steps(visit, plays[-1]["outcome"] == "completed", i)
        for table, row in [("plays", r) for r in plays] + [("visits", r) for r in visits]:
            version += 1
            out.append((table, {**row, "version": version}))
    return out


def _pushes(seed: int) -> list[tuple[str, dict[str, list[Any]]]]:
    """The batches of three booths, and the desks' claims, in the order the centre gets them:
    shuffled (a stale version after a newer one), in batches of 1–40 rows, a quarter sent
    twice (at least once), prizes collected (some before their play arrives, one twice) and
    codes opened at a desk but never collected."""
    rnd = random.Random(seed)
    pushes: list[tuple[str, dict[str, list[Any]]]] = []
    refs = []
    for kiosk in BOOTHS:
        changes = _changes(SimBooth(kiosk, seed=f"{kiosk}-{seed}"), rnd, 60)
        refs += [r["prize_ref"] for t, r in changes if t == "plays" and r["prize_ref"]]
        rnd.shuffle(changes)
        while changes:
            size = rnd.randint(1, 40)
            chunk, changes = changes[:size], changes[size:]
            rows: dict[str, list[dict]] = {}
            for table, row in chunk:
                rows.setdefault(table, []).append(row)
            pushes.append((kiosk, rows))
    pushes += rnd.sample(pushes, len(pushes) // 4)
    rnd.shuffle(pushes)
    rnd.shuffle(refs)
    collected, opened = refs[: len(refs) // 2], refs[len(refs) // 2 :][::2]
    events = [[(ref, "opened"), (ref, "collected")] for ref in collected]
    events += [[(ref, "opened")] for ref in opened]
    events += [[(collected[0], "collected"), (collected[1], "collected")]]
    events += [[("R-unknown", "opened"), ("R-unknown", "collected")]]
    for group in events:
        pushes.insert(rnd.randint(0, len(pushes)), ("", {"claims": group}))
    return pushes


# After the pushes, an organiser's corrections and an after-hours clean-up: plays moved
# between games, half hours and tiers, a funnel stage taken back, rows deleted; heartbeats
# with a silence (0004's trigger, unchanged, for a complete comparison).
LATER = (
    "UPDATE plays SET game = 'park_smart' WHERE kiosk_id = 'north-1' AND score % 3 = 0",
    "UPDATE plays SET started_at = started_at + interval '47 minutes'"
    " WHERE kiosk_id = 'south-2' AND score % 4 = 1",
    "UPDATE plays SET prize_tier = 'silver' WHERE kiosk_id = 'lake-3' AND prize_tier = 'gold'",
    "UPDATE visits SET last_stage = 'left', qr_shown_at = NULL"
    " WHERE kiosk_id = 'lake-3' AND last_stage = 'qr' AND version % 2 = 0",
    "UPDATE visits SET touched_at = touched_at - interval '1 hour' WHERE kiosk_id = 'north-1'",
    "UPDATE plays SET version = version + 1000 WHERE kiosk_id = 'north-1'",  # no share moves
    "INSERT INTO heartbeats (kiosk_id, at) VALUES ('north-1', '2026-07-18 03:00Z'),"
    " ('north-1', '2026-07-18 03:00:15Z'), ('north-1', '2026-07-18 03:04Z')",
    "DELETE FROM visits WHERE kiosk_id = 'south-2' AND version % 3 = 0",
    "DELETE FROM plays WHERE kiosk_id = 'lake-3'",
)


def _register(conn: psycopg.Connection) -> None:
    conn.execute("INSERT INTO kiosks (kiosk_id) SELECT unnest(%s::text[])", (list(BOOTHS),))


def _apply(conn: psycopg.Connection, pushes: list[tuple[str, dict[str, list[Any]]]]) -> None:
    for kiosk, rows in pushes:
        if kiosk:  # the fleet service's own upsert (kiosk/fleet/ingest.py)
            ingest(conn, kiosk, check_batch(kiosk, rows))
        else:  # a desk's events, a group in one statement
            refs, events = zip(*rows["claims"], strict=True)
            conn.execute(
                "INSERT INTO claim_events (prize_ref, event, desk)"
                " SELECT ref, e, 'A' FROM unnest(%s::text[], %s::text[]) AS x(ref, e)",
                (list(refs), list(events)),
            )


def _dashboard(conn: psycopg.Connection) -> dict[str, list[tuple]]:
    return {
        table: conn.execute(f"SELECT {cols} FROM {table} ORDER BY {cols}").fetchall()
        for table, cols in DASH_TABLES.items()
    }


def _dynamic(conn: psycopg.Connection) -> list[str]:
    """The dashboard trigger functions that still build statements as text."""
    rows = conn.execute(
        "SELECT proname FROM pg_proc WHERE proname LIKE 'dash%%' AND prosrc ~* 'execute' ORDER BY 1"
    ).fetchall()
    return [name for (name,) in rows]


@pytest.fixture
def stores(pg_cluster, request) -> Iterator[tuple[psycopg.Connection, psycopg.Connection]]:
    """(a store migrated to 0007, one migrated to the newest), both empty."""
    name = re.sub(r"[^a-z0-9]+", "_", request.node.name.lower())[-40:]  # names ≤ 63 bytes
    old_dsn = pg_cluster.create_database(f"t_{name}_old")
    new_dsn = pg_cluster.create_database(f"t_{name}_new")
    migrate(old_dsn, upto=BEFORE)
    migrate(new_dsn)
    with (
        psycopg.connect(old_dsn, autocommit=True) as old,
        psycopg.connect(new_dsn, autocommit=True) as new,
    ):
        for conn in (old, new):
            _register(conn)
        yield old, new


@pytest.mark.parametrize("seed", [1, 2])
def test_static_triggers_keep_exactly_the_totals_of_the_dynamic_ones(stores, seed):
    old, new = stores
    assert _dynamic(old) == ["dash_plays_changed", "dash_visits_changed"]
    assert _dynamic(new) == []
    pushes = _pushes(seed)
    _apply(old, pushes)
    _apply(new, pushes)
    assert _dashboard(new) == _dashboard(old)
    assert_totals_match(new)
    totals = new.execute(
        "SELECT count(DISTINCT bucket), sum(plays), sum(completed) FROM dash_plays"
    ).fetchone()
    assert totals[0] > 3 and totals[1] == 180 and 0 < totals[2] < 180
    assert new.execute("SELECT sum(collected) FROM dash_prizes").fetchone()[0] > 0
    for statement in LATER:
        for conn in (old, new):
            conn.execute(statement)
        assert _dashboard(new) == _dashboard(old), statement
    assert_totals_match(new)
    # The corrections moved shares out of rows that stay, at zero, in both stores.
    assert new.execute("SELECT count(*) FROM dash_plays WHERE plays = 0").fetchone()[0] > 0
    assert new.execute("SELECT count(*) FROM dash_gaps").fetchone()[0] == 1


def test_a_store_upgraded_mid_event_keeps_counting_the_same(stores, pg_cluster):
    """0008 applied to a store that already holds the morning's rows changes no total, and
    the afternoon's pushes then add up as they would have under 0007 (or 0008 all day)."""
    old, new = stores
    dsn = pg_cluster.create_database("t_static_triggers_upgraded")
    migrate(dsn, upto=BEFORE)
    pushes = _pushes(3)
    morning, afternoon = pushes[: len(pushes) // 2], pushes[len(pushes) // 2 :]
    with psycopg.connect(dsn, autocommit=True) as upgraded:
        _register(upgraded)
        _apply(old, morning)
        _apply(upgraded, morning)
        assert migrate(dsn)[0] == "0008_static_triggers"  # and any later ones
        assert _dynamic(upgraded) == []
        assert _dashboard(upgraded) == _dashboard(old)
        _apply(old, afternoon)
        _apply(upgraded, afternoon)
        _apply(new, pushes)
        for statement in LATER:
            for conn in (old, upgraded, new):
                conn.execute(statement)
        assert _dashboard(upgraded) == _dashboard(old) == _dashboard(new)
        assert_totals_match(upgraded)
