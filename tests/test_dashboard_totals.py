"""The dashboard's running totals (migration 0004's triggers) always equal the same numbers
counted from the raw rows, whatever order booths, desks and after-hours imports write in:
version-guarded upserts as the ingest does them, repeated and out-of-order batches, a play
that completes after its visit finished, a prize collected before its play arrived, a second
'collected' event, deletes, and heartbeats with silences."""

from __future__ import annotations

import json
import random
import shutil
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from kiosk.fleet.migrate import MIGRATIONS_DIR, migrate
from kiosk.funnel import STAGE_TESTS

T0 = datetime(2026, 7, 18, 2, 0, tzinfo=UTC)
GAMES = ["recycle_right", "park_smart", "smart_commute"]

UPSERT_PLAYS = (
    "INSERT INTO plays (kiosk_id, id, game, language, difficulty, started_at, outcome,"
    " prize_tier, prize_ref, version)"
    " SELECT DISTINCT ON (r.id) %(kiosk)s, r.id, r.game, 'en', 'normal', r.started_at,"
    " r.outcome, r.prize_tier, r.prize_ref, r.version"
    " FROM jsonb_to_recordset(%(rows)s::jsonb) AS r(id text, game text,"
    " started_at timestamptz, outcome text, prize_tier text, prize_ref text, version int8)"
    " ORDER BY r.id, r.version DESC"
    " ON CONFLICT (kiosk_id, id) DO UPDATE SET game = EXCLUDED.game,"
    " started_at = EXCLUDED.started_at, outcome = EXCLUDED.outcome,"
    " prize_tier = EXCLUDED.prize_tier, prize_ref = EXCLUDED.prize_ref,"
    " version = EXCLUDED.version WHERE plays.version < EXCLUDED.version"
)
UPSERT_VISITS = (
    "INSERT INTO visits (kiosk_id, id, touched_at, language_chosen_at, game_chosen_at,"
    " play_started_at, play_id, finished_at, qr_shown_at, last_stage, version)"
    " SELECT DISTINCT ON (r.id) %(kiosk)s, r.id, r.touched_at, r.language_chosen_at,"
    " r.game_chosen_at, r.play_started_at, r.play_id, r.finished_at, r.qr_shown_at,"
    " r.last_stage, r.version"
    " FROM jsonb_to_recordset(%(rows)s::jsonb) AS r(id text, touched_at timestamptz,"
    " language_chosen_at timestamptz, game_chosen_at timestamptz,"
    " play_started_at timestamptz, play_id text, finished_at timestamptz,"
    " qr_shown_at timestamptz, last_stage text, version int8)"
    " ORDER BY r.id, r.version DESC"
    " ON CONFLICT (kiosk_id, id) DO UPDATE SET language_chosen_at = EXCLUDED.language_chosen_at,"
    " game_chosen_at = EXCLUDED.game_chosen_at, play_started_at = EXCLUDED.play_started_at,"
    " play_id = EXCLUDED.play_id, finished_at = EXCLUDED.finished_at,"
    " qr_shown_at = EXCLUDED.qr_shown_at, last_stage = EXCLUDED.last_stage,"
    " version = EXCLUDED.version WHERE visits.version < EXCLUDED.version"
)

TRUTH = {
    "plays": (
        "SELECT dash_bucket(started_at), kiosk_id, game, count(*),"
        " count(*) FILTER (WHERE outcome = 'completed') FROM plays GROUP BY 1, 2, 3",
        "SELECT bucket, kiosk_id, game, plays, completed FROM dash_plays"
        " WHERE plays <> 0 OR completed <> 0",
    ),
    "prizes": (
        "SELECT dash_bucket(p.started_at), p.kiosk_id, coalesce(p.prize_tier, '?'), count(*),"
        " count(*) FILTER (WHERE EXISTS (SELECT 1 FROM claim_events c"
        "  WHERE c.prize_ref = p.prize_ref AND c.event = 'collected'))"
        " FROM plays p WHERE prize_ref IS NOT NULL GROUP BY 1, 2, 3",
        "SELECT bucket, kiosk_id, tier, issued, collected FROM dash_prizes"
        " WHERE issued <> 0 OR collected <> 0",
    ),
    "visits": (  # the funnel's one definition (kiosk/funnel.py)
        "SELECT dash_bucket(touched_at), kiosk_id, "
        + ", ".join(f"count(*) FILTER (WHERE {test})" for _, test in STAGE_TESTS)
        + " FROM visits GROUP BY 1, 2",
        "SELECT bucket, kiosk_id, touched, language, game, started, completed, qr"
        " FROM dash_visits WHERE touched <> 0 OR completed <> 0",
    ),
    "gaps": (
        "SELECT kiosk_id, prev, at FROM (SELECT kiosk_id, at,"
        " lag(at) OVER (PARTITION BY kiosk_id ORDER BY at) AS prev FROM heartbeats) h"
        " WHERE at - prev > interval '1 minute'",
        "SELECT kiosk_id, from_at, to_at FROM dash_gaps",
    ),
}


