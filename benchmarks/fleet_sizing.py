"""The central store's size per row and the organisers' queries on it, for docs/fleet.md.

Fills a throwaway PostgreSQL (kiosk/fleet/pgcluster.py, migrated as in production) with
realistic plays, visits, heartbeats and claim events through COPY, then reports bytes per row
of each table with its indexes (``pg_total_relation_size``), and times what organisers and the
report ask of it through the same code as ``smartizen stats|export|report --fleet``
(kiosk/organiser), and runs the backup drill: ``pg_dump -Fc``, ``pg_restore`` into a new
database, the same rows. Heartbeats and claim events are sized only; the booths' ingest rate
is benchmarks/fleet.py's, the dashboard's benchmarks/dashboard.py's.

    python benchmarks/fleet_sizing.py                 # 300,000 plays
    python benchmarks/fleet_sizing.py --plays 108000  # 100 booths × 12 h × 3 days
    python benchmarks/fleet_sizing.py --plays 1000000 --json
"""

from __future__ import annotations

import argparse
import random
import time
import uuid
from datetime import UTC, datetime, timedelta

from _common import emit

from kiosk.fleet.migrate import migrate
from kiosk.fleet.pgcluster import Cluster
from kiosk.organiser import claimtally, reportdata, tally, visits
from kiosk.organiser.source import FleetSource
from kiosk.organiser.tally import HKT, make_period

GAMES = ["recycle_right", "park_smart", "healthy_steps", "smart_commute", "phish_or_legit"]
TIERS = [None, None, "bronze", "silver", "gold"]
START = datetime(2026, 7, 18, 2, 0, tzinfo=UTC)  # 10:00 HKT, the gates open
HOURS = 36  # 3 days × 12 h


def instant(rnd: random.Random) -> datetime:
    day, hour = divmod(rnd.randrange(HOURS), 12)
    return START + timedelta(days=day, hours=hour, seconds=rnd.random() * 3600)


