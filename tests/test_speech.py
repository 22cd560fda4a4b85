"""Speech: real pyttsx3/espeak-ng rendering, real pygame.mixer playback (dummy audio driver).

Nothing here mocks the code under test. Faults are injected where they happen in the field:
pyttsx3 failing to start, pyttsx3 not installed, no audio device, an unusable cache dir.
"""

from __future__ import annotations

import os

os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import array
import json
import logging
import shutil
import subprocess
import sys
import time
import wave
from collections.abc import Callable, Iterator
from pathlib import Path

import pygame
import pytest

from kiosk.speech import Speech, engine, match_voice
from tests.speechkit import (
    DID_NOT_HANG_S,
    ESPEAK_PROBLEM,
    SpeechMaker,
    channel,
    inject_fault,
    needs_espeak,
    pump,
)

ZH = "你好,歡迎嚟到智慧市民樂園"
EN = "Welcome to Smartizen Park. Touch the screen to play."


@pytest.fixture
def make_speech(tmp_path: Path) -> Iterator[Callable[..., Speech]]:
    maker = SpeechMaker(tmp_path)
    yield maker
    maker.close()


def read_wav(path: Path) -> tuple[wave._wave_params, array.array]:
    with wave.open(str(path), "rb") as wav:
        params = wav.getparams()
        assert params.sampwidth == 2, "espeak writes 16-bit PCM"
        samples = array.array("h", wav.readframes(params.nframes))
    if sys.byteorder == "big":
        samples.byteswap()
    return params, samples


def assert_real_speech(path: Path) -> float:
    """A valid WAV with more than 0.3 s of clearly non-silent audio; returns its duration."""
    params, samples = read_wav(path)
    duration = params.nframes / params.framerate
    assert params.nchannels == 1
    assert duration > 0.3, duration
    peak = max(abs(s) for s in samples)
    loud = sum(1 for s in samples if abs(s) > 500) / len(samples)
    assert peak > 3000, f"peak {peak}: silence?"
    assert loud > 0.1, f"only {loud:.0%} of samples above the noise floor"
    return duration


# ---------------------------------------------------------------- rendering


@needs_espeak
def test_renders_english_to_a_real_wav(make_speech: Callable[..., Speech]) -> None:
    s = make_speech()
    assert s.available, s.status
    assert s.wait_rendered("en", EN)
    path = s.wav_path("en", EN)
    assert path.parent == s.cache_dir and path.exists()
    assert assert_real_speech(path) > 1.0
    assert s.renders == 1
    assert not list(s.cache_dir.glob("*.tmp*")), "temp file left behind"


@needs_espeak
def test_renders_chinese_with_the_cantonese_voice(make_speech: Callable[..., Speech]) -> None:
    default = make_speech("a")
    explicit = make_speech("b", voices={"en": "gmw/en", "zh-HK": "sit/yue"})
    mandarin = make_speech("c", voices={"zh-HK": "sit/cmn"})
    for s in (default, explicit, mandarin):
        assert s.wait_rendered("zh-HK", ZH)
    yue_path = default.wav_path("zh-HK", ZH)
    assert "sit_yue" in yue_path.name
    yue = assert_real_speech(yue_path)
    # espeak-ng is not bit-exact from one render to the next (a few ms of jitter), so
    # compare durations: the default mapping sounds like an explicit sit/yue rendering ...
    assert assert_real_speech(explicit.wav_path("zh-HK", ZH)) == pytest.approx(yue, rel=0.03)
    # ... and not like another voice reading the same text, which is also another file.
    cmn_path = mandarin.wav_path("zh-HK", ZH)
    assert cmn_path.name != yue_path.name
    cmn = assert_real_speech(cmn_path)
    assert abs(cmn - yue) > 0.2 * yue, (cmn, yue)
    # The same text spoken by the English voice is yet another file (voice is in the key).
    assert default.wav_path("en", ZH) != yue_path


