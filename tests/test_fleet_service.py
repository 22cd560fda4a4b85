"""The fleet service's booth API (kiosk/fleet/service.py) on a real PostgreSQL, through
Flask's test client: the contract's answers for sync and heartbeat, and its refusals."""

from __future__ import annotations

import json
import urllib.request
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from kiosk.fleet.desired import change_desired, set_desired
from kiosk.fleet.heartbeat import played_today
from kiosk.fleet.kiosks import add_kiosk, revoke
from kiosk.fleet.service import create_app
from kiosk.fleet.settings import FleetSettings
from kiosk.fleet.simbooth import SimBooth, iso
from kiosk.localday import day_bounds, local_date
from tests.fleetkit import earlier_today
from tests.serverkit import local_server


@pytest.fixture
def fleet(central_db: str):
    """(test client, DSN, token of booth-07, token of booth-08)."""
    with psycopg.connect(central_db, autocommit=True) as conn:
        tokens = {k: add_kiosk(conn, k) for k in ("booth-07", "booth-08")}
    app = create_app(FleetSettings(dsn=central_db, threads=2, max_body_mb=1))
    try:
        yield app.test_client(), central_db, tokens
    finally:
        app.extensions["fleet_pool"].close()


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _count(dsn: str, sql: str = "SELECT count(*) FROM plays") -> int:
    with psycopg.connect(dsn) as conn:
        return conn.execute(sql).fetchone()[0]


def test_sync_acks_through_after_storing_and_a_repeat_changes_nothing(fleet) -> None:
    client, dsn, tokens = fleet
    body = SimBooth("booth-07").batch(25)
    answer = client.post("/fleet/v1/sync", json=body, headers=_auth(tokens["booth-07"]))
    assert answer.status_code == 200
    assert answer.json == {"acked": body["through"]}
    assert _count(dsn) == 25
    again = client.post("/fleet/v1/sync", json=body, headers=_auth(tokens["booth-07"]))
    assert again.json == {"acked": body["through"]}
    assert _count(dsn) == 25
    assert _count(dsn, "SELECT count(*) FROM visits") == 25
    assert _count(dsn, "SELECT synced_through FROM kiosks WHERE kiosk_id='booth-07'") == 50
    assert _count(dsn, "SELECT count(*) FROM kiosks WHERE last_push_at IS NOT NULL") == 1


def test_an_unknown_or_missing_token_is_401(fleet) -> None:
    client, dsn, _ = fleet
    body = SimBooth("booth-07").batch(1)
    for headers in (_auth("not-a-token"), {}, {"Authorization": "Basic abc"}):
        answer = client.post("/fleet/v1/sync", json=body, headers=headers)
        assert answer.status_code == 401
        assert "token" in answer.json["error"]
    assert _count(dsn) == 0


def test_a_revoked_kiosk_is_403_for_sync_and_heartbeat(fleet) -> None:
    client, dsn, tokens = fleet
    with psycopg.connect(dsn, autocommit=True) as conn:
        assert revoke(conn, "booth-07")
    body = SimBooth("booth-07").batch(1)
    answer = client.post("/fleet/v1/sync", json=body, headers=_auth(tokens["booth-07"]))
    assert (answer.status_code, answer.json) == (403, {"error": "kiosk booth-07 is revoked"})
    beat = client.post(
        "/fleet/v1/heartbeat", json={"kiosk_id": "booth-07"}, headers=_auth(tokens["booth-07"])
    )
    assert beat.status_code == 403
    assert _count(dsn) == 0
    # the other booth is unaffected
    other = client.post(
        "/fleet/v1/sync", json=SimBooth("booth-08").batch(1), headers=_auth(tokens["booth-08"])
    )
    assert other.status_code == 200


