"""Logging: to stderr (the journal under systemd) and to a rotating file staff can collect.

A failing screen's traceback goes here, never on screen. The file rotates at 5 MB and keeps
five old files, so a ten-hour day of warnings cannot fill the disk.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MAX_BYTES = 5 * 1024 * 1024
BACKUPS = 5


def setup_logging(log_dir: Path | None, level: int = logging.INFO) -> Path | None:
    """Configure the root logger; returns the log file's path (None if it can't be opened)."""
    root = logging.getLogger()
    root.setLevel(level)
    for handler in list(root.handlers):
        root.removeHandler(handler)
    console = logging.StreamHandler(sys.stderr)
    console.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(console)
    if log_dir is None:
        return None
    path = Path(log_dir) / "kiosk.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        file_handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    except OSError as exc:
        # A read-only or full disk must not stop the kiosk; stderr still has everything.
        root.warning("cannot write the log file %s (%s); logging to stderr only", path, exc)
        return None
    file_handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(file_handler)
    return path
