"""A speech engine that hangs, dies or raises: detected, restarted or switched off, and never
allowed to block the frame loop or shutdown.

Faults are injected into the real render server (pyttsx3 + espeak-ng in its own process):
either by stopping or killing that process, or by running it through
``tests/speech_fault_server.py``, which makes pyttsx3 hang, raise or exit for some phrases.
How fast each fault is noticed is measured by ``benchmarks/speech.py``; these tests check
what happens, and in which order.
"""

from __future__ import annotations

import os

os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import contextlib
import logging
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.speech import Speech, engine
from tests.speechkit import (
    ESPEAK_PROBLEM,
    SpeechMaker,
    channel,
    engine_pid,
    inject_fault,
    plays,
    pump,
)

CACHED = "Welcome to Smartizen Park."
ON_DISK = "Touch the screen to play."
STUCK = "This phrase gets the engine stuck."

pytestmark = pytest.mark.skipif(ESPEAK_PROBLEM is not None, reason=str(ESPEAK_PROBLEM))


@pytest.fixture
def make_speech(tmp_path: Path) -> Iterator[Callable[..., Speech]]:
    maker = SpeechMaker(tmp_path)

    def make(**kwargs) -> Speech:
        s = maker(**kwargs)
        assert s.available, s.status
        return s

    yield make
    maker.close()
    engine.kill_server()  # later tests get a healthy engine, without a fault


@pytest.fixture
def faulty(monkeypatch: pytest.MonkeyPatch) -> None:
    """Render servers whose pyttsx3 misbehaves for phrases saying stuck, boom, crash, mute."""
    inject_fault(monkeypatch, "by-text")


@pytest.fixture
def warned(caplog: pytest.LogCaptureFixture) -> Callable[[], list[str]]:
    caplog.set_level(logging.DEBUG, logger="kiosk.speech")
    return lambda: [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


# ---------------------------------------------------------------- hung


@pytest.mark.timeout(60)  # a call that waited for the hung engine would wait 10 minutes
def test_nothing_the_frame_loop_calls_waits_for_a_hung_engine(
    make_speech, faulty, warned, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Speech, "RENDER_TIMEOUT_S", 600.0)  # hung for the whole test
    s = make_speech()
    hung_pid = engine_pid()
    s.say("en", STUCK)
    pump(None, lambda: s._worker.busy_since is not None)  # the worker waits for the engine

    for _ in range(20):
        s.update()
        s.set_volume(0.6)
        s.set_muted(False)
        assert s.status.startswith("ready") and s.speaking
    s.say("en", "Said while the engine hangs.")
    s.prepare("zh-HK", "你好")
    assert s.wait_rendered("en", "Also asked for while it hangs.", timeout=0.1) is False
    s.stop()
    assert not s.speaking and not channel().get_busy()
    # All of that happened while the worker still waited for the same hung engine.
    assert s._worker.busy_since is not None and engine_pid() == hung_pid
    assert warned() == []


def test_hung_render_is_detected_and_the_engine_restarted(
    make_speech, faulty, warned, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Speech, "RENDER_TIMEOUT_S", 1.0)  # 2 s by default (benchmarked)
    s = make_speech()
    hung_pid = engine_pid()

    s.say("en", STUCK)
    pump(s, lambda: "restarted" in s.status)
    assert engine_pid() not in (None, hung_pid)  # a fresh render server
    assert s.available and "engine restarted 1 time" in s.status
    logged = warned()
    assert len(logged) == 1, logged
    assert "hung (no answer within 1 s)" in logged[0] and "restarted" in logged[0], logged

    # The phrase that hung is not sent to the engine again; others render and play.
    s.say("en", STUCK)
    pump(s, lambda: not s.speaking)
    assert engine_pid() not in (None, hung_pid)
    plays(s, "en", "After the restart, speech works again.")
    assert s.available and len(warned()) == 1


def test_shutdown_while_the_engine_is_hung_kills_it_and_ends_the_worker(
    make_speech, warned
) -> None:
    s = make_speech()
    assert s.wait_rendered("en", CACHED)
    pid = engine_pid()
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)  # the whole engine process stops answering
    try:
        s.say("en", "Nobody will ever hear this phrase.")
        pump(None, lambda: s._worker.busy_since is not None)  # the worker waits for the engine
        worker = s._worker.thread
        assert worker is not None
        s.shutdown()
        assert not s.available and s.status == "silent: shut down"
        worker.join(timeout=10)
        assert not worker.is_alive(), "the worker is still waiting for the hung engine"
        assert engine_pid() is None
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)  # killed and reaped, not left behind
        assert warned() == []
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGCONT)


