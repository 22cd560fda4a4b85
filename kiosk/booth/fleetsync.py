"""The booth's link to the fleet (docs/fleet-contract.md): kiosk.toml's ``[fleet]`` turned
into the sync thread (kiosk/sync/pusher.py) and the heartbeat thread
(kiosk/sync/heartbeat.py, which carries the booth's status out and the remote settings in:
kiosk/booth/remote.py), or nothing.

No ``url``: the booth is an island, as before. A token file that is missing, unreadable or
empty is one warning line at start-up and no sync, never a refusal to serve: the booth's
own database keeps every play, and the outbox pushes the whole backlog once the token is in
place and the kiosk restarts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from kiosk.config import Config
from kiosk.sync.heartbeat import Heartbeat
from kiosk.sync.pusher import Pusher

log = logging.getLogger(__name__)


def read_token(config: Config) -> str | None:
    """The booth's fleet token from ``[fleet] token_file``, or None with one warning."""
    path = Path(config.fleet.token_file)
    try:
        token = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        log.warning(
            "fleet: cannot read the token file %s (%s); this booth keeps its plays and does "
            "not sync until it can",
            path,
            reason,
        )
        return None
    if not token or len(token.splitlines()) != 1:
        log.warning(
            "fleet: the token file %s must hold the booth's token on one line; this booth "
            "keeps its plays and does not sync until it does",
            path,
        )
        return None
    return token


def start_sync(config: Config, wall: Callable[[], datetime]) -> Pusher | None:
    """The running sync thread for this booth, or None (an island, or no token)."""
    if not config.fleet.url:
        return None
    token = read_token(config)
    if token is None:
        return None
    pusher = Pusher(config.database, config.fleet.url, token, config.kiosk_id, wall=wall)
    pusher.start()
    log.info("fleet: pushing %s to %s as %s", config.database, config.fleet.url, config.kiosk_id)
    return pusher


def start_heartbeat(
    config: Config, sync: Pusher, status: Callable[[], dict], wall: Callable[[], datetime]
) -> Heartbeat:
    """The running heartbeat thread beside the running ``sync`` thread (same centre, same
    token), posting ``status()``: the booth's snapshot (kiosk/booth/remote.py)."""
    heartbeat = Heartbeat(config.fleet.url, sync.token, config.kiosk_id, status, wall=wall)
    heartbeat.start()
    log.info("fleet: heartbeat to %s as %s", config.fleet.url, config.kiosk_id)
    return heartbeat
