"""The systemd notify protocol, against a real datagram socket standing in for systemd."""

from __future__ import annotations

import configparser
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from kiosk import ROOT
from kiosk.booth.watchdog import SystemdNotifier


@pytest.fixture
def notify_socket(tmp_path: Path):
    path = tmp_path / "notify.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    sock.settimeout(5)
    yield path, sock
    sock.close()


def listen(sock: socket.socket) -> list[str]:
    """Like systemd: read until STOPPING=1 (or 60 s of silence)."""
    out = []
    sock.settimeout(60)
    while not out or out[-1] != "STOPPING=1":
        try:
            out.append(sock.recv(256).decode())
        except TimeoutError:
            break
    return out


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


def test_the_kiosk_main_loop_notifies_systemd(notify_socket, tmp_path: Path) -> None:
    path, sock = notify_socket
    messages: list[str] = []
    listener = threading.Thread(target=lambda: messages.extend(listen(sock)), daemon=True)
    listener.start()
    env = dict(os.environ, NOTIFY_SOCKET=str(path), WATCHDOG_USEC="200000")
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "launch.py"),
            "--headless",
            "--fast",
            "--mute",
            "--autoplay",
            "1",
            "--seed",
            "2",
            "--db",
            str(tmp_path / "s.db"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    listener.join(timeout=5)
    assert messages[0] == "READY=1"
    assert messages.count("WATCHDOG=1") >= 2
    assert messages[-1] == "STOPPING=1"
    assert (tmp_path / "logs" / "kiosk.log").exists()  # the rotating log, in the working dir


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
