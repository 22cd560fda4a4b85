"""The fault benchmark's kit: a headless autoplaying booth in a subprocess, and the audit.

A fault case (``benchmarks/faultcases/*.py``) starts one or more :class:`Booth` processes
on a database in its own temporary folder, does something bad to them (a lock, a deleted
file, a signal, a full disk…), and returns :func:`audit`'s :class:`Row`: what the booths
reported as committed against what the database really holds.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from _common import ROOT

COMMITTED = re.compile(r"committed play ([0-9a-f]{32}) (\w+)")
LONGEST_FRAME = re.compile(r"longest frame (\d+) ms")
# Logged by the booth when a visitor reaches the prize screen and no code could be made.
WITHOUT_CODE = re.compile(r"no prize code for play")


@dataclass
class Row:
    """One line of the fault table."""

    fault: str
    plays_reported: int
    plays_in_db: int
    lost: int
    duplicated: int
    without_code: int
    longest_stall_ms: float | None
    recovered: bool
    note: str = ""

    @property
    def ok(self) -> bool:
        return (
            self.recovered
            and self.lost == 0
            and self.duplicated == 0
            and self.without_code == 0
            and (self.longest_stall_ms is None or self.longest_stall_ms <= STALL_BUDGET_MS)
        )


STALL_BUDGET_MS = 100.0


class Booth:
    """``launch.py --headless --fast --mute --autoplay`` on ``db``, its output collected."""

    def __init__(
        self,
        db: Path,
        *,
        args: Iterable[str] = (),
        env: dict[str, str] | None = None,
        config_text: str | None = None,
        journeys: int = 100_000,
        seed: int = 1,
    ) -> None:
        self.db = Path(db)
        self.args = list(args)
        self.env = env
        self.config_text = config_text
        self.journeys = journeys
        self.seed = seed
        self.log: list[str] = []
        self.proc: subprocess.Popen[str] | None = None
        self.stop_seconds: float | None = None
        self._readers: list[threading.Thread] = []

    def command(self) -> list[str]:
        cmd = [
            sys.executable,
            str(ROOT / "launch.py"),
            "--headless",
            "--fast",
            "--mute",
            "--autoplay",
            str(self.journeys),
            "--seed",
            str(self.seed),
            "--db",
            str(self.db),
        ]
        if self.config_text is not None:
            config = self.db.parent / f"{self.db.stem}-kiosk.toml"
            config.write_text(self.config_text, encoding="utf-8")
            cmd += ["--config", str(config)]
        return cmd + self.args

    def start(self) -> Booth:
        env = dict(os.environ, PYGAME_HIDE_SUPPORT_PROMPT="1", **(self.env or {}))
        self.proc = subprocess.Popen(
            self.command(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=self.db.parent,
            env=env,
        )
        for stream in (self.proc.stdout, self.proc.stderr):
            reader = threading.Thread(target=self._collect, args=(stream,), daemon=True)
            reader.start()
            self._readers.append(reader)
        return self

    def _collect(self, stream: TextIO) -> None:
        for line in stream:
            self.log.append(line.rstrip("\n"))

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 60.0) -> bool:
        """Poll ``predicate`` until it holds (True) or the booth exits or time runs out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            if not self.running:
                return predicate()
            time.sleep(0.05)
        return predicate()

    def wait_plays(self, n: int, timeout: float = 60.0) -> bool:
        return self.wait_for(lambda: len(self.reported) >= n, timeout)

    def wait_line(self, pattern: str, timeout: float = 60.0) -> bool:
        found = re.compile(pattern)
        return self.wait_for(lambda: any(found.search(line) for line in self.log), timeout)

    def wait(self, timeout: float = 120.0) -> int:
        """Wait for the booth to finish its journeys by itself; its exit code."""
        assert self.proc is not None
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return self.stop()
        self._join()
        return code

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 10.0) -> int:
        """Send ``sig``; SIGKILL after ``timeout``. The exit code (negative: killed)."""
        assert self.proc is not None
        began = time.monotonic()
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.stop_seconds = time.monotonic() - began
        self._join()
        return self.proc.returncode

    def _join(self) -> None:
        for reader in self._readers:
            reader.join(timeout=5)

    @property
    def reported(self) -> list[tuple[str, str]]:
        return [m.groups() for line in list(self.log) if (m := COMMITTED.search(line))]

    @property
    def longest_frame_ms(self) -> float | None:
        found = [float(m.group(1)) for line in list(self.log) if (m := LONGEST_FRAME.search(line))]
        return max(found) if found else None

    @property
    def without_code(self) -> int:
        return sum(1 for line in list(self.log) if WITHOUT_CODE.search(line))

    def tail(self, lines: int = 5) -> str:
        return " | ".join(self.log[-lines:])


def audit(
    name: str,
    db: Path,
    booths: Iterable[Booth],
    recovered: bool,
    note: str = "",
    reported_extra: Iterable[tuple[str, str]] = (),
) -> Row:
    """Compare what the booths reported as committed with what ``db`` holds.

    ``lost``: a reported play missing from the database or with another outcome.
    ``duplicated``: prize serials or codes that repeat.
    """
    booths = list(booths)
    reported: dict[str, str] = {}
    for booth in booths:
        reported.update(booth.reported)
    reported.update(reported_extra)
    rows: dict[str, str] = {}
    duplicated = 0
    if Path(db).exists():
        conn = sqlite3.connect(db)
        try:
            rows = dict(conn.execute("SELECT id, outcome FROM plays").fetchall())
            duplicated = conn.execute(
                "SELECT (SELECT count(*) - count(DISTINCT kiosk_id || '/' || prize_serial) "
                "FROM plays WHERE prize_serial IS NOT NULL) + "
                "(SELECT count(*) - count(DISTINCT prize_code) FROM plays "
                "WHERE prize_code IS NOT NULL)"
            ).fetchone()[0]
        finally:
            conn.close()
    lost = sum(1 for pid, outcome in reported.items() if rows.get(pid) != outcome)
    stalls = [b.longest_frame_ms for b in booths if b.longest_frame_ms is not None]
    return Row(
        fault=name,
        plays_reported=len(reported),
        plays_in_db=len(rows),
        lost=lost,
        duplicated=duplicated,
        without_code=sum(b.without_code for b in booths),
        longest_stall_ms=max(stalls) if stalls else None,
        recovered=recovered,
        note=note,
    )
