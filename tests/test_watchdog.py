"""The systemd notify protocol, against a real datagram socket standing in for systemd."""

from __future__ import annotations

import configparser
import socket
from pathlib import Path

import pytest

from kiosk import ROOT
from kiosk.booth.watchdog import SystemdNotifier
from tests.bootkit import BoothRun


@pytest.fixture
def notify_socket(tmp_path: Path):
    path = tmp_path / "notify.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    sock.settimeout(5)
    yield path, sock
    sock.close()


def test_a_systemd_that_stops_reading_never_blocks_the_kiosk(notify_socket) -> None:
    path, _sock = notify_socket  # nobody reads: the queue fills after a few messages
    notifier = SystemdNotifier({"NOTIFY_SOCKET": str(path), "WATCHDOG_USEC": "2"})
    for t in range(1000):
        notifier.ping(now=float(t))  # returns at once even with the queue full


def received(sock: socket.socket) -> list[str]:
    messages = []
    sock.settimeout(0.2)
    try:
        while True:
            messages.append(sock.recv(256).decode())
    except TimeoutError:
        return messages


def test_ready_and_rate_limited_watchdog_pings(notify_socket) -> None:
    path, sock = notify_socket
    notifier = SystemdNotifier({"NOTIFY_SOCKET": str(path), "WATCHDOG_USEC": "4000000"})
    assert notifier.enabled and notifier.interval_s == 2.0
    notifier.ready()
    for t in (0.0, 0.5, 1.9, 2.0, 3.0, 4.1):
        notifier.ping(now=t)
    assert received(sock) == ["READY=1", "WATCHDOG=1", "WATCHDOG=1", "WATCHDOG=1"]


def test_outside_systemd_it_does_nothing() -> None:
    notifier = SystemdNotifier({})
    assert not notifier.enabled
    notifier.ready()
    notifier.ping()


def test_the_kiosk_main_loop_notifies_systemd(booth_run: BoothRun) -> None:
    assert booth_run.proc.returncode == 0, booth_run.proc.stderr[-2000:]
    messages = booth_run.notify
    assert messages[0] == "READY=1"
    assert messages.count("WATCHDOG=1") >= 2
    assert messages[-1] == "STOPPING=1"
    assert (booth_run.folder / "logs" / "kiosk.log").exists()  # the rotating log, in the cwd


def test_unit_file_restarts_a_frozen_or_dead_kiosk_but_not_a_staff_quit() -> None:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.read(ROOT / "deploy" / "smartizen-kiosk.service")
    service = unit["Service"]
    assert service["Type"] == "notify" and int(service["WatchdogSec"]) > 0
    assert service["Restart"] == "always"
    assert service["RestartPreventExitStatus"] == "3"
    assert int(unit["Unit"]["StartLimitBurst"]) > 0

    from kiosk.booth.app import STAFF_QUIT_EXIT

    assert STAFF_QUIT_EXIT == 3