def test_one_booths_token_cannot_push_another_booths_rows(fleet) -> None:
    client, dsn, tokens = fleet
    body = SimBooth("booth-08").batch(2)
    answer = client.post("/fleet/v1/sync", json=body, headers=_auth(tokens["booth-07"]))
    assert answer.status_code == 403
    assert "belongs to kiosk booth-07" in answer.json["error"]
    # booth-07's own envelope carrying booth-08's rows
    body["kiosk_id"] = "booth-07"
    answer = client.post("/fleet/v1/sync", json=body, headers=_auth(tokens["booth-07"]))
    assert answer.status_code == 403
    assert "belongs to kiosk 'booth-08'" in answer.json["error"]
    assert _count(dsn) == 0


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda b: b["rows"]["plays"][0].update(colour="red"), "unknown column(s) colour"),
        (lambda b: b.update(through="12"), '"through" must be a whole number'),
        (lambda b: b.pop("through"), '"through" must be a whole number'),
        (lambda b: b["rows"]["plays"][0].update(score="lots"), "invalid input syntax"),
    ],
)
def test_a_bad_body_is_400_with_a_one_line_reason(fleet, mutate, reason) -> None:
    client, dsn, tokens = fleet
    body = SimBooth("booth-07").batch(3)
    mutate(body)
    answer = client.post("/fleet/v1/sync", json=body, headers=_auth(tokens["booth-07"]))
    assert answer.status_code == 400
    assert reason in answer.json["error"]
    assert "\n" not in answer.json["error"]
    assert _count(dsn) == 0


def test_a_body_that_is_not_json_is_400(fleet) -> None:
    client, _, tokens = fleet
    answer = client.post("/fleet/v1/sync", data=b"{not json", headers=_auth(tokens["booth-07"]))
    assert answer.status_code == 400
    assert answer.json["error"].startswith("the body is not JSON")


def test_a_body_over_the_limit_is_413(fleet) -> None:
    client, dsn, tokens = fleet
    body = SimBooth("booth-07").batch(3000)  # ~2 MB, over max_body_mb = 1
    answer = client.post("/fleet/v1/sync", json=body, headers=_auth(tokens["booth-07"]))
    assert answer.status_code == 413
    assert "smaller batches" in answer.json["error"]
    assert _count(dsn) == 0


def _status(**extra) -> dict:
    return {
        "kiosk_id": "booth-07",
        "booth_clock": "2026-07-18T02:00:01.123Z",
        "software_version": "0.1.0",
        "uptime_s": 3600.5,
        "screen": "attract",
        "db_health": "ok",
        "speech_health": "ok",
        "backlog": 3,
        "stock_left": {"gold": 2, "silver": 10},
        "sold_out": {"bronze": "2026-07-18T01:59:00.000Z"},
        "paused": False,
        "applied_revision": 0,
        "warnings": [],
    } | extra


def test_heartbeat_answers_time_played_today_and_no_desired_when_never_set(fleet) -> None:
    client, dsn, tokens = fleet
    now = datetime.now(UTC)
    # Rounds started minutes ago at two booths count; one from three days ago does not.
    for kiosk in ("booth-07", "booth-08"):
        booth = SimBooth(kiosk, clock=earlier_today(now, 5))
        client.post("/fleet/v1/sync", json=booth.batch(3), headers=_auth(tokens[kiosk]))
    old = SimBooth("booth-07", clock=now - timedelta(days=3), seed=1)
    old.version = 1000
    client.post("/fleet/v1/sync", json=old.batch(2), headers=_auth(tokens["booth-07"]))
    answer = client.post("/fleet/v1/heartbeat", json=_status(), headers=_auth(tokens["booth-07"]))
    assert answer.status_code == 200, answer.json
    data = answer.json
    assert set(data) == {"server_time", "played_today"}
    # Rounds that started in the last few minutes might straddle local midnight: count by
    # the same local day the service uses.
    start, end = day_bounds(local_date(now, 8.0), 8.0)
    expected = _count(
        dsn,
        f"SELECT count(*) FROM plays WHERE started_at >= '{start.isoformat()}'"
        f" AND started_at < '{end.isoformat()}'",
    )
    assert data["played_today"] == expected >= 1
    with psycopg.connect(dsn) as conn:
        assert played_today(conn, now, 8.0) == expected
    server_time = datetime.fromisoformat(data["server_time"])
    assert abs((server_time - datetime.now(UTC)).total_seconds()) < 60
    with psycopg.connect(dsn) as conn:
        status = conn.execute(
            "SELECT screen, backlog, stock_left, sold_out, booth_clock, seen_at FROM booth_status"
        ).fetchone()
        assert status[:4] == (
            "attract",
            3,
            {"gold": 2, "silver": 10},
            {"bronze": "2026-07-18T01:59:00.000Z"},
        )
        assert status[4] == datetime(2026, 7, 18, 2, 0, 1, 123000, tzinfo=UTC)
        assert status[5].replace(microsecond=0) == server_time.replace(microsecond=0)
        assert conn.execute("SELECT count(*) FROM heartbeats").fetchone() == (1,)


