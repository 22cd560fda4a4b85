"""Spoken instructions, kept off the frame loop and away from a misbehaving speech engine.

Rendering
    pyttsx3 + espeak run in a small *render server*: a child Python process (``python -P -c
    _SERVER_CODE``) that owns the engine and renders one phrase at a time on request (JSON
    lines over its stdin/stdout). espeak can only be initialised once per process, so this is
    what makes a restart possible at all: a hung or dead engine is killed and a fresh one
    started (~70 ms). One server serves the whole kiosk process (like pyttsx3's own
    one-engine-per-process), under ``_SERVER_LOCK``; it is started by the first
    :class:`Speech` (the constructor waits for its voice list, at most
    ``ENGINE_START_TIMEOUT`` = 2 s) and killed at exit.

    One worker thread per :class:`Speech` sends each phrase to the server once, into a WAV
    cache directory (file name = voice, rate and a hash of the text; written to a temp name
    and renamed, so a half-written file is never played and the cache survives restarts),
    then loads it into a ``pygame.mixer.Sound`` (resampling takes ~5 ms, too long for a
    16 ms frame). The main thread calls :meth:`Speech.update` once per frame, which only
    starts a ready phrase on mixer channel 0 (reserved, so ``Sound.play()`` for sound effects
    never takes it). A bounded LRU keeps the most recent ``Sound`` objects.

Faults (the frame loop never waits for any of this: ``say()``, ``update()``, ``stop()`` and
``set_*`` only touch in-memory state and never the server or its lock)
    * hung: no answer ``RENDER_TIMEOUT_S`` (2 s; a render normally takes 15-80 ms, a 10 s
      phrase well under 1 s) after a phrase was sent; the worker's own wait times out;
    * died: the server exits during a render (seen at once, its pipe closes), or while idle
      (the idle worker looks once a second);
    * raised: the engine raised (or reported) an exception while rendering.

    Each of these kills the server and starts a new one, with one warning logged; the phrase
    that was being rendered is not sent to the engine again during this run. A phrase the
    engine renders badly without an exception (no audio, an empty WAV, the wrong voice) is
    logged and skipped, and retried if asked for again, without a restart. Errors of our own
    (e.g. the cache directory unwritable) are logged and skipped too, and are no engine
    failure.

    Switch-off: after ``MAX_FAILURES_IN_A_ROW`` (3) engine failures in a row (hung, died,
    raised or rendered badly; any successful render resets the count), or if the engine
    cannot be restarted, it is switched off for the rest of the run:
    :attr:`Speech.available` becomes False, :attr:`Speech.status` reads ``"cached phrases
    only: ..."`` with the reason, exactly one warning is logged, and nothing is rendered any
    more. Phrases whose WAV is already in the cache (e.g. the how-to texts ``prepare()``-d at
    start-up, or rendered by an earlier run) still play through ``say()``; any other phrase
    is silently skipped; ``prepare()`` does nothing. Restart the kiosk to try the engine
    again.

No engine at start-up (pyttsx3 missing, espeak broken, or no voice list within 2 s) or no
audio device: the kiosk runs silently, one warning is logged, ``available`` is False,
``status`` reads ``"silent: ..."`` and every method still works (and does nothing).

``shutdown()`` returns within about a second even if the engine is hung (the server is
killed if it is busy with this Speech's phrase; otherwise it is left for other instances
and killed at interpreter exit). The server also exits by itself when its stdin closes or
its parent process goes away.

Status lines (staff panel): ``"ready (espeak; en=gmw/en, zh-HK=sit/yue; volume 80%)"``,
ending ``"...; engine restarted 2 times)"`` after recoveries; ``"cached phrases only: <why>"``
after a switch-off; ``"silent: <why>"`` with no engine or audio device from the start;
``"silent: shut down"``.

Typical use::

    speech = Speech(cache_dir)
    speech.prepare("en", strings["howto.fruit"])   # at start-up, rendered in the background
    speech.say(lang, strings["howto.fruit"])        # on entering the how-to screen
    speech.update()                                 # every frame
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import importlib.util
import json
import logging
import math
import queue
import re
import subprocess
import sys
import threading
import time
import uuid
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pygame

log = logging.getLogger(__name__)

DEFAULT_VOICES: dict[str, str] = {"en": "gmw/en", "zh-HK": "sit/yue"}

RENDER_TIMEOUT_S = 2.0  # a render with no answer after this long means the engine hung
ENGINE_START_TIMEOUT_S = 2.0  # the render server must report its voices within this
MAX_FAILURES_IN_A_ROW = 3  # engine failures in a row before speech is switched off
MAX_REQUEST_BYTES = 32 * 1024  # a phrase longer than this is refused (pipe stays unblocked)

# espeak-ng labels its voices with ISO 639-3 codes ("yue" for Cantonese, "cmn" for
# Mandarin), which is not what a BCP 47 tag like "zh-HK" says; these bridge the two when the
# configured voice is missing and a replacement must be found by language.
_LANG_HINTS: dict[str, tuple[str, ...]] = {
    "zh-hk": ("yue",),
    "zh-mo": ("yue",),
    "yue": ("yue",),
    "zh-tw": ("cmn",),
    "zh-cn": ("cmn",),
    "zh": ("cmn", "yue"),
    "en": ("en-gb", "en-us", "en"),
}

# The render server, run as ``python -P -c _SERVER_CODE``. It imports nothing of the kiosk
# (so it starts in ~70 ms) and speaks JSON lines: first a hello with the voice list, then one
# reply per request. Tests prepend fault-injection code to it.
_SERVER_CODE = r"""
import json, os, signal, sys, threading, time, wave


