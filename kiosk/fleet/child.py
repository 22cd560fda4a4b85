"""The fleet service as a child process, and a small HTTP client for the booths' API.

Tests (a SIGKILL mid-batch), the fleet benchmark and the demo run the real service the way
organisers do (``smartizen fleet serve`` on waitress) in a process of its own, so killing
it is a real crash; :class:`FleetClient` posts to it over one kept-alive connection, as a
booth's sync thread does.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, TextIO


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class FleetClient:
    """POSTs JSON to one fleet service with a booth's token; reconnects after an error."""

    def __init__(self, port: int, token: str, host: str = "127.0.0.1", timeout: float = 30) -> None:
        self.host, self.port, self.token, self.timeout = host, port, token, timeout
        self._conn: http.client.HTTPConnection | None = None
        self.server_timing = ""  # the last answer's Server-Timing header

    def post(self, path: str, body: dict[str, Any] | bytes) -> tuple[int, Any]:
        """(status, decoded JSON answer). Raises OSError / HTTPException if the line drops."""
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        if self._conn is None:
            self._conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            self._conn.request(
                "POST",
                path,
                body=data,
                headers={
                    "Authorization": f"Bearer {self.token}",
                    "Content-Type": "application/json",
                },
            )
            answer = self._conn.getresponse()
            payload = answer.read()
            self.server_timing = answer.getheader("Server-Timing", "")
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        return answer.status, json.loads(payload) if payload else None

    def sync(self, body: dict[str, Any] | bytes) -> tuple[int, Any]:
        return self.post("/fleet/v1/sync", body)

    def heartbeat(self, body: dict[str, Any]) -> tuple[int, Any]:
        return self.post("/fleet/v1/heartbeat", body)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class FleetProcess:
    """``smartizen fleet serve`` on ``dsn`` in a child process, on a free loopback port."""

    def __init__(
        self, dsn: str, *, port: int | None = None, threads: int = 8, log: Path | None = None
    ) -> None:
        self.dsn = dsn
        self.port = port or free_port()
        self.threads = threads
        self.log_path = log
        self.proc: subprocess.Popen[bytes] | None = None
        self._log: TextIO | None = None

    def start(self, timeout: float = 60) -> FleetProcess:
        """Start the service and wait until it answers; returns self."""
        fd, name = tempfile.mkstemp(prefix="fleet-", suffix=".toml")
        config = Path(name)
        with os.fdopen(fd, "w") as f:
            f.write(f"dsn = {json.dumps(self.dsn)}\nport = {self.port}\nthreads = {self.threads}\n")
        self._log = (
            self.log_path.open("a") if self.log_path else open(os.devnull, "w")  # noqa: SIM115
        )
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kiosk.cli", "fleet", "--config", str(config), "serve"],
            stdout=self._log,
            stderr=self._log,
        )
        try:
            self._wait_ready(timeout)
        except RuntimeError:
            self.stop()
            raise
        finally:
            config.unlink(missing_ok=True)
        return self

    def _wait_ready(self, timeout: float) -> None:
        assert self.proc is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the fleet service exited with {self.proc.returncode}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/fleet/v1/health")
                status = conn.getresponse().status
                conn.close()
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"the fleet service did not answer on port {self.port}")

    def kill(self) -> None:
        """SIGKILL, as a crash or a power cut would."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=30)
        self._close_log()

    def stop(self) -> None:
        """Stop it as Ctrl-C would; SIGKILL if it does not exit in time."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self._close_log()

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    def client(self, token: str) -> FleetClient:
        return FleetClient(self.port, token)

    def __enter__(self) -> FleetProcess:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