def assert_totals_match(conn: psycopg.Connection) -> None:
    for name, (truth, kept) in TRUTH.items():
        want = sorted(conn.execute(truth).fetchall())
        got = sorted(conn.execute(kept).fetchall())
        assert got == want, name


def _iso(t: datetime) -> str:
    return t.isoformat()


def _play_versions(rnd: random.Random, kiosk: str, n: int) -> list[list[dict]]:
    """Each play as the booth writes it over time: in progress, then its end, maybe a prize."""
    out = []
    for i in range(n):
        start = T0 + timedelta(minutes=rnd.randint(0, 600), seconds=rnd.randint(0, 59))
        base = {"id": f"{kiosk}-p{i}", "game": rnd.choice(GAMES), "started_at": _iso(start),
                "prize_tier": None, "prize_ref": None}
        ended = rnd.choice(["completed", "completed", "abandoned", "error"])
        steps = [{**base, "outcome": "in_progress"}, {**base, "outcome": ended}]
        if ended == "completed" and rnd.random() < 0.7:
            tier = rnd.choice(["gold", "silver", "thanks"])
            steps.append({**base, "outcome": ended, "prize_tier": tier,
                          "prize_ref": f"R-{kiosk}-{i}"})
        out.append([{**s, "version": v + 1} for v, s in enumerate(steps)])
    return out


