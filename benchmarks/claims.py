"""Prize claims: signing a code and drawing its QR on the kiosk, and the claim server under load.

Kiosk side (in this process, SDL dummy driver): p50/p99 of signing a claim code, of building
its QR surface (matrix + pygame surface), of both together (budget ≤ 20 ms), and, for
information, of a whole award including the database commit (``synchronous=FULL``).

Server side: ``python -m kiosk.cli serve-claims`` in a separate process on 127.0.0.1 at a
free port; this process sends a bounded number of GETs of claim pages (round-robin over
distinct genuine codes, after one warm-up visit each) over keep-alive connections from a few
threads, within a time limit. Beside it, in the same run, a Flask + waitress hello-world
(same waitress, same thread count) takes the same load: rounds alternate between the two so
both see the same machine, and the best round of each counts. Budgets: the claim page serves
≥ 0.7× the hello-world's requests per second, ≥ 300 requests/s, p99 ≤ 50 ms.
``--json`` prints one JSON object and nothing else on stdout.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from _common import ROOT, emit, percentile

from kiosk.booth.scenes.claim import claim_qr_surface
from kiosk.config import PrizeTier
from kiosk.pin import hash_pin
from kiosk.playlog.store import PlayStore
from kiosk.playlog.writer import Inline
from kiosk.prizes import claimcode, eventkey, statefile
from kiosk.prizes.awards import Prizes

BUDGET_SIGN_QR_MS = 20.0
BUDGET_RPS = 300.0
BUDGET_P99_MS = 50.0
BUDGET_HELLO_RATIO = 0.7
THREADS = 4  # waitress threads, the claims.toml default, for both servers
# The reference: the smallest Flask app on the same waitress.
HELLO_SERVER = """
import sys
from flask import Flask
from waitress import serve
app = Flask("hello")
@app.get("/")
def hello():
    return "Hello, world!"
