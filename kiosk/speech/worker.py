"""The render worker: one thread per Speech that turns queued phrases into cached WAVs.

It takes each queued :class:`Job` in turn, has the engine render it into the WAV cache (unless
the file is already there, from an earlier run or another Speech), and for the phrase a
visitor is waiting for also loads a ``pygame.mixer.Sound`` (resampling takes ~5 ms, too long
for a 16 ms frame), handed to the main thread through :meth:`RenderWorker.collect`. What a
visitor waits for (a ``say()``) is rendered before what is only prepared. Errors of our own
(e.g. the cache directory unwritable) are logged once per phrase and skipped; they are no
engine failure. While idle it asks the supervisor to check the engine is still alive.

The main thread only ever holds this worker's lock for a few dictionary operations.

Imports: the standard library, pygame (to load Sounds) and kiosk.speech's cache and supervisor.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import pygame

from kiosk.speech.cache import WavCache
from kiosk.speech.supervisor import EngineSupervisor

log = logging.getLogger("kiosk.speech")

MAX_REQUEST_BYTES = 32 * 1024  # a phrase longer than this is refused (pipe stays unblocked)


@dataclass
class Job:
    key: str
    path: Path
    voice: str
    text: str
    load: bool  # also load a Sound for playback (a say(), not just a prepare())


class _Skipped(Exception):
    """A job that fails without a further warning (already logged, or nothing to say)."""


class RenderWorker:
    """The queue of phrases to render and the thread that works through it."""

    def __init__(
        self, cache: WavCache, engine: EngineSupervisor, idle_check_s: float, temp_max_age: float
    ) -> None:
        self.cache = cache
        self.engine = engine
        self.idle_check_s = idle_check_s  # an idle worker checks this often the engine lives
        self.temp_max_age = temp_max_age  # leftover temp files older than this are removed
        self.thread: threading.Thread | None = None
        self.busy_since: float | None = None  # monotonic start of the job in hand
        self.renders = 0  # phrases synthesised (cache misses)

        self._cond = threading.Condition()  # guards everything below
        self._jobs: deque[Job] = deque()
        self._queued: dict[str, Job] = {}  # key -> job, queued or being worked on
        self._ready: set[str] = set()  # WAV known to be in the cache
        self._failed: set[str] = set()  # last attempt failed (retried if asked again)
        self._loaded: dict[str, pygame.mixer.Sound] = {}  # waiting for collect()
        self._wanted: str | None = None  # the phrase whose Sound the main thread waits for
        self._closing = False
        self._warned_keys: set[str] = set()

    # ------------------------------------------------------------- main thread

    def start(self) -> None:
        self.thread = threading.Thread(target=self._run, name="speech-render", daemon=True)
        self.thread.start()

    def want(self, key: str | None) -> None:
        """The phrase the main thread will play when ready (None: nothing)."""
        with self._cond:
            self._wanted = key

    def enqueue(self, job: Job) -> None:
        """Queue ``job``; one to play (``load``) goes first. Twice queued is once rendered."""
        with self._cond:
            if self._closing:
                return
            queued = self._queued.get(job.key)
            if queued is not None:
                if job.load and not queued.load:
                    queued.load = True
                    with contextlib.suppress(ValueError):  # already taken by the worker
                        self._jobs.remove(queued)
                        self._jobs.appendleft(queued)
                return
            if job.key in self._ready and not job.load:
                return
            self._failed.discard(job.key)
            self._queued[job.key] = job
            if job.load:
                self._jobs.appendleft(job)  # what a visitor is waiting for goes first
            else:
                self._jobs.append(job)
            self._cond.notify_all()

    def collect(self, pending: str | None) -> tuple[dict[str, pygame.mixer.Sound], bool]:
        """Sounds loaded since the last call, and whether the phrase ``pending`` failed."""
        with self._cond:
            loaded, self._loaded = self._loaded, {}
            return loaded, pending is not None and pending in self._failed

    def wait_ready(self, job: Job, timeout: float) -> bool:
        """Queue ``job`` and block until its WAV is cached; False on failure or timeout."""
        self.enqueue(job)
        deadline = time.monotonic() + timeout
        with self._cond:
            while job.key not in self._ready and not self._closing:
                if job.key in self._failed and job.key not in self._queued:
                    return False
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._cond.wait(remaining)
            return job.key in self._ready

    def close(self, timeout: float) -> None:
        """Drop the queue and stop the thread, waiting for it at most ``timeout`` seconds."""
        with self._cond:
            self._closing = True
            self._jobs.clear()
            self._queued.clear()
            self._cond.notify_all()
        thread = self.thread
        if thread is not None and thread is not threading.current_thread():
            # A worker waiting for the engine notices _closing within 50 ms (and kills a
            # server that is busy with its phrase); anything slower is left behind (daemon).
            thread.join(timeout=timeout)
            if thread.is_alive():
                log.warning("speech worker still busy at shutdown; leaving it (daemon thread)")
        self.thread = None

    # ------------------------------------------------------------- worker thread

    def _run(self) -> None:
        self.cache.sweep_temp_files(self.temp_max_age)
        while True:
            with self._cond:
                if not self._jobs and not self._closing:
                    self._cond.wait(self.idle_check_s)
                if self._closing:
                    return
                job = self._jobs.popleft() if self._jobs else None
            if job is None:
                self.engine.check_idle()
            else:
                self._work(job)

    def _work(self, job: Job) -> None:
        ok = True
        self.busy_since = time.monotonic()
        try:
            if not job.path.exists():  # cached by an earlier run, or by another Speech
                self._render(job)
                self.renders += 1
        except _Skipped:
            ok = False
        except Exception as exc:
            ok = False
            self._log_failure(job, f"could not render: {exc}")
        finally:
            self.busy_since = None
        with self._cond:
            want_sound = ok and job.load and self._wanted == job.key and not self._closing
            if not want_sound:
                self._finish(job, ok, None)
                return
        sound = None
        try:
            sound = pygame.mixer.Sound(str(job.path))
        except Exception as exc:  # unreadable/corrupt cache file: re-render next time
            ok = False
            self._log_failure(job, f"could not load {job.path.name}: {exc}")
            with contextlib.suppress(OSError):
                job.path.unlink()
        with self._cond:
            self._finish(job, ok, sound)

    def _finish(self, job: Job, ok: bool, sound: pygame.mixer.Sound | None) -> None:
        """Record a job's outcome. Hold self._cond."""
        self._queued.pop(job.key, None)
        if ok:
            self._ready.add(job.key)
            if sound is not None:
                self._loaded[job.key] = sound
        else:
            self._ready.discard(job.key)
            self._failed.add(job.key)
        self._cond.notify_all()

    def _render(self, job: Job) -> None:
        """Synthesise ``job`` into its cache file, atomically. Raises on any failure."""
        if not self.engine.available:
            log.debug("speech %r not cached and the engine is off; skipped", job.text[:60])
            raise _Skipped
        if self.engine.poisoned(job.key):
            log.debug("speech %r upset the engine earlier; not retried", job.text[:60])
            raise _Skipped
        tmp = self.cache.temp_path(job.key)
        request = {"voice": job.voice, "rate": self.cache.rate, "text": job.text, "path": str(tmp)}
        if len(json.dumps(request)) > MAX_REQUEST_BYTES:
            raise ValueError(f"phrase too long ({len(job.text)} characters)")
        try:
            reply = self.engine.render(job.key, job.text, request, lambda: self._closing)
            if reply is None:
                raise _Skipped  # handled (logged, engine restarted) by the supervisor
            if not reply.get("ok"):
                error = str(reply.get("error") or "unknown error")
                what = f"it gave no usable audio for {job.text[:40]!r} ({error})"
                if not self.engine.count_failure(what):
                    raise _Skipped  # the switch-off warning says it all
                raise RuntimeError(error)
            tmp.replace(job.path)
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)

    def _log_failure(self, job: Job, message: str) -> None:
        with self._cond:
            first = job.key not in self._warned_keys
            if first and len(self._warned_keys) < 1000:
                self._warned_keys.add(job.key)
        level = logging.WARNING if first else logging.DEBUG
        log.log(level, "speech %s %r: %s", job.voice, job.text[:60], message)
