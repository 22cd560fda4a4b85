"""A carnival afternoon in the central store, for the dashboard's tests, and an app around
the dashboard blueprint (until the fleet service's create_app registers it).

NOW is 14:30 in Hong Kong on 18 July 2026. Five booths: booth-01 well (one 5-minute silence
this morning), booth-02 offline since 14:20, booth-03 with a database warning and gold sold
out at 13:12, booth-04 paused, booth-05 registered but never seen. Yesterday's rows are there
too and must not count.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import psycopg
from flask import Flask
from psycopg_pool import ConnectionPool
from werkzeug.serving import make_server

from kiosk.fleet.dashboard import dashboard_blueprint
from kiosk.fleet.dashboard.auth import Door, add_organiser

NOW = datetime(2026, 7, 18, 6, 30, tzinfo=UTC)  # 14:30 HKT
PASSWORD = "carnival-2026"


def hk(hour: int, minute: int = 0, second: int = 0, day: int = 18) -> datetime:
    """A Hong Kong wall time on July ``day`` 2026, as an aware UTC datetime."""
    return datetime(2026, 7, day, hour, minute, second, tzinfo=UTC) - timedelta(hours=8)


# Today's plays: (booth, game, HK hour, minute, outcome, tier, prize_ref)
PLAYS = [
    ("booth-01", "recycle_right", 10, 5, "completed", "gold", "R-0001"),
    ("booth-01", "recycle_right", 10, 20, "completed", "silver", "R-0002"),
    ("booth-01", "smart_commute", 11, 0, "abandoned", None, None),
    ("booth-01", "smart_commute", 13, 45, "completed", "silver", "R-0003"),
    ("booth-02", "park_smart", 11, 30, "completed", "gold", "R-0004"),
    ("booth-02", "park_smart", 14, 10, "completed", "thanks", "R-0005"),
    ("booth-03", "healthy_steps", 12, 0, "completed", "gold", "R-0006"),
    ("booth-03", "healthy_steps", 13, 10, "completed", "silver", "R-0007"),
    ("booth-03", "phish_or_legit", 13, 20, "error", None, None),
    ("booth-04", "smart_home_saver", 14, 0, "in_progress", None, None),
]
COLLECTED = ["R-0001", "R-0003", "R-0006"]  # gold 2 of 3, silver 1 of 3, thanks 0 of 1


def _play_rows() -> list[tuple]:
    rows = []
    for i, (booth, game, hour, minute, outcome, tier, ref) in enumerate(PLAYS):
        start = hk(hour, minute)
        rows.append((booth, f"p{i}", game, start, outcome, tier, ref))
    # Yesterday, and just before today's local midnight (15:59 UTC the day before): not today.
    old = ("booth-01", "old1", "recycle_right")
    rows.append((*old, hk(15, 0, day=17), "completed", "gold", "R-OLD1"))
    rows.append(("booth-01", "old2", "recycle_right", hk(23, 59, 59, day=17), "completed",
                 None, None))
    return rows


def seed(dsn: str) -> None:
    """Write the afternoon above into a migrated central store."""
    with psycopg.connect(dsn) as conn:
        for i in range(1, 6):
            conn.execute(
                "INSERT INTO kiosks (kiosk_id, name) VALUES (%s, %s)",
                (f"booth-0{i}", "Main gate" if i == 1 else ""),
            )
        conn.execute("INSERT INTO kiosks (kiosk_id, revoked_at) VALUES ('booth-99', now())")
        for booth, pid, game, start, outcome, tier, ref in _play_rows():
            conn.execute(
                "INSERT INTO plays (kiosk_id, id, game, language, difficulty, started_at,"
                " ended_at, outcome, prize_tier, earned_tier, prize_ref, version)"
                " VALUES (%s, %s, %s, 'en', 'normal', %s, %s, %s, %s, %s, %s, 1)",
                (booth, pid, game, start, start + timedelta(minutes=2), outcome, tier, tier, ref),
            )
        for ref in COLLECTED:
            conn.execute(
                "INSERT INTO claim_events (prize_ref, event, desk, at) VALUES (%s, 'opened',"
                " 'Desk A', %s), (%s, 'collected', 'Desk A', %s)",
                (ref, NOW - timedelta(minutes=30), ref, NOW - timedelta(minutes=20)),
            )
        conn.execute(
            "INSERT INTO claim_events (prize_ref, event, at) VALUES ('R-OLD1', 'collected', %s)",
            (hk(16, 0, day=17),),
        )
        _visits(conn)
        _status(conn)
        _heartbeats(conn)


def _visits(conn: psycopg.Connection) -> None:
    """Ten visitors today: 10 touched, 8 chose a language, 7 a game, 6 started (linked to
    plays p0, p1, p2, p4, p6, p9), 4 of those completed (p0, p1, p4, p6), 3 saw the QR."""
    t = hk(12)
    stages = [
        # (language, game, play_id, finished, qr)
        (True, True, "p0", True, True),
        (True, True, "p1", True, True),
        (True, True, "p2", True, False),  # abandoned: finished, not completed
        (True, True, "p4", True, True),
        (True, True, "p6", True, False),  # completed, walked off before the QR
        (True, True, "p9", False, False),  # still playing
        (True, True, None, False, False),
        (True, False, None, False, False),
        (False, False, None, False, False),
        (False, False, None, False, False),
    ]
    booth_of = {f"p{i}": p[0] for i, p in enumerate(PLAYS)}
    outcome_of = {f"p{i}": p[4] for i, p in enumerate(PLAYS)}
    for i, (lang, game, play, finished, qr) in enumerate(stages):
        # The furthest stage, as the booth writes it (docs/fleet-contract.md, Visits).
        last = (
            "qr" if qr
            else "completed" if finished and outcome_of[play] == "completed"
            else "started" if play
            else "game" if game
            else "language" if lang
            else "touched"
        )  # fmt: skip
        conn.execute(
            "INSERT INTO visits (kiosk_id, id, touched_at, language_chosen_at, game_chosen_at,"
            " play_started_at, play_id, finished_at, qr_shown_at, last_stage, version)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 1)",
            (
                booth_of.get(play, "booth-01"), f"v{i}", t,
                t if lang else None, t if game else None, t if play else None, play,
                t if finished else None, t if qr else None, last,
            ),
        )
    conn.execute(  # yesterday's visitor
        "INSERT INTO visits (kiosk_id, id, touched_at, last_stage, version)"
        " VALUES ('booth-01', 'vold', %s, 'touched', 1)",
        (hk(12, day=17),),
    )


def _status(conn: psycopg.Connection) -> None:
    rows = [
        ("booth-01", NOW - timedelta(seconds=8), "attract", "ok", 0, {"gold": 12, "silver": 30},
         {}, False, []),
        ("booth-02", hk(14, 20), "play", "ok", 42, {"gold": 5, "silver": 2}, {}, False, []),
        ("booth-03", NOW - timedelta(seconds=12), "result", "disk nearly full (92%)", 3,
         {"gold": 0, "silver": 7}, {"gold": "2026-07-18T05:12:00Z"}, False,
         ["speech engine restarted"]),
        ("booth-04", NOW - timedelta(seconds=5), "paused", "ok", 0, {"gold": 8, "silver": 20},
         {}, True, []),
    ]
    for booth, seen, screen, db, backlog, stock, sold, paused, warnings in rows:
        conn.execute(
            "INSERT INTO booth_status (kiosk_id, seen_at, screen, db_health, speech_health,"
            " backlog, stock_left, sold_out, paused, warnings, software_version)"
            " VALUES (%s, %s, %s, %s, 'ok', %s, %s, %s, %s, %s, '0.1.0')",
            (booth, seen, screen, db, backlog, json.dumps(stock), json.dumps(sold), paused,
             json.dumps(warnings)),
        )


def _heartbeats(conn: psycopg.Connection) -> None:
    """Every 15 s from 10:00; booth-01 silent 12:00:00 → 12:05:00, booth-02 stops at 14:20."""
    with conn.cursor().copy("COPY heartbeats (kiosk_id, at) FROM STDIN") as copy:
        for booth, until in (("booth-01", NOW), ("booth-02", hk(14, 20)), ("booth-03", NOW),
                             ("booth-04", NOW)):
            at = hk(10)
            while at <= until:
                if not (booth == "booth-01" and hk(12) < at < hk(12, 5)):
                    copy.write_row((booth, at))
                at += timedelta(seconds=15)
        copy.write_row(("booth-01", hk(23, 0, day=17)))  # yesterday: no gap across midnight


def make_app(
    dsn: str,
    clock: Callable[[], datetime] = lambda: NOW,
    organiser: str | None = "ada",
    **kw,
) -> tuple[Flask, ConnectionPool]:
    """A Flask app serving only the dashboard on a real pool (the caller closes the pool)."""
    pool = ConnectionPool(dsn, min_size=1, max_size=4, open=True)
    if organiser:
        add_organiser(pool, organiser, PASSWORD, iterations=1000)
    kw.setdefault("snapshot_max_age_s", 0)
    kw.setdefault("view_max_age_s", -1)
    kw.setdefault("view_stale_s", 0)
    kw.setdefault("snapshot_stale_s", 0)
    kw.setdefault("door", Door(pool))
    app = Flask(__name__)
    app.register_blueprint(dashboard_blueprint(pool, clock=clock, **kw))
    return app, pool


def log_in(client, username: str = "ada", password: str = PASSWORD, client_addr=None):
    """Open the login page (for its CSRF cookie), then post the form; returns the response."""
    page = client.get("/dashboard/")
    token = page.get_data(as_text=True).split('name="csrf" value="', 1)[1].split('"', 1)[0]
    return client.post(
        "/dashboard/login",
        data={"username": username, "password": password, "csrf": token},
    )


@contextmanager
def serving(dsn: str) -> Iterator[str]:
    """The dashboard of the store at ``dsn`` (:func:`make_app`) on a real local port in a
    thread, for a browser; yields its base URL."""
    app, pool = make_app(dsn)
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        thread.join(10)
        pool.close()