@needs_espeak
def test_second_say_reuses_cached_wav_even_across_runs(make_speech: Callable[..., Speech]) -> None:
    s = make_speech()
    s.say("en", EN)
    pump(s, lambda: channel().get_busy())
    path = s.wav_path("en", EN)
    mtime = path.stat().st_mtime_ns
    assert s.renders == 1

    s.say("en", EN)  # same instance: Sound still in memory
    pump(s, lambda: channel().get_busy())
    assert s.renders == 1

    s.shutdown()
    again = make_speech()  # a restart: same cache directory, empty memory
    again.say("en", EN)
    pump(again, lambda: channel().get_busy())
    assert again.renders == 0
    assert path.stat().st_mtime_ns == mtime
    assert len(list(again.cache_dir.glob("*.wav"))) == 1


# ---------------------------------------------------------------- the render server


def test_the_render_server_starts_without_pygame() -> None:
    python, *args = engine.server_command()
    traced = subprocess.run(
        [python, "-X", "importtime", *args],
        stdin=subprocess.DEVNULL,  # no requests: it says hello and exits
        capture_output=True,
        text=True,
        env=engine.server_env(),
        timeout=DID_NOT_HANG_S,
        check=True,
    )
    imported = {line.rsplit("|", 1)[-1].strip() for line in traced.stderr.splitlines()}
    assert "kiosk.speech" in imported
    assert not {name for name in imported if name.split(".")[0] == "pygame"}
    hello = json.loads(traced.stdout.splitlines()[0])
    assert hello["ok"] is (ESPEAK_PROBLEM is None), hello


def test_the_render_server_runs_the_kiosk_code_of_its_parent(tmp_path: Path) -> None:
    # A checkout of its own, as a git worktree is, while the editable install points here.
    checkout = tmp_path / "checkout"
    shutil.copytree(Path(engine.__file__).parent, checkout / "kiosk" / "speech")
    shutil.copy(Path(engine.__file__).parent.parent / "__init__.py", checkout / "kiosk")
    parent = """
import subprocess, sys
from kiosk.speech import engine
python, *_ = engine.server_command()
probe = [python, "-P", "-c", "import kiosk.speech.server as s; print(s.__file__)"]
print(subprocess.run(probe, env=engine.server_env(), capture_output=True, text=True).stdout)
"""
    ran = subprocess.run(
        [sys.executable, "-c", parent],
        cwd=checkout,  # the parent imports kiosk from here
        capture_output=True,
        text=True,
        timeout=DID_NOT_HANG_S,
        check=True,
    )
    assert ran.stdout.strip() == str(checkout / "kiosk" / "speech" / "server.py")


# ---------------------------------------------------------------- frame loop


@needs_espeak
@pytest.mark.timeout(60)  # a call that took the engine's lock would wait here for ever
def test_say_and_update_never_wait_for_the_engine(make_speech: Callable[..., Speech]) -> None:
    s = make_speech()
    with engine.SERVER_LOCK:  # the engine is busy (another Speech's phrase) until released
        s.say("en", EN)
        for _ in range(10):
            s.update()
        s.set_volume(0.5)
        assert s.speaking and not channel().get_busy()  # queued, not yet audible ...
        assert not s.wav_path("en", EN).exists()  # ... nor rendered: say() did not wait
    pump(s, lambda: channel().get_busy())  # the engine free again: rendered, then played


@needs_espeak
def test_a_phrase_said_is_rendered_before_phrases_prepared(
    make_speech: Callable[..., Speech],
) -> None:
    s = make_speech()
    prepared = [f"Round {n}. Catch the falling recycling before it lands." for n in range(3)]
    said = "Drag each item into the right bin."
    with engine.SERVER_LOCK:  # hold the worker at its first job while the queue fills
        for text in prepared:
            s.prepare("en", text)
        s.say("en", said)
    pump(s, lambda: channel().get_busy())
    assert all(s.wait_rendered("en", text) for text in prepared)
    written = {text: s.wav_path("en", text).stat().st_mtime_ns for text in [said, *prepared]}
    # The worker may have taken the first prepared phrase already; the said one comes next.
    assert written[said] < written[prepared[1]] < written[prepared[2]], written


