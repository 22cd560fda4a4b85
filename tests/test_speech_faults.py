"""A speech engine that hangs, dies or raises: detected, restarted or switched off, and never
allowed to block the frame loop or shutdown.

Faults are injected into the real render server (pyttsx3 + espeak-ng in its own process):
either by stopping or killing that process, or by running a few lines before the server that
make pyttsx3 hang, raise or exit for some phrases.
"""

from __future__ import annotations

import os

os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import contextlib
import logging
import signal
import statistics
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pygame
import pytest

from kiosk import speech as speech_module
from kiosk.speech import Speech
from tests.test_speech import ESPEAK_PROBLEM  # one check of espeak for both speech test files

CACHED = "Welcome to Smartizen Park."
ON_DISK = "Touch the screen to play."


pytestmark = pytest.mark.skipif(ESPEAK_PROBLEM is not None, reason=str(ESPEAK_PROBLEM))

# pyttsx3 misbehaving inside the render server, for phrases containing a trigger word.
BY_TEXT = """
import os, threading
import pyttsx3.engine

_save, _run = pyttsx3.engine.Engine.save_to_file, pyttsx3.engine.Engine.runAndWait
_text = [""]


def save_to_file(self, text, filename, name=None):
    _text[0] = text
    return _save(self, text, filename, name)


def runAndWait(self):
    text = _text[0].lower()
    if "stuck" in text:
        threading.Event().wait()  # espeak wedged inside runAndWait, forever
    if "boom" in text:
        raise RuntimeError("espeak fell over")
    if "crash" in text:
        os._exit(3)  # the engine dies (a segfault in libespeak-ng, say)
    if "mute" in text:
        return  # nothing rendered, no error either
    return _run(self)


pyttsx3.engine.Engine.save_to_file = save_to_file
pyttsx3.engine.Engine.runAndWait = runAndWait
"""


