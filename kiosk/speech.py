"""Spoken instructions, kept off the frame loop.

pyttsx3 must never run on the frame loop: its espeak driver blocks, cannot be initialised
twice in a process, and raises if ``runAndWait()`` is re-entered. So:

* one worker thread per :class:`Speech` renders each phrase once with ``save_to_file`` into
  a WAV cache directory (file name = voice, rate and a hash of the text), written to a temp
  name and renamed, so a half-written file is never played and the cache survives restarts;
* the same worker loads the WAV into a ``pygame.mixer.Sound`` (resampling takes ~5 ms, too
  long for a 16 ms frame);
* the main thread calls :meth:`Speech.update` once per frame, which only starts playback
  of a ready phrase on mixer channel 0 (reserved, so ``Sound.play()`` for sound effects
  never takes it). A bounded LRU keeps the most recent ``Sound`` objects.

The pyttsx3 engine is a process-wide object (``pyttsx3.init()`` hands out one engine per
driver), so every use of it, from any ``Speech``, happens under ``_ENGINE_LOCK``.

No engine or no audio device: the kiosk runs silently, one warning is logged,
:attr:`Speech.available` is False and every method still works (and does nothing).

Typical use::

    speech = Speech(cache_dir)
    speech.prepare("en", strings["howto.fruit"])   # at start-up, rendered in the background
    speech.say(lang, strings["howto.fruit"])        # on entering the how-to screen
    speech.update()                                 # every frame
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import math
import re
import sys
import threading
import time
import uuid
import wave
from collections import OrderedDict, deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pygame

log = logging.getLogger(__name__)

DEFAULT_VOICES: dict[str, str] = {"en": "gmw/en", "zh-HK": "sit/yue"}

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

# Only one pyttsx3 engine exists per process; all of its use is serialised here.
_ENGINE_LOCK = threading.Lock()
# pyttsx3 keeps engines in a WeakValueDictionary: hold a strong reference, or the engine
# (and the espeak callback with it) can be collected and rebuilt between two Speech objects.
_engine: Any = None
_engine_errors: list[BaseException] = []


def _on_engine_error(name: object = None, exception: BaseException | None = None) -> None:
    # pyttsx3 swallows exceptions raised by queued commands (an unknown voice, for example)
    # and only reports them through this notification.
    if exception is not None:
        _engine_errors.append(exception)


def _driver_print(*args: object, **_kwargs: object) -> None:
    log.debug("pyttsx3: %s", " ".join(str(a) for a in args))


def _acquire_engine() -> Any:
    """Return the process's pyttsx3 engine, creating it if needed. Hold _ENGINE_LOCK."""
    global _engine
    import pyttsx3

    engine = pyttsx3.init()
    if engine is not _engine:
        engine.connect("error", _on_engine_error)
        # The espeak driver print()s "Audio saved to ..." for every file. Shadow print in
        # that module only, rather than redirecting sys.stdout for the whole process.
        driver_module = sys.modules.get("pyttsx3.drivers.espeak")
        if driver_module is not None:
            driver_module.print = _driver_print  # type: ignore[attr-defined]
        _engine = engine
    return engine


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


