"""Faults done to a real database folder, shared by the tests and ``benchmarks/faults.py``:
a small disk filled to the last byte, and a database moved aside as staff would do it.

Mounting the 2 MB tmpfs needs root; :func:`mount_small_disk` says why when it cannot.
"""

from __future__ import annotations

import errno
import subprocess
from pathlib import Path

SMALL_DISK = "2m"


def mount_small_disk(folder: Path) -> Path | str:
    """A 2 MB tmpfs mounted at ``folder/disk``, or the reason it could not be."""
    disk = folder / "disk"
    disk.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={SMALL_DISK}", "tmpfs", str(disk)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        return f"cannot mount a {SMALL_DISK} tmpfs (needs root): {done.stderr.strip()}"
    return disk


def unmount(disk: Path) -> None:
    subprocess.run(["umount", "-l", str(disk)], check=False)


def fill(disk: Path) -> Path:
    """Fill ``disk`` to the last byte; returns the filler file, to delete to free it."""
    filler = disk / "filler"
    with filler.open("wb", buffering=0) as f:
        for size in (65536, 4096, 512, 1):
            while True:
                try:
                    f.write(b"\0" * size)
                except OSError as exc:
                    if exc.errno != errno.ENOSPC:
                        raise
                    break
    return filler


def move_aside(db: Path) -> None:
    """``mv scores.db* somewhere-else``: the database and its -wal/-shm renamed ``.moved``."""
    for suffix in ("", "-wal", "-shm"):
        side = db.with_name(db.name + suffix)
        if side.exists():
            side.rename(db.with_name(f"{db.name}.moved{suffix}"))
