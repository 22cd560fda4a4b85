"""The sync thread (kiosk/sync/pusher.py) against a small real centre on a local port
(tests/fleetkit.py): batches, back-off through an outage, lost answers, refusals, a locked
or damaged database, a booth cut off while others sync, a booth with a skewed clock."""

from __future__ import annotations

import logging
import random
import sqlite3
import time
from datetime import datetime, timedelta

import pytest

from kiosk.playlog.store import PlayStore
from kiosk.sync.pusher import Pusher
from tests.fleetkit import T0, Centre, CentreServer, SimTime, acked, kiosk_file, run_until, synced


@pytest.fixture
def server():
    centre = Centre(tokens={"tok-K01": "K01", "tok-K02": "K02", "tok-K03": "K03"})
    with CentreServer(centre) as srv:
        yield srv


def test_a_backlog_goes_in_batches_of_at_most_500_and_lands_once(tmp_path, server):
    db = tmp_path / "scores.db"
    plays = kiosk_file(db, "K01", 600)
    sim = SimTime()
    pusher = Pusher(db, server.url, "tok-K01", "K01", sleep=sim.sleep, wall=sim.wall)
    delay = pusher.step()
    assert delay == 0  # more waiting: no pause
    assert pusher.backlog == 602 - 500
    run_until(pusher, sim, synced(pusher))
    sizes = [sum(len(r) for r in b["rows"].values()) for b in server.centre.batches]
    assert sizes == [500, 102]
    assert sorted(r["id"] for r in server.centre.table("plays")) == sorted(plays)
    assert {r["outcome"] for r in server.centre.table("plays")} == {"completed"}
    assert len(server.centre.table("audit")) == len(server.centre.table("stock_adjustments")) == 1
    assert acked(db) == server.centre.batches[-1]["through"]
    assert pusher.step() == pusher.idle_s  # in sync: nothing sent
    assert len(server.centre.batches) == 2
    assert pusher.last_ok_at == sim.wall() and pusher.last_error is None


def test_service_down_for_minutes_then_back_every_play_exactly_once(tmp_path, server, caplog):
    db = tmp_path / "scores.db"
    first = kiosk_file(db, "K01", 3)
    sim = SimTime()
    pusher = Pusher(
        db, server.url, "tok-K01", "K01", sleep=sim.sleep, wall=sim.wall, rng=random.Random(7)
    )
    run_until(pusher, sim, synced(pusher))
    synced_at = pusher.last_ok_at
    server.down()
    caplog.set_level(logging.INFO, logger="kiosk.sync")
    caplog.clear()
    later = kiosk_file(db, "K01", 40, at=T0 + timedelta(hours=1))  # the booth keeps serving
    outage_s = 7 * 60
    sim.waits.clear()
    run_until(pusher, sim, lambda: sim.now > synced_at_s(synced_at) + outage_s)
    assert pusher.last_error.startswith("centre unreachable")
    assert pusher.last_ok_at == synced_at
    assert pusher.backlog == 40 + 2  # and the second staff login and delivery
    # Back-off: about 1 s, doubling, jittered, never above 60 s.
    assert 1 <= sim.waits[0] <= 1.0001 and max(sim.waits) <= 60
    assert sim.waits[1:6] == sorted(sim.waits[1:6])
    assert 60 * 0.5 <= sim.waits[-1] <= 60
    assert len(sim.waits) < 20  # minutes of outage, a dozen tries, not thousands
    server.up()
    run_until(pusher, sim, synced(pusher))
    ids = [r["id"] for r in server.centre.table("plays")]
    assert sorted(ids) == sorted(first + later) and len(ids) == len(set(ids))
    # One line when it went down, one when it came back, not one per try.
    lines = [r.getMessage() for r in caplog.records if r.name == "kiosk.sync"]
    assert len(lines) == 2, lines
    assert "centre unreachable" in lines[0] and "in sync" in lines[1]
    assert "failed tries" in lines[1]


def synced_at_s(when: datetime) -> float:
    return (when - T0).total_seconds()


def test_an_answer_lost_after_the_centre_stored_the_batch_repeats_without_counting_twice(
    tmp_path, server
):
    db = tmp_path / "scores.db"
    plays = kiosk_file(db, "K01", 5)
    sim = SimTime()
    pusher = Pusher(db, server.url, "tok-K01", "K01", sleep=sim.sleep, wall=sim.wall)
    server.centre.drop_answer = 1
    assert pusher.step() >= 1  # no answer: back off
    assert acked(db) == 0 and len(server.centre.table("plays")) == 5  # stored all the same
    run_until(pusher, sim, synced(pusher))
    assert len(server.centre.batches) == 2
    assert server.centre.ignored == 5 + 2  # the repeat changed nothing
    assert sorted(r["id"] for r in server.centre.table("plays")) == sorted(plays)


def test_a_later_change_to_a_pushed_row_is_pushed_again_with_its_new_version(tmp_path, server):
    db = tmp_path / "scores.db"
    sim = SimTime()
    pusher = Pusher(db, server.url, "tok-K01", "K01", sleep=sim.sleep, wall=sim.wall)
    with PlayStore(db, "K01") as store:
        play = store.start_play("recycle_right", "en", "normal", T0)
        run_until(pusher, sim, synced(pusher))
        (row,) = server.centre.table("plays")
        assert row["outcome"] == "in_progress"
        store.finish_play(play, "completed", T0 + timedelta(seconds=30), score=60)
        pusher.step()
    (row,) = server.centre.table("plays")
    assert row["outcome"] == "completed" and row["score"] == 60


