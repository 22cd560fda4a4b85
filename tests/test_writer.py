"""The play log's writer thread: jobs in order, urgent first, failures seen; and the booth on
top of it never waiting for a locked database, while its visitors still get prize codes."""

from __future__ import annotations

import logging
import random
import sqlite3
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.config import Config, PrizeTier
from kiosk.input import PointerEvent
from kiosk.playlog.queued import QueuedLog
from kiosk.playlog.resilient import ResilientStore
from kiosk.playlog.store import PlayStore
from kiosk.playlog.writer import Inline, Writer
from kiosk.prizes import claimcode, eventkey, statefile
from kiosk.prizes.awards import Prizes
from kiosk.prizes.ledger import BLOCK
from tests.journeykit import run_for

NOW = datetime(2026, 7, 18, 2, 0, tzinfo=UTC)
WAIT_S = 30.0  # a generous bound on real time for the writer thread; never a measurement


@pytest.fixture
def writer(tmp_path: Path):
    w = Writer(PlayStore(tmp_path / "scores.db", "K01"))
    yield w
    w.close()


def blocked(writer: Writer) -> threading.Event:
    """Park the writer thread in a job until the returned event is set."""
    release, parked = threading.Event(), threading.Event()

    def park(store) -> None:
        parked.set()
        release.wait(WAIT_S)

    writer.submit(park)
    assert parked.wait(WAIT_S)
    return release


def test_jobs_run_in_order_with_urgent_ones_first(writer: Writer) -> None:
    ran: list[str] = []
    release = blocked(writer)
    futures = [
        writer.submit(lambda s: ran.append("finish")),
        writer.submit(lambda s: ran.append("audit")),
        writer.submit(lambda s: ran.append("prize state"), urgent=True),
    ]
    assert writer.backlog == 4 and not any(f.done() for f in futures)  # submit never waits
    release.set()
    assert writer.drain(WAIT_S)
    assert ran == ["prize state", "finish", "audit"]


def test_a_failing_job_is_logged_on_its_future_and_the_thread_goes_on(writer, caplog) -> None:
    with caplog.at_level(logging.ERROR):
        bad = writer.submit(lambda s: s.finish_play("no-such-play", "completed", NOW), what="x")
        good = writer.submit(lambda s: s.count())
        assert good.result(WAIT_S) == 0
    assert isinstance(bad.exception(), (KeyError, ValueError))
    assert "play log job 'x' failed" in caplog.text


def test_status_snapshots_follow_the_store_without_asking_it(tmp_path: Path) -> None:
    store = ResilientStore(tmp_path / "scores.db", "K01", now=lambda: NOW)
    writer = Writer(store)
    log = QueuedLog(writer)
    log.call(lambda s: s._store._conn.execute("PRAGMA query_only = ON"))
    log.audit("refused", NOW)
    assert writer.drain(WAIT_S)
    assert log.pending == 1 and any("refused a write" in n for n in log.notices)
    log.call(lambda s: s._store._conn.execute("PRAGMA query_only = OFF"))
    log.flush()
    assert writer.drain(WAIT_S)
    assert log.pending == 0
    log.close()


def test_close_runs_what_is_queued_and_says_what_never_ran(tmp_path: Path, caplog) -> None:
    writer = Writer(PlayStore(tmp_path / "scores.db", "K01"))
    release = blocked(writer)
    writer.submit(lambda s: s.count())
    with caplog.at_level(logging.ERROR):
        assert writer.close(timeout=0.05) == 2  # the parked job and the one behind it
    assert "2 queued writes not run" in caplog.text
    release.set()
    assert writer.submit(lambda s: 1).exception() is not None  # closed: refused, not lost


def test_inline_jobs_run_at_once(tmp_path: Path) -> None:
    with PlayStore(tmp_path / "scores.db", "K01") as store:
        jobs = Inline(store)
        assert jobs.submit(lambda s: s.count()).result(0) == 0
        assert isinstance(jobs.submit(lambda s: 1 / 0).exception(), ZeroDivisionError)


# -- the booth on top of it ----------------------------------------------------------------------
def prize_config(tmp_path: Path) -> Config:
    config = Config()
    config.prizes.key_file = str(tmp_path / "keys" / "event.key")
    config.prizes.tiers = [PrizeTier("gold", 0, 2)]
    return config


