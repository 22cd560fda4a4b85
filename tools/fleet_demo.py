"""`make fleet-demo`: the whole fleet on one machine, in a temporary folder.

Starts a throwaway PostgreSQL cluster (kiosk/fleet/pgcluster.py), migrates the central
store, registers the booths (one token each), starts the fleet service (`smartizen fleet
serve`, the booths' API and the organisers' dashboard) and the claim server, then five
headless kiosks that play by themselves (`launch.py --headless --fast --autoplay …`), each
with its own database and a kiosk.toml whose `[fleet]` section points at the service
(docs/fleet-contract.md). It prints the dashboard's address and login, and runs until
Ctrl-C (SIGINT), SIGTERM or `--for SECONDS`; then it stops the kiosks first, then the
services, the database last, and removes the folder.

A part that this checkout does not have yet (the booth's sync, the dashboard's accounts, the
claim server on PostgreSQL) is named in one line and left out; the rest runs.

    python tools/fleet_demo.py                 # until Ctrl-C
    python tools/fleet_demo.py --for 60        # a minute, then stop cleanly
    python tools/fleet_demo.py --kiosks 2 --keep   # keep the folder (logs, databases)
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
EVENT_ID = 2026
DESK_PIN = "135790"
ORGANISER = "organiser"
STOP_GRACE_S = 15.0  # a child gets this long after SIGTERM before SIGKILL


class Stopped(Exception):
    """SIGINT or SIGTERM arrived: stop everything, cleanly."""


def say(text: str) -> None:
    print(f"fleet-demo: {text}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def has_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def toml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass
class Child:
    name: str
    process: subprocess.Popen
    log: Path


@dataclass
class Demo:
    kiosks: int
    folder: Path
    children: list[Child] = field(default_factory=list)
    cluster: object | None = None
    dsn: str = ""
    url: str = ""
    notes: list[str] = field(default_factory=list)
    ended: list[Child] = field(default_factory=list)

    # -- parts -------------------------------------------------------------------------------

    def start_store(self) -> None:
        from kiosk.fleet.migrate import migrate
        from kiosk.fleet.pgcluster import Cluster

        # Its own temporary folder (removed when it stops): when the demo runs as root the
        # server runs as the postgres user, who may not enter the demo's private folder.
        cluster = Cluster()
        self.cluster = cluster
        cluster.start()
        self.dsn = cluster.create_database("smartizen")
        self.url = cluster.url("smartizen")
        applied = migrate(self.dsn)
        say(f"central store on port {cluster.port} in {cluster.folder}: {', '.join(applied)}")

    def register_kiosks(self) -> dict[str, Path]:
        """One token per booth, written where its kiosk.toml's token_file points."""
        import psycopg

        from kiosk.fleet.kiosks import add_kiosk

        tokens: dict[str, Path] = {}
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            for n in range(1, self.kiosks + 1):
                kiosk_id = f"K{n:02d}"
                token = add_kiosk(conn, kiosk_id, f"Demo booth {n}")
                path = self.folder / "kiosks" / kiosk_id / "fleet.token"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(token + "\n", encoding="utf-8")
                path.chmod(0o600)
                tokens[kiosk_id] = path
        return tokens

    def add_organiser(self) -> str | None:
        """A dashboard login, when this checkout has the dashboard's accounts."""
        if not has_module("kiosk.fleet.dashboard.auth"):
            self.notes.append(
                "the dashboard (kiosk/fleet/dashboard) is not in this checkout: no login made"
            )
            return None
        from psycopg_pool import ConnectionPool

        from kiosk.fleet.dashboard.auth import add_organiser

        password = secrets.token_urlsafe(9)
        with ConnectionPool(self.dsn, min_size=1, max_size=1, open=True) as pool:
            add_organiser(pool, ORGANISER, password)
        return password

    def spawn(self, name: str, command: list[str], cwd: Path | None = None) -> Child:
        logs = self.folder / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        log = logs / f"{name}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                command,
                cwd=cwd or self.folder,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                # Its own session: Ctrl-C reaches the demo only, which stops the children
                # in order instead of all at once.
                start_new_session=True,
                env={**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"},
            )
        child = Child(name, process, log)
        self.children.append(child)
        say(f"started {name} (pid {process.pid}, log {log})")
        return child

    def smartizen(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "kiosk.cli", *args]

    def start_fleet_service(self) -> int | None:
        if not has_module("kiosk.cli.fleet"):
            self.notes.append(
                "the fleet service (smartizen fleet serve) is not in this checkout: "
                "the kiosks run as islands"
            )
            return None
        port = free_port()
        config = self.folder / "fleet.toml"
        config.write_text(
            f'dsn = {toml_str(self.url)}\nhost = "127.0.0.1"\nport = {port}\n',
            encoding="utf-8",
        )
        child = self.spawn(
            "fleet-service", self.smartizen("fleet", "--config", str(config), "serve")
        )
        wait_for_port(child, port)
        return port

    def start_claim_server(self, key: Path) -> int:
        from kiosk.claims.settings import ClaimsSettings
        from kiosk.pin import hash_pin

        port = free_port()
        config = self.folder / "claims.toml"
        lines = [
            f"event_id = {EVENT_ID}",
            f"public_key = {toml_str(str(key.with_suffix('.pub')))}",
            f"database = {toml_str(str(self.folder / 'claims.db'))}",
            'host = "127.0.0.1"',
            f"port = {port}",
            f"pin_hash = {toml_str(hash_pin(DESK_PIN))}",
            f'claim_url = "{claim_url(port)}"',
            'desk_name = "Demo desk"',
        ]
        if "postgres" in getattr(ClaimsSettings, "__dataclass_fields__", {}):
            lines.append(f"\n[postgres]\ndsn = {toml_str(self.url)}")
        else:
            self.notes.append(
                "the claim server keeps its hand-overs in its own claims.db here "
                "(PostgreSQL desks are not in this checkout)"
            )
        config.write_text("\n".join(lines) + "\n", encoding="utf-8")
        child = self.spawn("claim-server", self.smartizen("serve-claims", "--config", str(config)))
        wait_for_port(child, port)
        return port

    def start_kiosks(
        self, key: Path, tokens: dict[str, Path], fleet_port: int | None, claims_port: int
    ) -> None:
        from kiosk.config import Config

        can_sync = "fleet" in getattr(Config, "__dataclass_fields__", {})
        if fleet_port is not None and not can_sync:
            self.notes.append(
                "the booth's sync ([fleet] in kiosk.toml) is not in this checkout: "
                "the kiosks keep their plays to themselves"
            )
        for n, (kiosk_id, token) in enumerate(tokens.items(), start=1):
            home = token.parent
            lines = [
                f'kiosk_id = "{kiosk_id}"',
                'database = "scores.db"',
                f'claim_url = "{claim_url(claims_port)}"',
                'log_dir = "logs"',
                "[audio]",
                "muted = true",
                'speech_cache = "speech"',
                "[prizes]",
                f"event_id = {EVENT_ID}",
                f"key_file = {toml_str(str(key))}",
            ]
            if fleet_port is not None and can_sync:
                lines += [
                    "[fleet]",
                    f'url = "http://127.0.0.1:{fleet_port}"',
                    f"token_file = {toml_str(str(token))}",
                ]
            (home / "kiosk.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
            self.spawn(
                f"kiosk-{kiosk_id}",
                [
                    sys.executable,
                    str(ROOT / "launch.py"),
                    "--config",
                    str(home / "kiosk.toml"),
                    "--headless",
                    "--fast",
                    "--mute",
                    "--autoplay",
                    "1000000",
                    "--seed",
                    str(n),
                ],
                cwd=home,
            )

    # -- running and stopping ----------------------------------------------------------------

    def central_plays(self) -> int | None:
        import psycopg

        try:
            with psycopg.connect(self.dsn, connect_timeout=3) as conn:
                return int(conn.execute("SELECT count(*) FROM plays").fetchone()[0])
        except psycopg.Error:
            return None

    def check_children(self) -> None:
        """A child that ended by itself is reported once (the demo carries on)."""
        for child in list(self.children):
            code = child.process.poll()
            if code is not None:
                say(f"{child.name} stopped by itself (exit {code}); see {child.log}")
                self.children.remove(child)
                self.ended.append(child)

    def stop(self) -> None:
        """Kiosks first (their last plays reach the outbox), then the services, the
        database last; every child gets SIGTERM, then SIGKILL after a grace period."""
        kiosks = [c for c in self.children if c.name.startswith("kiosk-")]
        services = [c for c in self.children if not c.name.startswith("kiosk-")]
        for group in (kiosks, list(reversed(services))):
            for child in group:
                if child.process.poll() is None:
                    child.process.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + STOP_GRACE_S
            for child in group:
                try:
                    child.process.wait(max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    say(f"{child.name} ignored SIGTERM for {STOP_GRACE_S:g} s: killed")
                    child.process.kill()
                    child.process.wait()
                say(f"stopped {child.name} (exit {child.process.returncode})")
        self.children.clear()
        if self.cluster is not None:
            cluster = self.cluster
            # A stop signal during pg_ctl start may leave a server the object does not know
            # it started: its pid file says so.
            if (cluster.data / "postmaster.pid").exists():  # type: ignore[attr-defined]
                cluster.running = True  # type: ignore[attr-defined]
            if cluster.running:  # type: ignore[attr-defined]
                cluster.stop()  # type: ignore[attr-defined]
                say("stopped the central store")
            else:
                cluster.stop()  # type: ignore[attr-defined]  # removes its folder


def claim_url(port: int) -> str:
    return f"HTTP://127.0.0.1:{port}/C/"


def wait_for_port(child: Child, port: int, timeout_s: float = 60.0) -> None:
    """Until ``port`` answers; a child that dies first is an error naming its log."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if child.process.poll() is not None:
            tail = child.log.read_text(errors="replace").strip().splitlines()[-5:]
            raise RuntimeError(
                f"{child.name} exited ({child.process.returncode}) while starting: "
                + " | ".join(tail)
            )
        with socket.socket() as s:
            s.settimeout(0.5)
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{child.name} did not listen on port {port} within {timeout_s:g} s")


def preflight() -> str | None:
    """Why the demo cannot run here, or None."""
    from kiosk.fleet import pgcluster

    if not has_module("psycopg") or not has_module("psycopg_pool"):
        return "psycopg is missing: install the fleet extra (pip install -e '.[fleet]')"
    if not pgcluster.available():
        return "PostgreSQL's server binaries are missing: apt-get install postgresql"
    if not has_module("pygame"):
        return "pygame-ce is missing: install the booth extra (pip install -e '.[booth]')"
    return None


def run(args: argparse.Namespace) -> int:
    problem = preflight()
    if problem:
        say(problem)
        return 2
    folder = Path(tempfile.mkdtemp(prefix="smartizen-fleet-demo-"))
    say(f"folder: {folder}")
    demo = Demo(args.kiosks, folder)

    def stop_on(signum: int, frame: FrameType | None) -> None:
        raise Stopped(signal.Signals(signum).name)

    previous = {s: signal.signal(s, stop_on) for s in (signal.SIGINT, signal.SIGTERM)}
    status = 0
    try:
        from kiosk.prizes.eventkey import generate

        demo.start_store()
        key = folder / "keys" / "event.key"
        key.parent.mkdir(parents=True)
        generate(key)
        tokens = demo.register_kiosks()
        password = demo.add_organiser()
        fleet_port = demo.start_fleet_service()
        claims_port = demo.start_claim_server(key)
        demo.start_kiosks(key, tokens, fleet_port, claims_port)
        for note in demo.notes:
            say(f"note: {note}")
        print_welcome(demo, fleet_port, claims_port, password)
        say(
            "running; Ctrl-C stops everything"
            + (f" (or after {args.for_s:g} s)" if args.for_s else "")
        )
        started = time.monotonic()
        next_count = started + 10
        while not args.for_s or time.monotonic() - started < args.for_s:
            time.sleep(0.5)
            demo.check_children()
            if time.monotonic() >= next_count:
                next_count += 10
                plays = demo.central_plays()
                say(f"central store: {plays if plays is not None else '?'} plays")
    except Stopped as why:
        say(f"{why} received: stopping")
    except Exception as exc:  # a part failed to start: say which, then clean up
        say(f"could not start: {exc}")
        status = 1
    finally:
        for s in previous:  # a second Ctrl-C during the stop must not cut it short
            signal.signal(s, signal.SIG_IGN)
        try:
            demo.stop()
        finally:
            if args.keep:
                say(f"kept {folder} (logs, databases)")
            else:
                shutil.rmtree(folder, ignore_errors=True)
                say(f"removed {folder}")
            for s, handler in previous.items():
                signal.signal(s, handler)
    return status


def print_welcome(
    demo: Demo, fleet_port: int | None, claims_port: int, password: str | None
) -> None:
    lines = ["", "Smartizen Park fleet demo", ""]
    if fleet_port is not None:
        missing = "" if password else "   (the dashboard is not in this checkout yet)"
        lines.append(f"  dashboard     http://127.0.0.1:{fleet_port}/dashboard{missing}")
        if password:
            lines.append(f"  login         {ORGANISER} / {password}")
        lines.append(f"  booths' API   http://127.0.0.1:{fleet_port}/fleet/v1/")
    lines += [
        f"  prize desk    http://127.0.0.1:{claims_port}/desk   PIN {DESK_PIN}",
        f"  central store {demo.url}",
        f"  organisers    smartizen stats --fleet {demo.url}",
        f"  booths        {demo.kiosks} × launch.py --headless --fast --autoplay",
        "",
    ]
    print("\n".join(lines), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kiosks", type=int, default=5, help="booths to run (default 5)")
    parser.add_argument(
        "--for", dest="for_s", type=float, default=0.0, metavar="SECONDS",
        help="stop by itself after this long (default: until Ctrl-C)",
    )  # fmt: skip
    parser.add_argument("--keep", action="store_true", help="keep the folder at the end")
    args = parser.parse_args(argv)
    if not 1 <= args.kiosks <= 40:
        parser.error("--kiosks: 1 to 40")
    return run(args)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