def _codes(languages):
    codes = []
    for item in languages or ():
        code = item.decode("utf-8", "ignore") if isinstance(item, bytes) else str(item)
        code = code.strip("\x00 ").lower()
        if code:
            codes.append(code)
    return codes


_applied = {}


def _apply(engine, synchronize, name, value):
    # espeak queues rate and volume as asynchronous commands, and one that finishes just as
    # Synth() is queued can make espeak lose that wake-up and synthesise nothing (an empty
    # WAV, about one phrase in ten). So set them only when they change, and then let espeak
    # settle before the phrase is queued.
    if _applied.get(name) != value:
        engine.setProperty(name, value)  # runs at once: the engine is idle between phrases
        if synchronize is not None:
            synchronize()
            time.sleep(0.01)
        _applied[name] = value


def _synthesise(engine, synchronize, job, path):
    engine.setProperty("voice", job["voice"])
    _apply(engine, synchronize, "rate", job["rate"])
    _apply(engine, synchronize, "volume", 1.0)  # the kiosk's mixer applies the volume
    engine.save_to_file(job["text"], path)
    engine.runAndWait()
    # pyttsx3's espeak driver returns from runAndWait() as soon as synthesis *starts*; the
    # WAV is written later from espeak's thread. Wait for espeak's queue to drain.
    if synchronize is not None:
        synchronize()


def _frames(path):
    try:
        with wave.open(path, "rb") as wav:
            return wav.getnframes()
    except (OSError, EOFError, wave.Error):
        return None


def _render(engine, synchronize, errors, job):
    path = job["path"]
    failed = {"id": job["id"], "ok": False, "kind": "engine"}
    try:
        for attempt in range(2):
            errors.clear()
            _synthesise(engine, synchronize, job, path)
            if errors or _frames(path):
                break
            # No audio and no error: espeak's asynchronous queue dropped the phrase (see
            # _apply). Once more; a second miss is reported.
            if attempt == 0 and os.path.exists(path):
                os.remove(path)
        current = str(engine.getProperty("voice") or "").lower()
    except Exception as exc:
        return {**failed, "error": f"{type(exc).__name__}: {exc}"}
    # An unknown voice does not raise: pyttsx3 keeps the old one and only notifies. Check,
    # or the cache would hold the phrase in the wrong language.
    if current != job["voice"].lower():
        error = f"voice {job['voice']!r} not selected (engine has {current!r})"
        return {**failed, "kind": "phrase", "error": error}
    if not os.path.exists(path):
        if errors:
            last = errors[-1]
            return {**failed, "error": f"engine wrote no audio ({type(last).__name__}: {last})"}
        return {**failed, "kind": "phrase", "error": "engine wrote no audio"}
    frames = _frames(path)
    if frames is None:
        return {**failed, "kind": "phrase", "error": "engine wrote an unreadable WAV"}
    if frames == 0:
        return {**failed, "kind": "phrase", "error": "engine wrote an empty WAV"}
    return {"id": job["id"], "ok": True}


