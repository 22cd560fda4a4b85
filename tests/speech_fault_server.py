"""The real render server with a fault injected into pyttsx3, for the speech tests.

Run in place of :mod:`kiosk.speech.server` (see ``speechkit.inject_fault``) as ``python -P -m
tests.speech_fault_server``; it breaks pyttsx3 as ``SPEECH_FAULT`` in its environment says,
then runs the real server's ``main()``:

* ``by-text``: pyttsx3 misbehaves for phrases holding a trigger word: "stuck" (espeak wedged
  in runAndWait, forever), "boom" (raises), "crash" (the process dies with exit code 3, like
  a segfault in libespeak-ng), "mute" (renders nothing, reports no error);
* ``init-raises``: ``pyttsx3.init()`` fails as if libespeak-ng were missing;
* ``init-raises-once:<path>``: the same, but only once ``<path>`` exists (espeak uninstalled
  while the kiosk runs);
* ``hang-at-start``: never says hello.

Imports: the standard library, pyttsx3 and the server, like the server itself.
"""

from __future__ import annotations

import os
import threading
import time

import pyttsx3
import pyttsx3.engine

from kiosk.speech import server


def _misbehave_by_text() -> None:
    save, run = pyttsx3.engine.Engine.save_to_file, pyttsx3.engine.Engine.runAndWait
    last_text = [""]

    def save_to_file(self, text, filename, name=None):
        last_text[0] = text
        return save(self, text, filename, name)

    def run_and_wait(self):
        text = last_text[0].lower()
        if "stuck" in text:
            threading.Event().wait()
        if "boom" in text:
            raise RuntimeError("espeak fell over")
        if "crash" in text:
            os._exit(3)
        if "mute" in text:
            return None
        return run(self)

    pyttsx3.engine.Engine.save_to_file = save_to_file
    pyttsx3.engine.Engine.runAndWait = run_and_wait


def _init_raises(*_args: object, **_kwargs: object) -> None:
    raise OSError("libespeak-ng.so.1: cannot open shared object file")


def inject(fault: str) -> None:
    """Break pyttsx3 (or the server's start) as ``fault`` names; see the module docstring."""
    kind, _, arg = fault.partition(":")
    if kind == "by-text":
        _misbehave_by_text()
    elif kind == "init-raises" or (kind == "init-raises-once" and os.path.exists(arg)):
        pyttsx3.init = _init_raises
    elif kind == "hang-at-start":
        time.sleep(60)  # killed by the kiosk long before
    elif kind not in ("", "init-raises-once"):
        raise SystemExit(f"unknown SPEECH_FAULT {fault!r}")


if __name__ == "__main__":
    inject(os.environ.get("SPEECH_FAULT", ""))
    server.main()