serve(app, host="127.0.0.1", port=int(sys.argv[1]), threads=int(sys.argv[2]), ident="hello")
"""
CLAIM_URL = "HTTPS://CLAIM.EXAMPLE.HK/C/"


def stats(times_ms: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(percentile(times_ms, 0.5), 3),
        "p99_ms": round(percentile(times_ms, 0.99), 3),
    }


def a_claim(key: eventkey.SigningKey, serial: int) -> claimcode.Claim:
    return claimcode.Claim(
        event=2026,
        key_id=key.key_id,
        kiosk="K07",
        serial=serial,
        tier="silver",  # the longest of the default tier ids
        issued=date(2026, 7, 18),
        lang="zh-HK",
        nonce=serial * 7919 % 2**32,
    )


def kiosk_side(key: eventkey.SigningKey, tmp: Path, n: int) -> dict[str, dict[str, float]]:
    import pygame  # after _common has hidden its banner: --json is JSON only

    pygame.init()
    pygame.display.set_mode((1920, 1080))
    sign, qr, both, cpu = [], [], [], []
    for serial in range(1, n + 1):
        c0 = time.process_time()
        t0 = time.perf_counter()
        code = claimcode.sign(a_claim(key, serial), key.private)
        t1 = time.perf_counter()
        claim_qr_surface(claimcode.claim_link(CLAIM_URL, code))
        t2 = time.perf_counter()
        cpu.append((time.process_time() - c0) * 1000)
        sign.append((t1 - t0) * 1000)
        qr.append((t2 - t1) * 1000)
        both.append((t2 - t0) * 1000)
    award = []
    with PlayStore(tmp / "bench.db", "K07") as store:
        prizes = Prizes(
            jobs=Inline(store),  # the state file and the play row written at once, timed
            state_path=statefile.path_for(store.path),
            key=key,
            tiers=[PrizeTier("thanks", 0, 10**6)],
            event_id=2026,
            kiosk_id="K07",
            claim_url=CLAIM_URL,
            utc_offset_hours=8,
        )
        ended = datetime.now(UTC)
        for _ in range(min(n, 100)):
            play = store.start_play("bench", "en", "adult", ended - timedelta(seconds=60))
            store.finish_play(play, "completed", ended, 70, {})
            t0 = time.perf_counter()
            claim_qr_surface(prizes.award(play, "en", 70, ended).result().url)
            award.append((time.perf_counter() - t0) * 1000)
    return {
        "sign": stats(sign),
        "qr_surface": stats(qr),
        "sign_and_qr": stats(both),
        "sign_and_qr_cpu": stats(cpu),
        "award_with_db_commit": stats(award),
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(tmp: Path, key: eventkey.SigningKey) -> tuple[subprocess.Popen, int]:
    port = free_port()
    config = tmp / "claims.toml"
    config.write_text(
        f'public_key = "{eventkey.public_path(key.path)}"\ndatabase = "{tmp / "claims.db"}"\n'
        f'pin_hash = "{hash_pin("2468")}"\nclaim_days = 100000\nport = {port}\n'
        f"threads = {THREADS}\n"
    )
    return _started(
        [sys.executable, "-m", "kiosk.cli", "serve-claims", "--config", str(config)], port
    )


def start_hello() -> tuple[subprocess.Popen, int]:
    port = free_port()
    return _started([sys.executable, "-c", HELLO_SERVER, str(port), str(THREADS)], port, "/")


def _started(
    command: list[str], port: int, probe: str = "/healthz"
) -> tuple[subprocess.Popen, int]:
    proc = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", probe)
            if conn.getresponse().status == 200:
                return proc, port
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"{command[1:3]} did not start")


def load(port: int, paths: list[str], total: int, clients: int, limit_s: float) -> dict:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    counter = iter(range(total))
    deadline = time.monotonic() + limit_s

    def client() -> None:
        # Each connection is one phone: it keeps the cookies it is given, as a browser does.
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        cookies: dict[str, str] = {}
        mine: list[float] = []
        for i in counter:
            if time.monotonic() > deadline:
                break
            t0 = time.perf_counter()
            try:
                headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
                conn.request("GET", paths[i % len(paths)], headers=headers if cookies else {})
                response = conn.getresponse()
                response.read()
                for value in response.headers.get_all("Set-Cookie") or []:
                    name, _, rest = value.partition("=")
                    cookies[name.strip()] = rest.split(";", 1)[0]
                ok = response.status == 200
            except OSError:
                ok = False
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            mine.append((time.perf_counter() - t0) * 1000)
            if not ok:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    return {
        "requests": len(latencies),
        "errors": errors[0],
        "seconds": round(elapsed, 3),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        **stats(latencies),
    }


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process (Linux /proc), or None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_side(key: eventkey.SigningKey, tmp: Path, args: argparse.Namespace) -> dict:
    codes = [claimcode.sign(a_claim(key, serial), key.private) for serial in range(1, 201)]
    paths = [f"/C/{code}" for code in codes]
    proc, port = start_server(tmp, key)
    hello, hello_port = start_hello()
    claims_runs, hello_runs = [], []
    try:
        load(port, paths, len(paths), 4, args.limit)  # each code's first visit (notes it)
        load(hello_port, ["/"], len(paths), 4, args.limit)
        per_round = max(1, args.requests // args.rounds)
        for _ in range(args.rounds):  # alternating, so both see the same neighbours
            hello_runs.append(_measured(hello, hello_port, ["/"], per_round, args))
            claims_runs.append(_measured(proc, port, paths, per_round, args))
    finally:
        for p in (proc, hello):
            p.terminate()
            p.wait(timeout=10)
    result = max(claims_runs, key=lambda r: r["requests_per_s"])
    reference = max(hello_runs, key=lambda r: r["requests_per_s"])
    result["clients"] = args.clients
    result["threads"] = THREADS
    result["hello_world"] = reference
    result["vs_hello_world"] = round(result["requests_per_s"] / reference["requests_per_s"], 2)
    return result


def _measured(
    proc: subprocess.Popen, port: int, paths: list[str], n: int, args: argparse.Namespace
) -> dict:
    before = cpu_seconds(proc.pid)
    result = load(port, paths, n, args.clients, args.limit)
    after = cpu_seconds(proc.pid)
    if before is not None and after is not None and result["requests"]:
        result["server_cpu_ms_per_request"] = round((after - before) * 1000 / result["requests"], 3)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--codes", type=int, default=200, help="codes signed and drawn")
    parser.add_argument("--requests", type=int, default=3000, help="claim-page GETs")
    parser.add_argument("--clients", type=int, default=8, help="concurrent connections")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per server")
    parser.add_argument("--limit", type=float, default=30.0, help="seconds per round, at most")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp())
    key = eventkey.generate(tmp / "event.key")
    kiosk = kiosk_side(key, tmp, args.codes)
    server = server_side(key, tmp, args)
    sign_qr_ok = kiosk["sign_and_qr"]["p99_ms"] <= BUDGET_SIGN_QR_MS
    server_ok = (
        server["requests_per_s"] >= BUDGET_RPS
        and server["vs_hello_world"] >= BUDGET_HELLO_RATIO
        and server["p99_ms"] <= BUDGET_P99_MS
        and server["errors"] == 0
    )
    data = {
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "kiosk": kiosk,
        "server": server,
        "budget_sign_and_qr_p99_ms": BUDGET_SIGN_QR_MS,
        "budget_requests_per_s": BUDGET_RPS,
        "budget_p99_ms": BUDGET_P99_MS,
        "budget_vs_hello_world": BUDGET_HELLO_RATIO,
        "within_budget": sign_qr_ok and server_ok,
    }
    hello = server["hello_world"]
    rows = [
        ("sign a claim code", kiosk["sign"]["p50_ms"], kiosk["sign"]["p99_ms"], "", ""),
        ("build its QR surface", kiosk["qr_surface"]["p50_ms"], kiosk["qr_surface"]["p99_ms"]),
        (
            "sign + QR surface",
            kiosk["sign_and_qr"]["p50_ms"],
            kiosk["sign_and_qr"]["p99_ms"],
            f"p99 ≤ {BUDGET_SIGN_QR_MS:g} ms",
            "ok" if sign_qr_ok else "OVER",
        ),
        (
            "award incl. DB commit (info)",
            kiosk["award_with_db_commit"]["p50_ms"],
            kiosk["award_with_db_commit"]["p99_ms"],
        ),
        (
            f"hello-world, {hello['requests_per_s']:g} req/s (reference)",
            hello["p50_ms"],
            hello["p99_ms"],
        ),
        (
            f"claim page, {server['clients']} clients: {server['requests_per_s']:g} req/s, "
            f"{server['vs_hello_world']:g}× hello-world",
            server["p50_ms"],
            server["p99_ms"],
            f"≥ {BUDGET_HELLO_RATIO:g}× hello, ≥ {BUDGET_RPS:g} req/s, p99 ≤ {BUDGET_P99_MS:g} ms",
            "ok" if server_ok else "OVER",
        ),
    ]
    rows = [(*r, "", "")[:5] for r in rows]
    emit(
        data,
        rows,
        (f"measure ({os.cpu_count()} CPUs)", "p50 ms", "p99 ms", "budget", ""),
        args.json,
    )
    if not args.json:
        print(
            f"server: {server['requests']} requests in {server['seconds']} s, "
            f"{server['errors']} errors, 127.0.0.1 loopback, separate process; "
            f"{server.get('server_cpu_ms_per_request', '?')} ms of server CPU per request "
            f"(hello-world {hello.get('server_cpu_ms_per_request', '?')} ms)"
        )
        print(
            f"kiosk: sign + QR surface {kiosk['sign_and_qr_cpu']['p50_ms']} ms CPU (p50); "
            f"load average {data['load_average'][0]} on {os.cpu_count()} CPUs during the run"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
