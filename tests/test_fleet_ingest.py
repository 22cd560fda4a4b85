"""The version-guarded upsert (kiosk/fleet/ingest.py) on a real PostgreSQL: repeated and
out-of-order batches change nothing, a newer version replaces, a bad batch stores nothing."""

from __future__ import annotations

import copy

import psycopg
import pytest
from psycopg.pq import TransactionStatus

from kiosk.fleet.ingest import BatchRefused, check_batch, ingest
from kiosk.fleet.kiosks import add_kiosk
from kiosk.fleet.simbooth import SimBooth


def _snapshot(conn: psycopg.Connection) -> dict[str, list[tuple]]:
    """Every synced table's rows, without the arrival time."""
    out = {}
    for table, cols in (
        ("plays", "kiosk_id, id, game, score, outcome, prize_tier, ended_at, version"),
        ("visits", "kiosk_id, id, last_stage, left_at, version"),
        ("audit", "kiosk_id, id, action, detail, version"),
        ("stock_adjustments", "kiosk_id, id, tier, delta, version"),
        ("game_switches", "kiosk_id, day, game, enabled, version"),
    ):
        out[table] = conn.execute(f"SELECT {cols} FROM {table} ORDER BY 1, 2, 3").fetchall()
    return out


@pytest.fixture
def conn(central_db: str):
    with psycopg.connect(central_db, autocommit=True) as c:
        add_kiosk(c, "booth-07")
        yield c


def _push(conn, body) -> dict[str, int]:
    return ingest(
        conn, body["kiosk_id"], check_batch(body["kiosk_id"], body["rows"]), body["through"]
    )


def test_a_batch_lands_once_and_its_repeat_changes_nothing(conn) -> None:
    booth = SimBooth("booth-07")
    body = booth.batch(40)
    assert _push(conn, body) == {"plays": 40, "visits": 40}
    before = _snapshot(conn)
    assert _push(conn, copy.deepcopy(body)) == {"plays": 0, "visits": 0}
    assert _snapshot(conn) == before
    assert conn.execute("SELECT synced_through FROM kiosks").fetchone() == (body["through"],)


def test_an_older_batch_arriving_after_a_newer_one_changes_nothing(conn) -> None:
    booth = SimBooth("booth-07")
    first = booth.batch(5)
    play = first["rows"]["plays"][0]
    # The booth later gives up the round (a newer version of the same row) …
    newer = copy.deepcopy(play) | {"outcome": "abandoned", "score": None, "version": 999}
    later = {"kiosk_id": "booth-07", "through": 999, "rows": {"plays": [newer]}}
    _push(conn, later)
    # … and the first batch, delayed, arrives after it.
    assert _push(conn, first)["plays"] == 4
    row = conn.execute("SELECT outcome, score, version FROM plays WHERE id = %s", (play["id"],))
    assert row.fetchone() == ("abandoned", None, 999)
    # synced_through never goes back.
    assert conn.execute("SELECT synced_through FROM kiosks").fetchone() == (999,)


def test_a_newer_version_replaces_the_stored_row(conn) -> None:
    booth = SimBooth("booth-07")
    body = booth.batch(1)
    play = body["rows"]["plays"][0]
    _push(conn, {**body, "rows": {"plays": [play | {"outcome": "in_progress", "ended_at": None}]}})
    _push(conn, {**body, "rows": {"plays": [play | {"version": play["version"] + 10}]}})
    row = conn.execute("SELECT outcome, ended_at IS NOT NULL FROM plays").fetchone()
    assert row == ("completed", True)


def test_one_row_named_twice_in_a_batch_keeps_the_newest(conn) -> None:
    play = SimBooth("booth-07").batch(1)["rows"]["plays"][0]
    rows = [play | {"score": 10, "version": 3}, play | {"score": 90, "version": 4}]
    _push(conn, {"kiosk_id": "booth-07", "through": 4, "rows": {"plays": rows}})
    assert conn.execute("SELECT score FROM plays").fetchone() == (90,)