def test_heartbeat_carries_the_desired_settings_and_their_revision(fleet) -> None:
    client, dsn, tokens = fleet
    with psycopg.connect(dsn, autocommit=True) as conn:
        assert set_desired(conn, "booth-07", {"paused": True, "volume": 0.5}, by="amy") == 1
        rev = change_desired(
            conn,
            "booth-07",
            "ben",
            games={"park_smart": False},
            add_stock=[("gold", 5, datetime(2026, 7, 18).date())],
        )
    assert rev == 2
    answer = client.post(
        "/fleet/v1/heartbeat", json=_status(applied_revision=1), headers=_auth(tokens["booth-07"])
    ).json
    desired = answer["desired"]
    assert desired["revision"] == 2
    assert (desired["paused"], desired["volume"], desired["games"]) == (
        True,
        0.5,
        {"park_smart": False},
    )
    [stock] = desired["stock"]
    assert (stock["tier"], stock["delta"], stock["day"]) == ("gold", 5, "2026-07-18")
    assert len(stock["id"]) == 36
    # the other booth has nothing set
    other = client.post(
        "/fleet/v1/heartbeat", json=_status(kiosk_id="booth-08"), headers=_auth(tokens["booth-08"])
    ).json
    assert "desired" not in other
    with psycopg.connect(dsn) as conn:
        assert conn.execute(
            "SELECT applied_revision FROM booth_status WHERE kiosk_id = 'booth-07'"
        ).fetchone() == (1,)


def test_heartbeat_refuses_a_bad_field_and_ignores_an_unknown_one(fleet) -> None:
    client, _, tokens = fleet
    bad = client.post(
        "/fleet/v1/heartbeat", json=_status(backlog=-1), headers=_auth(tokens["booth-07"])
    )
    assert bad.status_code == 400
    assert bad.json["error"].startswith("heartbeat: backlog = -1")
    newer = client.post(
        "/fleet/v1/heartbeat", json=_status(fan_speed=3), headers=_auth(tokens["booth-07"])
    )
    assert newer.status_code == 200
    unlimited = client.post(
        "/fleet/v1/heartbeat",
        json=_status(stock_left={"gold": 0, "thanks": None}),
        headers=_auth(tokens["booth-07"]),
    )
    assert unlimited.status_code == 200


def test_heartbeat_stores_the_centres_clock_not_a_skewed_booth_clock(fleet) -> None:
    client, dsn, tokens = fleet
    skewed = iso(datetime.now(UTC) + timedelta(hours=5))
    client.post(
        "/fleet/v1/heartbeat", json=_status(booth_clock=skewed), headers=_auth(tokens["booth-07"])
    )
    with psycopg.connect(dsn) as conn:
        skew = conn.execute(
            "SELECT extract(epoch FROM booth_clock - seen_at), now() - seen_at < interval '1 min'"
            " FROM booth_status"
        ).fetchone()
    assert skew[0] > 4 * 3600 and skew[1] is True


