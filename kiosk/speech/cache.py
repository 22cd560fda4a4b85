"""The WAV cache: every phrase rendered once, kept on disk across runs.

A file's name is the voice, the rate and a hash of the text, so the same words in another
voice or at another rate are another file. A render goes to a temp name first and is renamed
into place (:meth:`WavCache.temp_path`), so a half-written file is never played; leftover
temp files (an engine killed mid-render) are swept at start-up.

Imports: the standard library only.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import time
import uuid
from pathlib import Path


class WavCache:
    """One directory of rendered phrases, for one speaking rate."""

    def __init__(self, directory: Path, rate: int) -> None:
        self.directory = Path(directory)
        self.rate = rate

    def open(self) -> str | None:
        """Create the directory; a problem in plain words if it cannot be used."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return f"speech cache directory {self.directory} unusable ({exc})"
        return None

    def key(self, voice: str, text: str) -> str:
        """The phrase's name in the cache (``text`` already stripped)."""
        digest = hashlib.sha256(f"{voice}\x00{self.rate}\x00{text}".encode()).hexdigest()
        return f"{re.sub(r'[^A-Za-z0-9]+', '_', voice)}-{self.rate}-{digest[:24]}"

    def path(self, key: str) -> Path:
        """Where the phrase ``key`` is, or will be, cached."""
        return self.directory / f"{key}.wav"

    def temp_path(self, key: str) -> Path:
        """A fresh file to render ``key`` into before it is renamed to :meth:`path`."""
        self.directory.mkdir(parents=True, exist_ok=True)
        return self.directory / f".{key}.{uuid.uuid4().hex[:8]}.tmp.wav"

    def sweep_temp_files(self, max_age: float) -> None:
        """Remove temp files older than ``max_age`` seconds (left by an interrupted render)."""
        cutoff = time.time() - max_age
        with contextlib.suppress(OSError):
            for tmp in self.directory.glob(".*.tmp.wav"):
                with contextlib.suppress(OSError):
                    if tmp.stat().st_mtime < cutoff:
                        tmp.unlink()