@needs_espeak
def test_update_starts_playback_on_the_mixer(make_speech: Callable[..., Speech]) -> None:
    s = make_speech(volume=0.5)
    s.say("zh-HK", ZH)
    assert s.speaking
    pump(s, lambda: channel().get_busy())
    assert s.speaking
    playing = channel().get_sound()
    params, _ = read_wav(s.wav_path("zh-HK", ZH))
    assert playing.get_length() == pytest.approx(params.nframes / params.framerate, abs=0.01)
    assert channel().get_volume() == pytest.approx(0.5, abs=0.01)
    s.set_volume(0.25)
    assert channel().get_volume() == pytest.approx(0.25, abs=0.01)
    s.set_volume(7)
    assert s.volume == 1.0

    s.stop()
    assert not channel().get_busy() and not s.speaking


@needs_espeak
def test_playback_ends_on_its_own(make_speech: Callable[..., Speech]) -> None:
    s = make_speech()
    s.say("en", "Go!")
    pump(s, lambda: channel().get_busy())
    pump(s, lambda: not s.speaking)  # the dummy driver consumes audio in real time


@needs_espeak
def test_say_replaces_what_is_playing(make_speech: Callable[..., Speech]) -> None:
    s = make_speech()
    first, second = "This is the first screen's long instruction.", "Second screen."
    assert s.wait_rendered("en", second)
    s.say("en", first)
    pump(s, lambda: channel().get_busy())
    old = channel().get_sound()
    s.say("en", second)
    assert not channel().get_busy(), "the old phrase must stop at once"
    pump(s, lambda: channel().get_busy())
    new = channel().get_sound()
    assert new is not old
    assert new.get_length() < old.get_length()


@needs_espeak
def test_mute_prevents_playback(make_speech: Callable[..., Speech]) -> None:
    s = make_speech(muted=True)
    s.say("en", EN)
    assert not s.speaking
    assert s.wait_rendered("en", EN)  # rendering may still happen ...
    for _ in range(20):
        s.update()
        time.sleep(0.005)
    assert not channel().get_busy() and not s.speaking  # ... but nothing plays

    s.set_muted(False)
    s.say("en", EN)
    pump(s, lambda: channel().get_busy())
    s.set_muted(True)  # muting also silences the phrase in progress
    assert not channel().get_busy() and not s.speaking
    assert "muted" in s.status


@needs_espeak
def test_sound_cache_is_bounded(make_speech: Callable[..., Speech]) -> None:
    s = make_speech()
    s.SOUND_CACHE_SIZE = 3
    for n in range(6):
        s.say("en", f"Phrase number {n}.")
        pump(s, lambda: channel().get_busy())
        assert s.loaded_sounds <= 3
    assert s.loaded_sounds == 3


# ---------------------------------------------------------------- faults


@pytest.mark.parametrize("fault", ["init raises", "not installed"])
def test_missing_engine_is_silent_with_one_warning(
    make_speech: Callable[..., Speech],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    fault: str,
) -> None:
    if fault == "init raises":
        pytest.importorskip("pyttsx3")
        inject_fault(monkeypatch, "init-raises")  # pyttsx3 runs in the render server process
    else:
        monkeypatch.setitem(sys.modules, "pyttsx3", None)  # import raises ImportError

    caplog.set_level(logging.DEBUG, logger="kiosk.speech")
    s = make_speech()
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    assert not s.available
    assert s.status.startswith("silent:") and "engine" in s.status

    # Every method stays callable and does nothing.
    s.prepare("en", EN)
    s.say("zh-HK", ZH)
    s.update()
    assert not s.speaking
    s.set_volume(0.3)
    s.set_muted(True)
    s.set_muted(False)
    s.stop()
    assert isinstance(s.wav_path("en", EN), Path)
    assert s.wait_rendered("en", EN, timeout=0.1) is False
    assert not channel().get_busy()
    s.shutdown()
    assert len([r for r in caplog.records if r.levelno >= logging.WARNING]) == 1