def test_a_lost_database_connection_is_503_then_the_next_push_lands(fleet) -> None:
    client, dsn, tokens = fleet
    booth = SimBooth("booth-07")
    first = booth.batch(2)
    assert (
        client.post("/fleet/v1/sync", json=first, headers=_auth(tokens["booth-07"])).status_code
        == 200
    )
    # The database drops every connection of the service, as a restart would.
    with psycopg.connect(dsn, autocommit=True) as admin:
        ended = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE application_name = 'smartizen-fleet'"
        ).fetchone()[0]
    assert ended == 2  # the pool's threads=2 connections
    second = booth.batch(2)
    answers = [
        client.post("/fleet/v1/sync", json=second, headers=_auth(tokens["booth-07"]))
        for _ in range(3)
    ]
    codes = [a.status_code for a in answers]
    # A dead connection fails its request cleanly (the booth retries) …
    assert 503 in codes and set(codes) <= {200, 503} and codes[-1] == 200, codes
    for a in answers:
        if a.status_code == 503:
            assert a.json == {"error": "central store unavailable, try again later"}
    # … and the pool replaces it: the retried batch is stored once.
    assert _count(dsn) == 4


@pytest.mark.parametrize(("cache_s", "grows"), [(300.0, False), (0.0, True)])
def test_played_today_is_counted_at_most_once_per_cache_period(
    central_db: str, cache_s: float, grows: bool
) -> None:
    with psycopg.connect(central_db, autocommit=True) as conn:
        token = add_kiosk(conn, "booth-07")
    settings = FleetSettings(dsn=central_db, threads=2, played_today_cache_s=cache_s)
    app = create_app(settings)
    try:
        client = app.test_client()
        booth = SimBooth("booth-07", clock=datetime.now(UTC) - timedelta(minutes=3))
        client.post("/fleet/v1/sync", json=booth.batch(2), headers=_auth(token))
        first = client.post("/fleet/v1/heartbeat", json=_status(), headers=_auth(token)).json
        more = booth.batch(3)
        client.post("/fleet/v1/sync", json=more, headers=_auth(token))
        second = client.post("/fleet/v1/heartbeat", json=_status(), headers=_auth(token)).json
    finally:
        app.extensions["fleet_pool"].close()
    # Of the three new rounds, those on the centre's local day (all, unless near midnight).
    start, end = day_bounds(local_date(datetime.now(UTC), 8.0), 8.0)
    today = sum(
        start <= datetime.fromisoformat(p["started_at"]) < end for p in more["rows"]["plays"]
    )
    assert second["played_today"] - first["played_today"] == (today if grows else 0)


def _timing(header: str) -> dict[str, float]:
    stages = {}
    for part in header.split(","):
        name, _, dur = part.strip().partition(";dur=")
        stages[name] = float(dur)
    return stages


def test_a_sync_answer_says_where_the_service_spent_its_time(fleet) -> None:
    """Server-Timing: the stages a slow push is diagnosed by (benchmarks/fleet.py)."""
    client, _, tokens = fleet
    answer = client.post(
        "/fleet/v1/sync", json=SimBooth("booth-07").batch(3), headers=_auth(tokens["booth-07"])
    )
    stages = _timing(answer.headers["Server-Timing"])
    assert set(stages) == {"pool", "auth", "parse", "check", "store", "total"}  # no waitress
    assert all(ms >= 0 for ms in stages.values())
    parts = stages["pool"] + stages["auth"] + stages["parse"] + stages["check"] + stages["store"]
    assert parts <= stages["total"] + 0.05  # rounding of each to 0.01 ms


def test_under_waitress_the_wait_for_a_worker_thread_is_reported_too(central_db: str) -> None:
    with psycopg.connect(central_db, autocommit=True) as conn:
        token = add_kiosk(conn, "booth-09")
    app = create_app(FleetSettings(dsn=central_db, threads=2))
    try:
        with local_server(app, threads=2) as base:
            request = urllib.request.Request(
                f"{base}/fleet/v1/sync",
                data=json.dumps(SimBooth("booth-09").batch(2)).encode(),
                headers={**_auth(token), "Content-Type": "application/json"},
            )
            with urllib.request.urlopen(request, timeout=30) as answer:
                stages = _timing(answer.headers["Server-Timing"])
    finally:
        app.extensions["fleet_pool"].close()
    assert stages.keys() >= {"queue", "store", "total"}
    assert 0 <= stages["queue"] < 30_000
