"""Spoken instructions, kept off the frame loop and away from a misbehaving speech engine.

The booth uses :class:`Speech` (``from kiosk.speech import Speech``)::

    speech = Speech(cache_dir)
    speech.prepare("en", strings["howto.fruit"])   # at start-up, rendered in the background
    speech.say(lang, strings["howto.fruit"])        # on entering the how-to screen
    speech.update()                                 # every frame

The room, one job per module:

* :mod:`~kiosk.speech.facade`: ``Speech``, the calls the booth makes; never blocks a frame.
* :mod:`~kiosk.speech.worker`: the thread that renders queued phrases and loads their Sounds.
* :mod:`~kiosk.speech.cache`: the WAV cache on disk (one file per voice, rate and text).
* :mod:`~kiosk.speech.supervisor`: engine faults (hung, died, raised): restart or switch off.
* :mod:`~kiosk.speech.engine`: the render server process: start, request, kill.
* :mod:`~kiosk.speech.server`: the render server itself, pyttsx3 + espeak-ng, run as
  ``python -P -m kiosk.speech.server``.
* :mod:`~kiosk.speech.voices`: which installed voice speaks a language.

Imports: this package may import the standard library, pygame, pyttsx3 (the server only) and
``kiosk``'s top-level modules; never the booth or the other rooms. This ``__init__`` imports
nothing itself (``Speech`` is loaded on first use), so the render server process, which
imports it on its way to ``kiosk.speech.server``, stays free of pygame and starts fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.speech.facade import Speech
    from kiosk.speech.voices import DEFAULT_VOICES, match_voice

__all__ = ["DEFAULT_VOICES", "Speech", "match_voice"]

_HOMES = {
    "Speech": "kiosk.speech.facade",
    "DEFAULT_VOICES": "kiosk.speech.voices",
    "match_voice": "kiosk.speech.voices",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(home), name)
