"""benchmarks/diskflush.py times real write + fdatasync flushes on this disk and speaks clean
JSON with --json; the times themselves are not checked here (they belong to benchmark runs)."""

from __future__ import annotations

from tests.benchkit import run_json


def test_flush_probe_times_real_flushes_in_the_folder_given(tmp_path) -> None:
    data = run_json(
        "diskflush.py", "--seconds", "1", "--interval", "0.02", "--dir", str(tmp_path),
        "--no-pg-test-fsync",
    )
    assert data["disk_flushes"] >= 3  # one per 20 ms over 1 s, however slow the disk
    assert 0 < data["disk_flush_p50_ms"] <= data["disk_flush_p99_ms"] <= data["disk_flush_max_ms"]
    assert data["disk_flushes_over_100ms"] <= data["disk_flushes_over_50ms"] <= data["disk_flushes"]
    assert list(tmp_path.iterdir()) == []  # its probe file and folder are gone
