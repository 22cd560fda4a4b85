"""Wall-clock trouble on a booth: an NTP step mid-game, a clock never set, a clock running
ahead. Plays are timed on the monotonic clock, staff are told to set the clock, prize codes
are never made with a misleading message (issue 11, item 8). On the simulated clock; the
wall clock is the simulated one plus an offset the test moves, as NTP or a person would."""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from kiosk.booth.app import Kiosk
from kiosk.clock import JUMP_TOLERANCE_S, NOT_BEFORE, SimClock, WallClockWatch
from kiosk.prizes import claimcode, eventkey
from kiosk.prizes.claimcode import Claim
from tests.journeykit import bot_plays, open_panel, press, run_for, start_round, tap, tap_button

CARNIVAL = datetime(2026, 7, 18, 2, 0, tzinfo=UTC)  # 10:00 in Hong Kong
UNSET = datetime(2000, 1, 1, tzinfo=UTC)  # where a flat RTC battery leaves the clock


def booth(make_kiosk, tmp_path, start: datetime = CARNIVAL) -> Kiosk:
    """A kiosk with its own event key (so prize codes are made) whose wall clock reads
    ``start`` and can be stepped (``app.wall.step``)."""
    app = make_kiosk(seed=3, start=start)
    app.config.prizes.key_file = str(tmp_path / "keys" / "event.key")  # read at the first prize
    eventkey.generate(tmp_path / "keys" / "event.key")
    return app


def finish_round(app: Kiosk) -> None:
    bot_plays(app, 200)
    assert app.scene.name == "result"


# -- the watch -------------------------------------------------------------------------------
def test_the_watch_sees_an_unset_clock_once_per_spell_and_every_jump(caplog) -> None:
    mono = [0.0]
    wall = [UNSET]
    watch = WallClockWatch(lambda: wall[0], lambda: mono[0])
    with caplog.at_level(logging.INFO, logger="kiosk.clock"):
        assert [p.kind for p in watch.check()] == ["unset"] and watch.unset
        mono[0] += 60
        wall[0] += timedelta(seconds=60)
        assert [p.kind for p in watch.check()] == ["unset"]
        mono[0] += 60
        wall[0] = CARNIVAL  # NTP sets it: a jump forward, and set now
        (jump,) = watch.check()
        assert jump.kind == "jump" and jump.jump_s > 26 * 365 * 86400 and not watch.unset
        mono[0] += 600
        wall[0] += timedelta(seconds=600 + JUMP_TOLERANCE_S - 1)  # drift within tolerance
        assert watch.check() == []
        mono[0] += 600
        wall[0] += timedelta(seconds=600 - 3600)  # stepped back an hour
        (back,) = watch.check()
        assert back.kind == "jump" and back.jump_s == pytest.approx(-3600)
    lines = [r.getMessage() for r in caplog.records]
    assert sum("not set" in m for m in lines) == 1  # the unset spell logged once
    assert any("jumped back by 1:00:00" in m for m in lines)
    assert any("jumped forward" in m for m in lines)
    assert NOT_BEFORE.year == 2026


# -- an NTP step mid-game --------------------------------------------------------------------
def test_a_clock_stepped_back_mid_game_keeps_the_play_timed_and_tells_staff(
    make_kiosk, tmp_path
) -> None:
    app = booth(make_kiosk, tmp_path)
    start_round(app)
    run_for(app, 20)
    app.wall.step(-3600)  # NTP steps the clock back an hour while the visitor plays
    finish_round(app)
    (row,) = app.store.plays()
    started = datetime.fromisoformat(row["started_at"])
    ended = datetime.fromisoformat(row["ended_at"])
    assert row["outcome"] == "completed"
    assert ended > started
    assert row["duration_s"] == pytest.approx(app.visit.result.details.get("seconds", 60), abs=5)
    assert app.clock_jumps == []  # nothing checked yet: the check runs between visitors
    tap_button(app, 0)  # result → claim
    tap(app, *app.scene.done.rect.center)  # claim → thanks
    run_for(app, 15)
    assert app.scene.name == "attract"
    (jump,) = app.clock_jumps
    assert jump.jump_s == pytest.approx(-3600)
    open_panel(app)
    warning = app.layer.warnings
    assert "Clock jumped −1:00:00" in warning
    press(app, app.staff.tr("staff.acknowledge"))
    assert app.clock_jumps == [] and "Clock" not in app.staff.store_warnings()


