"""A round's texts broken into line-break units ahead, so no frame of the round pays for it.

Finding where a line may break (kiosk/ui/linebreak.py, uniseg: pure Python) costs 1–10 ms
per paragraph, and games wrap text the moment it appears: Phish or Legit's next card, Smart
Commute's feedback, the result screen's lesson. That cost landed in single frames mid-game
(12–27 ms). Every text a round can show in its language is in its content file and its
string table, so once the round is built ahead (kiosk/booth/pregame.py) the worker walks
them and fills linebreak's cache (kept across rounds: the next round of the same game and
language finds them there).

The journey's own screens wrap text too (the failsafe and paused notices, the claim
screen's lines): ``warm_screens`` breaks every such string in both languages once per run,
in a worker at start-up, so the first failsafe frame after a fault no longer spent 20 ms
finding line breaks.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from kiosk.background import Background, Lane
from kiosk.i18n import LANGUAGES, Strings
from kiosk.ui import linebreak

PAUSE_S = 0.0005  # between paragraphs: the frame thread gets the interpreter lock promptly


def texts(value: Any, lang: str) -> Iterator[str]:
    """Every string in a content value a ``lang`` visitor may see: a per-language table
    (``{en = …, zh-HK = …}``) gives its ``lang`` entry only."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        if any(key in value for key in LANGUAGES):
            chosen = value.get(lang) or value.get("*")
            if chosen is not None:
                yield from texts(chosen, lang)
        else:
            for item in value.values():
                yield from texts(item, lang)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from texts(item, lang)


def round_texts(
    strings: Strings, game_id: str, lang: str, content: Mapping[str, Any]
) -> list[str]:
    """The paragraphs a round of ``game_id`` in ``lang`` can show, each once."""
    prefix = f"game.{game_id}."
    table = strings.tables.get(lang, {})
    found = list(texts(content, lang))
    found += [v for k, v in table.items() if k.startswith(prefix) for v in texts(v, lang)]
    paragraphs = dict.fromkeys(p for t in found for p in t.split("\n") if p.strip())
    return list(paragraphs)


def warm(paragraphs: Iterable[str]) -> int:
    """Break each paragraph into units (kept in linebreak's cache); returns how many."""
    done = 0
    for paragraph in paragraphs:
        linebreak.units(paragraph)
        done += 1
        time.sleep(PAUSE_S)
    return done


_screens_warmed: weakref.WeakSet[Strings] = weakref.WeakSet()  # tables warmed already
_screens = Lane("textwarm-screens", "breaking the journey's lines")


def screen_texts(strings: Strings) -> list[str]:
    """The paragraphs of every journey string (not a game's) in every language, each once.
    Strings with ``{placeholders}`` are broken as written, which helps the words around
    them only."""
    found = [
        v
        for table in strings.tables.values()
        for k, value in table.items()
        if not k.startswith("game.")
        for v in texts(value, "")
    ]
    return list(dict.fromkeys(p for t in found for p in t.split("\n") if p.strip()))


def warm_screens(strings: Strings) -> Background[int] | None:
    """Break the journey's strings into line-break units in a worker (once per ``strings``);
    returns the worker, or None when they were done already."""
    if strings in _screens_warmed:
        return None
    _screens_warmed.add(strings)
    return _screens.start(warm, screen_texts(strings))


def wait_for_screens(timeout_s: float = 60.0) -> None:
    """Block until the journey's strings started last are broken (tests)."""
    _screens.wait(timeout_s)
