"""What the sync and heartbeat threads share: the thread itself (rounds until stopped), one
JSON POST to the centre, the back-off between failed tries, and a log that speaks once per
change of state.

Plain ``urllib`` (standard library only, one connection per request: a push every few
seconds needs no keep-alive), without the environment's HTTP proxy: the fleet service is
on the venue LAN, and a proxy set for the booth PC's updates must not swallow its pushes.
"""

from __future__ import annotations

import http.client
import json
import logging
import random
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

log = logging.getLogger("kiosk.sync")

_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
# What a centre that is down, restarting or unreachable raises (URLError is an OSError).
UNREACHABLE = (OSError, http.client.HTTPException, socket.timeout)


@dataclass(frozen=True)
class Answer:
    """The centre's answer: HTTP ``status`` and its body, decoded if it was JSON."""

    status: int
    body: Any  # a dict for JSON, else the text (a one-line reason on 4xx)

    def reason(self) -> str:
        """The answer in one short line, for the log and the staff panel."""
        if isinstance(self.body, dict):
            text = self.body.get("error") or self.body.get("reason") or json.dumps(self.body)
        else:
            text = str(self.body)
        text = " ".join(str(text).split())[:160]
        return f"HTTP {self.status}" + (f": {text}" if text else "")


def post_json(url: str, token: str, body: dict[str, Any], timeout_s: float) -> Answer:
    """POST ``body`` as JSON with the booth's bearer token; every HTTP status is an
    :class:`Answer`. Raises one of :data:`UNREACHABLE` when no answer came."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode(),
        method="POST",
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Connection": "close",
        },
    )
    try:
        with _OPENER.open(request, timeout=timeout_s) as response:
            return Answer(response.status, _decode(response.read()))
    except urllib.error.HTTPError as exc:
        with exc:
            return Answer(exc.code, _decode(exc.read()))


def _decode(raw: bytes) -> Any:
    text = raw.decode("utf-8", errors="replace")
    try:
        return json.loads(text)
    except ValueError:
        return text.strip()


def utc_iso(moment: datetime) -> str:
    """The contract's timestamp text, ``2026-07-18T02:00:01.123Z`` (the play log's format;
    this room may not import it)."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def describe(exc: BaseException) -> str:
    """An exception in one short line (``URLError`` hides its reason one level down)."""
    reason = getattr(exc, "reason", None)
    if isinstance(reason, BaseException):
        exc = reason
    return f"{type(exc).__name__}: {exc}"[:160]


class Backoff:
    """Exponential back-off with jitter: about 1 s after the first failure, doubling to a
    cap of 60 s, each delay drawn from its upper half so many booths coming back after a
    venue-wide outage do not knock on the centre in step."""

    def __init__(self, first_s: float = 1.0, cap_s: float = 60.0, rng: random.Random | None = None):
        self.first_s, self.cap_s = first_s, cap_s
        self.rng = rng or random.Random()
        self.failures = 0

    def next(self) -> float:
        """The delay before the next try after one more failure."""
        self.failures += 1
        ceiling = min(self.cap_s, self.first_s * 2 ** (self.failures - 1))
        return max(self.first_s, ceiling * (0.5 + 0.5 * self.rng.random()))

    def reset(self) -> None:
        self.failures = 0


class StateLog:
    """Logs one line when the state changes, not on every try in the same state."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.state = "starting"

    def set(self, state: str, detail: str = "", level: int = logging.WARNING) -> bool:
        """Enter ``state``; True (and one log line) if it differs from the last one."""
        if state == self.state:
            return False
        self.state = state
        log.log(level, "%s: %s%s", self.what, state, f" ({detail})" if detail else "")
        return True


class Rounds:
    """A daemon thread that runs :meth:`round` until stopped, waiting the seconds each round
    returns. ``sleep(seconds) -> bool`` waits and says whether to stop (default: the stop
    event's wait); tests inject one that plays simulated time."""

    thread_name = "fleet"

    def __init__(self, sleep: Callable[[float], bool] | None = None) -> None:
        self._stop = threading.Event()
        self._sleep = sleep or self._stop.wait
        self._thread: threading.Thread | None = None

    def round(self) -> float:
        """One round; returns the seconds to wait before the next."""
        raise NotImplementedError

    def after_crash(self) -> float:
        """Seconds to wait after :meth:`round` raised (a bug, logged with its traceback)."""
        return 60.0

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=self.thread_name, daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 3.0) -> None:
        """Stop after the current round; a request in flight is left to time out on its
        own (the thread is a daemon): stopping the booth never waits for the network."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_s)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                delay = self.round()
            except Exception:  # a bug here must not silence the booth for the day
                log.exception("%s: unexpected failure; trying again later", self.thread_name)
                delay = self.after_crash()
            if self._sleep(delay):
                return