def test_too_large_a_batch_is_halved_until_it_fits(tmp_path, server, monkeypatch):
    monkeypatch.setattr("tests.fleetkit.MAX_ROWS", 100)
    db = tmp_path / "scores.db"
    kiosk_file(db, "K01", 200)
    sim = SimTime()
    pusher = Pusher(db, server.url, "tok-K01", "K01", sleep=sim.sleep, wall=sim.wall)
    run_until(pusher, sim, synced(pusher))
    assert len(server.centre.table("plays")) == 200
    assert max(sum(len(r) for r in b["rows"].values()) for b in server.centre.batches) <= 100


@pytest.mark.parametrize(
    ("token", "status"), [("tok-unknown", 401), ("tok-K02", 403)], ids=["unknown", "revoked"]
)
def test_a_refused_token_keeps_the_rows_and_says_why(tmp_path, server, token, status):
    server.centre.revoked.add("K02")
    db = tmp_path / "scores.db"
    kiosk_file(db, "K02", 2)
    sim = SimTime()
    pusher = Pusher(db, server.url, token, "K02", sleep=sim.sleep, wall=sim.wall)
    waits = [pusher.step() for _ in range(4)]
    assert waits == sorted(waits) and waits[-1] > waits[0]
    assert pusher.last_error.startswith(f"refused: HTTP {status}")
    assert pusher.backlog == 4 and acked(db) == 0 and not server.centre.rows


def test_a_locked_or_damaged_database_skips_the_round(tmp_path, server, caplog):
    db = tmp_path / "scores.db"
    kiosk_file(db, "K01", 2)
    sim = SimTime()
    pusher = Pusher(db, server.url, "tok-K01", "K01", sleep=sim.sleep, wall=sim.wall)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("PRAGMA journal_mode=DELETE")  # so a writer's lock keeps readers out
    holder.execute("BEGIN EXCLUSIVE")
    try:
        assert pusher.step() >= 1
        assert pusher.last_error.startswith("database unavailable")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    run_until(pusher, sim, synced(pusher))
    assert len(server.centre.table("plays")) == 2
    db.write_bytes(b"not a database" * 1000)
    caplog.set_level(logging.WARNING, logger="kiosk.sync")
    caplog.clear()
    assert pusher.step() >= 1
    assert pusher.step() >= 1
    assert pusher.last_error.startswith("database unavailable")
    assert len([r for r in caplog.records if "database unavailable" in r.getMessage()]) == 1
    db.unlink()  # gone altogether: not created empty by the pusher
    assert pusher.step() >= 1
    assert not db.exists()


def test_one_kiosk_cut_off_while_others_sync(tmp_path, server):
    sim = SimTime()
    pushers, plays = {}, {}
    for kiosk in ("K01", "K02", "K03"):
        db = tmp_path / f"{kiosk}.db"
        plays[kiosk] = kiosk_file(db, kiosk, 30)
        pushers[kiosk] = Pusher(db, server.url, f"tok-{kiosk}", kiosk, sleep=sim.sleep)
    cut = pushers["K02"]
    cut.url = "http://127.0.0.1:9/fleet/v1/sync"  # its cable pulled: nothing answers
    for _ in range(10):
        for pusher in pushers.values():
            pusher.step()
    assert cut.last_error.startswith("centre unreachable") and cut.backlog == 32
    for kiosk in ("K01", "K03"):
        assert pushers[kiosk].backlog == 0 and pushers[kiosk].last_error is None
        assert sorted(r["id"] for r in server.centre.table("plays", kiosk)) == sorted(plays[kiosk])
    assert server.centre.table("plays", "K02") == []
    cut.url = server.url + "/fleet/v1/sync"  # plugged back in
    cut.step()
    assert sorted(r["id"] for r in server.centre.table("plays", "K02")) == sorted(plays["K02"])
    assert len(server.centre.table("plays")) == 90


def test_a_kiosk_with_a_skewed_clock_still_lands_its_rows(tmp_path, server):
    db = tmp_path / "scores.db"
    skewed = T0 + timedelta(days=400, hours=5)  # its clock is more than a year ahead
    plays = kiosk_file(db, "K01", 3, at=skewed)
    with PlayStore(db, "K01") as store:
        store.start_play("recycle_right", "en", "normal", T0 - timedelta(days=30))  # and back
    sim = SimTime()
    pusher = Pusher(db, server.url, "tok-K01", "K01", sleep=sim.sleep, wall=sim.wall)
    run_until(pusher, sim, synced(pusher))
    landed = {r["id"]: r for r in server.centre.table("plays")}
    assert set(plays) < set(landed) and len(landed) == 4
    assert landed[plays[0]]["started_at"] == "2027-08-22T07:00:00.000Z"  # as the booth said


def test_the_thread_pushes_as_plays_happen_and_stops_promptly(tmp_path, server):
    db = tmp_path / "scores.db"
    kiosk_file(db, "K01", 1)
    pusher = Pusher(db, server.url, "tok-K01", "K01", idle_s=0.05)
    pusher.start()
    try:
        with PlayStore(db, "K01") as store:
            play = store.start_play("recycle_right", "en", "normal", T0)
            store.finish_play(play, "completed", T0 + timedelta(seconds=9), score=50)
            deadline = time.monotonic() + 30
            while len(server.centre.table("plays")) < 2 and time.monotonic() < deadline:
                time.sleep(0.02)
        assert len(server.centre.table("plays")) == 2
    finally:
        pusher.stop()
    assert not pusher.running
