"""Organisers' tallies at carnival scale: `smartizen export --by game,hour` and `smartizen
report` over 1,000,000 plays, and `smartizen merge` of 20 kiosk databases of 50,000 plays each.

The export is timed through the real command (in process, output to a file) next to the same
GROUP BY run directly through sqlite3 in the same run, so a slow machine shows up in the
baseline rather than as a regression; likewise the merge next to a bare INSERT…SELECT of the
same rows into a table with no key or index. CPU seconds and the load average are printed
too: on a shared machine wall-clock time says as much about the neighbours as about the
code. The report runs as an organiser runs it, `python -m kiosk.cli report` in a new process,
so its imports are counted, over the big file and over the merged fleet file (a merged file
keeps only the indexes organisers' tools read: kiosk/organiser/fleetfile.py). Budgets:
export ≤ 2 s and ≤ 1.3× the direct query; report ≤ 1.5 s; merge ≤ 10 s and ≤ 3× the bare
copy.

``--json`` prints {"build": {...}, "export": {...}, "report": {...}, "merge": {...},
"within_budget": bool, ...}. ``--sample DIR`` only writes three small kiosk databases (the
examples in docs/organisers.md use them).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from _common import ROOT, emit

from kiosk.playlog.store import PLAY_COLUMNS, PlayStore

EXPORT_BUDGET_S = 2.0
EXPORT_BUDGET_RATIO = 1.3
MERGE_BUDGET_S = 10.0
MERGE_BUDGET_RATIO = 3.0
REPORT_BUDGET_S = 1.5

# The six games, roughly as popular as at a real booth; twelve opening hours 10:00-22:00 HKT
# with a lunch and an after-work peak; 40 kiosks, the ones near the entrance busiest.
GAMES = {
    "recycle_right": 24,
    "smart_commute": 19,
    "park_smart": 16,
    "healthy_steps": 15,
    "phish_or_legit": 14,
    "smart_home_saver": 12,
}
HOUR_WEIGHTS = [5, 7, 10, 11, 9, 7, 7, 8, 10, 12, 9, 5]
OPENING_UTC_HOUR = 2  # 10:00 in Hong Kong
FIRST_DAY = datetime(2026, 7, 18, tzinfo=UTC)
DIFFICULTIES = {"child": 35, "adult": 50, "senior": 15}
LANGUAGES = {"zh-HK": 62, "en": 38}
OUTCOMES = {"completed": 82, "abandoned": 16, "error": 2}
INSERT = (
    f"INSERT INTO plays ({', '.join(PLAY_COLUMNS)}) VALUES ({', '.join('?' * len(PLAY_COLUMNS))})"
)


def kiosk_ids(n: int) -> list[str]:
    return [f"K{k:02d}" for k in range(1, n + 1)]


def generate(n: int, kiosks: list[str], seed: int, days: int = 3) -> Iterator[tuple]:
    """``n`` plays in time order, as a kiosk writes them: spread over ``days`` carnival days,
    finished with scores, outcomes and prizes like the real thing."""
    rnd = random.Random(seed)
    hours = rnd.choices(range(12), HOUR_WEIGHTS, k=n)
    day_of = rnd.choices(range(days), k=n)
    starts = sorted(
        d * 86_400_000 + (OPENING_UTC_HOUR + h) * 3_600_000 + int(rnd.random() * 3_600_000)
        for d, h in zip(day_of, hours, strict=True)
    )
    games = rnd.choices(list(GAMES), list(GAMES.values()), k=n)
    langs = rnd.choices(list(LANGUAGES), list(LANGUAGES.values()), k=n)
    levels = rnd.choices(list(DIFFICULTIES), list(DIFFICULTIES.values()), k=n)
    outcomes = rnd.choices(list(OUTCOMES), list(OUTCOMES.values()), k=n)
    busy = [1 + 2 / (1 + i) for i in range(len(kiosks))]
    where = rnd.choices(kiosks, busy, k=n)
    serial = 0
    for i, ms in enumerate(starts):
        outcome = outcomes[i]
        duration_ms = 25_000 + int(rnd.random() * 45_000)
        if outcome != "completed":
            duration_ms //= 3
        score = tier = serial_no = ref = code = None
        play_id = f"{rnd.getrandbits(128):032x}"
        if outcome == "completed":
            score = min(100, max(0, int(rnd.gauss(66, 17))))
            if rnd.random() < 0.93:  # the rest: the day's stock ran out
                tier = "gold" if score >= 85 else "silver" if score >= 60 else "thanks"
                serial += 1
                serial_no, ref = serial, f"{where[i]}-{play_id[:6].upper()}"
                code = f"SP26{rnd.getrandbits(60):015X}"
        yield (
            play_id,
            where[i],
            games[i],
            langs[i],
            levels[i],
            _iso(ms),
            _iso(ms + duration_ms),
            duration_ms / 1000,
            score,
            outcome,
            '{"taps": 31, "hits": 24, "misses": 7}',
            tier,
            serial_no,
            ref,
            code,
        )


def _iso(ms_since_first_day: int) -> str:
    day, rest = divmod(ms_since_first_day, 86_400_000)
    hour, rest = divmod(rest, 3_600_000)
    minute, rest = divmod(rest, 60_000)
    second, ms = divmod(rest, 1000)
    return f"2026-07-{FIRST_DAY.day + day:02d}T{hour:02d}:{minute:02d}:{second:02d}.{ms:03d}Z"


def build(
    path: Path, rows: Iterator[tuple] | None = None, copy_sql: str = "", attach: Path | None = None
) -> None:
    """A real kiosk database (schema by PlayStore), filled in one transaction by one
    executemany of ``rows`` or by ``copy_sql`` (reading ``attach`` as ``big``); its indexes
    are rebuilt once at the end rather than updated row by row."""
    PlayStore(path, kiosk_id="BENCH").close()
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        if attach is not None:
            conn.execute("ATTACH ? AS big", [f"file:{attach}?mode=ro"])
        conn.execute("PRAGMA synchronous=OFF")  # building test data, not logging plays
        conn.execute("PRAGMA cache_size=-262144")
        indexes = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'plays' "
            "AND sql IS NOT NULL"
        ).fetchall()
        conn.execute("BEGIN")
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        if rows is not None:
            conn.executemany(INSERT, rows)
        else:
            conn.execute(copy_sql)
        for _, sql in indexes:
            conn.execute(sql)
        conn.execute("COMMIT")
    finally:
        conn.close()


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (this process, all threads) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def run_cli(args: list[str]) -> None:
    from click.testing import CliRunner

    from kiosk.cli import cli

    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    if result.exit_code != 0:
        raise SystemExit(f"smartizen {' '.join(args)} failed:\n{result.output}")


def bench_export(db: Path, tmp: Path, repeats: int) -> dict:
    from kiosk.organiser.tally import HKT, counts_query, parse_dimensions

    sql, params, _ = counts_query(parse_dimensions("game,hour"), HKT)
    out = tmp / "export.csv"

    def direct() -> None:
        conn = sqlite3.connect(db)
        try:
            conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    def export() -> None:
        run_cli(["export", "--db", str(db), "--by", "game,hour", "--format", "csv", "-o", str(out)])

    export()  # warm up: imports, page cache
    direct_s, export_s = [], []
    for _ in range(repeats):  # interleaved, so both see the same machine
        direct_s.append(timed(direct))
        export_s.append(timed(export))
    best_direct, best_export = min(direct_s), min(export_s)
    lines = out.read_text().splitlines()
    return {
        "plays": sqlite3.connect(db).execute("SELECT count(*) FROM plays").fetchone()[0],
        "groups": len(lines) - 1,
        "header": lines[0],
        "direct_s": round(best_direct[0], 3),
        "direct_cpu_s": round(best_direct[1], 3),
        "export_s": round(best_export[0], 3),
        "export_cpu_s": round(best_export[1], 3),
        "ratio": round(best_export[0] / best_direct[0], 2),
        "sql": sql,
    }


def bench_report(db: Path, tmp: Path, repeats: int) -> dict:
    """``smartizen report`` over ``db`` in a fresh interpreter each time (imports included)."""
    out = tmp / "report.html"
    command = [sys.executable, "-m", "kiosk.cli", "report", "--db", str(db), "--out", str(out)]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    runs = []
    for _ in range(repeats + 1):  # the first warms the page cache
        cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=env, cwd=tmp)
        wall = time.perf_counter() - wall
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        runs.append((wall, after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime))
    best = min(runs[1:])
    return {
        "report_s": round(best[0], 3),
        "report_cpu_s": round(best[1], 3),
        "runs_s": [round(wall, 3) for wall, _ in runs[1:]],  # every timed run, in order
        "runs_cpu_s": [round(cpu, 3) for _, cpu in runs[1:]],
        "html_kb": out.stat().st_size // 1024,
    }


def bench_merge(
    big: Path, tmp: Path, files: int, plays_each: int, repeats: int, report_repeats: int
) -> dict:
    """Cut the big file into ``files`` kiosk files (each a kiosk's own id, its plays in
    time order), then merge them into a new fleet file, and again into the same one; then
    ``smartizen report`` over the fleet file, as organisers use it."""
    inputs = []
    t0 = time.perf_counter()
    for k, kiosk in enumerate(kiosk_ids(files)):
        path = tmp / f"{kiosk}.db"
        path.unlink(missing_ok=True)
        cols = [c if c != "kiosk_id" else f"'{kiosk}'" for c in PLAY_COLUMNS]
        cols[cols.index("prize_ref")] = f"'{kiosk}' || substr(prize_ref, 4)"
        build(
            path,
            copy_sql=f"INSERT INTO plays ({', '.join(PLAY_COLUMNS)}) "
            f"SELECT {', '.join(cols)} FROM big.plays "
            f"WHERE (rowid - 1) % {files} = {k} ORDER BY rowid LIMIT {plays_each}",
            attach=big,
        )
        inputs.append(str(path))
    build_s = time.perf_counter() - t0

    fleet = tmp / "fleet.db"
    bares, floors, firsts = [], [], []
    for _ in range(repeats):  # interleaved, each the best of as many runs: the same machine
        bares.append(timed(lambda: bare_copy(inputs, tmp / "bare.db")))
        floors.append(timed(lambda: layout_copy(inputs, tmp / "floor.db")))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{fleet}{suffix}").unlink(missing_ok=True)
        firsts.append(timed(lambda: run_cli(["merge", *inputs, "--into", str(fleet)])))
    baseline, floor = min(bares), min(floors)
    best_cpu = [min(cpu for _, cpu in runs) for runs in (bares, floors, firsts)]
    again = timed(lambda: run_cli(["merge", *inputs, "--into", str(fleet)]))
    report = bench_report(fleet, tmp, report_repeats)
    conn = sqlite3.connect(fleet)
    plays, distinct_kiosks = conn.execute(
        "SELECT count(*), count(DISTINCT kiosk_id) FROM plays"
    ).fetchone()
    conn.close()
    first = min(firsts)
    return {
        "ratio": round(first[0] / baseline[0], 2),
        # The same in CPU seconds (each the least of its runs), which a loaded machine
        # inflates less than wall time.
        "cpu_ratio": round(best_cpu[2] / best_cpu[0], 2),
        "floor_cpu_ratio": round(best_cpu[1] / best_cpu[0], 2),
        # What no merge can go below: the merged file's layout and index on the same rows.
        "floor_ratio": round(floor[0] / baseline[0], 2),
        "vs_floor": round(first[0] / floor[0], 2),
        "files": files,
        "plays_each": plays_each,
        "build_inputs_s": round(build_s, 1),
        "bare_copy_s": round(baseline[0], 3),
        "bare_copy_cpu_s": round(best_cpu[0], 3),
        "floor_s": round(floor[0], 3),
        "floor_cpu_s": round(best_cpu[1], 3),
        "merge_s": round(first[0], 3),
        "merge_cpu_s": round(best_cpu[2], 3),
        "merge_runs_s": [round(wall, 3) for wall, _ in firsts],
        "merge_runs_cpu_s": [round(cpu, 3) for _, cpu in firsts],
        "bare_copy_runs_s": [round(wall, 3) for wall, _ in bares],
        "bare_copy_runs_cpu_s": [round(cpu, 3) for _, cpu in bares],
        "floor_runs_s": [round(wall, 3) for wall, _ in floors],
        "merge_again_s": round(again[0], 3),
        "merge_again_cpu_s": round(again[1], 3),
        "report_fleet_s": report["report_s"],
        "report_fleet_cpu_s": report["report_cpu_s"],
        "report_fleet_runs_s": report["runs_s"],
        "fleet_plays": plays,
        "fleet_kiosks": distinct_kiosks,
    }


def bare_copy(inputs: list[str], path: Path) -> None:
    """The floor for merge: the same rows copied by SQLite into a table with no key, no
    index and no journal."""
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute(f"CREATE TABLE plays ({', '.join(PLAY_COLUMNS)})")
        copy_plays(conn, inputs)
    finally:
        conn.close()
    path.unlink()


def copy_plays(conn: sqlite3.Connection, inputs: list[str], order: str = "") -> None:
    """INSERT…SELECT every input's plays into ``plays``, ten attached files at a time
    (each input's in ``order``, if given)."""
    columns = ", ".join(PLAY_COLUMNS)
    order = f" ORDER BY {order}" if order else ""
    for start in range(0, len(inputs), 10):
        batch = inputs[start : start + 10]
        for i, name in enumerate(batch):
            conn.execute(f"ATTACH ? AS s{i}", [f"file:{name}?mode=ro"])
        conn.execute("BEGIN")
        for i in range(len(batch)):
            conn.execute(f"INSERT INTO plays ({columns}) SELECT {columns} FROM s{i}.plays{order}")
        conn.execute("COMMIT")
        for i in range(len(batch)):
            conn.execute(f"DETACH s{i}")


def layout_copy(inputs: list[str], path: Path) -> None:
    """What SQLite alone needs to make the fleet file merge makes, with none of merge's checks:
    the same rows copied into a new merged file's layout (kiosk/organiser/fleetfile.py: its
    plays table, 64 KiB pages, each input's plays in the hour index's order), its plays index
    (fleetfile.KEPT_INDEXES) built once at the end, no journal. Merge cannot beat this."""
    from kiosk.organiser import fleetfile

    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    pending = fleetfile.create(path)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-131072"):
            conn.execute(f"PRAGMA {pragma}")
        conn.execute("PRAGMA temp_store=MEMORY")  # as merge's own connection (no mmap either)
        copy_plays(conn, inputs, ", ".join(fleetfile.APPEND_ORDER))
        for _, sql in pending.indexes:
            conn.execute(sql)
    finally:
        conn.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def write_samples(directory: Path) -> None:
    """Three booths' two days, the last play at K03 still running when its file was copied."""
    directory.mkdir(parents=True, exist_ok=True)
    for k, kiosk in enumerate(kiosk_ids(3)):
        path = directory / f"{kiosk}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        build(path, generate(400 - 60 * k, [kiosk], seed=7 + k, days=2))
        if kiosk == "K03":
            conn = sqlite3.connect(path)
            conn.execute(
                "UPDATE plays SET outcome = 'in_progress', ended_at = NULL, duration_s = NULL, "
                "score = NULL, details = NULL, prize_tier = NULL, prize_serial = NULL, "
                "prize_ref = NULL, prize_code = NULL "
                "WHERE rowid = (SELECT max(rowid) FROM plays)"
            )
            conn.commit()
            conn.close()
        print(path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--plays", type=int, default=1_000_000, help="plays in the export file")
    parser.add_argument("--kiosks", type=int, default=40)
    parser.add_argument("--merge-files", type=int, default=20)
    parser.add_argument(
        "--merge-plays", type=int, default=50_000, help="plays per merged file (cut from --plays)"
    )
    parser.add_argument("--repeats", type=int, default=5, help="export runs (best counts)")
    parser.add_argument("--report-repeats", type=int, default=3, help="report runs (best)")
    parser.add_argument(
        "--merge-repeats", type=int, default=5, help="bare copies, floors, new-fleet merges (best)"
    )
    parser.add_argument("--keep", type=Path, help="build in this directory and keep the files")
    parser.add_argument("--sample", type=Path, help="only write 3 small kiosk databases here")
    args = parser.parse_args()
    if args.sample:
        write_samples(args.sample)
        return 0

    load_before = round(os.getloadavg()[0], 2)
    tmp = args.keep or Path(tempfile.mkdtemp(prefix="tally-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    try:
        db = tmp / "scores.db"
        db.unlink(missing_ok=True)
        t0 = time.perf_counter()
        build(db, generate(args.plays, kiosk_ids(args.kiosks), seed=1))
        build_s = time.perf_counter() - t0
        export = bench_export(db, tmp, args.repeats)
        report = bench_report(db, tmp, args.report_repeats)
        merge = bench_merge(
            db, tmp, args.merge_files, args.merge_plays, args.merge_repeats, args.report_repeats
        )
    finally:
        if args.keep is None:
            shutil.rmtree(tmp, ignore_errors=True)

    export_ok = export["export_s"] <= EXPORT_BUDGET_S and export["ratio"] <= EXPORT_BUDGET_RATIO
    merge_ok = merge["merge_s"] <= MERGE_BUDGET_S and merge["ratio"] <= MERGE_BUDGET_RATIO
    report_ok = report["report_s"] <= REPORT_BUDGET_S
    fleet_report_ok = merge["report_fleet_s"] <= REPORT_BUDGET_S
    data = {
        "build": {"plays": args.plays, "kiosks": args.kiosks, "build_s": round(build_s, 1)},
        "export": export,
        "report": report,
        "merge": merge,
        "budgets": {
            "export_s": EXPORT_BUDGET_S,
            "export_ratio": EXPORT_BUDGET_RATIO,
            "report_s": REPORT_BUDGET_S,
            "merge_s": MERGE_BUDGET_S,
            "merge_ratio": MERGE_BUDGET_RATIO,
        },
        "within_budget": export_ok and report_ok and fleet_report_ok and merge_ok,
        "load_average": [load_before, round(os.getloadavg()[0], 2)],  # others on the machine
    }
    plays = f"{export['plays']:,} plays"
    merged = f"{merge['files']} × {merge['plays_each']:,} plays"
    bare = merge["bare_copy_s"]
    rows = [
        (f"direct sqlite3 GROUP BY ({plays})", export["direct_s"], export["direct_cpu_s"], "", ""),
        (
            "smartizen export --by game,hour",
            export["export_s"],
            export["export_cpu_s"],
            f"{export['ratio']}× direct",
            "ok" if export_ok else "OVER",
        ),
        (
            f"smartizen report, new process ({plays})",
            report["report_s"],
            report["report_cpu_s"],
            f"{report['html_kb']} KB page",
            "ok" if report_ok else "OVER",
        ),
        (
            f"bare INSERT…SELECT, no keys ({merged})",
            bare,
            merge["bare_copy_cpu_s"],
            "",
            "",
        ),
        (
            "same rows into the merged file's layout, index built (floor)",
            merge["floor_s"],
            merge["floor_cpu_s"],
            f"{merge['floor_s'] / bare:.1f}× bare copy",
            "",
        ),
        (
            f"smartizen merge into a new file ({merged})",
            merge["merge_s"],
            merge["merge_cpu_s"],
            f"{merge['ratio']}× bare ({merge['cpu_ratio']}× in CPU), "
            f"{merge['merge_s'] / merge['floor_s']:.2f}× floor",
            "ok" if merge_ok else "OVER",
        ),
        (
            "smartizen merge, same files again",
            merge["merge_again_s"],
            merge["merge_again_cpu_s"],
            "",
            "",
        ),
        (
            f"smartizen report over the fleet file ({merge['fleet_plays']:,} plays)",
            merge["report_fleet_s"],
            merge["report_fleet_cpu_s"],
            "",
            "ok" if fleet_report_ok else "OVER",
        ),
    ]
    budget = (
        f"export ≤ {EXPORT_BUDGET_S} s & {EXPORT_BUDGET_RATIO}×; report ≤ {REPORT_BUDGET_S} s; "
        f"merge ≤ {MERGE_BUDGET_S} s & {MERGE_BUDGET_RATIO}×"
    )
    emit(data, rows, ("operation", "wall s", "cpu s", "compared", budget), args.json)
    if not args.json:
        print(
            f"\nbuilt {args.plays:,} plays in {data['build']['build_s']} s; "
            f"merge inputs in {merge['build_inputs_s']} s; fleet holds "
            f"{merge['fleet_plays']:,} plays from {merge['fleet_kiosks']} kiosks; "
            f"load average {data['load_average'][0]} → {data['load_average'][1]}"
        )
        print(f"export SQL: {json.dumps(export['sql'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