class Speech:
    """Text-to-speech for the kiosk: render in a worker, play from ``update()``."""

    SOUND_CACHE_SIZE = 48  # loaded Sounds kept in memory (LRU)
    SOUND_CACHE_BYTES = 64 * 1024 * 1024  # and their estimated total size
    ENGINE_START_TIMEOUT = 10.0  # seconds the constructor waits for the engine
    STUCK_AFTER = 15.0  # a single render taking this long is reported in ``status``
    TEMP_MAX_AGE = 3600.0  # leftover temp files older than this are removed at start-up

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

        # Main thread only.
        self._pending: _Job | None = None
        self._sounds: OrderedDict[str, tuple[pygame.mixer.Sound, int]] = OrderedDict()
        self._sound_bytes = 0
        self._channel: pygame.mixer.Channel | None = None
        self._voice_for_lang: dict[str, str | None] = {}
        self._voice_warned: set[tuple[str | None, str | None]] = set()

        # Written by the worker before _started is set, read-only afterwards.
        self._engine: Any = None
        self._engine_name = ""
        self._engine_voices: list[tuple[str, tuple[str, ...]]] = []
        self._init_error: str | None = None
        self._started = threading.Event()
        self._thread: threading.Thread | None = None

        self._available = False
        problem = self._open_mixer() or self._open_cache_dir() or self._start_worker()
        if problem:
            self._problem = problem
            log.warning("speech disabled, the kiosk will run silently: %s", problem)
        else:
            self._problem = ""
            self._available = True
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

    def _start_worker(self) -> str | None:
        self._thread = threading.Thread(target=self._run, name="speech-render", daemon=True)
        self._thread.start()
        if not self._started.wait(self.ENGINE_START_TIMEOUT):
            with self._cond:
                self._closing = True
                self._cond.notify_all()
            return f"text-to-speech engine did not start within {self.ENGINE_START_TIMEOUT:g} s"
        if self._init_error:
            return self._init_error
        return None

    # ------------------------------------------------------------- public API

    @property
    def available(self) -> bool:
        """True if phrases can be rendered and played (engine and audio device present)."""
        return self._available

    @property
    def status(self) -> str:
        """One line for the staff panel and logs."""
        if not self._available:
            return f"silent: {self._problem}" if self._problem else "silent: shut down"
        busy_since = self._busy_since
        if busy_since is not None and time.monotonic() - busy_since > self.STUCK_AFTER:
            return f"speech engine stuck on one phrase for {time.monotonic() - busy_since:.0f} s"
        voices = ", ".join(f"{lang}={v or 'none'}" for lang, v in self._voice_for_lang.items())
        state = "muted" if self._muted else f"volume {round(self._volume * 100)}%"
        return f"ready ({self._engine_name}; {voices}; {state})"

    @property
    def speaking(self) -> bool:
        """A phrase is playing, or has been asked for and is still being rendered."""
        if not self._available:
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
        job = self._job(lang, text, load=False)
        if job is not None:
            self._enqueue(job)

    def say(self, lang: str, text: str) -> None:
        """Speak ``text``, replacing whatever is playing. Never blocks: it only queues."""
        if not self._available:
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
        if not self._available:
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
        if self._available and self._channel is not None:
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
        """Stop playback and the worker thread (waits for a render in progress)."""
        if self._available:
            self.stop()
        self._available = False
        self._problem = ""
        with self._cond:
            self._closing = True
            self._jobs.clear()
            self._queued.clear()
            self._cond.notify_all()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5.0)
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
        if self._engine is None:  # silent: no voices to check against
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
        if not self._available:
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
        try:
            with _ENGINE_LOCK:
                engine = _acquire_engine()
                voices = [
                    (str(v.id).lower(), tuple(_lang_codes(v.languages)))
                    for v in engine.getProperty("voices")
                ]
        except Exception as exc:  # ImportError, OSError (no libespeak-ng), RuntimeError ...
            self._init_error = f"text-to-speech engine unavailable ({type(exc).__name__}: {exc})"
            self._started.set()
            return
        self._engine = engine
        self._engine_name = getattr(engine, "driver_name", "pyttsx3")
        self._engine_voices = voices
        self._started.set()
        self._sweep_temp_files()
        while True:
            with self._cond:
                while not self._jobs and not self._closing:
                    self._cond.wait()
                if self._closing:
                    return
                job = self._jobs.popleft()
            self._work(job)

    def _work(self, job: _Job) -> None:
        ok = True
        try:
            if not job.path.exists():  # cached by an earlier run, or by another Speech
                self._busy_since = time.monotonic()
                try:
                    self._render(job)
                finally:
                    self._busy_since = None
                self._renders += 1
        except Exception as exc:
            ok = False
            self._log_failure(job, f"could not render: {exc}")
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
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = self.cache_dir / f".{job.key}.{uuid.uuid4().hex[:8]}.tmp.wav"
        try:
            with _ENGINE_LOCK:
                engine = self._engine
                _engine_errors.clear()
                engine.setProperty("voice", job.voice)
                engine.setProperty("rate", self.rate)
                engine.setProperty("volume", 1.0)  # playback volume is applied by the mixer
                engine.save_to_file(job.text, str(tmp))
                engine.runAndWait()
                _wait_for_espeak()
                # An unknown voice does not raise: pyttsx3 keeps the old one and only
                # notifies. Check, or the cache would hold the phrase in the wrong language.
                current = str(engine.getProperty("voice") or "").lower()
                errors = list(_engine_errors)
            if current != job.voice.lower():
                raise RuntimeError(f"voice {job.voice!r} not selected (engine has {current!r})")
            if not tmp.exists():
                detail = f" ({errors[-1]})" if errors else ""
                raise RuntimeError(f"engine wrote no audio{detail}")
            with wave.open(str(tmp), "rb") as wav:
                if wav.getnframes() == 0:
                    raise RuntimeError("engine wrote an empty WAV")
            tmp.replace(job.path)
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)

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


def _wait_for_espeak() -> None:
    """Block until espeak has delivered every sample of the current phrase.

    pyttsx3's espeak driver returns from ``runAndWait()`` as soon as synthesis *starts*;
    the WAV is written later from espeak's own thread. When the main thread keeps the GIL
    busy, the file is not there yet and, worse, the late callback writes it into the next
    phrase's file. espeak_Synchronize waits for the synthesis queue to drain.
    """
    espeak = sys.modules.get("pyttsx3.drivers._espeak")
    synchronize = getattr(espeak, "Synchronize", None)
    if synchronize is not None:
        synchronize()


def _lang_codes(languages: object) -> list[str]:
    codes = []
    for item in languages or ():  # type: ignore[attr-defined]
        code = item.decode("utf-8", "ignore") if isinstance(item, bytes) else str(item)
        code = code.strip("\x00 ").lower()
        if code:
            codes.append(code)
    return codes


def _sound_bytes(sound: pygame.mixer.Sound) -> int:
    init = pygame.mixer.get_init()
    if init is None:
        return 0
    freq, size, channels = init
    return int(sound.get_length() * freq * channels * (abs(size) // 8))
