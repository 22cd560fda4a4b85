"""Finds every game (module or package) in this package; the kiosk never names a game in code."""

from __future__ import annotations

import importlib
import logging
import pkgutil

import games
from games.base import GameSpec

log = logging.getLogger(__name__)


def discover() -> dict[str, GameSpec]:
    """All games in ``games/``, by id, in module-name order."""
    found: dict[str, GameSpec] = {}
    for info in sorted(pkgutil.iter_modules(games.__path__), key=lambda m: m.name):
        if info.name in ("base", "registry", "kit") or info.name.startswith("_"):
            continue
        try:
            module = importlib.import_module(f"games.{info.name}")
        except Exception:
            # One broken plug-in must not take the kiosk down with it.
            log.exception("game module %s failed to import; skipped", info.name)
            continue
        spec = getattr(module, "GAME", None)
        if isinstance(spec, GameSpec):
            found[spec.id] = spec
    return found


def enabled(all_games: dict[str, GameSpec], wanted: list[str] | None) -> list[GameSpec]:
    """The games config enables, in config order; unknown names are logged and skipped."""
    if not wanted:
        return list(all_games.values())
    out = []
    for game_id in wanted:
        if game_id in all_games:
            out.append(all_games[game_id])
        else:
            log.warning("kiosk.toml enables unknown game %r; skipped", game_id)
    return out
