"""The render server process as the kiosk sees it: start it, ask it to render, kill it.

One render server (:mod:`kiosk.speech.server`) serves the whole kiosk process, like pyttsx3's
own one engine per process: :func:`start_server` replaces it, :func:`current_server` is it,
:func:`kill_server` stops it (also at interpreter exit). Whoever talks to it holds
``SERVER_LOCK``; the frame loop never takes that lock.

Imports: the standard library and ``kiosk`` (for where the kiosk package lives) only.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import queue
import subprocess
import sys
import sysconfig
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import kiosk

# The module run as the render server. Tests name a wrapper here that injects faults into it.
SERVER_MODULE = "kiosk.speech.server"


class EngineStartError(Exception):
    """The render server could not be started (message: why, in plain words)."""


class EngineFault(Exception):
    """The render server hung or died during a request (message: what happened)."""


class Cancelled(Exception):
    """The caller gave up (it is shutting down); the request in flight was abandoned."""


def server_command() -> list[str]:
    """The command line that runs the render server."""
    # -P: the working directory is not put on sys.path (a stray wave.py must not shadow).
    return [sys.executable, "-P", "-m", SERVER_MODULE]


def server_env() -> dict[str, str]:
    """Our environment, with PYTHONPATH leading to the very ``kiosk`` package we run.

    Without it the server would import whatever ``kiosk`` the interpreter finds first (e.g.
    an editable install of another checkout, when we run from a git worktree). ``-P`` still
    honours PYTHONPATH.
    """
    env = dict(os.environ)
    root = kiosk.ROOT  # the directory holding the kiosk package
    installed = {Path(sysconfig.get_path(name)).resolve() for name in ("purelib", "platlib")}
    if root not in installed:  # site-packages is on the path anyway, after the stdlib
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(root), env.get("PYTHONPATH")) if p)
    return env


class EngineProcess:
    """One render server process and the thread that reads its replies."""

    def __init__(self, start_timeout: float) -> None:
        """Start the server and wait for its hello. Raises EngineStartError."""
        self.replies: queue.Queue[bytes | None] = queue.Queue()
        self._next_id = 0
        try:
            self.proc = subprocess.Popen(
                server_command(),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                close_fds=True,
                env=server_env(),
            )
        except OSError as exc:
            raise EngineStartError(f"could not run {sys.executable}: {exc}") from exc
        self.pid = self.proc.pid
        threading.Thread(target=self._read_replies, name="speech-engine-io", daemon=True).start()
        try:
            hello = self.replies.get(timeout=start_timeout)
        except queue.Empty:
            self.kill()
            raise EngineStartError(f"did not start within {start_timeout:g} s") from None
        if hello is None:
            raise EngineStartError(f"exited while starting (exit code {self.kill()})")
        try:
            message = json.loads(hello)
            if not message.get("ok"):
                raise EngineStartError(str(message.get("error") or "failed to start"))
            self.driver = str(message.get("driver") or "pyttsx3")
            self.voices: list[tuple[str, tuple[str, ...]]] = [
                (str(vid), tuple(str(code) for code in codes)) for vid, codes in message["voices"]
            ]
        except EngineStartError:
            self.kill()
            raise
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            self.kill()
            raise EngineStartError(f"sent a garbled greeting ({exc})") from exc

    def _read_replies(self) -> None:
        stream = self.proc.stdout
        assert stream is not None
        try:
            for line in iter(stream.readline, b""):
                self.replies.put(line)
        except (OSError, ValueError):
            pass
        finally:
            self.replies.put(None)  # end of file: the process has gone
            with contextlib.suppress(OSError):
                stream.close()

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> int | None:
        """Kill the process (even a stopped or wedged one) and reap it; its exit code."""
        with contextlib.suppress(OSError):
            self.proc.kill()
        if self.proc.stdin is not None:
            with contextlib.suppress(OSError, ValueError):
                self.proc.stdin.close()
        try:
            return self.proc.wait(timeout=1.0)
        except subprocess.TimeoutExpired:
            return None

    def request(
        self, request: dict[str, Any], timeout: float, cancelled: Callable[[], bool]
    ) -> dict[str, Any]:
        """Send one render request; its reply. Raises EngineFault or Cancelled."""
        self._next_id += 1
        ident = self._next_id
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.write(json.dumps({**request, "id": ident}).encode("utf-8") + b"\n")
            self.proc.stdin.flush()
        except (OSError, ValueError):  # BrokenPipeError: it had exited
            raise EngineFault(f"exited (exit code {self.kill()})") from None
        deadline = time.monotonic() + timeout
        while True:
            if cancelled():
                raise Cancelled
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise EngineFault(f"hung (no answer within {timeout:g} s)")
            try:
                line = self.replies.get(timeout=min(0.05, remaining))
            except queue.Empty:
                continue
            if line is None:
                raise EngineFault(f"exited (exit code {self.kill()})")
            try:
                reply = json.loads(line)
            except ValueError:
                raise EngineFault(f"answered gibberish ({line[:60]!r})") from None
            if isinstance(reply, dict) and reply.get("id") == ident:
                return reply


SERVER_LOCK = threading.Lock()
_server: EngineProcess | None = None


def current_server() -> EngineProcess | None:
    """The render server last started (it may have died since), or None."""
    return _server


def start_server(timeout: float) -> EngineProcess:
    """Replace the render server by a freshly started one. Hold SERVER_LOCK."""
    global _server
    kill_server()
    _server = EngineProcess(timeout)
    return _server


def kill_server() -> None:
    """Stop the render server, if any. Safe without the lock (at exit, from shutdown())."""
    global _server
    server, _server = _server, None
    if server is not None:
        server.kill()


atexit.register(kill_server)
