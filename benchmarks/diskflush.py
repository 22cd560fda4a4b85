"""How long this disk takes to make a small write durable: the wait at every COMMIT.

PostgreSQL answers a COMMIT (and the fleet service acks a booth's push) only after the
commit's log record is flushed: an 8 kB write and ``fdatasync``, as its default
``wal_sync_method`` does. On a shared or virtual disk that flush is usually a few ms but
now and then waits behind everybody else's writes for 100 ms or more, and every push
committing at that moment waits with it: a push p99 can be no better than the flush's.

:class:`FlushProbe` measures it beside a running benchmark (benchmarks/fleet.py puts it in
the cluster's folder, on the WAL's disk); run alone, this script measures for
``--seconds`` and adds ``pg_test_fsync``'s averages (PostgreSQL's own tool) when present.
``--json`` prints one JSON object and nothing else on stdout.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _common import emit, percentile

BLOCK = 8192
SEGMENT = 16 * 1024 * 1024  # one WAL segment: the probe rewrites a preallocated file


class FlushProbe:
    """A thread that writes 8 kB and fdatasyncs it every ``interval`` seconds in ``folder``,
    timing each; use as a context manager, then :meth:`summary`."""

    def __init__(self, folder: Path, interval: float = 0.05) -> None:
        self.path = Path(folder) / "flush-probe.bin"
        self.interval = interval
        self.flushes_ms: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="flush-probe", daemon=True)

    def __enter__(self) -> FlushProbe:
        with self.path.open("wb") as f:  # preallocated, as WAL segments are
            f.truncate(SEGMENT)
            os.fsync(f.fileno())
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()
        self.path.unlink(missing_ok=True)

    def _run(self) -> None:
        fd = os.open(self.path, os.O_WRONLY)
        block = os.urandom(BLOCK)
        offset = 0
        try:
            while not self._stop.wait(self.interval):
                start = time.perf_counter()
                os.pwrite(fd, block, offset)
                os.fdatasync(fd)
                self.flushes_ms.append((time.perf_counter() - start) * 1000)
                offset = (offset + BLOCK) % SEGMENT
        finally:
            os.close(fd)

    def summary(self) -> dict[str, float]:
        """p50/p99/max of the flushes and how many took over 50 and 100 ms."""
        ms = self.flushes_ms or [0.0]
        return {
            "disk_flushes": len(self.flushes_ms),
            "disk_flush_p50_ms": round(percentile(ms, 0.5), 2),
            "disk_flush_p99_ms": round(percentile(ms, 0.99), 2),
            "disk_flush_max_ms": round(max(ms), 2),
            "disk_flushes_over_50ms": sum(x > 50 for x in ms),
            "disk_flushes_over_100ms": sum(x > 100 for x in ms),
        }


def pg_test_fsync(folder: Path) -> dict[str, float]:
    """``pg_test_fsync``'s average µs per 8 kB flush by method (empty when not installed)."""
    try:
        from kiosk.fleet.pgcluster import ClusterError, server_bindir

        tool = server_bindir() / "pg_test_fsync"
    except (ImportError, ClusterError):
        return {}
    if not tool.exists():
        return {}
    out = subprocess.run(
        [str(tool), "-s", "2", "-f", str(folder / "pg_test_fsync.out")],
        capture_output=True,
        text=True,
    ).stdout
    one_write = out.split("using one 8kB write", 1)[-1].split("Compare", 1)[0]
    return {
        f"pg_test_fsync_{m}_us": float(us)
        for m, us in re.findall(r"^\s+(\w+)\s+[\d.]+ ops/sec\s+(\d+) usecs/op", one_write, re.M)
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    parser.add_argument("--seconds", type=float, default=20.0, help="how long to probe")
    parser.add_argument("--interval", type=float, default=0.05, help="seconds between flushes")
    parser.add_argument("--dir", type=Path, help="a folder on the disk to test (default: temp)")
    parser.add_argument(
        "--no-pg-test-fsync", action="store_true", help="skip pg_test_fsync (it takes ~30 s)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir, prefix="diskflush-") as folder:
        with FlushProbe(Path(folder), args.interval) as probe:
            time.sleep(args.seconds)
        result: dict = probe.summary()
        if not args.no_pg_test_fsync:
            result |= pg_test_fsync(Path(folder))
    result["load_avg_1min"] = round(os.getloadavg()[0], 2)
    rows = [(k, v) for k, v in result.items()]
    emit(result, rows, ("measure", "value"), args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
