"""The sync thread's durable-position acknowledgement (kiosk/sync/pusher.py,
kiosk/sync/durable.py) against the small centre of tests/fleetkit.py in its ``durable``
mode, where the test decides how far the centre's log is on disk: ``acked`` moves only with
the flush, an empty push learns it, the unconfirmed batches are bounded, a restarted booth
sends them again, a crash at the centre (a new epoch) makes it send them again, a refused
row is set aside only after everything before it is confirmed."""

from __future__ import annotations

import sqlite3

import pytest

from kiosk.sync import outbox
from kiosk.sync.durable import Taken, Unconfirmed, positions
from kiosk.sync.pusher import Pusher
from tests.fleetkit import Centre, CentreServer, SimTime, acked, kiosk_file, run_until, synced


@pytest.fixture
def server():
    centre = Centre(tokens={"tok-K01": "K01"}, durable=True, flushed=0)
    with CentreServer(centre) as srv:
        yield srv


def _pusher(db, server, sim: SimTime, **kw) -> Pusher:
    return Pusher(db, server.url, "tok-K01", "K01", sleep=sim.sleep, wall=sim.wall, **kw)


def _central_plays(server) -> list[str]:
    return sorted(r["id"] for r in server.centre.table("plays"))


def test_acked_moves_only_when_the_centre_reports_the_batch_flushed(tmp_path, server):
    db = tmp_path / "scores.db"
    plays = kiosk_file(db, "K01", 30)
    sim = SimTime()
    pusher = _pusher(db, server, sim)
    assert pusher.step() == pusher.confirm_s  # sent; now wait a moment and ask
    body = server.centre.batches[0]
    assert body["ack"] == "durable-lsn"
    assert pusher.backlog == 0 and pusher.unconfirmed == 32 and acked(db) == 0
    assert _central_plays(server) == sorted(plays)  # the centre has them, not on disk yet
    # An empty push learns the flush position: still 0, nothing forgotten.
    assert pusher.step() == pusher.confirm_s
    empty = server.centre.batches  # an empty push stores nothing
    assert len(empty) == 1 and acked(db) == 0 and pusher.unconfirmed == 32
    server.centre.flushed = server.centre.lsn  # the walwriter flushed
    assert pusher.step() == pusher.idle_s  # confirmed, in sync
    assert acked(db) == body["through"] and pusher.unconfirmed == 0 and pusher.pushed == 32
    assert len(server.centre.batches) == 1  # no row went twice


def test_a_later_push_confirms_the_ones_before_it(tmp_path, server):
    db = tmp_path / "scores.db"
    kiosk_file(db, "K01", 120)
    sim = SimTime()
    pusher = _pusher(db, server, sim, batch_rows=50)
    assert pusher.step() == 0.0 and pusher.step() == 0.0  # two batches out, none flushed
    first, second = (b["through"] for b in server.centre.batches)
    server.centre.flushed = 1  # the first batch's commit is on disk
    assert pusher.step() == pusher.confirm_s  # the third batch's answer says so
    assert acked(db) == first and len(pusher.waiting) == 2
    server.centre.flushed = None
    run_until(pusher, sim, synced(pusher))
    assert acked(db) == outbox.clock(sqlite3.connect(db)) and second < acked(db)


def test_an_old_centre_that_ignores_ack_is_synchronous_as_before(tmp_path):
    centre = Centre(tokens={"tok-K01": "K01"})  # answers {"acked": n}
    with CentreServer(centre) as server:
        db = tmp_path / "scores.db"
        kiosk_file(db, "K01", 10)
        sim = SimTime()
        pusher = _pusher(db, server, sim)
        assert pusher.step() == pusher.idle_s
        assert acked(db) == centre.batches[0]["through"] and not pusher.waiting


def test_a_centre_replaced_by_an_old_one_gets_the_unconfirmed_rows_again(tmp_path, server):
    db = tmp_path / "scores.db"
    plays = kiosk_file(db, "K01", 20)
    sim = SimTime()
    pusher = _pusher(db, server, sim)
    pusher.step()  # answered with positions, not flushed
    server.centre.durable = False  # now it answers {"acked": n}, synchronously
    run_until(pusher, sim, synced(pusher))
    pushes = [b for b in server.centre.batches if any(b["rows"].values())]
    assert len(pushes) == 2 and _central_plays(server) == sorted(plays)  # the rows again
    assert acked(db) == pushes[-1]["through"]


def test_unconfirmed_batches_are_bounded_and_a_centre_that_never_flushes_is_reported(
    tmp_path, server
):
    db = tmp_path / "scores.db"
    kiosk_file(db, "K01", 600)
    sim = SimTime()
    pusher = _pusher(db, server, sim, batch_rows=50, max_unconfirmed=4, max_unconfirmed_s=10)
    for _ in range(30):
        sim.sleep(pusher.step())
    assert len(server.centre.batches) == 4  # no more new batches while four wait
    assert len(pusher.waiting) == 4 and pusher.unconfirmed == 200 and acked(db) == 0
    assert pusher.backlog == 602 - 200  # rows not sent
    assert pusher.last_error.startswith("waiting for the centre's disk")
    assert pusher.states.state == "waiting for the centre's disk"
    assert max(sim.waits) == pusher.idle_s  # asking slowly, not hammering

    server.centre.flushed = None
    run_until(pusher, sim, synced(pusher))
    assert len(_central_plays(server)) == 600 and pusher.last_error is None


