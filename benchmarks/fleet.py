"""The fleet service under 50 pushing booths (issue 14's budgets).

Starts its own throwaway PostgreSQL (kiosk/fleet/pgcluster.py) and the real service
(``smartizen fleet serve`` on waitress, kiosk/fleet/child.py) in a child process, registers
51 booths, and measures from this process:

1. sustained ingest: 50 booths (one thread each) push realistic batches (SimBooth rounds: a
   play and its visit each, the real column shapes) on a fixed schedule that together offers
   ``--rate`` plays/s for ``--seconds``, plus a heartbeat per booth every 15 s; reported:
   plays/s actually stored (counted in PostgreSQL) and p50/p99 push latency (budgets
   ≥ 2,000 plays/s, p99 ≤ 100 ms). Batches are built before the clock starts, so the
   client's own work does not slow the service it measures. The booths speak the booth's
   protocol (``"ack": "durable-lsn"``, kiosk/sync/pusher.py): the centre commits without
   waiting for its disk and answers with log positions; each booth keeps its unconfirmed
   batches (kiosk/sync/durable.py), learns the flush from its next push or from an empty
   push ``CONFIRM_S`` after its last answer, and the "confirm lag" (answer → the booth
   learns the batch is on the centre's disk, when it may forget the rows) is reported
   beside the push latency.
2. backlog: one booth back online with a 10,000-row backlog pushes it in batches of 500
   rows, as the booth's pusher does, while the other 50 keep pushing (budget ≤ 10 s).
3. play end → visible: one round pushed and polled for until the centre shows it
   (:func:`time_to_visible`; the dashboard benchmark passes its own ``visible`` check).
4. for information, the most plays/s the service takes with every booth pushing back to
   back.

Each sustained run also says where the slow pushes spent their time: the p99 of every
stage the service reports in ``Server-Timing`` (worker-thread queue, pool, auth, parse,
check, store = upsert + COMMIT) and the slowest 1 %'s average per stage; the log written per
push and how many pushes shared a flush (pg_stat_wal); CPU ms per push in the service and in
PostgreSQL; the disk's own flush times beside the run (benchmarks/diskflush.py's probe in
the cluster's folder); the load average. ``--pg NAME=VALUE`` tries a server setting.

``--json`` prints one JSON object and nothing else on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from _common import emit, percentile
from diskflush import FlushProbe

from kiosk.fleet.child import FleetClient, FleetProcess
from kiosk.fleet.kiosks import add_kiosk
from kiosk.fleet.migrate import migrate
from kiosk.fleet.pgcluster import Cluster
from kiosk.fleet.settings import FleetSettings
from kiosk.fleet.simbooth import SimBooth
from kiosk.sync.durable import Taken, Unconfirmed, positions
from kiosk.sync.pusher import CONFIRM_S, MAX_UNCONFIRMED

BUDGET_PLAYS_PER_S = 2000.0
BUDGET_P99_MS = 100.0
BUDGET_BACKLOG_S = 10.0
BOOTHS = 50
BACKLOG_ROWS = 10_000
PUSH_ROWS = 500  # rows per batch when catching up (the pusher's batch size)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def status(kiosk_id: str) -> dict:
    return {
        "kiosk_id": kiosk_id,
        "booth_clock": "2026-07-18T02:00:01.123Z",
        "software_version": "0.1.0",
        "uptime_s": 3600.0,
        "screen": "attract",
        "db_health": "ok",
        "speech_health": "ok",
        "backlog": 0,
        "stock_left": {"gold": 5, "silver": 20, "bronze": 50},
        "sold_out": {},
        "paused": False,
        "applied_revision": 0,
        "warnings": [],
    }


def server_timing(header: str) -> dict[str, float]:
    """``pool;dur=0.1, store;dur=8.2`` → {"pool": 0.1, "store": 8.2}."""
    out = {}
    for part in header.split(","):
        name, _, dur = part.strip().partition(";dur=")
        if dur:
            out[name] = float(dur)
    return out


class Booth:
    """One simulated booth: its client and its batches, serialised ahead of time, and its
    unconfirmed batches, confirmed as the real pusher confirms them."""

    def __init__(self, kiosk_id: str, token: str, port: int) -> None:
        self.kiosk_id = kiosk_id
        self.sim = SimBooth(kiosk_id)
        self.client = FleetClient(port, token)
        self.latencies_ms: list[float] = []
        self.service_ms: list[dict[str, float]] = []  # the service's own Server-Timing
        self.heartbeat_ms: list[float] = []
        self.failures: list[str] = []
        self.plays_sent = 0
        self.waiting = Unconfirmed()
        self.confirm_lag_ms: list[float] = []  # answer → known to be on the centre's disk
        self.asks_ms: list[float] = []  # empty pushes (asking how far the log is flushed)
        self.most_waiting = 0
        self.answered_at = 0.0
        self.lost = 0  # batches a new epoch made uncertain (a crash: none expected here)
        self.pushed_until = 0.0  # when the last push was answered (the run's end)
        self._empty = json.dumps(
            {"kiosk_id": kiosk_id, "through": 0, "rows": {}, "ack": "durable-lsn"}
        ).encode()

    def reset(self) -> None:
        for series in (self.latencies_ms, self.service_ms, self.heartbeat_ms, self.failures):
            series.clear()
        self.confirm_lag_ms.clear()
        self.asks_ms.clear()
        self.plays_sent = self.most_waiting = self.lost = 0

    def batches(self, count: int, rounds: int) -> list[tuple[int, bytes]]:
        return [
            (rounds, json.dumps(self.sim.batch(rounds, durable_lsn=True)).encode())
            for _ in range(count)
        ]

    def push(self, body: bytes, plays: int) -> None:
        start = time.perf_counter()
        try:
            code, answer = self.client.sync(body)
        except OSError as exc:
            self.failures.append(repr(exc))
            return
        now = self.pushed_until = time.perf_counter()
        self.latencies_ms.append((now - start) * 1000)
        self.service_ms.append(server_timing(self.client.server_timing))
        where = positions(answer) if code == 200 else None
        if where is None or where[0] == 0:
            self.failures.append(f"{code} {answer}")
            return
        self.plays_sent += plays
        self.waiting.add(Taken(answer["received"], plays, where[0], where[2], now))
        self.most_waiting = max(self.most_waiting, len(self.waiting))
        self._learn(where[1], where[2], now)

    def ask(self) -> None:
        """An empty push: how far is the centre's log flushed?"""
        start = time.perf_counter()
        try:
            code, answer = self.client.sync(self._empty)
        except OSError as exc:
            self.failures.append(repr(exc))
            return
        now = time.perf_counter()
        self.asks_ms.append((now - start) * 1000)
        where = positions(answer) if code == 200 else None
        if where is None:
            self.failures.append(f"ask {code} {answer}")
            return
        self._learn(where[1], where[2], now)

    def _learn(self, flushed: int, epoch: str, now: float) -> None:
        self.answered_at = now
        done = self.waiting.flushed(flushed, epoch)
        self.lost += done.lost
        self.confirm_lag_ms.extend((now - b.at) * 1000 for b in done.batches)

    def ask_due(self, now: float) -> float | None:
        """When the pusher would ask next (``CONFIRM_S`` after its last answer), or None
        with nothing waiting."""
        return self.answered_at + CONFIRM_S if self.waiting else None

    def drain(self, timeout_s: float = 30.0) -> None:
        """Ask until every batch is confirmed, as the pusher does once it has nothing new."""
        deadline = time.perf_counter() + timeout_s
        while self.waiting and time.perf_counter() < deadline:
            time.sleep(max(0.0, self.answered_at + CONFIRM_S - time.perf_counter()))
            self.ask()

    def beat(self) -> None:
        start = time.perf_counter()
        code, answer = self.client.heartbeat(status(self.kiosk_id))
        self.heartbeat_ms.append((time.perf_counter() - start) * 1000)
        if code != 200:
            self.failures.append(f"heartbeat {code} {answer}")


