"""systemd's notify protocol, spoken directly: READY=1 once, WATCHDOG=1 from the frame loop.

With ``Type=notify`` and ``WatchdogSec=`` in the unit (deploy/smartizen-kiosk.service),
systemd restarts a kiosk whose main loop froze, not only one whose process died. Outside
systemd (no ``NOTIFY_SOCKET``) every call does nothing.
"""

from __future__ import annotations

import logging
import os
import socket
import time

log = logging.getLogger(__name__)


class SystemdNotifier:
    def __init__(self, environ: dict[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        address = env.get("NOTIFY_SOCKET", "")
        if address.startswith("@"):  # abstract namespace socket
            address = "\0" + address[1:]
        self._address = address or None
        self._sock: socket.socket | None = None
        usec = env.get("WATCHDOG_USEC", "")
        # Ping at half the watchdog period, as sd_watchdog_enabled(3) recommends.
        self.interval_s = int(usec) / 2e6 if usec.isdigit() and int(usec) > 0 else 5.0
        self._last_ping = float("-inf")
        if self._address:
            try:
                self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
                # Never block the frame loop: if systemd stops reading, the datagram queue
                # (net.unix.max_dgram_qlen, often 10) fills and a blocking send would freeze
                # the kiosk. A dropped ping is harmless; a frozen loop is what we guard against.
                self._sock.setblocking(False)
            except OSError:
                log.exception("cannot open the systemd notify socket")

    @property
    def enabled(self) -> bool:
        return self._sock is not None

    def notify(self, message: str) -> None:
        if self._sock is None:
            return
        try:
            self._sock.sendto(message.encode(), self._address)
        except BlockingIOError:
            log.debug("systemd notify queue full; %r dropped", message)
        except OSError:
            # systemd gone or restarting: the kiosk keeps serving visitors regardless.
            log.warning("systemd notify %r failed", message, exc_info=True)

    def ready(self) -> None:
        self.notify("READY=1")

    def ping(self, now: float | None = None) -> None:
        """Call every frame; sends WATCHDOG=1 at most once per half watchdog period."""
        now = time.monotonic() if now is None else now
        if self._sock is not None and now - self._last_ping >= self.interval_s:
            self._last_ping = now
            self.notify("WATCHDOG=1")

    def stopping(self) -> None:
        self.notify("STOPPING=1")