def test_a_batch_unconfirmed_too_long_stops_new_ones_however_few_wait(tmp_path, server):
    db = tmp_path / "scores.db"
    kiosk_file(db, "K01", 100)
    sim = SimTime()
    pusher = _pusher(db, server, sim, batch_rows=10, max_unconfirmed=16, max_unconfirmed_s=3)
    assert pusher.step() == 0.0  # one batch out
    sim.sleep(5.0)  # the centre has not flushed it in 5 s
    pusher.step()
    assert len(server.centre.batches) == 1 and len(pusher.waiting) == 1  # only asked
    server.centre.flushed = None
    run_until(pusher, sim, synced(pusher))
    assert len(_central_plays(server)) == 100


def test_a_restarted_booth_sends_its_unconfirmed_rows_again_and_they_count_once(tmp_path, server):
    db = tmp_path / "scores.db"
    plays = kiosk_file(db, "K01", 40)
    sim = SimTime()
    before = _pusher(db, server, sim)
    before.step()  # sent, answered, not flushed; then the booth is switched off
    assert acked(db) == 0
    server.centre.flushed = None
    after = _pusher(db, server, sim)  # restart: sent = acked = 0
    run_until(after, sim, synced(after))
    assert len(server.centre.batches) == 2  # the same rows again …
    assert server.centre.ignored == 42  # … a no-op at the centre
    assert _central_plays(server) == sorted(plays) and acked(db) == outbox.clock(
        sqlite3.connect(db)
    )


def test_a_crash_at_the_centre_means_a_new_epoch_and_the_rows_go_again(tmp_path, server):
    db = tmp_path / "scores.db"
    plays = kiosk_file(db, "K01", 150)
    sim = SimTime()
    pusher = _pusher(db, server, sim, batch_rows=50)
    for _ in range(3):
        pusher.step()
    server.centre.flushed = 1  # only the first batch reached the disk …
    pusher.step()  # … and the fourth batch's answer says so
    assert acked(db) == server.centre.batches[0]["through"]
    lost = server.centre.crash()
    assert lost == 102  # the centre really lost the unflushed batches
    server.centre.flushed = None
    run_until(pusher, sim, synced(pusher))
    assert _central_plays(server) == sorted(plays)  # every row, once
    # The lost positions were reused by the log after the crash: the epoch, not the
    # number, told the booth; acked never passed what the centre held.
    assert acked(db) == outbox.clock(sqlite3.connect(db))


def test_a_lost_answer_is_sent_again_and_counted_once(tmp_path, server):
    db = tmp_path / "scores.db"
    plays = kiosk_file(db, "K01", 20)
    server.centre.flushed = None
    server.centre.drop_answer = 1
    sim = SimTime()
    pusher = _pusher(db, server, sim)
    run_until(pusher, sim, synced(pusher))
    assert len(server.centre.batches) == 2 and server.centre.ignored == 22
    assert _central_plays(server) == sorted(plays)


def test_a_refused_row_is_set_aside_only_after_the_batches_before_it_are_confirmed(
    tmp_path, server
):
    db = tmp_path / "scores.db"
    kiosk_file(db, "K01", 60)
    conn = sqlite3.connect(db)
    with conn:
        bad = conn.execute(
            "INSERT INTO audit (at, kiosk_id, action, detail) VALUES ('x', 'K01', 'bad', '')"
        ).lastrowid
    kiosk_file(db, "K01", 30)
    server.centre.refuse_row = lambda table, row: table == "audit" and row["id"] == bad
    sim = SimTime()
    pusher = _pusher(db, server, sim, batch_rows=50)
    durable_through = 0
    for _ in range(40):
        sim.sleep(pusher.step())
        flushed = server.centre.flushed or 0
        durable = [
            b["through"]
            for (lsn, _), b in zip(server.centre.written, server.centre.batches, strict=True)
            if lsn <= flushed
        ]
        durable_through = max([durable_through, *durable])
        # acked never passes the centre's disk nor jumps over an unconfirmed batch (the
        # set-aside row's own version is the only step past a durable batch).
        assert acked(db) <= max(durable_through, _set_aside_version(db))
    assert outbox.quarantined(conn) == 0  # held back: a batch before it is unconfirmed
    assert acked(db) == 0 and pusher.waiting and pusher.batch_rows == 1  # down to the row
    server.centre.flushed = None
    run_until(pusher, sim, lambda: synced(pusher)() and pusher.quarantined == 1)
    assert outbox.quarantined(conn) == 1
    assert len(_central_plays(server)) == 90  # before and after the bad row
    assert acked(db) == outbox.clock(conn)


def _set_aside_version(db) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            f"SELECT coalesce(max(version), 0) FROM {outbox.QUARANTINE}"
        ).fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        conn.close()


def test_the_queue_confirms_in_order_and_a_new_epoch_drops_everything() -> None:
    queue = Unconfirmed()
    for i, lsn in enumerate((100, 200, 300), start=1):
        queue.add(Taken(through=i * 10, rows=10, lsn=lsn, epoch="a", at=float(i)))
    assert queue.flushed(99, "a").through is None and len(queue) == 3
    done = queue.flushed(250, "a")
    assert (done.through, done.rows, len(queue)) == (20, 20, 1)
    assert queue.flushed(150, "a").through is None  # an older answer arriving late
    assert queue.flushed(10_000, "b").lost == 1 and len(queue) == 0
    assert positions({"acked": 5}) is None
    assert positions({"flushed": 3, "epoch": "e"}) == (0, 3, "e")
    assert positions({"lsn": -1, "flushed": 3, "epoch": "e"}) is None
    assert positions({"lsn": 1, "flushed": True, "epoch": "e"}) is None