@pytest.fixture
def engine_fault(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """Inject a fault into the render server: ``prelude`` runs first in every new server."""

    def inject(prelude: str) -> None:
        code = textwrap.dedent(prelude) + speech_module._SERVER_CODE
        monkeypatch.setattr(speech_module, "_SERVER_CODE", code)
        speech_module._kill_server()  # the next Speech starts a server with the fault

    yield inject
    speech_module._kill_server()  # later tests get a healthy engine


@pytest.fixture
def make_speech(tmp_path: Path) -> Iterator[Callable[..., Speech]]:
    made: list[Speech] = []

    def make(**kwargs) -> Speech:
        s = Speech(tmp_path / "speech", **kwargs)
        made.append(s)
        assert s.available, s.status
        return s

    yield make
    for s in made:
        s.shutdown()


@pytest.fixture
def warned(caplog: pytest.LogCaptureFixture) -> Callable[[], list[str]]:
    caplog.set_level(logging.DEBUG, logger="kiosk.speech")
    return lambda: [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def engine_pid() -> int | None:
    server = speech_module._server
    return server.pid if server is not None else None


def channel() -> pygame.mixer.Channel:
    return pygame.mixer.Channel(0)


def wait_until(until: Callable[[], bool], timeout: float, speech: Speech | None = None) -> float:
    """Run a fake frame loop until ``until()``; the seconds it took."""
    start = time.monotonic()
    while not until():
        assert time.monotonic() - start < timeout, "timed out"
        if speech is not None:
            speech.update()
        time.sleep(0.005)
    return time.monotonic() - start


def plays(speech: Speech, lang: str, text: str, timeout: float = 3.0) -> None:
    speech.say(lang, text)
    wait_until(lambda: channel().get_busy(), timeout, speech)
    speech.stop()


def timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


# ---------------------------------------------------------------- hung


def test_hung_render_is_detected_within_2_s_and_the_engine_restarted(
    make_speech, engine_fault, warned
) -> None:
    engine_fault(BY_TEXT)
    s = make_speech()
    assert s.wait_rendered("en", CACHED)
    hung_pid = engine_pid()
    stuck = "This phrase gets the engine stuck."

    start = time.monotonic()
    s.say("en", stuck)
    # The kiosk's frame loop carries on while the engine hangs: every call stays cheap.
    calls: list[float] = []
    while engine_pid() == hung_pid:  # until the watchdog kills the hung server
        assert time.monotonic() - start < 2.5, "hung engine not detected within 2.5 s"
        calls.append(timed(s.update))
        calls.append(timed(lambda: s.set_volume(0.6)))
        calls.append(timed(lambda: s.set_muted(False)))
        calls.append(timed(lambda: s.status))
        calls.append(timed(lambda: s.speaking))
        if len(calls) == 50:  # say() and stop() while the worker waits on the hung engine
            calls.append(timed(lambda: s.say("en", "Said while the engine hangs.")))
            calls.append(timed(s.stop))
        time.sleep(0.01)
    detected = time.monotonic() - start
    assert 1.9 <= detected < 2.5, f"detected after {detected:.2f} s"
    assert statistics.median(calls) < 0.001, f"median call {statistics.median(calls) * 1e3:.2f} ms"
    assert max(calls) < 0.05, f"slowest call {max(calls) * 1e3:.1f} ms (blocked on the engine?)"

    wait_until(lambda: "restarted" in s.status, 2.0)
    assert engine_pid() not in (None, hung_pid)  # a fresh render server
    assert s.available and "engine restarted 1 time" in s.status
    logged = warned()
    assert len(logged) == 1 and "hung" in logged[0] and "restarted" in logged[0], logged

    # The phrase that hung is not sent to the engine again; others render and play.
    s.say("en", stuck)
    wait_until(lambda: not s.speaking, 1.0, s)
    plays(s, "en", "After the restart, speech works again.")
    assert s.available and len(warned()) == 1


def test_shutdown_is_prompt_while_the_engine_is_hung(make_speech) -> None:
    s = make_speech()
    assert s.wait_rendered("en", CACHED)
    pid = engine_pid()
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)  # the whole engine process stops answering
    try:
        s.say("en", "Nobody will ever hear this phrase.")
        wait_until(lambda: s._busy_since is not None, 1.0)  # the worker waits for the engine
        took = timed(s.shutdown)
        assert took < 1.0, f"shutdown took {took:.2f} s"
        assert not s.available and s.status == "silent: shut down"
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)  # killed and reaped, not left behind
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGCONT)


def test_repeated_hangs_switch_speech_off_but_cached_phrases_still_play(
    make_speech, engine_fault, warned
) -> None:
    engine_fault(BY_TEXT)
    s = make_speech()
    s.RENDER_TIMEOUT_S = 0.25  # the 2 s detection is measured above; keep this test short
    s.MAX_FAILURES_IN_A_ROW = 2  # (3, the default, is exercised below)
    plays(s, "en", CACHED)  # a Sound in memory
    assert s.wait_rendered("en", ON_DISK)  # only a WAV in the cache directory
    for n in range(4):
        s.prepare("en", f"Phrase {n} gets the engine stuck.")

    wait_until(lambda: not s.available, 4.0)
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
    wait_until(lambda: not s.speaking, 1.0, s)
    assert not channel().get_busy()
    s.prepare("zh-HK", "你好")
    assert s.wait_rendered("en", "Another new phrase.", timeout=1.0) is False
    assert s.wait_rendered("en", ON_DISK, timeout=1.0) is True
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
    make_speech, engine_fault, warned, fault: str
) -> None:
    engine_fault(BY_TEXT)
    s = make_speech()
    for n in range(5):
        s.prepare("en", f"Phrase number {n} ({fault}).")

    first = wait_until(lambda: warned(), 2.0)
    assert first < 1.0, "the first failure is noticed at once"
    wait_until(lambda: not s.available, 3.0)
    assert s.status.startswith("cached phrases only: ") and "3 times in a row" in s.status
    logged = warned()
    assert sum("switched off" in m for m in logged) == 1, logged
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


