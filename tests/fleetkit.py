"""A small fleet centre on a real local port, for the booth's sync tests.

It speaks ``POST /fleet/v1/sync`` and ``/fleet/v1/heartbeat`` as docs/fleet-contract.md
says (bearer tokens, 401/403/400/413, a version-guarded upsert keyed by kiosk and row key,
``{"acked": through}`` only after the rows are stored) and keeps every row in memory, so a
test can count each play centrally. It can go down and come back on the same port, hold
an answer after storing a batch (a booth killed between push and acknowledgement), or
drop the connection instead of answering (the acknowledgement lost). With ``durable`` it
answers a booth asking ``"ack": "durable-lsn"`` with log positions, as the real service does:
each stored batch gets the next ``lsn``, ``flushed`` is what the test says is on disk
(``None``: everything at once), and :meth:`Centre.crash` loses the batches past it and
starts a new epoch, as PostgreSQL losing its unflushed log does. The real service
(kiosk/fleet/service.py) is tested against the same booth code in test_sync_service.py.

Also here: booth files with plays in them, the sync thread on a simulated clock, and a real
``launch.py`` kiosk with a ``[fleet]`` section, for the sync tests of both centres.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from kiosk import ROOT
from kiosk.playlog.store import PlayStore
from kiosk.sync import outbox
from kiosk.sync.pusher import Pusher

# Every other synced table: ("id",).
KEYS = {"game_switches": ("day", "game"), "daily_stock": ("day", "tier")}
MAX_ROWS = 500


@dataclass
class Centre:
    tokens: dict[str, str] = field(default_factory=dict)  # token → kiosk id
    revoked: set[str] = field(default_factory=set)
    rows: dict[tuple[str, str, tuple], dict] = field(default_factory=dict)
    batches: list[dict] = field(default_factory=list)  # every sync body received, in order
    ignored: int = 0  # rows that arrived again with no newer version
    heartbeats: list[dict] = field(default_factory=list)  # {"kiosk_id", "seen_at", "body"}
    answer: dict[str, Any] = field(default_factory=lambda: {"played_today": 0})
    # Fault switches a test turns on:
    hold: threading.Event | None = None  # after storing a batch, wait for this to be set
    hold_if: Callable[[dict], bool] | None = None  # … only a batch this says yes to
    held: threading.Event = field(default_factory=threading.Event)  # a batch is being held
    drop_answer: int = 0  # this many next syncs are stored and then the connection is cut
    refuse_row: Callable[[str, dict], bool] | None = None  # (table, row) → 400 bad_rows
    # Durable-position acknowledgements (the real service's "ack": "durable-lsn"):
    durable: bool = False
    flushed: int | None = None  # log on disk up to here; None: every batch at once
    epoch: str = "epoch-1"
    lsn: int = 0  # the last batch's log position
    written: list[tuple[int, list[tuple]]] = field(default_factory=list)  # (lsn, row keys)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def crash(self) -> int:
        """The centre's database crashes: batches past ``flushed`` are gone (rows they
        inserted removed, as a lost commit leaves nothing), the log goes on from the
        flushed end, a new epoch. Returns how many rows were lost."""
        with self.lock:
            kept = self.flushed or 0
            lost = [keys for lsn, keys in self.written if lsn > kept]
            for keys in lost:
                for key in keys:
                    self.rows.pop(key, None)
            self.written = [(lsn, keys) for lsn, keys in self.written if lsn <= kept]
            self.lsn = kept
            self.epoch += "'"
            return sum(len(keys) for keys in lost)

    def table(self, name: str, kiosk: str | None = None) -> list[dict]:
        return [r for (k, t, _), r in self.rows.items() if t == name and kiosk in (None, k)]


class _Handler(BaseHTTPRequestHandler):
    centre: Centre

    def log_message(self, *args: object) -> None:  # quiet in test output
        pass

    def do_POST(self) -> None:
        centre = self.centre
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        kiosk = centre.tokens.get(token)
        if kiosk is None:
            return self._send(401, {"error": "unknown kiosk token"})
        if kiosk in centre.revoked:
            return self._send(403, {"error": "this kiosk was revoked"})
        try:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        except ValueError:
            return self._send(400, {"error": "body is not JSON"})
        if body.get("kiosk_id") != kiosk:
            return self._send(403, {"error": "kiosk_id is not this token's kiosk"})
        if self.path == "/fleet/v1/heartbeat":
            with centre.lock:
                centre.heartbeats.append(
                    {"kiosk_id": kiosk, "seen_at": datetime.now(UTC), "body": body}
                )
                answer = {"server_time": datetime.now(UTC).isoformat(), **centre.answer}
            return self._send(200, answer)
        if self.path != "/fleet/v1/sync":
            return self._send(404, {"error": "no such path"})
        rows = body.get("rows", {})
        if sum(len(r) for r in rows.values()) > MAX_ROWS:
            return self._send(413, {"error": f"more than {MAX_ROWS} rows"})
        durable = centre.durable and body.get("ack") == "durable-lsn"
        if durable and not any(rows.values()):
            with centre.lock:
                return self._send(200, self._flushed())
        refuse = centre.refuse_row
        if refuse is not None and any(refuse(t, r) for t, rs in rows.items() for r in rs):
            return self._send(400, {"error": "a row the centre refuses", "bad_rows": True})
        with centre.lock:
            centre.batches.append(body)
            new_keys = []
            for table, table_rows in rows.items():
                for row in table_rows:
                    key = (kiosk, table, tuple(row[k] for k in KEYS.get(table, ("id",))))
                    held = centre.rows.get(key)
                    if held is None or held["version"] < row["version"]:
                        centre.rows[key] = row
                        new_keys.append(key)
                    else:
                        centre.ignored += 1
            centre.lsn += 1
            centre.written.append((centre.lsn, new_keys))
            answer = (
                {"received": body["through"], "lsn": centre.lsn, **self._flushed()}
                if durable
                else {"acked": body["through"]}
            )
            drop = centre.drop_answer > 0
            centre.drop_answer -= int(drop)
        if centre.hold is not None and (centre.hold_if is None or centre.hold_if(body)):
            centre.held.set()
            centre.hold.wait(60)
        if drop:  # stored, but the booth never hears so
            self.close_connection = True
            self.connection.close()
            return None
        return self._send(200, answer)

    def _flushed(self) -> dict:
        centre = self.centre
        flushed = centre.lsn if centre.flushed is None else min(centre.flushed, centre.lsn)
        return {"flushed": flushed, "epoch": centre.epoch}

    def _send(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        with contextlib.suppress(OSError):  # the booth was killed while we held its answer
            self.wfile.write(data)


class CentreServer:
    """:class:`Centre` on 127.0.0.1; :meth:`down` and :meth:`up` keep its port."""

    def __init__(self, centre: Centre | None = None) -> None:
        self.centre = centre or Centre()
        self.port = 0
        self._server: ThreadingHTTPServer | None = None
        self.up()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def up(self) -> None:
        handler = type("Handler", (_Handler,), {"centre": self.centre})
        ThreadingHTTPServer.allow_reuse_address = True
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def down(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> CentreServer:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.centre.hold is not None:
            self.centre.hold.set()
        self.down()


# -- booths: their files, a simulated clock for the sync thread, real kiosks -----------------
T0 = datetime(2026, 7, 18, 2, 0, tzinfo=UTC)
BOOT_TIMEOUT_S = 240  # only a hang takes this long


def kiosk_file(path: Path, kiosk: str, plays: int, at: datetime = T0) -> list[str]:
    """A booth's file with ``plays`` finished plays, a staff login and a stock delivery."""
    ids = []
    with PlayStore(path, kiosk) as store:
        store.db.execute("PRAGMA synchronous=OFF")  # set-up only: no fsync per write
        for i in range(plays):
            started = at + timedelta(minutes=i)
            play = store.start_play("recycle_right", "en", "normal", started)
            store.finish_play(play, "completed", started + timedelta(seconds=45), score=i % 100)
            ids.append(play)
        store.audit("staff_login", at)
        store.adjust_stock("2026-07-18", "gold", 5, at)
    return ids


