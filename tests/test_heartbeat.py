"""The heartbeat thread (kiosk/sync/heartbeat.py) against a small real centre on a local
port (tests/fleetkit.py): what it sends, what it keeps, staleness, outages, refusals."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta

import pytest

from kiosk.sync.heartbeat import Heartbeat
from tests.fleetkit import Centre, CentreServer

T0 = datetime(2026, 7, 18, 2, 0, tzinfo=UTC)


class Snapshot:
    """The booth's status snapshot, as its frame loop would refresh it."""

    def __init__(self) -> None:
        self.value = {"screen": "attract", "backlog": 0, "paused": False, "applied_revision": 0}
        self.calls = 0

    def __call__(self) -> dict:
        self.calls += 1
        return dict(self.value)


class Mono:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def server():
    with CentreServer(Centre(tokens={"tok-K01": "K01"}, revoked=set())) as srv:
        srv.centre.answer = {
            "played_today": 1234,
            "desired": {"revision": 3, "paused": True, "games": {}, "volume": 0.5, "stock": []},
        }
        yield srv


def test_a_beat_sends_the_snapshot_and_keeps_the_whole_answer(server):
    snap, mono = Snapshot(), Mono()
    beat = Heartbeat(server.url, "tok-K01", "K01", snap, monotonic=mono, wall=lambda: T0)
    assert beat.latest() is None and beat.played_today() is None
    assert beat.step()
    (got,) = server.centre.heartbeats
    assert got["body"] == {
        "booth_clock": "2026-07-18T02:00:00.000Z",
        "kiosk_id": "K01",
        "screen": "attract",
        "backlog": 0,
        "paused": False,
        "applied_revision": 0,
    }
    answer = beat.latest()
    assert answer["desired"]["revision"] == 3 and "server_time" in answer
    assert beat.played_today() == 1234


def test_played_today_goes_stale_after_a_minute_offline_and_comes_back(server, caplog):
    snap, mono = Snapshot(), Mono()
    beat = Heartbeat(server.url, "tok-K01", "K01", snap, monotonic=mono)
    assert beat.step()
    server.down()
    caplog.set_level(logging.INFO, logger="kiosk.sync")
    for _ in range(4):  # a minute of beats every 15 s, all failing
        mono.now += 15
        assert not beat.step()
        assert beat.played_today() == (1234 if mono.now - 1000 <= 60 else None)
    mono.now += 15
    assert not beat.step()
    assert beat.played_today() is None  # stale: the booth shows its own count
    assert beat.latest()["played_today"] == 1234  # the last answer is still there
    assert beat.last_error.startswith("centre unreachable")
    server.centre.answer = {"played_today": 1300}
    server.up()
    assert beat.step() and beat.played_today() == 1300
    lines = [r.getMessage() for r in caplog.records if r.name == "kiosk.sync"]
    assert len(lines) == 2 and "unreachable" in lines[0] and "online" in lines[1]


def test_a_skewed_booth_clock_is_reported_and_the_centre_keeps_its_own_time(server):
    skewed = T0 + timedelta(days=400)
    beat = Heartbeat(server.url, "tok-K01", "K01", Snapshot(), wall=lambda: skewed)
    before = datetime.now(UTC)
    assert beat.step()
    (got,) = server.centre.heartbeats
    assert got["body"]["booth_clock"] == "2027-08-22T02:00:00.000Z"
    assert before <= got["seen_at"] <= datetime.now(UTC)


def test_a_refused_token_or_a_failing_snapshot_sends_nothing_and_says_why(server):
    beat = Heartbeat(server.url, "tok-wrong", "K01", Snapshot())
    assert not beat.step()
    assert beat.last_error.startswith("refused: HTTP 401")

    def broken() -> dict:
        raise RuntimeError("snapshot not ready")

    beat = Heartbeat(server.url, "tok-K01", "K01", broken)
    assert not beat.step()
    assert beat.last_error == "no status to send: RuntimeError: snapshot not ready"
    assert server.centre.heartbeats == []


def test_the_thread_beats_every_interval_and_stops_promptly(server):
    snap = Snapshot()
    beat = Heartbeat(server.url, "tok-K01", "K01", snap, interval_s=0.05)
    beat.start()
    try:
        deadline = time.monotonic() + 30
        while len(server.centre.heartbeats) < 3 and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        beat.stop()
    assert not beat.running
    assert len(server.centre.heartbeats) >= 3 and beat.played_today() == 1234