def fill(dsn: str, plays: int, kiosks: int, seed: int) -> dict[str, int]:
    import psycopg

    rnd = random.Random(seed)
    counts = {"plays": plays, "visits": int(plays * 1.5), "heartbeats": 0, "claim_events": 0}
    refs: list[tuple[str, str]] = []
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        with cur.copy(
            "COPY plays (kiosk_id, id, game, language, difficulty, started_at, ended_at, "
            "duration_s, score, outcome, details, prize_tier, earned_tier, prize_serial, "
            "prize_ref, prize_code, version) FROM STDIN"
        ) as copy:
            for n in range(plays):
                kiosk = f"K{rnd.randrange(kiosks) + 1:03d}"
                start = instant(rnd)
                outcome = rnd.choices(["completed", "abandoned", "error"], [85, 14, 1])[0]
                score = rnd.randrange(101) if outcome == "completed" else None
                tier = TIERS[min(score // 20, 4)] if score is not None else None
                ref = f"{kiosk}-{n:07d}" if tier else None
                if ref:
                    refs.append((ref, kiosk))
                copy.write_row((
                    kiosk, uuid.UUID(int=rnd.getrandbits(128)).hex, rnd.choice(GAMES),
                    rnd.choice(["en", "zh-HK"]), rnd.choice(["easy", "normal", "hard"]),
                    start, start + timedelta(seconds=75), 75.0, score, outcome,
                    '{"hits": 12, "misses": 3, "items": 15}', tier, tier,
                    n if tier else None, ref, ("C" * 141) if tier else None, n + 1,
                ))  # fmt: skip
        with cur.copy(
            "COPY visits (kiosk_id, id, touched_at, language_chosen_at, language, "
            "game_chosen_at, game, play_started_at, play_id, finished_at, qr_shown_at, "
            "left_at, last_stage, version) FROM STDIN"
        ) as copy:
            for n in range(counts["visits"]):
                kiosk = f"K{rnd.randrange(kiosks) + 1:03d}"
                t = instant(rnd)
                played = n < plays
                copy.write_row((
                    kiosk, uuid.UUID(int=rnd.getrandbits(128)).hex, t, t + timedelta(seconds=4),
                    "en", t + timedelta(seconds=9), rnd.choice(GAMES) if played else None,
                    t + timedelta(seconds=30) if played else None,
                    uuid.UUID(int=rnd.getrandbits(128)).hex if played else None,
                    t + timedelta(seconds=105) if played else None,
                    t + timedelta(seconds=110) if played and n % 2 else None,
                    t + timedelta(seconds=160),
                    "qr" if played and n % 2 else "started" if played else "game", n + 1,
                ))  # fmt: skip
        # Every 15 s per booth for the whole carnival, scaled to the plays asked for.
        beats = int(plays * 864_000 / 108_000)
        counts["heartbeats"] = beats
        with cur.copy("COPY heartbeats (kiosk_id, at, screen, backlog) FROM STDIN") as copy:
            for n in range(beats):
                copy.write_row((f"K{n % kiosks + 1:03d}", instant(rnd), "attract", 0))
        with cur.copy(
            "COPY claim_events (prize_ref, kiosk_id, event, desk, at) FROM STDIN"
        ) as copy:
            for ref, kiosk in refs:
                copy.write_row((ref, kiosk, "opened", None, instant(rnd)))
                counts["claim_events"] += 1
                if rnd.random() < 0.8:
                    copy.write_row((ref, kiosk, "collected", "desk-1", instant(rnd)))
                    counts["claim_events"] += 1
        conn.commit()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return counts


def sizes(dsn: str, counts: dict[str, int]) -> dict[str, dict[str, float]]:
    import psycopg

    out = {}
    with psycopg.connect(dsn) as conn:
        for table, rows in counts.items():
            total, heap = conn.execute(
                "SELECT pg_total_relation_size(%s), pg_table_size(%s)", [table, table]
            ).fetchone()
            out[table] = {
                "rows": rows,
                "bytes_per_row": round(total / rows, 1),
                "table_bytes_per_row": round(heap / rows, 1),
                "total_mb": round(total / 2**20, 1),
            }
        out["database"] = {
            "total_mb": round(
                conn.execute("SELECT pg_database_size(current_database())").fetchone()[0] / 2**20,
                1,
            )
        }
    return out


def timed(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return round(best, 3)


def queries(dsn: str) -> dict[str, float]:
    source = FleetSource(dsn)
    one_day = make_period(HKT, day="2026-07-19")
    try:
        return {
            "stats_all_s": timed(lambda: tally.stats(source)),
            "stats_by_difficulty_s": timed(lambda: tally.stats(source, by=["difficulty"])),
            "export_day_hour_s": timed(lambda: tally.counts(source, ["day", "hour"], HKT)),
            "funnel_s": timed(lambda: visits.funnel(source, HKT)),
            "claims_by_tier_s": timed(lambda: claimtally.claims(source, HKT)),
            "report_data_all_s": timed(lambda: reportdata.read(source, HKT)),
            "report_data_one_day_s": timed(lambda: reportdata.read(source, HKT, one_day)),
        }
    finally:
        source.close()


def backup_drill(cluster: Cluster, dsn: str, tables: list[str]) -> dict[str, float | bool]:
    """``pg_dump -Fc`` the store, ``pg_restore`` it into a new database, compare row counts:
    the restore drill of docs/fleet.md, timed."""
    import subprocess
    import tempfile
    from pathlib import Path

    import psycopg

    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / "fleet.dump"
        t0 = time.perf_counter()
        subprocess.run(
            [str(cluster.bindir / "pg_dump"), "-Fc", "-f", str(dump), "-d", cluster.url("sizing")],
            check=True,
        )
        dump_s = time.perf_counter() - t0
        restored = cluster.create_database("restored")
        t0 = time.perf_counter()
        subprocess.run(
            [str(cluster.bindir / "pg_restore"), "-d", cluster.url("restored"), "-j", "2",
             str(dump)],
            check=True,
        )  # fmt: skip
        restore_s = time.perf_counter() - t0
        size_mb = dump.stat().st_size / 2**20

    def counts(conninfo: str) -> list[int]:
        with psycopg.connect(conninfo) as conn:
            return [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables]

    return {
        "dump_mb": round(size_mb, 1),
        "dump_s": round(dump_s, 1),
        "restore_s": round(restore_s, 1),
        "same_rows": counts(dsn) == counts(restored),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plays", type=int, default=300_000)
    parser.add_argument("--kiosks", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="clean JSON on stdout")
    args = parser.parse_args()
    with Cluster() as cluster:
        dsn = cluster.create_database("sizing")
        migrate(dsn)
        t0 = time.perf_counter()
        counts = fill(dsn, args.plays, args.kiosks, args.seed)
        fill_s = round(time.perf_counter() - t0, 1)
        size = sizes(dsn, counts)
        timings = queries(dsn)
        backup = backup_drill(cluster, dsn, list(counts))
    data = {"plays": args.plays, "kiosks": args.kiosks, "fill_s": fill_s, "sizes": size,
            "queries": timings, "backup": backup}  # fmt: skip
    table = [(t, v["rows"], v["bytes_per_row"], v["table_bytes_per_row"], v["total_mb"])
             for t, v in size.items() if t != "database"]  # fmt: skip
    table += [(name, "", "", "", seconds) for name, seconds in timings.items()]
    emit(data, table, ("table / query", "rows", "B/row", "heap B/row", "MB or s"), args.json)
    if not args.json:
        print(f"database {size['database']['total_mb']} MB; filled in {fill_s} s")
        print(
            f"pg_dump -Fc {backup['dump_mb']} MB in {backup['dump_s']} s; pg_restore "
            f"{backup['restore_s']} s; same rows after restore: {backup['same_rows']}"
        )


if __name__ == "__main__":
    main()
