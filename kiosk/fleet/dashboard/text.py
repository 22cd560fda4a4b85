"""The dashboard's words in English and Traditional Chinese (Hong Kong), from data files.

Its own strings are in ``kiosk/fleet/dashboard/strings/<lang>.toml`` (organisers' words, not
the visitors'), loaded with kiosk/i18n.py's :class:`Strings`, so game titles come from each
game's own file and a test fails when a key is missing in one language. Prize tier names are
the visitors' own (``prize.<tier>`` in assets/strings), as the claim pages show them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kiosk.i18n import LANGUAGES, Strings
from kiosk.localday import local_time

STRINGS_DIR = Path(__file__).with_name("strings")


def dashboard_strings() -> Strings:
    return Strings(strings_dir=STRINGS_DIR)


@dataclass
class Text:
    """Lookups for one language, handed to the templates as ``t``."""

    strings: Strings
    visitor: Strings
    lang: str
    offset_hours: float

    def __call__(self, key: str, **fmt: object) -> str:
        return self.strings.get(self.lang, key, **fmt)

    def game(self, game_id: str) -> str:
        key = f"game.{game_id}.title"
        if key in self.strings.tables[self.lang]:
            return self(key)
        return game_id.replace("_", " ").capitalize()

    def tier(self, tier: str) -> str:
        key = f"prize.{tier}"
        if key in self.visitor.tables.get(self.lang, {}):
            return self.visitor.get(self.lang, key)
        return tier.replace("_", " ").capitalize()

    def clock(self, moment: datetime | None, seconds: bool = False) -> str:
        """Local wall time, ``14:05``; "—" for none."""
        if moment is None:
            return "—"
        return local_time(moment, self.offset_hours).strftime("%H:%M:%S" if seconds else "%H:%M")

    def duration(self, seconds: float) -> str:
        """``45 s``, ``12 min``, ``3 h 05 min`` in this language's words."""
        seconds = max(0, int(seconds))
        if seconds < 60:
            return self("unit.seconds", n=seconds)
        minutes = seconds // 60
        if minutes < 60:
            return self("unit.minutes", n=minutes)
        return self("unit.hours", h=minutes // 60, m=f"{minutes % 60:02d}")

    def number(self, n: int | float) -> str:
        return f"{n:,.0f}"

    @property
    def other_languages(self) -> list[str]:
        return [x for x in LANGUAGES if x != self.lang]
