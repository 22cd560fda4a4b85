"""String tables: every visitor-facing word lives in TOML files, never in code.

Kiosk strings are in ``assets/strings/<lang>.toml``; each game brings its own in
``assets/games/<game_id>.toml`` under ``[strings.<lang>]``, reachable here as
``game.<game_id>.<key>``. A missing key is a bug a test catches; at run time it shows the
key itself (and logs once) rather than crash in front of a visitor.
"""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from kiosk import ASSETS

log = logging.getLogger(__name__)

LANGUAGES: tuple[str, ...] = ("en", "zh-HK")
STRINGS_DIR = ASSETS / "strings"
GAMES_DIR = ASSETS / "games"


def flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    """``{"a": {"b": "x"}}`` → ``{"a.b": "x"}``; lists of strings are kept as lists."""
    out: dict[str, Any] = {}
    for key, value in table.items():
        full = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(flatten(value, full + "."))
        else:
            out[full] = value
    return out


def load_toml(path: Path) -> dict[str, Any]:
    with path.open("rb") as f:
        return tomllib.load(f)


def game_files(games_dir: Path = GAMES_DIR) -> Iterator[tuple[str, Path]]:
    for path in sorted(games_dir.glob("*.toml")):
        yield path.stem, path


class Strings:
    """All string tables for all languages, loaded once at start-up."""

    def __init__(self, strings_dir: Path = STRINGS_DIR, games_dir: Path = GAMES_DIR) -> None:
        self.tables: dict[str, dict[str, Any]] = {}
        for lang in LANGUAGES:
            self.tables[lang] = flatten(load_toml(strings_dir / f"{lang}.toml"))
        for game_id, path in game_files(games_dir):
            per_lang = load_toml(path).get("strings", {})
            for lang in LANGUAGES:
                table = flatten(per_lang.get(lang, {}), f"game.{game_id}.")
                self.tables[lang].update(table)
        self._warned: set[tuple[str, str]] = set()

    def get(self, lang: str, key: str, **fmt: object) -> str:
        table = self.tables.get(lang) or self.tables[LANGUAGES[0]]
        value = table.get(key)
        if value is None:
            if (lang, key) not in self._warned:
                self._warned.add((lang, key))
                log.error("missing string %r for language %r", key, lang)
            return key
        if isinstance(value, list):
            value = "\n".join(value)
        return str(value).format(**fmt) if fmt else str(value)

    def missing(self) -> dict[str, set[str]]:
        """Keys present in some language but not in another, per language."""
        every = set().union(*(set(t) for t in self.tables.values()))
        return {lang: every - set(t) for lang, t in self.tables.items() if every - set(t)}

    def all_text(self) -> str:
        """Every character any table can show (for font subsetting and coverage tests)."""
        parts: list[str] = []
        for table in self.tables.values():
            for v in table.values():
                parts.extend(v if isinstance(v, list) else [str(v)])
        return "".join(parts)


class Tr:
    """The string lookup for one language, handed to scenes and games."""

    def __init__(self, strings: Strings, lang: str) -> None:
        self.strings = strings
        self.lang = lang

    def __call__(self, key: str, **fmt: object) -> str:
        return self.strings.get(self.lang, key, **fmt)

    def game(self, game_id: str) -> GameTr:
        return GameTr(self.strings, self.lang, game_id)


class GameTr(Tr):
    """A lookup that resolves a game's own short keys (``title`` → ``game.<id>.title``)."""

    def __init__(self, strings: Strings, lang: str, game_id: str) -> None:
        super().__init__(strings, lang)
        self.game_id = game_id

    def __call__(self, key: str, **fmt: object) -> str:
        return self.strings.get(self.lang, f"game.{self.game_id}.{key}", **fmt)
