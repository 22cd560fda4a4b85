"""Desk names as staff type them, made safe to record in the database and to log.

A name arrives from the login form, ``claims redeem --desk`` or claims.toml; with a CR or LF
in it, one hand-over would write a second, forged line into the server's log.
"""

from __future__ import annotations

import unicodedata

DESK_NAME_MAX = 40


def clean_desk_name(text: str | None, fallback: str = "Prize desk") -> str:
    """A desk name safe to record and log: control and line-break characters (CR, LF,
    U+2028 …) become spaces, runs of spaces one, at most 40 characters. A name that is
    empty afterwards gives ``fallback``."""
    kept = "".join(
        " " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text or ""
    )
    name = " ".join(kept.split())[:DESK_NAME_MAX].strip()
    return name or fallback