def test_a_single_bad_phrase_is_logged_and_skipped(make_speech, engine_fault, warned) -> None:
    engine_fault(BY_TEXT)
    s = make_speech()
    s.MAX_FAILURES_IN_A_ROW = 2  # two failures, but never two in a row
    for n in range(2):
        s.say("en", f"Bad phrase {n}: boom.")
        wait_until(lambda: not s.speaking, 2.0, s)
        assert not channel().get_busy()
        plays(s, "en", f"Good phrase {n}.")
    assert s.available
    logged = warned()
    assert len(logged) == 2 and all("espeak fell over" in m for m in logged), logged
    assert "engine restarted 2 times" in s.status


def test_an_engine_that_dies_mid_render_is_replaced_at_once(
    make_speech, engine_fault, warned
) -> None:
    engine_fault(BY_TEXT)
    s = make_speech()
    pid = engine_pid()
    s.say("en", "This phrase makes the engine crash.")
    took = wait_until(lambda: warned(), 2.0, s)
    assert took < 1.0, f"noticed after {took:.2f} s"
    logged = warned()
    assert len(logged) == 1 and "exited (exit code 3)" in logged[0], logged
    assert engine_pid() not in (None, pid)
    wait_until(lambda: not s.speaking, 1.0, s)
    plays(s, "en", "The new engine speaks.")
    assert s.available and len(warned()) == 1


def test_an_engine_that_dies_while_idle_is_noticed_and_replaced(make_speech, warned) -> None:
    s = make_speech()
    s.IDLE_CHECK_S = 0.3  # default 1 s
    assert s.wait_rendered("en", CACHED)
    pid = engine_pid()
    assert pid is not None
    os.kill(pid, signal.SIGKILL)  # e.g. the out-of-memory killer
    took = wait_until(lambda: "restarted" in s.status, 2.5)
    assert took < 1.5, f"replaced after {took:.2f} s"
    assert engine_pid() not in (None, pid)
    logged = warned()
    assert len(logged) == 1 and "exited" in logged[0] and "restarted" in logged[0], logged
    plays(s, "en", "Speech carries on.")
    assert s.available and "engine restarted 1 time" in s.status


def test_an_engine_that_cannot_be_restarted_switches_speech_off(
    make_speech, engine_fault, warned, tmp_path: Path
) -> None:
    broken = tmp_path / "espeak-broken"
    engine_fault(
        f"""
        import os, pyttsx3

        if os.path.exists({str(broken)!r}):  # e.g. espeak-ng uninstalled meanwhile
            def init(*_args, **_kwargs):
                raise OSError("libespeak-ng.so.1: cannot open shared object file")

            pyttsx3.init = init
        """
    )
    s = make_speech()
    plays(s, "en", CACHED)
    broken.touch()
    pid = engine_pid()
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    s.say("en", "A new phrase needs the engine.")
    wait_until(lambda: not s.available, 2.5, s)
    assert "could not be restarted" in s.status and "libespeak-ng" in s.status, s.status
    logged = warned()
    assert len(logged) == 1 and "switched off" in logged[0], logged
    plays(s, "en", CACHED)  # still there


def test_an_engine_that_hangs_at_start_up_is_given_up(
    engine_fault, warned, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    engine_fault("import time\ntime.sleep(60)\n")
    monkeypatch.setattr(Speech, "ENGINE_START_TIMEOUT", 0.5)
    start = time.monotonic()
    s = Speech(tmp_path / "speech")
    took = time.monotonic() - start
    try:
        assert took < 1.5, f"constructor took {took:.2f} s"
        assert not s.available and s.status.startswith("silent: ")
        assert "did not start within 0.5 s" in s.status
        assert len(warned()) == 1
        s.say("en", CACHED)
        s.update()
        assert not s.speaking
    finally:
        s.shutdown()