def test_repeated_hangs_switch_speech_off_but_cached_phrases_still_play(
    make_speech, faulty, warned, monkeypatch: pytest.MonkeyPatch
) -> None:
    warm = make_speech()  # renders with the default timeout, into the shared cache directory
    assert warm.wait_rendered("en", CACHED) and warm.wait_rendered("en", ON_DISK)
    warm.shutdown()
    # Every phrase the next Speech sends to the engine hangs, so a short timeout is safe.
    monkeypatch.setattr(Speech, "RENDER_TIMEOUT_S", 0.25)
    monkeypatch.setattr(Speech, "MAX_FAILURES_IN_A_ROW", 2)  # (3, the default: below)
    s = make_speech()
    plays(s, "en", CACHED)  # a Sound in memory
    assert s.wav_path("en", ON_DISK).exists()  # only a WAV in the cache directory
    assert s.renders == 0
    for n in range(4):
        s.prepare("en", f"Phrase {n} gets the engine stuck.")

    pump(None, lambda: not s.available)
    assert s.status.startswith("cached phrases only: ")
    assert "2 times in a row" in s.status and "hung" in s.status, s.status
    logged = warned()
    assert sum("switched off" in m for m in logged) == 1, logged
    assert sum("restarted" in m for m in logged) == 1, logged
    assert len(logged) == 2
    assert engine_pid() is None  # the broken engine is not left running

    # Cached phrases still play, from memory and from the cache directory ...
    plays(s, "en", CACHED)
    plays(s, "en", ON_DISK)
    # ... anything else is quietly skipped, and every call keeps working.
    s.say("en", "A phrase nobody rendered.")
    pump(s, lambda: not s.speaking)
    assert not channel().get_busy()
    s.prepare("zh-HK", "你好")
    assert s.wait_rendered("en", "Another new phrase.") is False
    assert s.wait_rendered("en", ON_DISK) is True
    s.set_volume(0.4)
    s.set_muted(True)
    s.set_muted(False)
    assert s.volume == pytest.approx(0.4)
    time.sleep(0.2)
    assert len(warned()) == 2, "switch-off logged once, nothing after it"
    assert engine_pid() is None


# ---------------------------------------------------------------- raises, dies


@pytest.mark.parametrize("fault", ["boom", "mute"])
def test_an_engine_failing_every_render_is_switched_off(
    make_speech, faulty, warned, fault: str
) -> None:
    s = make_speech()
    for n in range(5):
        s.prepare("en", f"Phrase number {n} ({fault}).")

    pump(None, lambda: not s.available)
    assert s.status.startswith("cached phrases only: ") and "3 times in a row" in s.status
    logged = warned()
    assert "switched off" in logged[-1] and sum("switched off" in m for m in logged) == 1, logged
    if fault == "boom":  # an exception: the engine is restarted after each failure
        assert "espeak fell over" in s.status
        assert sum("restarted" in m for m in logged) == 2, logged
    else:  # no audio, no error: logged and skipped like a bad phrase, no restart
        assert "no audio" in s.status
        assert sum("could not render" in m for m in logged) == 2, logged
    assert len(logged) == 3
    assert s.renders == 0
    time.sleep(0.2)  # the two phrases left are not tried
    assert len(warned()) == 3


def test_a_single_bad_phrase_is_logged_and_skipped(
    make_speech, faulty, warned, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Speech, "MAX_FAILURES_IN_A_ROW", 2)  # two failures, never two in a row
    s = make_speech()
    for n in range(2):
        s.say("en", f"Bad phrase {n}: boom.")
        pump(s, lambda: not s.speaking)
        assert not channel().get_busy()
        plays(s, "en", f"Good phrase {n}.")
    assert s.available
    logged = warned()
    assert len(logged) == 2 and all("espeak fell over" in m for m in logged), logged
    assert "engine restarted 2 times" in s.status


def test_an_engine_that_dies_mid_render_is_replaced_at_once(
    make_speech, faulty, warned, monkeypatch: pytest.MonkeyPatch
) -> None:
    # At once: long before a hang would be noticed, which this test never waits for.
    monkeypatch.setattr(Speech, "RENDER_TIMEOUT_S", 600.0)
    s = make_speech()
    pid = engine_pid()
    s.say("en", "This phrase makes the engine crash.")
    pump(s, lambda: bool(warned()))
    logged = warned()
    assert len(logged) == 1 and "exited (exit code 3)" in logged[0], logged
    assert engine_pid() not in (None, pid)
    pump(s, lambda: not s.speaking)
    plays(s, "en", "The new engine speaks.")
    assert s.available and len(warned()) == 1


def test_an_engine_that_dies_while_idle_is_noticed_and_replaced(
    make_speech, warned, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Speech, "IDLE_CHECK_S", 0.2)  # 1 s by default
    s = make_speech()
    assert s.wait_rendered("en", CACHED)
    pid = engine_pid()
    assert pid is not None
    os.kill(pid, signal.SIGKILL)  # e.g. the out-of-memory killer
    pump(None, lambda: "restarted" in s.status)  # nobody asked for a phrase meanwhile
    assert engine_pid() not in (None, pid)
    logged = warned()
    assert len(logged) == 1 and "exited" in logged[0] and "restarted" in logged[0], logged
    plays(s, "en", "Speech carries on.")
    assert s.available and "engine restarted 1 time" in s.status


def test_an_engine_that_cannot_be_restarted_switches_speech_off(
    make_speech, warned, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    broken = tmp_path / "espeak-broken"  # e.g. espeak-ng uninstalled while the kiosk runs
    inject_fault(monkeypatch, f"init-raises-once:{broken}")
    s = make_speech()
    plays(s, "en", CACHED)
    broken.touch()
    pid = engine_pid()
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    s.say("en", "A new phrase needs the engine.")
    pump(s, lambda: not s.available)
    assert "could not be restarted" in s.status and "libespeak-ng" in s.status, s.status
    logged = warned()
    assert len(logged) == 1 and "switched off" in logged[0], logged
    plays(s, "en", CACHED)  # still there


def test_an_engine_that_hangs_at_start_up_is_given_up(
    warned, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    inject_fault(monkeypatch, "hang-at-start")
    monkeypatch.setattr(Speech, "ENGINE_START_TIMEOUT", 0.5)
    maker = SpeechMaker(tmp_path)
    try:
        s = maker()  # returns, silent, rather than waiting for the engine
        assert not s.available and s.status.startswith("silent: ")
        assert "did not start within 0.5 s" in s.status
        assert len(warned()) == 1
        assert engine_pid() is None  # the wedged server is not left running
        s.say("en", CACHED)
        s.update()
        assert not s.speaking
    finally:
        maker.close()
        engine.kill_server()
