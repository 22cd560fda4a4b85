"""benchmarks/fleet_sizing.py runs end to end at toy size on a real throwaway PostgreSQL and
speaks clean JSON with --json; its timings are not checked here (they belong to benchmark
runs), only that the numbers it reports are about what it wrote."""

from __future__ import annotations

from tests.benchkit import run_json


def test_sizing_benchmark_sizes_what_it_wrote_and_restores_it() -> None:
    data = run_json("fleet_sizing.py", "--plays", "2000", "--kiosks", "5")
    sizes = data["sizes"]
    assert sizes["plays"]["rows"] == 2000 and sizes["visits"]["rows"] == 3000
    assert sizes["heartbeats"]["rows"] == 16000  # 864,000 per 108,000 plays
    for table in ("plays", "visits", "heartbeats", "claim_events"):
        assert sizes[table]["bytes_per_row"] > sizes[table]["table_bytes_per_row"] > 0, table
    assert data["backup"]["same_rows"] is True and data["backup"]["dump_mb"] > 0
    assert set(data["queries"]) >= {"stats_all_s", "export_day_hour_s", "funnel_s"}
