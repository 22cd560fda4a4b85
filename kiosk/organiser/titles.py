"""Games' titles for the organisers' tables: the same words the visitors saw, read from each
game's own strings (``assets/games/<id>.toml``, ``[strings.<lang>] title``)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from kiosk.i18n import GAMES_DIR, LANGUAGES, game_files, load_toml


@cache
def game_titles(games_dir: Path = GAMES_DIR) -> dict[str, dict[str, str]]:
    """``{game id: {language: title}}`` for every game with strings."""
    titles: dict[str, dict[str, str]] = {}
    for game_id, path in game_files(games_dir):
        strings = load_toml(path).get("strings", {})
        found = {
            lang: strings[lang]["title"] for lang in LANGUAGES if "title" in strings.get(lang, {})
        }
        if found:
            titles[game_id] = found
    return titles


def title(game: str | None, lang: str | None = None) -> str | None:
    """``Recycle Right · 環保分類`` (both languages), or one language's title; ``None`` for a
    game this version does not know (a retired game's plays still count, under their id)."""
    if game is None:
        return None
    found = game_titles().get(game)
    if not found:
        return None
    if lang is not None:
        return found.get(lang)
    return " · ".join(dict.fromkeys(found[lang] for lang in LANGUAGES if lang in found))