def _visit_versions(plays: list[list[dict]], kiosk: str) -> list[list[dict]]:
    out = []
    for i, versions in enumerate(plays):
        final = versions[-1]
        t = final["started_at"]
        stages = [
            {"touched_at": t, "last_stage": "touched"},
            {"language_chosen_at": t, "last_stage": "language"},
            {"game_chosen_at": t, "last_stage": "game"},
            {"play_started_at": t, "play_id": final["id"], "last_stage": "started"},
            # The booth writes "completed" only for a completed round (fleet contract).
            {"finished_at": t, "last_stage": "completed"}
            if final["outcome"] == "completed"
            else {"finished_at": t},
        ]
        if final["prize_ref"]:
            stages.append({"qr_shown_at": t, "last_stage": "qr"})
        row: dict = {"id": f"{kiosk}-v{i}"}
        seq = []
        for v, stage in enumerate(stages[: 2 + i % (len(stages) - 1)]):
            row = {**row, **stage, "version": v + 1}
            seq.append(dict(row))
        out.append(seq)
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_running_totals_equal_the_raw_rows_in_any_order(central_db, seed):
    rnd = random.Random(seed)
    with psycopg.connect(central_db, autocommit=True) as conn:
        batches = []  # (table, kiosk, rows)
        refs = []
        for k in range(3):
            kiosk = f"booth-{k}"
            conn.execute("INSERT INTO kiosks (kiosk_id) VALUES (%s)", (kiosk,))
            plays = _play_versions(rnd, kiosk, 40)
            visits = _visit_versions(plays, kiosk)
            refs += [p[-1]["prize_ref"] for p in plays if p[-1]["prize_ref"]]
            changes = [("plays", kiosk, r) for p in plays for r in p]
            changes += [("visits", kiosk, r) for v in visits for r in v]
            rnd.shuffle(changes)  # out of order: a stale version after a newer one
            while changes:
                size = rnd.randint(1, 25)
                chunk, changes = changes[:size], changes[size:]
                for table in ("plays", "visits"):
                    rows = [r for t, _, r in chunk if t == table]
                    if rows:
                        batches.append((table, kiosk, rows))
        # Prize desks collect some prizes, a few before their play arrived, one twice.
        collect = rnd.sample(refs, len(refs) // 2)
        claims = [[ref] for ref in collect] + [[collect[0], collect[1]], [collect[0]]]
        for i, group in enumerate(claims):
            batches.insert(rnd.randint(0, len(batches)), ("claims", "", group))
            if i % 5 == 0:
                batches.append(("claims", "", [f"R-unknown-{i}"]))
        repeats = rnd.sample(batches, len(batches) // 4)  # at least once: some twice
        for table, kiosk, rows in batches + repeats:
            if table == "claims":
                with conn.cursor().copy(
                    "COPY claim_events (prize_ref, event, desk) FROM STDIN"
                ) as copy:
                    for ref in rows:
                        copy.write_row((ref, "opened", "A"))
                        copy.write_row((ref, "collected", "A"))
            else:
                sql = UPSERT_PLAYS if table == "plays" else UPSERT_VISITS
                conn.execute(sql, {"kiosk": kiosk, "rows": json.dumps(rows)})
        assert_totals_match(conn)
        # An after-hours clean-up deletes a booth's rows: its totals go with them.
        conn.execute("DELETE FROM visits WHERE kiosk_id = 'booth-1' AND id LIKE '%%v1%%'")
        conn.execute("DELETE FROM plays WHERE kiosk_id = 'booth-1'")
        assert_totals_match(conn)
        assert conn.execute("SELECT sum(plays) FROM dash_plays").fetchone()[0] == 80


def test_heartbeat_silences_are_recorded_and_backfilled(central_db):
    with psycopg.connect(central_db, autocommit=True) as conn:
        conn.execute("INSERT INTO kiosks (kiosk_id) VALUES ('a'), ('b')")
        beats = [T0 + timedelta(seconds=15 * i) for i in range(20)]
        beats += [beats[-1] + timedelta(minutes=3), beats[-1] + timedelta(minutes=3, seconds=15)]
        for at in beats:  # one at a time, as the service writes them
            conn.execute("INSERT INTO heartbeats (kiosk_id, at) VALUES ('a', %s)", (at,))
        with conn.cursor().copy("COPY heartbeats (kiosk_id, at) FROM STDIN") as copy:
            for at in beats[::3]:
                copy.write_row(("b", at))
        assert conn.execute(
            "SELECT kiosk_id, extract(epoch FROM to_at - from_at)::int FROM dash_gaps"
            " ORDER BY 1"
        ).fetchall() == [("a", 180), ("b", 210)]
        assert_totals_match(conn)


@pytest.mark.parametrize("cut", ["0004", "0007"])
def test_rows_stored_before_the_migration_are_counted(pg_cluster, tmp_path, cut):
    """A store that already holds rows when 0004 arrives gets its totals back-filled; when
    0007 arrives, its visits are counted again under the one funnel definition."""
    shutil.copytree(MIGRATIONS_DIR, tmp_path / "before")
    for later in (tmp_path / "before").glob("*.sql"):
        if later.name >= cut:
            later.unlink()
    dsn = pg_cluster.create_database(f"t_backfill_dashboard_{cut}")
    migrate(dsn, tmp_path / "before")
    rnd = random.Random(9)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("INSERT INTO kiosks (kiosk_id) VALUES ('k')")
        plays = _play_versions(rnd, "k", 30)
        for versions in plays:
            conn.execute(UPSERT_PLAYS, {"kiosk": "k", "rows": json.dumps(versions[-1:])})
        for versions in _visit_versions(plays, "k"):
            conn.execute(UPSERT_VISITS, {"kiosk": "k", "rows": json.dumps(versions[-1:])})
        # A completed round whose play never reached the centre (0004 did not count it).
        lost = {"id": "k-lost", "touched_at": _iso(T0), "play_started_at": _iso(T0),
                "play_id": "k-gone", "finished_at": _iso(T0), "last_stage": "completed",
                "version": 1}  # fmt: skip
        conn.execute(UPSERT_VISITS, {"kiosk": "k", "rows": json.dumps([lost])})
        for versions in plays[::2]:
            if versions[-1]["prize_ref"]:
                conn.execute(
                    "INSERT INTO claim_events (prize_ref, event) VALUES (%s, 'collected')",
                    (versions[-1]["prize_ref"],),
                )
        for i in (0, 1, 2, 10, 11):
            conn.execute(
                "INSERT INTO heartbeats (kiosk_id, at) VALUES ('k', %s)",
                (T0 + timedelta(seconds=15 * i),),
            )
    migrate(dsn)
    with psycopg.connect(dsn) as conn:
        assert_totals_match(conn)
        assert conn.execute("SELECT sum(plays) FROM dash_plays").fetchone()[0] == 30
        assert conn.execute("SELECT sum(collected) FROM dash_prizes").fetchone()[0] > 0
        assert conn.execute("SELECT count(*) FROM dash_gaps").fetchone()[0] == 1
        assert conn.execute("SELECT sum(completed) FROM dash_visits").fetchone() == conn.execute(
            "SELECT count(*) FROM visits WHERE last_stage IN ('completed', 'qr')"
        ).fetchone()
