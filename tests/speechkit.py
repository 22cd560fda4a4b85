"""Scaffolding the speech test files share: the espeak check, faults, a fake frame loop.

A plain module, not a conftest: ``tests/test_speech.py`` and ``tests/test_speech_faults.py``
name what they import from here. Faults go into the real render server through
``tests/speech_fault_server.py``, run in its place by :func:`inject_fault`.
"""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pygame
import pytest

from kiosk.speech import Speech, engine

# Long enough that only a real hang (or a dead lock) runs into it, on any machine.
DID_NOT_HANG_S = 15.0


def _espeak_problem() -> str | None:
    if shutil.which("espeak-ng") is None:
        return "espeak-ng is not installed (apt install espeak-ng)"
    try:
        import pyttsx3

        pyttsx3.init()
    except Exception as exc:
        return f"pyttsx3 cannot start its espeak driver: {exc!r}"
    return None


ESPEAK_PROBLEM = _espeak_problem()
needs_espeak = pytest.mark.skipif(ESPEAK_PROBLEM is not None, reason=str(ESPEAK_PROBLEM))


def inject_fault(monkeypatch: pytest.MonkeyPatch, fault: str) -> None:
    """Every render server started from now on has ``fault`` (see speech_fault_server)."""
    monkeypatch.setattr(engine, "SERVER_MODULE", "tests.speech_fault_server")
    monkeypatch.setenv("SPEECH_FAULT", fault)
    engine.kill_server()  # the next Speech starts a server with the fault


class SpeechMaker:
    """Makes Speech instances on one cache directory and shuts them all down at the end."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.made: list[Speech] = []

    def __call__(self, cache: str = "speech", **kwargs: Any) -> Speech:
        speech = Speech(self.tmp_path / cache, **kwargs)
        self.made.append(speech)
        return speech

    def close(self) -> None:
        for speech in self.made:
            speech.shutdown()


def engine_pid() -> int | None:
    """The process id of the render server now in use, if any."""
    server = engine.current_server()
    return server.pid if server is not None else None


def channel() -> pygame.mixer.Channel:
    """The mixer channel speech plays on."""
    return pygame.mixer.Channel(0)


def pump(speech: Speech | None, until: Callable[[], bool], timeout: float = DID_NOT_HANG_S) -> None:
    """Run a fake frame loop (``speech.update()`` every ~5 ms) until ``until()``."""
    deadline = time.monotonic() + timeout
    while not until():
        assert time.monotonic() < deadline, f"still waiting after {timeout:g} s"
        if speech is not None:
            speech.update()
        time.sleep(0.005)


def plays(speech: Speech, lang: str, text: str) -> None:
    """Say ``text`` and wait until it is audible, then stop it."""
    speech.say(lang, text)
    pump(speech, lambda: channel().get_busy())
    speech.stop()
