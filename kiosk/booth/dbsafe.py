"""Database calls from the booth: a problem is logged, never shown, and the visitor plays on.

The play log buffers what it cannot write (kiosk/playlog/resilient.py); anything that still
escapes it must not reach a visitor's screen.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


def db_safe(what: str, fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)``, or ``None`` (logged) if it raised."""
    try:
        return fn(*args)
    except Exception:
        log.exception("could not %s a play in the database", what)
        return None
