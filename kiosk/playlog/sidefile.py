"""Append-only JSON-lines files beside the database: writes waiting for it, writes it refused.

``scores.db.pending.jsonl`` holds the writes a locked, read-only or full database refused for
now (replayed in order, kiosk/playlog/resilient.py); ``scores.db.rejected.jsonl`` keeps, with
the reason, every write that can never apply, so a replay never fails start-up and nothing
is thrown away. Each line is one JSON object, fsynced before the append returns.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any


class JsonLines:
    """One JSON-lines file; every method raises ``OSError`` when the disk says no."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def append(self, records: list[dict[str, Any]]) -> None:
        """Add ``records`` durably. A failed append (disk full) is cut back to the length the
        file had, so a half-written line never swallows the next record's line."""
        if not records:
            return
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            start = os.fstat(fd).st_size
            try:
                os.write(fd, text.encode("utf-8"))  # O_APPEND: one write, at the end
                os.fsync(fd)
            except OSError:
                with contextlib.suppress(OSError):  # else the reader skips the torn line
                    os.ftruncate(fd, start)
                raise
        finally:
            os.close(fd)

    def read(self) -> tuple[list[dict[str, Any]], list[str]]:
        """The records, and the lines that are not JSON (torn by a power cut mid-write)."""
        try:
            lines = self.path.read_text(encoding="utf-8", errors="replace").splitlines()
        except FileNotFoundError:
            return [], []
        records, torn = [], []
        for line in lines:
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                torn.append(line)
                continue
            if isinstance(record, dict):
                records.append(record)
            else:
                torn.append(line)
        return records, torn

    def rewrite(self, records: list[dict[str, Any]]) -> None:
        """Replace the file's content with ``records`` atomically (removed when empty)."""
        if not records:
            self.path.unlink(missing_ok=True)
            return
        tmp = self.path.with_name(self.path.name + ".tmp")
        try:
            tmp.unlink(missing_ok=True)
            JsonLines(tmp).append(records)
            tmp.replace(self.path)
        except OSError:
            tmp.unlink(missing_ok=True)
            raise

    def exists(self) -> bool:
        return self.path.exists()
