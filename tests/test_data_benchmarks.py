"""The data-tool benchmarks run end to end at toy size and speak clean JSON with --json (a
program reads it: no pygame banner, no progress lines). Their timings are not checked here:
wall-clock budgets belong to the benchmark runs, not to tests."""

from __future__ import annotations

from tests.benchkit import run_json


def test_claims_benchmark_compares_with_a_hello_world_in_clean_json() -> None:
    data = run_json(
        "claims.py", "--codes", "3", "--requests", "60", "--clients", "2", "--rounds", "2"
    )
    server = data["server"]
    assert server["errors"] == 0 and server["requests"] > 0
    assert server["hello_world"]["requests"] > 0 and server["hello_world"]["errors"] == 0
    ratio = server["requests_per_s"] / server["hello_world"]["requests_per_s"]
    assert server["vs_hello_world"] == round(ratio, 2)
    assert data["budget_vs_hello_world"] == 0.7


def test_tally_benchmark_times_export_report_and_merge_in_clean_json() -> None:
    data = run_json(
        "tally.py",
        *("--plays", "3000", "--kiosks", "4", "--merge-files", "3", "--merge-plays", "400"),
        *("--repeats", "1", "--report-repeats", "1", "--merge-repeats", "1"),
    )
    assert data["export"]["plays"] == 3000
    assert data["report"]["html_kb"] > 0
    merge = data["merge"]
    assert merge["fleet_plays"] == 1200 and merge["fleet_kiosks"] == 3
    assert merge["ratio"] > 0 and merge["bare_copy_s"] > 0  # both timed in the same run
    assert merge["floor_s"] > 0 and merge["report_fleet_s"] > 0  # the report over the fleet file
    assert len(merge["merge_runs_s"]) == 1 and min(merge["merge_runs_s"]) == merge["merge_s"]
    assert min(merge["bare_copy_runs_s"]) == merge["bare_copy_s"]  # as many runs as merge's
    assert min(merge["bare_copy_runs_cpu_s"]) == merge["bare_copy_cpu_s"]
    assert merge["cpu_ratio"] > 0 and merge["floor_cpu_ratio"] > 0
    assert len(data["report"]["runs_s"]) == 1 and len(merge["report_fleet_runs_s"]) == 1
    assert set(data["budgets"]) >= {"report_s", "merge_ratio", "export_s"}
