"""Speech: what the booth calls to speak, on the frame loop's terms.

``say()``, ``update()``, ``stop()`` and ``set_*`` only touch in-memory state, never the
render server or its lock, so the frame loop never waits for the engine, even a hung one.
``say()`` queues a phrase for the render worker (:mod:`kiosk.speech.worker`); ``update()``,
called once per frame, starts a phrase whose audio is ready on mixer channel 0 (reserved, so
``Sound.play()`` for sound effects never takes it). A bounded LRU keeps the most recent
``Sound`` objects.

No engine at start-up (pyttsx3 missing, espeak broken, or no voice list within
``ENGINE_START_TIMEOUT`` = 2 s) or no audio device: the kiosk runs silently, one warning is
logged, ``available`` is False, ``status`` reads ``"silent: ..."`` and every method still
works (and does nothing). After a switch-off (:mod:`kiosk.speech.supervisor`) ``status``
reads ``"cached phrases only: ..."``: phrases whose WAV is already cached (e.g. the how-to
texts ``prepare()``-d at start-up, or rendered by an earlier run) still play through
``say()``; any other phrase is silently skipped; ``prepare()`` does nothing. Restart the
kiosk to try the engine again.

``shutdown()`` returns within about a second even if the engine is hung (the server is
killed if it is busy with this Speech's phrase; otherwise it is left for other instances
and killed at interpreter exit).

Status lines (staff panel): ``"ready (espeak; en=gmw/en, zh-HK=sit/yue; volume 80%)"``,
ending ``"...; engine restarted 2 times)"`` after recoveries; ``"cached phrases only: <why>"``
after a switch-off; ``"silent: <why>"`` with no engine or audio device from the start;
``"silent: shut down"``.

Imports: the standard library, pygame and the rest of kiosk.speech.
"""

from __future__ import annotations

import contextlib
import logging
import math
import time
from collections import OrderedDict
from pathlib import Path

import pygame

from kiosk.speech.cache import WavCache
from kiosk.speech.supervisor import EngineSupervisor
from kiosk.speech.voices import DEFAULT_VOICES, VoicePicker
from kiosk.speech.worker import Job, RenderWorker

log = logging.getLogger("kiosk.speech")


