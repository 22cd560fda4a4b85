"""A small fleet centre on a real local port, for the booth's sync tests.

It speaks ``POST /fleet/v1/sync`` and ``/fleet/v1/heartbeat`` as docs/fleet-contract.md
says (bearer tokens, 401/403/400/413, a version-guarded upsert keyed by kiosk and row key,
``{"acked": through}`` only after the rows are stored) and keeps every row in memory, so a
test can count each play centrally. It can go down and come back on the same port, hold
an answer after storing a batch (a booth killed between push and acknowledgement), or
drop the connection instead of answering (the acknowledgement lost). The real service
(kiosk/fleet/service.py) is tested against the same booth code in test_sync_service.py.
"""

from __future__ import annotations

import contextlib
import json
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

KEYS = {"game_switches": ("day", "game")}  # every other synced table: ("id",)
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
    held: threading.Event = field(default_factory=threading.Event)  # a batch is being held
    drop_answer: int = 0  # this many next syncs are stored and then the connection is cut
    lock: threading.Lock = field(default_factory=threading.Lock)

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
        with centre.lock:
            centre.batches.append(body)
            for table, table_rows in rows.items():
                for row in table_rows:
                    key = (kiosk, table, tuple(row[k] for k in KEYS.get(table, ("id",))))
                    held = centre.rows.get(key)
                    if held is None or held["version"] < row["version"]:
                        centre.rows[key] = row
                    else:
                        centre.ignored += 1
            drop = centre.drop_answer > 0
            centre.drop_answer -= int(drop)
        if centre.hold is not None:
            centre.held.set()
            centre.hold.wait(60)
        if drop:  # stored, but the booth never hears so
            self.close_connection = True
            self.connection.close()
            return None
        return self._send(200, {"acked": body["through"]})

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
