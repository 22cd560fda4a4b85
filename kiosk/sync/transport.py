"""What the sync and heartbeat threads share: one JSON POST to the centre, the back-off
between failed tries, and a log that speaks once per change of state.

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
import urllib.error
import urllib.request
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
