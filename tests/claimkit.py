"""Claim-server tests on either store: the SQLite file or the central PostgreSQL.

The ``claims_dsn`` fixture (tests/conftest.py) runs a test once per store: ``""`` for the
SQLite file, or a fresh migrated central database's DSN. These helpers read the rows the
test wants to see and write claims.toml the same way for both; :func:`claim_server` runs
``smartizen serve-claims`` in its own process and :class:`DeskClient` works its desk pages.
"""

from __future__ import annotations

import contextlib
import http.client
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import psycopg

from kiosk.claims.pgstore import PgClaimStore
from kiosk.claims.redemptions import RedemptionStore
from kiosk.claims.settings import ClaimsSettings
from kiosk.claims.store import ClaimStore
from kiosk.prizes import claimcode, eventkey
from kiosk.prizes.claimcode import Claim


def make_code(key: eventkey.SigningKey, serial: int = 153, **kw: Any) -> str:
    """A genuine gold code from kiosk K07, issued 2026-07-18 (``kw`` changes any field)."""
    values: dict[str, Any] = {
        "event": 2026,
        "key_id": key.key_id,
        "kiosk": "K07",
        "serial": serial,
        "tier": "gold",
        "issued": date(2026, 7, 18),
        "lang": "en",
        "nonce": 1000 + serial,
    }
    values.update(kw)
    return claimcode.sign(Claim(**values), key.private)


def rows(store: ClaimStore, table: str, columns: str) -> list[tuple[Any, ...]]:
    """Every row of a claim table (its SQLite name: ``login_failures`` …), either store."""
    if isinstance(store, PgClaimStore):
        with psycopg.connect(store.dsn) as conn:
            return conn.execute(f"SELECT {columns} FROM claim_{table}").fetchall()
    assert isinstance(store, RedemptionStore)
    return store.connection().execute(f"SELECT {columns} FROM {table}").fetchall()


def store_toml(settings: ClaimsSettings) -> str:
    """The claims.toml lines naming ``settings``' store (to append after top-level keys)."""
    line = f'database = "{settings.database}"\n'
    if settings.postgres.dsn:
        line += f'[postgres]\ndsn = "{settings.postgres.dsn}"\n'
    return line


def write_config(path: Path, settings: ClaimsSettings, **keys: object) -> Path:
    """claims.toml with ``settings``' key, PIN and store, and ``keys`` (TOML-quoted strings
    or numbers) at the top level."""
    lines = [f'public_key = "{settings.public_key}"', f'pin_hash = "{settings.pin_hash}"']
    for name, value in keys.items():
        lines.append(f'{name} = "{value}"' if isinstance(value, str) else f"{name} = {value}")
    path.write_text("\n".join(lines) + "\n" + store_toml(settings))
    return path


@contextlib.contextmanager
def claim_server(config: Path, timeout_s: float = 60.0) -> Iterator[str]:
    """``smartizen serve-claims --config config`` in its own process on a free port, as a
    desk machine runs it; yields its base URL once it answers, stops it afterwards."""
    port = free_port()
    log = config.with_name(f"serve-claims-{port}.log")
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kiosk.cli",
                "serve-claims",
                "--config",
                str(config),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while not _answers(base):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"serve-claims did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        code = proc.wait(timeout=30)
    # SIGTERM is how systemd stops a desk: a clean stop, not a kill.
    assert code == 0, f"serve-claims exited {code} on SIGTERM:\n{log.read_text()[-3000:]}"
    assert "claim server stopped" in log.read_text()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _answers(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=2) as answer:
            return answer.status == 200
    except OSError:
        return False


class DeskClient:
    """A member of staff's browser, reduced to what the desk pages need: cookies, the form
    token, and forms posted without following redirects."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies: dict[str, str] = {}
        self.csrf = ""
        self.last = ""  # the last page's text
        self._lock = threading.Lock()

    def moved_to(self, base: str) -> DeskClient:
        """The same cookies and form token, sent to another server process."""
        other = DeskClient(base)
        other.cookies, other.csrf = dict(self.cookies), self.csrf
        return other

    def get(self, path: str) -> tuple[int, str]:
        return self._request("GET", path, None)

    def post(self, path: str, form: dict[str, str]) -> tuple[int, str]:
        return self._request("POST", path, urlencode({**form, "csrf": self.csrf}))

    def log_in(self, pin: str, desk: str) -> int:
        """The login form filled in: 200 when the desk page follows, else the login's status."""
        self.get("/desk")
        status, _ = self.post("/desk/login", {"pin": pin, "desk": desk})
        return self.get("/desk")[0] if status == 303 else status

    @staticmethod
    def headline(html: str) -> str:
        found = re.search(r'<p class="headline">([^<]+)</p>', html)
        return found.group(1) if found else ""

    def _request(self, method: str, path: str, body: str | None) -> tuple[int, str]:
        host, port = self.base.removeprefix("http://").split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body, headers)
            answer = conn.getresponse()
            text = answer.read().decode()
        finally:
            conn.close()
        with self._lock:
            for header in answer.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                value = rest.split(";", 1)[0]
                if value and "1970" not in header:
                    self.cookies[name] = value
                else:  # cleared by the server
                    self.cookies.pop(name, None)
            token = re.search(r'name="csrf" value="([^"]+)"', text)
            if token:
                self.csrf = token.group(1)
            self.last = text
        return answer.status, text
