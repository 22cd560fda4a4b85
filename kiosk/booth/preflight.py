"""Checks of kiosk.toml that need the booth's rooms (its games, the claim code format) or the
disk, made before the kiosk says "ready": a booth that starts and then fails every visitor is
worse than one that refuses with one line staff can act on.

kiosk.toml's own types and ranges are checked when it is read (:mod:`kiosk.config`).
"""

from __future__ import annotations

import pkgutil
from pathlib import Path

import games as games_package
from kiosk.config import Config
from kiosk.prizes import claimcode

NOT_GAMES = {"base", "registry", "kit"}  # modules of games/ that are not games (registry.py)


def problems(config: Config) -> list[str]:
    """What stops this config from serving visitors, one line each (empty: all well).

    Made before the play log is opened or a game imported, so it costs a few milliseconds.
    """
    out = []
    folder = Path(config.database).absolute().parent
    if not folder.is_dir():
        out.append(
            f"database {config.database}: the folder {folder} does not exist "
            "(create it, or choose another path with database = … or --db)"
        )
    modules = {
        m.name
        for m in pkgutil.iter_modules(games_package.__path__)
        if m.name not in NOT_GAMES and not m.name.startswith("_")
    }
    # A game module that fails to import is logged and skipped by the registry; a name that
    # matches no module at all is a typo.
    typos = [g for g in config.games if g not in modules]
    if typos:
        out.append(
            f"games = {typos}: no such game; allowed: {', '.join(sorted(modules))} ([] for all)"
        )
    tiers = [t.id for t in config.prizes.tiers]
    if tiers:
        url = claimcode.normalise_claim_url(config.claim_url)
        longest = claimcode.max_claim_url_length(config.kiosk_id, tiers)
        if len(url) > longest:
            out.append(
                f"claim_url = {config.claim_url!r} is {len(url)} characters; with kiosk_id "
                f"{config.kiosk_id!r} and these tier ids at most {longest} fit the prize QR"
            )
    return out