def acked(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return outbox.acked(conn)
    finally:
        conn.close()


class SimTime:
    """The pusher's sleep on a simulated clock: each wait advances it and returns at once.
    ``real_s``: waits up to this long are also slept for real, for a real centre whose
    walwriter flushes on its own clock (the pusher's ``confirm_s`` between looks)."""

    def __init__(self, real_s: float = 0.0) -> None:
        self.now = 0.0
        self.waits: list[float] = []
        self.real_s = real_s

    def sleep(self, seconds: float) -> bool:
        self.waits.append(seconds)
        self.now += seconds
        if 0 < seconds <= self.real_s:
            time.sleep(seconds)
        return False

    def wall(self) -> datetime:
        return T0 + timedelta(seconds=self.now)


def synced(pusher: Pusher) -> Callable[[], bool]:
    """Done when everything is sent AND confirmed on the centre's disk (``acked`` stored)."""
    return lambda: pusher.backlog == 0 and not pusher.waiting


def run_until(pusher: Pusher, sim: SimTime, done, limit_s: float = 3600.0) -> None:
    """Rounds of ``pusher`` on simulated time until ``done()`` or ``limit_s`` pass."""
    while not done():
        assert sim.now < limit_s, f"not done after {limit_s} simulated s: {pusher.last_error}"
        sim.sleep(pusher.step())


def kiosk_folder(tmp_path: Path, url: str) -> tuple[Path, Path]:
    (tmp_path / "fleet.token").write_text("tok-K07\n")
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'kiosk_id = "K07"\n[fleet]\nurl = "{url}"\ntoken_file = "{tmp_path / "fleet.token"}"\n'
    )
    return config, tmp_path / "scores.db"


def start_kiosk(folder: Path, config: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(ROOT / "launch.py"), "--headless", "--fast", "--autoplay", "1000",
         "--seed", "5", "--mute", "--db", str(db), "--config", str(config)],
        cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def local_rows(db: Path, table: str) -> dict[object, dict]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return {r["id"]: dict(r) for r in conn.execute(f"SELECT * FROM {table}")}
    finally:
        conn.close()


def earlier_today(now: datetime, minutes: float, utc_offset_hours: float = 8.0) -> datetime:
    """``minutes`` before ``now``, or halfway back to local midnight when that was sooner:
    a round that is "today" by the centre's clock (Hong Kong by default) at any hour CI runs."""
    local = timezone(timedelta(hours=utc_offset_hours))
    midnight = now.astimezone(local).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(now - timedelta(minutes=minutes), midnight + (now - midnight) / 2)