def test_no_audio_device_is_silent_with_one_warning(
    make_speech: Callable[..., Speech],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    was = pygame.mixer.get_init()
    pygame.mixer.quit()

    def no_device(*_args, **_kwargs):
        raise pygame.error("dsp: No such audio device")

    monkeypatch.setattr(pygame.mixer, "init", no_device)
    try:
        caplog.set_level(logging.DEBUG, logger="kiosk.speech")
        s = make_speech()
        warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
        assert len(warnings) == 1 and "audio device" in warnings[0].getMessage()
        assert not s.available and "audio device" in s.status
        s.say("en", EN)
        s.update()
        s.stop()
        assert not s.speaking
    finally:
        monkeypatch.undo()
        if was:
            pygame.mixer.init(*was)


@needs_espeak
def test_render_error_is_logged_and_skipped(
    make_speech: Callable[..., Speech], caplog: pytest.LogCaptureFixture
) -> None:
    s = make_speech()
    shutil.rmtree(s.cache_dir)
    s.cache_dir.write_text("not a directory")  # e.g. a broken mount or a mistaken file
    caplog.set_level(logging.WARNING, logger="kiosk.speech")
    s.say("en", EN)
    pump(s, lambda: not s.speaking)  # gives up on the phrase; nothing raised
    assert not channel().get_busy()
    assert any("could not render" in r.getMessage() for r in caplog.records)

    s.cache_dir.unlink()  # fixed: the next phrase works again
    s.say("en", EN)
    pump(s, lambda: channel().get_busy())


@needs_espeak
def test_missing_voice_falls_back_by_language(
    make_speech: Callable[..., Speech], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="kiosk.speech")
    s = make_speech(voices={"en": "xx/not-installed", "zh-HK": "zzz/yue"})
    assert s.available
    assert "sit_yue" in s.wav_path("zh-HK", ZH).name
    assert "gmw_en" in s.wav_path("en", EN).name
    assert s.wav_path("en-GB", EN) == s.wav_path("en", EN)  # region falls back to "en"
    fallbacks = [r for r in caplog.records if "not installed" in r.getMessage()]
    assert len(fallbacks) == 2  # once per substitution, not per phrase or region tag
    assert s.wait_rendered("zh-HK", ZH)
    assert len([r for r in caplog.records if "not installed" in r.getMessage()]) == 2


def test_match_voice_by_language_codes() -> None:
    voices = [
        ("sit/cmn", ("cmn",)),
        ("gmw/en-us", ("en-us",)),
        ("gmw/en", ("en-gb",)),
        ("sit/yue", ("yue",)),
    ]
    assert match_voice("zh-HK", "sit/yue", voices) == "sit/yue"
    assert match_voice("zh-HK", "other/yue", voices) == "sit/yue"
    assert match_voice("zh-HK", None, voices) == "sit/yue"
    assert match_voice("en", "missing/en", voices) == "gmw/en"
    assert match_voice("en-US", None, voices) == "gmw/en-us"
    assert match_voice("fr", "gmw/fr", voices) is None


@needs_espeak
def test_shutdown_stops_the_worker(make_speech: Callable[..., Speech]) -> None:
    s = make_speech()
    worker = s._worker.thread
    assert worker is not None and worker.is_alive()
    s.prepare("en", EN)
    s.shutdown()
    assert not worker.is_alive()
    assert not s.available and s.status == "silent: shut down"
    s.say("en", EN)
    s.update()
    assert not s.speaking


@needs_espeak
def test_a_busy_main_thread_never_loses_or_swaps_phrases(
    make_speech: Callable[..., Speech], caplog: pytest.LogCaptureFixture
) -> None:
    # Regression: pyttsx3's espeak driver returns from runAndWait() before the WAV is
    # written; with the GIL busy (as during a frame) the first phrase was lost and its audio
    # landed in the next phrase's file.
    speech = make_speech()
    long_en = "Rubbish is falling from the sky. Drag each item into the right bin before it lands."
    short_zh = "你好"
    speech.prepare("en", long_en)
    speech.prepare("zh-HK", short_zh)
    spin_until = time.perf_counter() + 0.5
    while time.perf_counter() < spin_until:  # hold the GIL like a busy frame loop
        pass
    assert speech.wait_rendered("en", long_en) and speech.wait_rendered("zh-HK", short_zh)
    en_s = assert_real_speech(speech.wav_path("en", long_en))
    zh_s = assert_real_speech(speech.wav_path("zh-HK", short_zh))
    assert en_s > 3.0 and zh_s < 2.0, (en_s, zh_s)
    assert "could not render" not in caplog.text