class Speech:
    """Text-to-speech for the kiosk: render in a worker, play from ``update()``."""

    # Loaded Sounds kept in memory (LRU). Small on purpose: the WAVs stay cached on disk and
    # reload in a few ms, while every result line ("You scored 73…") is a new phrase, so a
    # generous cache only fills up over a day (the soak benchmark saw +60 MB at 64 MiB).
    SOUND_CACHE_SIZE = 12
    SOUND_CACHE_BYTES = 12 * 1024 * 1024  # and their estimated total size
    # Read when a Speech is made:
    ENGINE_START_TIMEOUT = 2.0  # seconds the render server may take to report its voices
    RENDER_TIMEOUT_S = 2.0  # a render with no answer after this long means the engine hung
    MAX_FAILURES_IN_A_ROW = 3  # engine failures in a row before speech is switched off
    IDLE_CHECK_S = 1.0  # an idle worker checks this often that the engine is still alive
    TEMP_MAX_AGE = 3600.0  # leftover temp files older than this are removed at start-up
    STUCK_AFTER = 15.0  # a single job taking this long (e.g. a hung disk) shows in ``status``

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
        self._cache = WavCache(self.cache_dir, self.rate)
        self._voice = VoicePicker(self.voices)
        self._engine = EngineSupervisor(
            self.ENGINE_START_TIMEOUT, self.RENDER_TIMEOUT_S, self.MAX_FAILURES_IN_A_ROW
        )
        self._worker = RenderWorker(self._cache, self._engine, self.IDLE_CHECK_S, self.TEMP_MAX_AGE)

        # Main thread only.
        self._pending: Job | None = None  # asked for by say(), not playing yet
        self._sounds: OrderedDict[str, tuple[pygame.mixer.Sound, int]] = OrderedDict()
        self._sound_bytes = 0
        self._channel: pygame.mixer.Channel | None = None

        # _active: audio device, cache and worker are up (cleared by shutdown()).
        self._active = False
        problem = self._open_mixer() or self._cache.open() or self._engine.start()
        if problem:
            self._problem = problem
            log.warning("speech disabled, the kiosk will run silently: %s", problem)
        else:
            self._problem = ""
            self._active = True
            self._voice.installed = self._engine.voices
            self._worker.start()
            for lang in self.voices:
                self._voice.pick(lang)  # log voice fallbacks now, not mid-visit

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

    # ------------------------------------------------------------- public API

    @property
    def available(self) -> bool:
        """True while the engine renders new phrases (False: silent, or cached phrases only)."""
        return self._active and self._engine.available

    @property
    def status(self) -> str:
        """One line for the staff panel and logs."""
        if not self._active:
            return f"silent: {self._problem}" if self._problem else "silent: shut down"
        if not self._engine.available:
            return f"cached phrases only: {self._engine.problem}"
        busy_since = self._worker.busy_since
        if busy_since is not None and time.monotonic() - busy_since > self.STUCK_AFTER:
            return f"speech worker stuck on one phrase for {time.monotonic() - busy_since:.0f} s"
        voices = ", ".join(f"{lang}={v or 'none'}" for lang, v in self._voice.chosen.items())
        state = "muted" if self._muted else f"volume {round(self._volume * 100)}%"
        restarts = self._engine.restarts
        if restarts:
            state += f"; engine restarted {restarts} time{'s' if restarts > 1 else ''}"
        return f"ready ({self._engine.driver}; {voices}; {state})"

    @property
    def speaking(self) -> bool:
        """A phrase is playing, or has been asked for and is still being rendered."""
        if not self._active:
            return False
        return self._pending is not None or self._channel_busy()

    @property
    def renders(self) -> int:
        """Phrases this instance synthesised (cache misses), for tests and the staff panel."""
        return self._worker.renders

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
        voice = self._voice.pick(lang) or f"lang-{lang}"
        return self._cache.path(self._cache.key(voice, text.strip()))

    def prepare(self, lang: str, text: str) -> None:
        """Queue rendering now (e.g. at start-up) so a later say() plays at once."""
        if not self.available:
            return
        job = self._job(lang, text, load=False)
        if job is not None:
            self._worker.enqueue(job)

    def say(self, lang: str, text: str) -> None:
        """Speak ``text``, replacing whatever is playing. Never blocks: it only queues."""
        if not self._active:
            return
        self._stop_channel()
        job = None if self._muted else self._job(lang, text, load=True)
        self._pending = job
        self._worker.want(job.key if job else None)
        if job is not None and job.key not in self._sounds:
            self._worker.enqueue(job)

    def stop(self) -> None:
        """Silence now and forget the pending phrase."""
        self._pending = None
        self._worker.want(None)
        self._stop_channel()

    def update(self) -> None:
        """Call once per frame on the main thread: starts a phrase whose audio is ready."""
        if not self._active:
            return
        pending = self._pending
        loaded, failed = self._worker.collect(pending.key if pending else None)
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
        self._worker.want(None)
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
        return self._worker.wait_ready(job, timeout)

    def shutdown(self) -> None:
        """Stop playback and the worker thread; returns within ~1 s even if the engine hangs."""
        if self._active:
            self.stop()
        self._active = False
        self._engine.available = False  # nothing rendered after this, even by a late worker
        self._problem = ""
        self._worker.close(timeout=1.0)
        self._sounds.clear()
        self._sound_bytes = 0

    # ------------------------------------------------------------- helpers

    def _job(self, lang: str, text: str, load: bool) -> Job | None:
        if not self._active:
            return None
        text = text.strip()
        if not text:
            return None
        voice = self._voice.pick(lang)
        if voice is None:
            return None
        key = self._cache.key(voice, text)
        return Job(key, self._cache.path(key), voice, text, load)

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


def _clamp01(value: float) -> float:
    value = float(value)
    if math.isnan(value):
        return 0.0
    return min(1.0, max(0.0, value))


def _sound_bytes(sound: pygame.mixer.Sound) -> int:
    init = pygame.mixer.get_init()
    if init is None:
        return 0
    freq, size, channels = init
    return int(sound.get_length() * freq * channels * (abs(size) // 8))