def paced(
    booth: Booth, batches: list[tuple[int, bytes]], t0: float, interval: float, offset: float
) -> None:
    """Push each batch at its slot (late ones at once, never skipped); a heartbeat every 15 s;
    between them, an empty push ``CONFIRM_S`` after the last answer while batches wait for
    the centre's flush (the pusher's rule). At the end, ask until all are confirmed."""
    next_beat = t0 + offset
    for i, (plays, body) in enumerate(batches):
        due = t0 + offset + i * interval
        while True:
            now = time.perf_counter()
            if now >= next_beat:
                booth.beat()
                next_beat += 15.0
                continue
            if now >= due:
                break
            ask = booth.ask_due(now)
            if ask is not None and ask <= now:
                booth.ask()
                continue
            time.sleep(min(due, next_beat, ask if ask is not None else due) - now)
        booth.push(body, plays)
    booth.drain()


STAGES = ("queue", "pool", "auth", "parse", "check", "store", "total")


def stage_p99(timings: list[dict[str, float]]) -> dict[str, float]:
    """p99 of each stage the service reports in Server-Timing (kiosk/fleet/service.py)."""
    out = {}
    for stage in STAGES:
        values = [t[stage] for t in timings if stage in t]
        if values:
            out[f"service_{stage}_p99_ms"] = round(percentile(values, 0.99), 2)
    return out


