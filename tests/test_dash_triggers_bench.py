"""benchmarks/dash_triggers.py runs end to end at toy size on a real throwaway PostgreSQL and
speaks clean JSON with --json; its timings are not checked here (they belong to benchmark
runs), only that each store took every push and the 0007 and 0008 dashboards agree."""

from __future__ import annotations

from tests.benchkit import run_json


def test_trigger_benchmark_pushes_alike_into_each_store() -> None:
    data = run_json("dash_triggers.py", "--pushes", "6", "--repeat", "2", "--rounds", "4")
    # 5 warm-up pushes, then 2 blocks of 6, of 4 new rounds each (re-sent rows add none).
    assert data["plays_stored"] == {
        "dynamic_0007": 68,
        "static_0008": 68,
        "no_triggers": 68,
    }
    assert data["dashboards_identical"] is True
    for store in ("dynamic_0007", "static_0008", "no_triggers"):
        assert len(data[f"{store}_pg_cpu_ms_blocks"]) == 2
        assert 0 < data[f"{store}_push_p50_ms"] <= data[f"{store}_push_p99_ms"]