def _serve():
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the kiosk, which stops us
    proto = os.fdopen(os.dup(1), "wb")
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)  # the espeak driver print()s "Audio saved to ..." for every file
    os.close(null)
    parent = os.getppid()

    def watch_parent():  # the kiosk died without closing our stdin (or we are wedged)
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch_parent, daemon=True).start()

    def send(message):
        proto.write(json.dumps(message).encode("utf-8") + b"\n")
        proto.flush()

    errors = []

    def on_error(name=None, exception=None):
        # pyttsx3 swallows exceptions raised by queued commands and only notifies them.
        if exception is not None:
            errors.append(exception)

    try:
        import pyttsx3

        engine = pyttsx3.init()
        engine.connect("error", on_error)
        voices = [[str(v.id).lower(), _codes(v.languages)] for v in engine.getProperty("voices")]
    except Exception as exc:  # ImportError, OSError (no libespeak-ng), RuntimeError ...
        send({"ok": False, "error": f"{type(exc).__name__}: {exc}"})
        return
    espeak = sys.modules.get("pyttsx3.drivers._espeak")
    synchronize = getattr(espeak, "Synchronize", None)
    driver = str(getattr(engine, "driver_name", "") or "pyttsx3")
    send({"ok": True, "driver": driver, "voices": voices})
    for line in sys.stdin.buffer:
        send(_render(engine, synchronize, errors, json.loads(line)))


