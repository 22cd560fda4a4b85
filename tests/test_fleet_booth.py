"""The booth with a fleet: kiosk.toml's [fleet], the sync thread started and stopped with
the kiosk, the staff panel's line, and real ``launch.py`` kiosks killed or stopped while
they push to a small real centre (tests/fleetkit.py)."""

from __future__ import annotations

import logging
import signal
import sqlite3
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.booth.fleetsync import read_token, start_sync
from kiosk.config import Config, ConfigError
from kiosk.sync import outbox
from kiosk.sync.pusher import Pusher
from tests.fleetkit import (
    BOOT_TIMEOUT_S,
    KEYS,
    T0,
    Centre,
    CentreServer,
    kiosk_folder,
    local_rows,
    start_kiosk,
)
from tests.journeykit import open_panel


@pytest.fixture
def server():
    with CentreServer(Centre(tokens={"tok-K07": "K07"})) as srv:
        yield srv


def config_with(tmp_path: Path, url: str, token: str | None) -> Config:
    token_file = tmp_path / "fleet.token"
    if token is not None:
        token_file.write_text(token + "\n")
    text = f'kiosk_id = "K07"\ndatabase = "{tmp_path / "scores.db"}"\n'
    text += f'[fleet]\nurl = "{url}"\ntoken_file = "{token_file}"\n'
    path = tmp_path / "kiosk.toml"
    path.write_text(text)
    return Config.load(path)


def test_without_a_fleet_url_the_booth_is_an_island(tmp_path):
    assert Config().fleet.url == ""
    assert start_sync(Config(), lambda: T0) is None


def test_a_bad_fleet_url_stops_the_launcher_with_one_line(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text('[fleet]\nurl = "fleet.park.lan"\n')
    with pytest.raises(ConfigError) as caught:
        Config.load(path)
    message = str(caught.value)
    assert "\n" not in message and 'fleet.url = "fleet.park.lan"' in message
    assert "http://fleet.park.lan:8700" in message


@pytest.mark.parametrize("token", [None, "", "two\nlines"], ids=["missing", "empty", "lines"])
def test_an_unusable_token_file_is_one_warning_and_the_booth_serves_offline(
    tmp_path, server, caplog, token
):
    config = config_with(tmp_path, server.url, token)
    caplog.set_level(logging.WARNING)
    assert read_token(config) is None
    assert start_sync(config, lambda: T0) is None
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 2 and all("fleet.token" in line for line in lines)
    assert all("\n" not in line and "does not sync" in line for line in lines)


def test_with_a_url_and_a_token_the_sync_thread_runs(tmp_path, server):
    from kiosk.playlog.store import PlayStore

    config = config_with(tmp_path, server.url, "tok-K07")
    with PlayStore(config.database, "K07") as store:
        store.start_play("recycle_right", "en", "normal", T0)
    pusher = start_sync(config, lambda: T0)
    assert isinstance(pusher, Pusher) and pusher.running
    try:
        deadline = time.monotonic() + 30
        while pusher.backlog != 0 and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        pusher.stop()
    assert not pusher.running and len(server.centre.table("plays")) == 1


def test_the_staff_panel_shows_the_backlog_and_the_last_push(make_kiosk, server, tmp_path):
    app = make_kiosk()
    assert app.staff.fleet_status() == ""  # an island: no line
    app.store.submit(lambda s: s.audit("staff_login", T0)).result(timeout=30)
    db = Path(app.store.submit(lambda s: s.path).result(timeout=30))
    pusher = Pusher(db, server.url, "tok-K07", "K01", wall=lambda: T0 + timedelta(minutes=5))
    app.fleet_sync = pusher
    assert app.staff.fleet_status() == "Fleet: ? to send · last sent not yet"
    server.centre.tokens["tok-K07"] = "K01"
    pusher.step()
    assert app.staff.fleet_status() == "Fleet: 0 to send · last sent 10:05"  # local time
    server.down()
    app.store.submit(lambda s: s.audit("pause", T0)).result(timeout=30)
    pusher.step()
    assert app.staff.fleet_status() == ("Fleet: 1 to send · last sent 10:05 · centre unreachable")
    app.staff.toggle_language()
    assert app.staff.fleet_status().startswith("中央數據庫：1 項未傳送 · 上次傳送 10:05")
    open_panel(app)
    app.draw()  # the line fits the panel's status lines in both languages
    app.staff.toggle_language()
    app.draw()


# -- real kiosks -------------------------------------------------------------------------------
def test_a_kiosk_killed_between_push_and_acknowledgement_loses_nothing_and_counts_once(
    tmp_path, server
):
    config, db = kiosk_folder(tmp_path, server.url)
    centre = server.centre
    # Store the first batch with a play in it (visits go first: the touch), hold the answer.
    centre.hold_if = lambda body: bool(body["rows"].get("plays"))
    centre.hold = threading.Event()
    proc = start_kiosk(tmp_path, config, db)
    try:
        assert centre.held.wait(BOOT_TIMEOUT_S), "no push arrived"
        first = next(b for b in centre.batches if b["rows"].get("plays"))
        proc.send_signal(signal.SIGKILL)  # the centre has the rows; the booth never hears
        proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
        centre.hold.set()
    conn = sqlite3.connect(db)
    try:
        assert outbox.acked(conn) < first["through"]  # never acknowledged locally
    finally:
        conn.close()
    # The booth starts again: its sync thread pushes everything not acknowledged.
    centre.hold = None
    pusher = Pusher(db, server.url, "tok-K07", "K07")
    for _ in range(100):
        pusher.step()
        assert pusher.last_error is None, pusher.last_error
        if pusher.backlog == 0:
            break
    # Every row of the unacknowledged batch is sent again (as it was, or at a newer version
    # if the booth changed it before it was killed) …
    after = centre.batches[centre.batches.index(first) + 1 :]
    assert row_keys(first) <= set().union(*(row_keys(b) for b in after))
    for table in ("plays", "visits", "audit"):
        local = local_rows(db, table)
        central = {r["id"]: r for r in centre.table(table)}
        assert central == local  # … landed once each, nothing lost, at its latest version
    assert local_rows(db, "plays"), "the kiosk played before it was killed"


def row_keys(batch: dict) -> set[tuple]:
    return {
        (table, *(row[k] for k in KEYS.get(table, ("id",))))
        for table, rows in batch["rows"].items()
        for row in rows
    }


def test_a_kiosk_with_a_fleet_stops_promptly_on_sigterm(tmp_path, server):
    config, db = kiosk_folder(tmp_path, server.url)
    proc = start_kiosk(tmp_path, config, db)
    try:
        deadline = time.monotonic() + BOOT_TIMEOUT_S
        while not server.centre.table("plays"):
            assert proc.poll() is None, proc.communicate()[1][-3000:]
            assert time.monotonic() < deadline, "no play reached the centre"
            time.sleep(0.05)
        server.down()  # and the centre goes away: a push may be failing as we stop
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err[-3000:]
    assert f"fleet: pushing {db} to {server.url} as K07" in err
    assert "Traceback" not in err
    assert "SIGTERM received: stopping" in err