def slowest(booths: list[Booth]) -> dict[str, float]:
    """Where the slowest 1 % of pushes spent their time, on average: each service stage, and
    ``outside`` = what the booth waited beyond the service's queue + handler (sending,
    waitress reading and answering, the client's own thread getting the CPU back)."""
    pushes = sorted(
        ((ms, t) for b in booths for ms, t in zip(b.latencies_ms, b.service_ms, strict=True)),
        key=lambda p: p[0],
    )
    tail = pushes[-max(1, len(pushes) // 100) :]
    out = {"push": sum(ms for ms, _ in tail) / len(tail)}
    for stage in STAGES:
        out[stage] = sum(t.get(stage, 0.0) for _, t in tail) / len(tail)
    out["outside"] = out["push"] - out["total"] - out["queue"]
    return {k: round(v, 2) for k, v in out.items()}


def wal_stats(dsn: str) -> dict[str, float]:
    """PostgreSQL's WAL counters (pg_stat_wal; the times need track_wal_io_timing = on)."""
    import psycopg

    with psycopg.connect(dsn) as conn:
        row = conn.execute(
            "SELECT wal_bytes, wal_fpi, wal_write, wal_sync, wal_sync_time,"
            " (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database())"
            " FROM pg_stat_wal"
        ).fetchone()
    keys = ("bytes", "fpi", "writes", "syncs", "sync_ms", "commits")
    return dict(zip(keys, map(float, row), strict=True))


def wal_per_push(before: dict[str, float], after: dict[str, float], pushes: int) -> dict:
    """How much log each push wrote and how many pushes shared one flush (group commit)."""
    d = {k: after[k] - before[k] for k in before}
    return {
        "wal_kb_per_push": round(d["bytes"] / 1024 / max(1, pushes), 1),
        "wal_fpi_per_push": round(d["fpi"] / max(1, pushes), 2),
        "commits_per_wal_flush": round(d["commits"] / max(1, d["syncs"]), 2),
        "wal_flush_avg_ms": round(d["sync_ms"] / max(1, d["syncs"]), 2),
    }


def cpu_seconds(pid: int, children: bool = False) -> float:
    """CPU time (user + system) of ``pid``, and with ``children`` of its live children too
    (the PostgreSQL backends under the postmaster), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")

    def one(p: int) -> float:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])) / tick

    total = one(pid)
    if children:
        for task in Path(f"/proc/{pid}/task").iterdir():
            kids = (task / "children").read_text().split()
            total += sum(one(int(k)) for k in kids)
    return total


def count_plays(dsn: str) -> int:
    import psycopg

    with psycopg.connect(dsn) as conn:
        return int(conn.execute("SELECT count(*) FROM plays").fetchone()[0])


def sustained(
    booths: list[Booth],
    dsn: str,
    rate: float,
    seconds: float,
    rounds: int,
    pids: dict[str, tuple[int, bool]] | None = None,
    probe_dir: Path | None = None,
) -> dict:
    for booth in booths:
        booth.reset()
    interval = len(booths) * rounds / rate
    per_booth = max(1, round(seconds / interval))
    work = [b.batches(per_booth, rounds) for b in booths]
    before = count_plays(dsn)
    wal_before = wal_stats(dsn)
    pids = pids or {}
    cpu_before = {name: cpu_seconds(*pid) for name, pid in pids.items()}
    t0 = time.perf_counter() + 0.5
    threads = [
        threading.Thread(target=paced, args=(b, w, t0, interval, i * interval / len(booths)))
        for i, (b, w) in enumerate(zip(booths, work, strict=True))
    ]
    # The disk's own flush time beside the pushes, on the WAL's disk: a push that waits
    # for a slow flush at COMMIT can be no faster than the flush (benchmarks/diskflush.py).
    probe = FlushProbe(probe_dir or Path(tempfile.gettempdir()))
    with probe:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    elapsed = max(b.pushed_until for b in booths) - t0
    load = os.getloadavg()[0]
    pushes = sum(len(b.latencies_ms) for b in booths)
    cpu = {
        f"{name}_cpu_ms_per_push": round(
            (cpu_seconds(*pid) - cpu_before[name]) * 1000 / max(1, pushes), 2
        )
        for name, pid in pids.items()
    }
    wal = wal_per_push(wal_before, wal_stats(dsn), sum(len(b.latencies_ms) for b in booths))
    stored = count_plays(dsn) - before
    latencies = [x for b in booths for x in b.latencies_ms]
    beats = [x for b in booths for x in b.heartbeat_ms]
    inside = [t for b in booths for t in b.service_ms if t]
    return {
        "offered_plays_per_s": rate,
        "plays_per_s": round(stored / elapsed, 1),
        "plays_stored": stored,
        "plays_sent": sum(b.plays_sent for b in booths),
        "seconds": round(elapsed, 2),
        "pushes": len(latencies),
        "rounds_per_push": rounds,
        "push_p50_ms": round(percentile(latencies, 0.5), 2),
        "push_p99_ms": round(percentile(latencies, 0.99), 2),
        "push_max_ms": round(max(latencies), 2),
        **stage_p99(inside),
        "slowest_1pct": slowest(booths),
        **confirmations(booths),
        "heartbeats": len(beats),
        "heartbeat_p99_ms": round(percentile(beats, 0.99), 2) if beats else None,
        "failures": sum(len(b.failures) for b in booths),
        # The machine may be shared: how busy it was (2 cores here) when this run ended.
        "load_avg_1min": round(load, 2),
        **wal,
        **cpu,
        **probe.summary(),
    }


def confirmations(booths: list[Booth]) -> dict:
    """The durable-position acknowledgement's side: answer → the booth knows the batch is on
    the centre's disk (p50/p99/max), the empty pushes that asked, the most batches a booth
    had waiting, and any left unconfirmed or dropped by a new epoch (both 0 normally)."""
    lags = [x for b in booths for x in b.confirm_lag_ms]
    asks = [x for b in booths for x in b.asks_ms]
    return {
        "confirm_lag_p50_ms": round(percentile(lags, 0.5), 1) if lags else None,
        "confirm_lag_p99_ms": round(percentile(lags, 0.99), 1) if lags else None,
        "confirm_lag_max_ms": round(max(lags), 1) if lags else None,
        "confirmed_batches": len(lags),
        "asks": len(asks),
        "ask_p99_ms": round(percentile(asks, 0.99), 2) if asks else None,
        "most_unconfirmed_batches": max(b.most_waiting for b in booths),
        "left_unconfirmed": sum(len(b.waiting) for b in booths),
        "epoch_lost_batches": sum(b.lost for b in booths),
    }


def flat_out(booths: list[Booth], dsn: str, seconds: float, rounds: int) -> float:
    """Plays/s stored with every booth pushing its next batch as soon as the last is acked."""
    # Enough for 8,000 plays/s (the most seen here is well below), built before the clock.
    per_booth = int(8000 * seconds / len(booths) / rounds) + 1
    work = [b.batches(per_booth, rounds) for b in booths]
    before = count_plays(dsn)
    stop = time.perf_counter() + seconds

    def run(booth: Booth, batches: list[tuple[int, bytes]]) -> None:
        for plays, body in batches:
            if time.perf_counter() >= stop:
                break
            booth.push(body, plays)
        booth.drain()

    start = time.perf_counter()
    threads = [threading.Thread(target=run, args=bw) for bw in zip(booths, work, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    end = max(b.pushed_until for b in booths)
    return round((count_plays(dsn) - before) / (end - start), 1)


def backlog(late: Booth, others: list[Booth], dsn: str, rate: float, rounds: int) -> dict:
    """``late`` pushes BACKLOG_ROWS rows in PUSH_ROWS-row batches while ``others`` go on."""
    catch_up = late.batches(BACKLOG_ROWS // PUSH_ROWS, PUSH_ROWS // 2)  # a play + a visit each
    done = threading.Event()
    interval = len(others) * rounds / rate
    background = [b.batches(int(30 / interval) + 1, rounds) for b in others]  # 30 s' worth

    def keep_pushing(booth: Booth, batches: list[tuple[int, bytes]], offset: float) -> None:
        t0 = time.perf_counter()
        for i, (plays, body) in enumerate(batches):
            if done.is_set():
                break
            time.sleep(max(0.0, t0 + offset + i * interval - time.perf_counter()))
            booth.push(body, plays)
        booth.drain()

    threads = [
        threading.Thread(target=keep_pushing, args=(b, w, i * interval / len(others)))
        for i, (b, w) in enumerate(zip(others, background, strict=True))
    ]
    for t in threads:
        t.start()
    time.sleep(1.0)  # the others are in their stride
    late.reset()
    start = time.perf_counter()
    for plays, body in catch_up:
        while len(late.waiting) >= MAX_UNCONFIRMED:  # the pusher's bound: ask, then go on
            time.sleep(max(0.0, late.answered_at + CONFIRM_S - time.perf_counter()))
            late.ask()
        late.push(body, plays)
    sent = time.perf_counter() - start
    late.drain()  # … and until the centre has it all on disk
    confirmed = time.perf_counter() - start
    done.set()
    for t in threads:
        t.join()
    return {
        "backlog_rows": BACKLOG_ROWS,
        "batch_rows": PUSH_ROWS,
        "backlog_catch_up_s": round(sent, 2),
        "backlog_confirmed_s": round(confirmed, 2),
        "backlog_most_unconfirmed": late.most_waiting,
        "backlog_failures": len(late.failures) + len(late.waiting),
    }


def time_to_visible(
    push: Callable[[], None],
    visible: Callable[[], bool],
    timeout: float = 60.0,
    poll_s: float = 0.05,
) -> float:
    """Seconds from the start of ``push()`` (a booth sending a finished round) until
    ``visible()`` first says the centre shows it; ``inf`` if it never does in ``timeout``.
    The dashboard benchmark passes a ``visible`` that reads the dashboard page."""
    start = time.perf_counter()
    push()
    while time.perf_counter() - start < timeout:
        if visible():
            return time.perf_counter() - start
        time.sleep(poll_s)
    return float("inf")


def play_visible(booth: Booth, dsn: str) -> float:
    """Play end → visible in the central store (the dashboard reads the same rows)."""
    import psycopg

    body = booth.sim.batch(1, durable_lsn=True)
    play_id = body["rows"]["plays"][0]["id"]

    def visible() -> bool:
        with psycopg.connect(dsn) as conn:
            return (
                conn.execute("SELECT 1 FROM plays WHERE id = %s", (play_id,)).fetchone() is not None
            )

    return round(time_to_visible(lambda: booth.push(json.dumps(body).encode(), 1), visible), 3)


DEPLOY_CONF = Path(__file__).resolve().parent.parent / "deploy" / "postgresql-fleet.conf"
# The throwaway cluster keeps its own: it serves 50 booths' connections and the viewers.
CLUSTER_OWN = {"max_connections"}


def deploy_settings(path: Path = DEPLOY_CONF) -> dict[str, str]:
    """``name = value`` lines of the deployment's server settings (comments dropped)."""
    settings = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "=" in line:
            name, value = (part.strip() for part in line.split("=", 1))
            if name not in CLUSTER_OWN:
                settings[name] = value.strip("'")
    return settings


def run(args: argparse.Namespace) -> dict:
    # The server runs as deploy/postgresql-fleet.conf recommends, so the numbers are those of
    # the documented deployment (its shared_buffers, wal_buffers, background writer …);
    # track_wal_io_timing (set there too) lets the benchmark report the log flush's time.
    settings = deploy_settings() | dict(kv.split("=", 1) for kv in args.pg)
    with Cluster(settings=settings) as cluster:
        dsn = cluster.create_database("fleet_bench")
        migrate(dsn)
        import psycopg

        with psycopg.connect(dsn, autocommit=True) as conn:
            if args.no_wal_wait:
                conn.execute("ALTER DATABASE fleet_bench SET synchronous_commit = off")
            if args.no_dash_triggers:
                for table in ("plays", "visits"):
                    conn.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            tokens = {
                f"bench-{i:02d}": add_kiosk(conn, f"bench-{i:02d}") for i in range(BOOTHS + 1)
            }
        log_file = Path(cluster.folder) / "fleet-service.log"
        with FleetProcess(dsn, threads=args.threads, log=log_file) as service:
            booths = [Booth(k, t, service.port) for k, t in tokens.items()]
            crowd, late = booths[:BOOTHS], booths[BOOTHS]
            log(f"sustained: {BOOTHS} booths, {args.rate:.0f} plays/s for {args.seconds:.0f} s")
            postmaster = int((cluster.data / "postmaster.pid").read_text().split()[0])
            assert service.proc is not None
            pids = {"service": (service.proc.pid, False), "postgres": (postmaster, True)}
            runs = [
                sustained(crowd, dsn, args.rate, args.seconds, args.rounds, pids, cluster.folder)
                for _ in range(args.repeat)
            ]
            # The machine may be shared: the run with the median p99 is the one reported.
            runs.sort(key=lambda r: r["push_p99_ms"])
            result = runs[len(runs) // 2]
            result["push_p99_runs_ms"] = [r["push_p99_ms"] for r in runs]
            result["load_avg_runs"] = [r["load_avg_1min"] for r in runs]
            result["failures"] = sum(r["failures"] for r in runs)
            log(f"backlog: one booth catching up {BACKLOG_ROWS} rows")
            result |= backlog(late, crowd, dsn, args.rate, args.rounds)
            result["play_visible_s"] = play_visible(crowd[0], dsn)
            if not args.no_flat_out:
                log("flat out: every booth pushing back to back")
                result["max_plays_per_s"] = flat_out(
                    crowd, dsn, min(args.seconds, 10.0), args.rounds
                )
            result["central_plays"] = count_plays(dsn)
        if args.server_log:
            shutil.copy(cluster.folder / "server.log", args.server_log)
            shutil.copy(log_file, Path(args.server_log).with_suffix(".service.log"))
        result["service_threads"] = args.threads
    result["budgets"] = {
        "plays_per_s": BUDGET_PLAYS_PER_S,
        "push_p99_ms": BUDGET_P99_MS,
        "backlog_catch_up_s": BUDGET_BACKLOG_S,
    }
    result["ok"] = (
        result["plays_per_s"] >= BUDGET_PLAYS_PER_S
        and result["push_p99_ms"] <= BUDGET_P99_MS
        and result["backlog_catch_up_s"] <= BUDGET_BACKLOG_S
        and result["failures"] == 0
        and result["backlog_failures"] == 0
        and result["left_unconfirmed"] == 0
    )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    parser.add_argument("--rate", type=float, default=2500.0, help="plays/s the booths offer")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the sustained run")
    parser.add_argument("--rounds", type=int, default=20, help="rounds (play + visit) per push")
    parser.add_argument(
        "--threads",
        type=int,
        default=FleetSettings().threads,
        help="the service's waitress threads (default: fleet.toml's)",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="sustained runs; the median p99's run counts"
    )
    parser.add_argument(
        "--no-wal-wait",
        action="store_true",
        help="diagnosis only: commit without waiting for the WAL flush (shows what the "
        "disk's fsync costs; the service itself always waits)",
    )
    parser.add_argument(
        "--no-dash-triggers",
        action="store_true",
        help="diagnosis only: without the dashboard's running-total triggers on plays and "
        "visits (shows what they cost per push; the service always has them)",
    )
    parser.add_argument(
        "--pg",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a PostgreSQL server setting for the throwaway cluster (repeatable)",
    )
    parser.add_argument(
        "--server-log", metavar="PATH", help="keep PostgreSQL's log (with --pg log_… settings)"
    )
    parser.add_argument("--no-flat-out", action="store_true", help="skip the flat-out run")
    args = parser.parse_args()
    result = run(args)
    rows = [
        ("sustained plays/s", result["plays_per_s"], f"≥ {BUDGET_PLAYS_PER_S:.0f}"),
        ("push p50 ms", result["push_p50_ms"], ""),
        ("push p99 ms", result["push_p99_ms"], f"≤ {BUDGET_P99_MS:.0f}"),
        ("push max ms", result["push_max_ms"], ""),
        ("confirm lag p50 ms", result["confirm_lag_p50_ms"], ""),
        ("confirm lag p99 ms", result["confirm_lag_p99_ms"], ""),
        ("disk flush max ms", result.get("disk_flush_max_ms", "-"), ""),
        ("heartbeat p99 ms", result["heartbeat_p99_ms"], ""),
        (
            f"{BACKLOG_ROWS}-row backlog s",
            result["backlog_catch_up_s"],
            f"≤ {BUDGET_BACKLOG_S:.0f}",
        ),
        (f"{BACKLOG_ROWS}-row backlog confirmed s", result["backlog_confirmed_s"], ""),
        ("play end → stored s", result["play_visible_s"], ""),
        ("flat-out plays/s", result.get("max_plays_per_s", "-"), ""),
        ("failures", result["failures"] + result["backlog_failures"], "0"),
    ]
    emit(result, rows, ("measure", "value", "budget"), args.json)
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