_serve()
"""


def _server_command() -> list[str]:
    # -P: do not put the working directory on sys.path (a stray wave.py must not shadow).
    return [sys.executable, "-P", "-c", _SERVER_CODE]


class _EngineStartError(Exception):
    """The render server could not be started (message: why, in plain words)."""


class _EngineFault(Exception):
    """The render server hung or died during a request (message: what happened)."""


class _Cancelled(Exception):
    """The Speech is shutting down; the request in flight was abandoned."""


class _EngineProcess:
    """One render server process and the thread that reads its replies."""

    def __init__(self, start_timeout: float) -> None:
        self.replies: queue.Queue[bytes | None] = queue.Queue()
        self._next_id = 0
        try:
            self.proc = subprocess.Popen(
                _server_command(),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                close_fds=True,
            )
        except OSError as exc:
            raise _EngineStartError(f"could not run {sys.executable}: {exc}") from exc
        self.pid = self.proc.pid
        threading.Thread(target=self._read_replies, name="speech-engine-io", daemon=True).start()
        try:
            hello = self.replies.get(timeout=start_timeout)
        except queue.Empty:
            self.kill()
            raise _EngineStartError(f"did not start within {start_timeout:g} s") from None
        if hello is None:
            raise _EngineStartError(f"exited while starting (exit code {self.kill()})")
        try:
            message = json.loads(hello)
            if not message.get("ok"):
                raise _EngineStartError(str(message.get("error") or "failed to start"))
            self.driver = str(message.get("driver") or "pyttsx3")
            self.voices: list[tuple[str, tuple[str, ...]]] = [
                (str(vid), tuple(str(code) for code in codes)) for vid, codes in message["voices"]
            ]
        except _EngineStartError:
            self.kill()
            raise
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            self.kill()
            raise _EngineStartError(f"sent a garbled greeting ({exc})") from exc

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
        """Send one render request; its reply. Raises _EngineFault or _Cancelled."""
        self._next_id += 1
        ident = self._next_id
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.write(json.dumps({**request, "id": ident}).encode("utf-8") + b"\n")
            self.proc.stdin.flush()
        except (OSError, ValueError):  # BrokenPipeError: it had exited
            raise _EngineFault(f"exited (exit code {self.kill()})") from None
        deadline = time.monotonic() + timeout
        while True:
            if cancelled():
                raise _Cancelled
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _EngineFault(f"hung (no answer within {timeout:g} s)")
            try:
                line = self.replies.get(timeout=min(0.05, remaining))
            except queue.Empty:
                continue
            if line is None:
                raise _EngineFault(f"exited (exit code {self.kill()})")
            try:
                reply = json.loads(line)
            except ValueError:
                raise _EngineFault(f"answered gibberish ({line[:60]!r})") from None
            if isinstance(reply, dict) and reply.get("id") == ident:
                return reply


# One render server per kiosk process; every request to it is made holding _SERVER_LOCK.
# The frame loop never takes this lock.
_SERVER_LOCK = threading.Lock()
_server: _EngineProcess | None = None


def _current_server() -> _EngineProcess | None:
    return _server


def _start_server(timeout: float) -> _EngineProcess:
    """Replace the render server by a freshly started one. Hold _SERVER_LOCK."""
    global _server
    _kill_server()
    _server = _EngineProcess(timeout)
    return _server


def _kill_server() -> None:
    """Stop the render server, if any. Safe without the lock (at exit, from shutdown())."""
    global _server
    server, _server = _server, None
    if server is not None:
        server.kill()


atexit.register(_kill_server)


def _clamp01(value: float) -> float:
    value = float(value)
    if math.isnan(value):
        return 0.0
    return min(1.0, max(0.0, value))


def match_voice(
    lang: str, wanted: str | None, voices: list[tuple[str, tuple[str, ...]]]
) -> str | None:
    """Pick a voice id for ``lang`` from ``voices`` ((id, language codes) pairs).

    The configured ``wanted`` id wins if installed; otherwise a voice whose language code
    matches (exactly first, then as a prefix: "en" matches "en-gb") the wanted voice's
    name, the language tag, or the hints in ``_LANG_HINTS``. None if nothing fits.
    """
    ids = {vid for vid, _ in voices}
    if wanted and wanted.lower() in ids:
        return wanted.lower()
    tag = lang.lower().replace("_", "-")
    codes: list[str] = []
    if wanted:
        codes.append(wanted.lower().rsplit("/", 1)[-1])
    codes += [*_LANG_HINTS.get(tag, ()), tag]
    primary = tag.split("-", 1)[0]
    codes += [*_LANG_HINTS.get(primary, ()), primary]
    codes = list(dict.fromkeys(codes))  # ordered, without repeats
    for code in codes:
        for vid, langs in voices:
            if code in langs:
                return vid
    for code in codes:
        for vid, langs in voices:
            if any(lc.startswith(code + "-") for lc in langs):
                return vid
    return None


@dataclass
class _Job:
    key: str
    path: Path
    voice: str
    text: str
    load: bool  # also load a Sound for playback (a say(), not just a prepare())


class _Skipped(Exception):
    """A job that fails without a further warning (already logged, or nothing to say)."""


class Speech:
    """Text-to-speech for the kiosk: render in a worker, play from ``update()``."""

    # Loaded Sounds kept in memory (LRU). Small on purpose: the WAVs stay cached on disk and
    # reload in a few ms, while every result line ("You scored 73…") is a new phrase, so a
    # generous cache only fills up over a day (the soak benchmark saw +60 MB at 64 MiB).
    SOUND_CACHE_SIZE = 12
    SOUND_CACHE_BYTES = 12 * 1024 * 1024  # and their estimated total size
    ENGINE_START_TIMEOUT = ENGINE_START_TIMEOUT_S  # seconds to wait for the render server
    RENDER_TIMEOUT_S = RENDER_TIMEOUT_S  # a render with no answer this long: engine hung
    MAX_FAILURES_IN_A_ROW = MAX_FAILURES_IN_A_ROW  # then speech is switched off
    STUCK_AFTER = 15.0  # a single job taking this long (e.g. a hung disk) shows in ``status``
    TEMP_MAX_AGE = 3600.0  # leftover temp files older than this are removed at start-up
    IDLE_CHECK_S = 1.0  # an idle worker checks this often that the engine is still alive

    def __init__(
        self,
        cache_dir: Path,
        voices: dict[str, str] | None = None,
        volume: float = 0.8,
        muted: bool = False,
        rate: int = 160,
    ) -> None:
        self.cache_dir = Path(cache_dir)
        self.voices: dict[str, str] = dict(DEFAULT_VOICES if voices is None else voices)
        self.rate = int(rate)
        self._volume = _clamp01(volume)
        self._muted = bool(muted)

        # Shared with the worker; never held while rendering or loading.
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self._jobs: deque[_Job] = deque()
        self._queued: dict[str, _Job] = {}  # key -> job, queued or being worked on
        self._ready: set[str] = set()  # WAV known to be in the cache
        self._failed: set[str] = set()  # last attempt failed (retried if asked again)
        self._loaded: dict[str, pygame.mixer.Sound] = {}  # handed from worker to update()
        self._pending_key: str | None = None
        self._closing = False
        self._renders = 0
        self._busy_since: float | None = None
        self._warned_keys: set[str] = set()

        # Worker only (read elsewhere for status).
        self._failures_in_a_row = 0
        self._restarts = 0
        self._poisoned: set[str] = set()  # phrases that hung or broke the engine: not retried

        # Main thread only.
        self._pending: _Job | None = None
        self._sounds: OrderedDict[str, tuple[pygame.mixer.Sound, int]] = OrderedDict()
        self._sound_bytes = 0
        self._channel: pygame.mixer.Channel | None = None
        self._voice_for_lang: dict[str, str | None] = {}
        self._voice_warned: set[tuple[str | None, str | None]] = set()

        # Set by the constructor, read-only afterwards.
        self._engine_started = False
        self._engine_name = ""
        self._engine_voices: list[tuple[str, tuple[str, ...]]] = []
        self._thread: threading.Thread | None = None

        # _active: audio device, cache and worker are up (cleared by shutdown()).
        # _available: the engine renders new phrases (cleared by a switch-off, too).
        self._active = False
        self._available = False
        problem = self._open_mixer() or self._open_cache_dir() or self._start_engine()
        if problem:
            self._problem = problem
            log.warning("speech disabled, the kiosk will run silently: %s", problem)
        else:
            self._problem = ""
            self._active = self._available = True
            self._thread = threading.Thread(target=self._run, name="speech-render", daemon=True)
            self._thread.start()
            for lang in self.voices:
                self._resolve_voice(lang)  # log voice fallbacks now, not mid-visit

    # ----------------------------------------------------------------- start-up

    def _open_mixer(self) -> str | None:
        try:
            if pygame.mixer.get_init() is None:
                pygame.mixer.init()
            if pygame.mixer.get_num_channels() < 1:
                pygame.mixer.set_num_channels(8)
            pygame.mixer.set_reserved(1)
            self._channel = pygame.mixer.Channel(0)
        except Exception as exc:  # pygame.error, or anything SDL's audio layer throws
            return f"no audio device (pygame.mixer: {exc})"
        return None

    def _open_cache_dir(self) -> str | None:
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return f"speech cache directory {self.cache_dir} unusable ({exc})"
        return None

    def _start_engine(self) -> str | None:
        """Make sure the render server runs and learn its voices (at most ~2 s)."""
        try:
            installed = importlib.util.find_spec("pyttsx3") is not None
        except (ImportError, ValueError):
            installed = False
        if not installed:
            return "text-to-speech engine unavailable (pyttsx3 is not installed)"
        server = _current_server()
        if server is None or not server.alive():
            # Another Speech may hold the lock through a render and a restart.
            wait = self.ENGINE_START_TIMEOUT + self.RENDER_TIMEOUT_S
            if not _SERVER_LOCK.acquire(timeout=wait):
                return f"text-to-speech engine busy for more than {wait:g} s"
            try:
                server = _current_server()
                if server is None or not server.alive():
                    server = _start_server(self.ENGINE_START_TIMEOUT)
            except _EngineStartError as exc:
                return f"text-to-speech engine unavailable ({exc})"
            finally:
                _SERVER_LOCK.release()
        self._engine_name = server.driver
        self._engine_voices = server.voices
        self._engine_started = True
        return None

    # ------------------------------------------------------------- public API

    @property
    def available(self) -> bool:
        """True while the engine renders new phrases (False: silent, or cached phrases only)."""
        return self._available

    @property
    def status(self) -> str:
        """One line for the staff panel and logs."""
        if not self._active:
            return f"silent: {self._problem}" if self._problem else "silent: shut down"
        if not self._available:
            return f"cached phrases only: {self._problem}"
        busy_since = self._busy_since
        if busy_since is not None and time.monotonic() - busy_since > self.STUCK_AFTER:
            return f"speech worker stuck on one phrase for {time.monotonic() - busy_since:.0f} s"
        voices = ", ".join(f"{lang}={v or 'none'}" for lang, v in self._voice_for_lang.items())
        state = "muted" if self._muted else f"volume {round(self._volume * 100)}%"
        restarts = self._restarts
        if restarts:
            state += f"; engine restarted {restarts} time{'s' if restarts > 1 else ''}"
        return f"ready ({self._engine_name}; {voices}; {state})"

    @property
    def speaking(self) -> bool:
        """A phrase is playing, or has been asked for and is still being rendered."""
        if not self._active:
            return False
        return self._pending is not None or self._channel_busy()

    @property
    def renders(self) -> int:
        """Phrases this instance synthesised (cache misses), for tests and the staff panel."""
        return self._renders

    @property
    def loaded_sounds(self) -> int:
        """Sounds held in memory (bounded by SOUND_CACHE_SIZE and SOUND_CACHE_BYTES)."""
        return len(self._sounds)

    @property
    def loaded_sound_bytes(self) -> int:
        """Their estimated size, for the soak benchmark's trace."""
        return self._sound_bytes

    @property
    def volume(self) -> float:
        return self._volume

    @property
    def muted(self) -> bool:
        return self._muted

    def wav_path(self, lang: str, text: str) -> Path:
        """Where the WAV for this phrase is, or will be, cached."""
        voice = self._resolve_voice(lang) or f"lang-{lang}"
        return self.cache_dir / f"{self._key(voice, text.strip())}.wav"

    def prepare(self, lang: str, text: str) -> None:
        """Queue rendering now (e.g. at start-up) so a later say() plays at once."""
        if not self._available:
            return
        job = self._job(lang, text, load=False)
        if job is not None:
            self._enqueue(job)

    def say(self, lang: str, text: str) -> None:
        """Speak ``text``, replacing whatever is playing. Never blocks: it only queues."""
        if not self._active:
            return
        self._stop_channel()
        job = None if self._muted else self._job(lang, text, load=True)
        self._pending = job
        with self._cond:
            self._pending_key = job.key if job else None
        if job is not None and job.key not in self._sounds:
            self._enqueue(job)

    def stop(self) -> None:
        """Silence now and forget the pending phrase."""
        self._pending = None
        with self._cond:
            self._pending_key = None
        self._stop_channel()

    def update(self) -> None:
        """Call once per frame on the main thread: starts a phrase whose audio is ready."""
        if not self._active:
            return
        with self._lock:
            loaded, self._loaded = self._loaded, {}
            pending = self._pending
            failed = pending is not None and pending.key in self._failed
        for key, sound in loaded.items():
            self._remember(key, sound)
        if pending is None:
            return
        entry = self._sounds.get(pending.key)
        if entry is None:
            if failed:
                self._pending = None  # logged by the worker; give up on this phrase
            return
        self._sounds.move_to_end(pending.key)
        self._pending = None
        with self._cond:
            self._pending_key = None
        if self._muted or self._channel is None:
            return
        try:
            self._channel.play(entry[0])
            self._channel.set_volume(self._volume)
        except pygame.error as exc:  # mixer closed under us (pygame.quit())
            log.debug("speech playback failed: %s", exc)

    def set_volume(self, volume: float) -> None:
        """0 (silent) to 1; applies to the phrase playing now too."""
        self._volume = _clamp01(volume)
        if self._active and self._channel is not None:
            with contextlib.suppress(pygame.error):
                self._channel.set_volume(self._volume)

    def set_muted(self, muted: bool) -> None:
        """Muted: nothing plays (phrases may still be rendered into the cache)."""
        self._muted = bool(muted)
        if self._muted:
            self.stop()

    def wait_rendered(self, lang: str, text: str, timeout: float = 5.0) -> bool:
        """Block until the phrase's WAV is cached (queues it if needed). Not for the frame loop."""
        job = self._job(lang, text, load=False)
        if job is None:
            return False
        self._enqueue(job)
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

    def shutdown(self) -> None:
        """Stop playback and the worker thread; returns within ~1 s even if the engine hangs."""
        if self._active:
            self.stop()
        self._active = self._available = False
        self._problem = ""
        with self._cond:
            self._closing = True
            self._jobs.clear()
            self._queued.clear()
            self._cond.notify_all()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            # A worker waiting for the engine notices _closing within 50 ms (and kills a
            # server that is busy with its phrase); anything slower is left behind (daemon).
            thread.join(timeout=1.0)
            if thread.is_alive():
                log.warning("speech worker still busy at shutdown; leaving it (daemon thread)")
        self._thread = None
        self._sounds.clear()
        self._sound_bytes = 0

    # ------------------------------------------------------------- main-thread helpers

    def _key(self, voice: str, text: str) -> str:
        digest = hashlib.sha256(f"{voice}\x00{self.rate}\x00{text}".encode()).hexdigest()
        return f"{re.sub(r'[^A-Za-z0-9]+', '_', voice)}-{self.rate}-{digest[:24]}"

    def _resolve_voice(self, lang: str) -> str | None:
        if lang in self._voice_for_lang:
            return self._voice_for_lang[lang]
        wanted = self.voices.get(lang)
        if wanted is None:  # "en-GB" -> "en", "zh-hk" -> "zh-HK"
            lower = {k.lower(): v for k, v in self.voices.items()}
            tag = lang.lower()
            wanted = lower.get(tag) or lower.get(tag.split("-", 1)[0])
        if not self._engine_started:  # silent: no voices to check against
            return wanted
        voice = match_voice(lang, wanted, self._engine_voices)
        substituted = voice is None or wanted is None or voice != wanted.lower()
        if substituted and (wanted, voice) not in self._voice_warned:  # once, not per tag
            self._voice_warned.add((wanted, voice))
            if voice is None:
                log.warning(
                    "no text-to-speech voice for %r (wanted %r); that language will be silent",
                    lang,
                    wanted,
                )
            else:
                log.warning(
                    "voice %r for %r is not installed; using %r instead", wanted, lang, voice
                )
        if len(self._voice_for_lang) < 64:  # bounded even if callers invent languages
            self._voice_for_lang[lang] = voice
        return voice

    def _job(self, lang: str, text: str, load: bool) -> _Job | None:
        if not self._active:
            return None
        text = text.strip()
        if not text:
            return None
        voice = self._resolve_voice(lang)
        if voice is None:
            return None
        key = self._key(voice, text)
        return _Job(key, self.cache_dir / f"{key}.wav", voice, text, load)

    def _enqueue(self, job: _Job) -> None:
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

    def _remember(self, key: str, sound: pygame.mixer.Sound) -> None:
        old = self._sounds.pop(key, None)
        if old is not None:
            self._sound_bytes -= old[1]
        size = _sound_bytes(sound)
        self._sounds[key] = (sound, size)
        self._sound_bytes += size
        while len(self._sounds) > 1 and (
            len(self._sounds) > self.SOUND_CACHE_SIZE or self._sound_bytes > self.SOUND_CACHE_BYTES
        ):
            _, (_, evicted) = self._sounds.popitem(last=False)
            self._sound_bytes -= evicted

    def _channel_busy(self) -> bool:
        if self._channel is None or pygame.mixer.get_init() is None:
            return False
        try:
            return bool(self._channel.get_busy())
        except pygame.error:
            return False

    def _stop_channel(self) -> None:
        if self._channel is None or pygame.mixer.get_init() is None:
            return
        with contextlib.suppress(pygame.error):
            self._channel.stop()

    # ------------------------------------------------------------- worker thread

    def _run(self) -> None:
        self._sweep_temp_files()
        while True:
            with self._cond:
                if not self._jobs and not self._closing:
                    self._cond.wait(self.IDLE_CHECK_S)
                if self._closing:
                    return
                job = self._jobs.popleft() if self._jobs else None
            if job is None:
                self._check_idle_engine()
            else:
                self._work(job)

    def _work(self, job: _Job) -> None:
        ok = True
        self._busy_since = time.monotonic()
        try:
            if not job.path.exists():  # cached by an earlier run, or by another Speech
                self._render(job)
                self._renders += 1
        except _Skipped:
            ok = False
        except Exception as exc:
            ok = False
            self._log_failure(job, f"could not render: {exc}")
        finally:
            self._busy_since = None
        with self._cond:
            want_sound = ok and job.load and self._pending_key == job.key and not self._closing
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

    def _finish(self, job: _Job, ok: bool, sound: pygame.mixer.Sound | None) -> None:
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

    def _render(self, job: _Job) -> None:
        """Synthesise ``job`` into its cache file, atomically. Raises on any failure."""
        if not self._available:
            log.debug("speech %r not cached and the engine is off; skipped", job.text[:60])
            raise _Skipped
        if job.key in self._poisoned:
            log.debug("speech %r upset the engine earlier; not retried", job.text[:60])
            raise _Skipped
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = self.cache_dir / f".{job.key}.{uuid.uuid4().hex[:8]}.tmp.wav"
        request = {"voice": job.voice, "rate": self.rate, "text": job.text, "path": str(tmp)}
        if len(json.dumps(request)) > MAX_REQUEST_BYTES:
            raise ValueError(f"phrase too long ({len(job.text)} characters)")
        try:
            reply = self._ask_engine(job, request)
            if not reply.get("ok"):
                error = str(reply.get("error") or "unknown error")
                if reply.get("kind") == "engine":
                    raise _Skipped  # handled (logged, engine restarted) by _ask_engine
                if not self._count_failure(
                    f"it gave no usable audio for {job.text[:40]!r} ({error})"
                ):
                    raise _Skipped  # the switch-off warning says it all
                raise RuntimeError(error)
            self._failures_in_a_row = 0
            tmp.replace(job.path)
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)

    def _ask_engine(self, job: _Job, request: dict[str, Any]) -> dict[str, Any]:
        """Have the render server render ``request``, restarting it if it hangs or dies."""
        if not self._lock_engine():
            raise _Skipped  # shutting down
        try:
            server = self._usable_server()
            if server is None:
                raise _Skipped  # switched off
            try:
                reply = server.request(request, self.RENDER_TIMEOUT_S, lambda: self._closing)
            except _Cancelled:
                _kill_server()  # shutting down mid-render; a wedged engine must not linger
                raise _Skipped from None
            except _EngineFault as fault:
                self._engine_failed(str(fault), job)
                raise _Skipped from None
            if not reply.get("ok") and reply.get("kind") == "engine":
                self._engine_failed(f"raised {reply.get('error')}", job)
            return reply
        finally:
            _SERVER_LOCK.release()

    def _lock_engine(self) -> bool:
        """Take _SERVER_LOCK, giving up if this Speech shuts down meanwhile."""
        while not self._closing:
            if _SERVER_LOCK.acquire(timeout=0.05):
                return True
        return False

    def _usable_server(self) -> _EngineProcess | None:
        """The running render server, (re)started if needed; None if switched off. Hold lock."""
        server = _current_server()
        if server is not None and server.alive():
            return server
        if server is not None:  # it died on its own since the last phrase
            self._engine_failed(f"exited (exit code {server.kill()})", None)
        elif self._available:  # stopped on purpose (by another Speech): not a fault
            try:
                _start_server(self.ENGINE_START_TIMEOUT)
            except _EngineStartError as exc:
                self._switch_off(f"the speech engine could not be started again ({exc})")
        server = _current_server()
        return server if self._available else None

    def _check_idle_engine(self) -> None:
        """Notice an engine that died while nobody was talking to it."""
        server = _current_server()
        if not self._available or server is None or server.alive():
            return
        if not _SERVER_LOCK.acquire(blocking=False):
            return  # someone is using (and so will notice) it
        try:
            if _current_server() is server and self._available:
                self._engine_failed(f"exited (exit code {server.kill()})", None)
        finally:
            _SERVER_LOCK.release()

    def _engine_failed(self, what: str, job: _Job | None) -> None:
        """The engine hung, died or raised: restart it, or switch speech off. Hold the lock."""
        _kill_server()
        if not self._available:
            return
        if job is not None and len(self._poisoned) < 1000:
            self._poisoned.add(job.key)
        about = f" on {job.text[:40]!r}" if job is not None else ""
        if not self._count_failure(f"it {what}{about}"):
            return  # switched off
        try:
            _start_server(self.ENGINE_START_TIMEOUT)
        except _EngineStartError as exc:
            self._switch_off(f"the speech engine {what}{about} and could not be restarted ({exc})")
            return
        log.warning(
            "speech engine %s%s; restarted it (failure %d in a row, off after %d)",
            what,
            about,
            self._failures_in_a_row,
            self.MAX_FAILURES_IN_A_ROW,
        )
        self._restarts += 1  # after the warning: whoever sees it in status finds it logged

    def _count_failure(self, what: str) -> bool:
        """One more engine failure in a row; False if that switched speech off."""
        self._failures_in_a_row += 1
        if self._failures_in_a_row < self.MAX_FAILURES_IN_A_ROW:
            return True
        self._switch_off(
            f"the speech engine failed {self._failures_in_a_row} times in a row (last: {what})"
        )
        return False

    def _switch_off(self, reason: str) -> None:
        """No more rendering this run; cached phrases still play. Logs one warning."""
        if not self._available:
            return
        self._problem = reason
        _kill_server()
        log.warning("speech switched off, only phrases already cached will play: %s", reason)
        self._available = False  # last: whoever sees it finds the warning logged

    def _log_failure(self, job: _Job, message: str) -> None:
        with self._lock:
            first = job.key not in self._warned_keys
            if first and len(self._warned_keys) < 1000:
                self._warned_keys.add(job.key)
        level = logging.WARNING if first else logging.DEBUG
        log.log(level, "speech %s %r: %s", job.voice, job.text[:60], message)

    def _sweep_temp_files(self) -> None:
        cutoff = time.time() - self.TEMP_MAX_AGE
        with contextlib.suppress(OSError):
            for tmp in self.cache_dir.glob(".*.tmp.wav"):
                with contextlib.suppress(OSError):
                    if tmp.stat().st_mtime < cutoff:
                        tmp.unlink()


def _sound_bytes(sound: pygame.mixer.Sound) -> int:
    init = pygame.mixer.get_init()
    if init is None:
        return 0
    freq, size, channels = init
    return int(sound.get_length() * freq * channels * (abs(size) // 8))
