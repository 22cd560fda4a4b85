"""Database calls from the booth: a problem is logged, never shown, and the visitor plays on.

The play log buffers what it cannot write (kiosk/playlog/resilient.py); anything that still
escapes it must not reach a visitor's screen. A database that is simply not there (staff
already have a notice for that) is one log line; anything else is logged with its traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from kiosk.playlog.resilient import DatabaseUnavailable

log = logging.getLogger(__name__)


def db_safe(what: str, fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)``, or ``None`` (logged) if it raised."""
    try:
        return fn(*args)
    except DatabaseUnavailable as exc:
        log.warning("database: could not %s (%s)", what, exc)
        return None
    except Exception:
        log.exception("database: could not %s", what)
        return None