def test_every_synced_table_round_trips(conn) -> None:
    rows = {
        "audit": [
            {
                "id": 1,
                "kiosk_id": "booth-07",
                "at": "2026-07-18T02:00:00.000Z",
                "action": "game_off",
                "detail": "park_smart",
                "version": 1,
            }
        ],
        "stock_adjustments": [
            {
                "id": 1,
                "at": "2026-07-18T02:00:01.000Z",
                "day": "2026-07-18",
                "tier": "gold",
                "delta": 5,
                "note": "restock",
                "version": 2,
            }
        ],
        "game_switches": [
            {
                "day": "2026-07-18",
                "kiosk_id": "booth-07",
                "game": "park_smart",
                "enabled": 0,
                "version": 3,
            }
        ],
    }
    assert _push(conn, {"kiosk_id": "booth-07", "through": 3, "rows": rows}) == {
        "audit": 1,
        "stock_adjustments": 1,
        "game_switches": 1,
    }
    snap = _snapshot(conn)
    assert snap["audit"] == [("booth-07", 1, "game_off", "park_smart", 1)]
    assert snap["stock_adjustments"] == [("booth-07", 1, "gold", 5, 2)]
    assert [r[2:] for r in snap["game_switches"]] == [("park_smart", False, 3)]
    # the switch turned back on (same key, newer version) replaces it
    on = rows["game_switches"][0] | {"enabled": 1, "version": 4}
    _push(conn, {"kiosk_id": "booth-07", "through": 4, "rows": {"game_switches": [on]}})
    assert [r[3] for r in _snapshot(conn)["game_switches"]] == [True]


@pytest.mark.parametrize(
    ("rows", "reason"),
    [
        ({"plays": [{"id": "a", "colour": "red", "version": 1}]}, "unknown column(s) colour"),
        ({"scores": []}, "unknown table 'scores'"),
        ({"plays": [{"id": "a", "game": "g"}]}, "version must be a whole number"),
        ({"plays": [{"id": "a", "version": "7"}]}, "version must be a whole number"),
        ({"plays": [{"game": "g", "version": 1}]}, "id is missing"),
        ({"plays": {"id": "a"}}, "must be a list"),
        ([], '"rows" must be an object'),
    ],
)
def test_a_malformed_batch_is_refused_with_its_reason(rows, reason) -> None:
    with pytest.raises(BatchRefused, match=reason.replace("(", r"\(").replace(")", r"\)")) as err:
        check_batch("booth-07", rows)
    assert err.value.status == 400


def test_another_booths_rows_are_refused() -> None:
    play = SimBooth("booth-08").batch(1)["rows"]["plays"][0]
    with pytest.raises(BatchRefused, match="belongs to kiosk 'booth-08'") as err:
        check_batch("booth-07", {"plays": [play]})
    assert err.value.status == 403


def test_a_value_postgresql_refuses_stores_nothing_of_the_batch(conn) -> None:
    booth = SimBooth("booth-07")
    body = booth.batch(3)
    body["rows"]["visits"][2]["touched_at"] = "yesterday-ish"
    with pytest.raises(BatchRefused, match="visits: invalid input syntax for type timestamp"):
        _push(conn, body)
    missing = booth.batch(1)
    del missing["rows"]["plays"][0]["game"]
    with pytest.raises(BatchRefused, match='plays: null value in column "game"'):
        _push(conn, missing)
    assert conn.execute("SELECT count(*) FROM plays").fetchone() == (0,)
    assert conn.execute("SELECT synced_through FROM kiosks").fetchone() == (0,)


def test_a_refused_batch_leaves_the_connection_idle_and_the_next_batch_lands(conn) -> None:
    """The service's pooled connection (autocommit, idle) takes the one-round-trip path: a
    failed statement must not leave its transaction open for the next request."""
    booth = SimBooth("booth-07")
    bad = booth.batch(2)
    bad["rows"]["plays"][1]["score"] = "lots"
    with pytest.raises(BatchRefused, match="plays: invalid input syntax for type integer"):
        _push(conn, bad)
    assert conn.info.transaction_status == TransactionStatus.IDLE
    good = booth.batch(2)
    assert _push(conn, good) == {"plays": 2, "visits": 2}
    assert conn.info.transaction_status == TransactionStatus.IDLE
    assert conn.execute("SELECT count(*), max(version) FROM plays").fetchone()[0] == 2
    assert conn.execute("SELECT synced_through FROM kiosks").fetchone() == (good["through"],)


def test_inside_an_open_transaction_a_batch_is_a_savepoint_of_it(conn) -> None:
    booth = SimBooth("booth-07")
    with conn.transaction(force_rollback=True):
        assert _push(conn, booth.batch(3)) == {"plays": 3, "visits": 3}
        bad = booth.batch(1)
        bad["rows"]["visits"][0]["touched_at"] = "soon"
        with pytest.raises(BatchRefused):
            _push(conn, bad)
        # the outer transaction goes on: the refused batch rolled back to its savepoint only
        assert conn.execute("SELECT count(*) FROM plays").fetchone() == (3,)
    assert conn.execute("SELECT count(*) FROM plays").fetchone() == (0,)
