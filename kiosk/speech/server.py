"""The render server: pyttsx3 + espeak-ng in a process of their own, one phrase at a time.

Run by :mod:`kiosk.speech.engine` as ``python -P -m kiosk.speech.server``. espeak can be
initialised only once per process, so a process of its own is what makes a restart possible
at all: a hung or dead engine is killed and a fresh server started (~70 ms).

Protocol (JSON lines; stdin: requests, stdout: replies):

* first, unasked, a hello: ``{"ok": true, "driver": "espeak", "voices": [[id, [codes]], ...]}``
  or ``{"ok": false, "error": "..."}`` when pyttsx3 cannot start (then the server exits);
* then per request ``{"id", "voice", "rate", "text", "path"}`` one reply ``{"id", "ok": true}``
  once ``path`` holds the WAV, or ``{"id", "ok": false, "kind", "error"}`` where ``kind`` is
  ``"engine"`` (it raised: restart it) or ``"phrase"`` (bad audio for this phrase only).

Imports: the standard library and pyttsx3, nothing of the kiosk (no pygame), so it starts
fast. It exits when its stdin closes or its parent process goes away.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
import wave
from collections.abc import Callable, Iterable
from typing import Any

Synchronize = Callable[[], object] | None

_applied: dict[str, object] = {}


def _codes(languages: Iterable[object] | None) -> list[str]:
    codes = []
    for item in languages or ():
        code = item.decode("utf-8", "ignore") if isinstance(item, bytes) else str(item)
        code = code.strip("\x00 ").lower()
        if code:
            codes.append(code)
    return codes


def _apply(engine: Any, synchronize: Synchronize, name: str, value: object) -> None:
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


def _synthesise(engine: Any, synchronize: Synchronize, job: dict[str, Any], path: str) -> None:
    engine.setProperty("voice", job["voice"])
    _apply(engine, synchronize, "rate", job["rate"])
    _apply(engine, synchronize, "volume", 1.0)  # the kiosk's mixer applies the volume
    engine.save_to_file(job["text"], path)
    engine.runAndWait()
    # pyttsx3's espeak driver returns from runAndWait() as soon as synthesis *starts*; the
    # WAV is written later from espeak's thread. Wait for espeak's queue to drain.
    if synchronize is not None:
        synchronize()


def _frames(path: str) -> int | None:
    try:
        with wave.open(path, "rb") as wav:
            return wav.getnframes()
    except (OSError, EOFError, wave.Error):
        return None


def render(
    engine: Any, synchronize: Synchronize, errors: list[BaseException], job: dict[str, Any]
) -> dict[str, Any]:
    """Render one request into ``job["path"]``; the reply to send."""
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


def _exit_with_parent(parent: int) -> None:
    # The kiosk died without closing our stdin (or it is wedged): do not outlive it.
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


def main() -> None:
    """Serve render requests from stdin until it closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the kiosk, which stops us
    proto = os.fdopen(os.dup(1), "wb")
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)  # the espeak driver print()s "Audio saved to ..." for every file
    os.close(null)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()

    def send(message: dict[str, Any]) -> None:
        proto.write(json.dumps(message).encode("utf-8") + b"\n")
        proto.flush()

    errors: list[BaseException] = []

    def on_error(name: object = None, exception: BaseException | None = None) -> None:
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
        send(render(engine, synchronize, errors, json.loads(line)))


if __name__ == "__main__":
    main()