def touch(app, x: float, y: float) -> None:
    """A tap as the booth's own loop sees it: no waiting for the writer thread."""
    run_for(app, 0.4)
    app.pointer(PointerEvent("down", x, y, 1))
    app.pointer(PointerEvent("up", x, y, 1))
    run_for(app, 0.05)


def plays_in(db: Path) -> list[tuple]:
    """What a reader sees in the file (WAL: reading goes on under a writer's lock)."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT id, outcome, prize_code FROM plays").fetchall()
    finally:
        conn.close()


def test_a_locked_database_holds_up_no_frame_and_the_visitor_still_gets_a_code(
    make_kiosk, tmp_path: Path
) -> None:
    db = tmp_path / "scores.db"
    app = make_kiosk(config=prize_config(tmp_path), busy_timeout_s=0.3)
    app.prizes  # noqa: B018 - loaded at start-up, as the launcher does
    staff_tool = sqlite3.connect(db, isolation_level=None)
    staff_tool.execute("BEGIN EXCLUSIVE")  # a staff command holds the write lock throughout
    try:
        touch(app, 960, 540)
        touch(app, *app.scene.buttons[0].rect.center)
        touch(app, *app.scene.buttons[0].rect.center)
        touch(app, *app.scene.start.rect.center)
        if app.scene.name == "howto":  # Start waits for the round being built ahead
            app.pregame.wait()
            run_for(app, 0.05)
        bot = app.visit.game.bot(app.scene.game, random.Random(4), 0.9)
        frames = 0
        while app.scene.name == "play" and frames < 20 * 60 * 2:
            for ev in bot.step(0.05):
                app.pointer(ev)
            run_for(app, 0.05)
            frames += 1
        assert app.scene.name == "result"
        # The whole game ran, frame after frame, with not even its start committed: no
        # frame waited for the database.
        assert plays_in(db) == [] and app.store.writer.backlog > 0
        touch(app, *app.scene.next.rect.center)
        assert app.scene.name == "claim"
        deadline = time.monotonic() + WAIT_S
        while not app.scene.ready and time.monotonic() < deadline:
            run_for(app, 0.05)  # frames go on while the prize state is saved
            time.sleep(0.01)
        award = app.scene.award
        assert award is not None and award.tier == "gold" and app.scene.qr is not None
        key = eventkey.load_private(Path(app.config.prizes.key_file))
        assert claimcode.verify(award.url, key.public, app.config.prizes.event_id)
        assert plays_in(db) == []  # still locked: the code came from the ledger
        shown = statefile.load(statefile.path_for(db))
        assert shown["serial_reserved"] >= award.serial
        assert shown["issued"] == {"2026-07-18": {"gold": 1}}
        app.store.close()  # the booth dies with the lock still held: its writes are buffered
    finally:
        staff_tool.execute("COMMIT")
        staff_tool.close()

    # The next start: buffered plays replayed, the award written, no serial given twice,
    # the gold already given still counted.
    restarted = ResilientStore(db, "K01", now=app.wall)
    prizes = Prizes.from_config(prize_config(tmp_path), Inline(restarted), now=app.wall)
    ((_, outcome, code),) = plays_in(db)
    assert (outcome, code) == ("completed", award.code)
    assert prizes.stock(prizes.today(app.wall()))[0].remaining == 1
    second = restarted.start_play("recycle_right", "en", "adult", app.wall())
    restarted.finish_play(second, "completed", app.wall(), 90)
    again = prizes.award(second, "en", 90, app.wall()).result()
    assert again.serial > award.serial + BLOCK - 1 and again.tier == "gold"
    third = restarted.start_play("recycle_right", "en", "adult", app.wall())
    restarted.finish_play(third, "completed", app.wall(), 90)
    assert prizes.award(third, "en", 90, app.wall()).result().sold_out  # 2 golds of 2 given
    restarted.close()


def test_staff_numbers_arrive_without_the_panel_waiting(make_kiosk) -> None:
    app = make_kiosk()
    release = blocked(app.store.writer)
    app.staff.refresh_readings()
    assert not app.staff.poll_readings() and app.staff.store_health() is None
    release.set()
    assert app.store.writer.drain(WAIT_S)
    assert app.staff.poll_readings() and app.staff.store_health()["ok"]