def test_a_play_abandoned_after_a_step_back_still_ends_after_it_began(make_kiosk, tmp_path) -> None:
    app = booth(make_kiosk, tmp_path)
    start_round(app)
    run_for(app, 5)
    app.wall.step(-7200)
    app.drop_visit("abandoned")
    (row,) = app.store.plays()
    assert row["ended_at"] > row["started_at"]
    assert row["duration_s"] == pytest.approx(5, abs=1)


# -- a clock never set -----------------------------------------------------------------------
def test_a_kiosk_at_2000_says_set_the_clock_and_never_blames_the_claim_url(
    make_kiosk, tmp_path, caplog
) -> None:
    with caplog.at_level(logging.INFO):
        app = booth(make_kiosk, tmp_path, UNSET)
        app.prizes  # noqa: B018 - built at start-up, as the launcher does
        assert app.clock_watch.unset
        start_round(app)
        finish_round(app)
        tap_button(app, 0)  # result → claim
        assert app.scene.name == "claim" and app.scene.award is None  # the prize desk helps
    text = caplog.text
    assert "shorten claim_url" not in text and "QR budget" not in text
    assert "before 2026-01-01: it is not set. Set the clock" in text
    assert "the kiosk's clock is not set" in text  # why this visitor got no code
    assert not [r for r in caplog.records if r.exc_info]
    app.staff.lang = "en"
    assert "Set the clock: it reads 2000-01-01" in app.staff.store_warnings()
    app.staff.lang = "zh-HK"
    assert "請設定時鐘：時鐘讀數為 2000-01-01" in app.staff.store_warnings()


def test_a_code_dated_before_the_format_began_names_the_clock() -> None:
    claim = Claim(
        event=2026, key_id=0, kiosk="K07", serial=1, tier="gold", issued=UNSET.date(),
        lang="en", nonce=0,
    )  # fmt: skip
    with pytest.raises(ValueError, match="is the kiosk's clock set"):
        claimcode.pack(claim)


class _FakeTime:
    """A monotonic clock whose sleeps overshoot by ``late`` seconds, as a busy scheduler's."""

    def __init__(self, late: float) -> None:
        self.t, self.late, self.slept = 100.0, late, []

    def monotonic(self) -> float:
        return self.t

    def sleep(self, s: float) -> None:
        self.slept.append(s)
        self.t += s + self.late


def test_late_wake_ups_are_made_up_so_a_still_screen_keeps_its_frame_rate() -> None:
    from kiosk.clock import RealClock

    fake = _FakeTime(late=0.003)  # every wake-up 3 ms late
    clock = RealClock(60, monotonic=fake.monotonic, sleep=fake.sleep)
    start = fake.t
    for _ in range(600):
        fake.t += 0.001  # the frame's own work
        clock.tick()
    fps = 600 / (fake.t - start)
    assert 59.0 <= fps <= 60.5  # a wait a period after each frame's start would give ~50
    assert min(fake.slept) < 1 / 60 - 0.003  # the lateness came off the next waits


def test_a_stall_restarts_the_pacing_instead_of_racing_to_catch_up() -> None:
    from kiosk.clock import RealClock

    fake = _FakeTime(late=0.0)
    clock = RealClock(60, monotonic=fake.monotonic, sleep=fake.sleep)
    clock.tick()
    fake.t += 0.5  # a slow disk
    assert clock.tick() == 0.1  # the game is not teleported
    fake.slept.clear()
    for _ in range(5):
        clock.tick()
    assert all(abs(s - 1 / 60) < 1e-9 for s in fake.slept)  # full frames again, no burst


def test_a_simulated_frame_lets_other_threads_run() -> None:
    """A ``--fast`` loop never sleeps: without a pause in each tick, a thread that gives up
    the GIL often (the writer thread, between SQLite calls) waited one switch interval
    (5 ms) for it every time, and a claim screen waited 20 s for an award."""
    steps = 0

    def writer() -> None:
        nonlocal steps
        for _ in range(200):
            time.sleep(0)  # a call that lets go of the GIL, as each SQLite step does
            steps += 1

    thread = threading.Thread(target=writer)
    clock = SimClock()
    thread.start()
    for _ in range(20_000):  # 0.2-0.4 s of frames: 40-80 switch intervals
        clock.tick()
        sum(range(200))  # the frame's own work, holding the GIL
        if steps == 200:
            break
    done_in_frames = steps
    thread.join()
    assert done_in_frames == 200
