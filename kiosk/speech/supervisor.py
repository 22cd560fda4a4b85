"""Watching the speech engine for one :class:`~kiosk.speech.Speech`: restart it, or give up.

Faults, all seen by the render worker (never by the frame loop):

* hung: no answer ``render_timeout`` (2 s; a render normally takes 15-80 ms, a 10 s phrase
  well under 1 s) after a phrase was sent;
* died: the server exits during a render (seen at once, its pipe closes), or while idle
  (:meth:`EngineSupervisor.check_idle`, called by the idle worker once a second);
* raised: the engine raised (or reported) an exception while rendering.

Each of these kills the server and starts a new one, with one warning logged; the phrase
that was being rendered is not sent to the engine again during this run. A phrase the
engine renders badly without an exception (no audio, an empty WAV, the wrong voice) counts
as a failure too (:meth:`EngineSupervisor.count_failure`) but needs no restart.

Switch-off: after ``max_failures`` (3) engine failures in a row (any successful render
resets the count), or if the engine cannot be restarted, :attr:`EngineSupervisor.available`
becomes False for the rest of the run, :attr:`EngineSupervisor.problem` says why, exactly
one warning is logged and the server is not started again.

Imports: the standard library and :mod:`kiosk.speech.engine`.
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Callable
from typing import Any

from kiosk.speech import engine
from kiosk.speech.engine import SERVER_LOCK, Cancelled, EngineFault, EngineStartError

log = logging.getLogger("kiosk.speech")


class EngineSupervisor:
    """The render server's health as one Speech sees it: failures, restarts, switch-off."""

    def __init__(self, start_timeout: float, render_timeout: float, max_failures: int) -> None:
        self.start_timeout = start_timeout  # seconds to wait for a server's hello
        self.render_timeout = render_timeout  # a render with no answer this long: hung
        self.max_failures = max_failures  # in a row; then speech is switched off
        self.available = False  # the engine renders new phrases
        self.problem = ""  # why it does not, after a switch-off
        self.driver = ""
        self.voices: list[tuple[str, tuple[str, ...]]] = []
        self.failures_in_a_row = 0
        self.restarts = 0
        self._poisoned: set[str] = set()  # phrases that hung or broke the engine: not retried

    def start(self) -> str | None:
        """Make sure the render server runs and learn its voices; a problem in plain words."""
        try:
            installed = importlib.util.find_spec("pyttsx3") is not None
        except (ImportError, ValueError):
            installed = False
        if not installed:
            return "text-to-speech engine unavailable (pyttsx3 is not installed)"
        server = engine.current_server()
        if server is None or not server.alive():
            # Another Speech may hold the lock through a render and a restart.
            wait = self.start_timeout + self.render_timeout
            if not SERVER_LOCK.acquire(timeout=wait):
                return f"text-to-speech engine busy for more than {wait:g} s"
            try:
                server = engine.current_server()
                if server is None or not server.alive():
                    server = engine.start_server(self.start_timeout)
            except EngineStartError as exc:
                return f"text-to-speech engine unavailable ({exc})"
            finally:
                SERVER_LOCK.release()
        self.driver = server.driver
        self.voices = server.voices
        self.available = True
        return None

    def poisoned(self, key: str) -> bool:
        """The phrase ``key`` hung or broke the engine earlier (it is not sent again)."""
        return key in self._poisoned

    def render(
        self, key: str, text: str, request: dict[str, Any], cancelled: Callable[[], bool]
    ) -> dict[str, Any] | None:
        """Have the server render ``request`` (the phrase ``key``, ``text``); its reply.

        None when there is no reply to act on: ``cancelled()`` came true, speech is switched
        off, or the engine hung, died or raised (already logged, and restarted here).
        """
        if not self._lock_engine(cancelled):
            return None
        try:
            server = self._usable_server()
            if server is None:
                return None
            try:
                reply = server.request(request, self.render_timeout, cancelled)
            except Cancelled:
                engine.kill_server()  # shutting down mid-render; a wedged engine must not linger
                return None
            except EngineFault as fault:
                self._engine_failed(str(fault), key, text)
                return None
            if reply.get("ok"):
                self.failures_in_a_row = 0
            elif reply.get("kind") == "engine":
                self._engine_failed(f"raised {reply.get('error')}", key, text)
                return None
            return reply
        finally:
            SERVER_LOCK.release()

    def check_idle(self) -> None:
        """Notice an engine that died while nobody was talking to it."""
        server = engine.current_server()
        if not self.available or server is None or server.alive():
            return
        if not SERVER_LOCK.acquire(blocking=False):
            return  # someone is using (and so will notice) it
        try:
            if engine.current_server() is server and self.available:
                self._engine_failed(f"exited (exit code {server.kill()})")
        finally:
            SERVER_LOCK.release()

    def count_failure(self, what: str) -> bool:
        """One more engine failure in a row; False if that switched speech off."""
        self.failures_in_a_row += 1
        if self.failures_in_a_row < self.max_failures:
            return True
        self._switch_off(
            f"the speech engine failed {self.failures_in_a_row} times in a row (last: {what})"
        )
        return False

    def _lock_engine(self, cancelled: Callable[[], bool]) -> bool:
        """Take SERVER_LOCK, giving up if ``cancelled()`` comes true meanwhile."""
        while not cancelled():
            if SERVER_LOCK.acquire(timeout=0.05):
                return True
        return False

    def _usable_server(self) -> engine.EngineProcess | None:
        """The running render server, (re)started if needed; None if switched off. Hold lock."""
        server = engine.current_server()
        if server is not None and server.alive():
            return server
        if server is not None:  # it died on its own since the last phrase
            self._engine_failed(f"exited (exit code {server.kill()})")
        elif self.available:  # stopped on purpose (by another Speech): not a fault
            try:
                engine.start_server(self.start_timeout)
            except EngineStartError as exc:
                self._switch_off(f"the speech engine could not be started again ({exc})")
        server = engine.current_server()
        return server if self.available else None

    def _engine_failed(self, what: str, key: str | None = None, text: str = "") -> None:
        """The engine hung, died or raised: restart it, or switch speech off. Hold the lock."""
        engine.kill_server()
        if not self.available:
            return
        if key is not None and len(self._poisoned) < 1000:
            self._poisoned.add(key)
        about = f" on {text[:40]!r}" if key is not None else ""
        if not self.count_failure(f"it {what}{about}"):
            return  # switched off
        try:
            engine.start_server(self.start_timeout)
        except EngineStartError as exc:
            self._switch_off(f"the speech engine {what}{about} and could not be restarted ({exc})")
            return
        log.warning(
            "speech engine %s%s; restarted it (failure %d in a row, off after %d)",
            what,
            about,
            self.failures_in_a_row,
            self.max_failures,
        )
        self.restarts += 1  # after the warning: whoever sees it in status finds it logged

    def _switch_off(self, reason: str) -> None:
        """No more rendering this run; cached phrases still play. Logs one warning."""
        if not self.available:
            return
        self.problem = reason
        engine.kill_server()
        log.warning("speech switched off, only phrases already cached will play: %s", reason)
        self.available = False  # last: whoever sees it finds the warning logged
