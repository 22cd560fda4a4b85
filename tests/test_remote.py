"""The fleet's remote control on the booth: settings applied between visitors, once per
revision and audited; the status the heartbeat sends; the attract screen's count.

The heartbeat client (kiosk/sync/heartbeat.py) is the boundary: here a small stand-in with
its ``latest()``/``played_today()`` holds the centre's answer; everything behind it (the
kiosk, its writer thread, the SQLite file, the prize ledger) is the real thing.
"""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, date, datetime

from kiosk.booth.fleetsync import start_heartbeat, start_sync
from kiosk.booth.remote import Remote
from kiosk.config import Config
from kiosk.localday import local_date
from kiosk.playlog.resilient import ResilientStore
from tests.fleetkit import CentreServer
from tests.journeykit import open_panel, play_through, press, run_for, settle, tap, tap_button


class Centre:
    """The heartbeat client as the booth sees it: the latest answer, set by the test."""

    def __init__(self) -> None:
        self.answer: dict | None = None
        self.played: int | None = None

    def desire(self, revision: int, **settings) -> None:
        self.answer = {"played_today": self.played, "desired": {"revision": revision, **settings}}

    def latest(self) -> dict | None:
        return self.answer

    def played_today(self) -> int | None:
        return self.played


def kiosk_with_centre(make_kiosk, **kw):
    centre = Centre()
    app = make_kiosk(heartbeat=centre, **kw)
    settle(app)
    return app, centre


def ticks(app, n: int = 1) -> None:
    """Let the remote control look ``n`` times (once a kiosk second), each time after the
    writer thread answered what it asked (it runs in real time, beside the simulated clock)."""
    for _ in range(n):
        settle(app)
        run_for(app, 1.05)


def remote_audits(app) -> list[dict]:
    settle(app)
    rows = [r for r in reversed(app.store.audit_rows(200)) if r["action"] == "remote_settings"]
    return [json.loads(r["detail"]) for r in rows]


def actions(app) -> list[tuple[str, str]]:
    settle(app)
    return [(r["action"], r["detail"]) for r in reversed(app.store.audit_rows(200))]


def today(app) -> str:
    return local_date(app.wall(), app.config.utc_offset_hours).isoformat()


def test_a_remote_pause_waits_for_the_visitor_to_leave(make_kiosk) -> None:
    app, centre = kiosk_with_centre(make_kiosk)
    tap(app, 960, 540)
    tap_button(app, 0)
    assert app.scene.name == "menu"
    centre.desire(1, paused=True)
    run_for(app, 20)  # the visitor reads the menu: nothing changes under them
    assert app.scene.name == "menu" and app.remote.applied_revision == 0
    run_for(app, 60)  # they walk away: the idle countdown returns to attract, then pause
    assert app.scene.name == "paused"
    assert app.remote.status()["paused"] is True
    assert app.remote.status()["applied_revision"] == 1
    tap(app, 960, 540)  # "Back soon": visitors' touches do nothing
    assert app.scene.name == "paused"
    centre.desire(2, paused=False)
    run_for(app, 1.5)
    assert app.scene.name == "attract"
    assert [a["revision"] for a in remote_audits(app)] == [1, 2]
    assert ("pause", "remote") in actions(app) and ("resume", "remote") in actions(app)


def test_a_remote_pause_holds_across_a_restart_without_a_second_audit(make_kiosk) -> None:
    app, centre = kiosk_with_centre(make_kiosk)
    centre.desire(1, paused=True)
    ticks(app)
    assert app.scene.name == "paused"
    app.journey.go("attract")  # the booth restarts: it comes up on the attract screen …
    app.remote = Remote(app, centre)  # … knowing only what its database says
    ticks(app, 2)
    assert app.scene.name == "paused" and app.remote.applied_revision == 1
    assert [a["revision"] for a in remote_audits(app)] == [1]
    centre.desire(2, paused=False)  # and the centre can still lift it
    ticks(app)
    assert app.scene.name == "attract"


def test_a_pause_staff_made_here_is_not_lifted_from_afar(make_kiosk) -> None:
    app, centre = kiosk_with_centre(make_kiosk)
    open_panel(app)
    press(app, app.staff.tr("staff.pause"))
    press(app, app.staff.tr("staff.close"))
    assert app.scene.name == "paused"
    centre.desire(1, paused=False, volume=0.5)
    run_for(app, 2)
    assert app.scene.name == "paused" and app.remote.applied_revision == 1
    assert app.volume_default == 0.5


def test_a_stock_entry_is_applied_once_however_often_it_arrives(make_kiosk) -> None:
    app, centre = kiosk_with_centre(make_kiosk)
    day = today(app)
    gold = {"id": "6f1c-gold", "tier": "gold", "delta": 5, "day": day}
    centre.desire(1, stock=[gold])
    run_for(app, 3)  # the same answer, read three times
    centre.desire(1, stock=[gold])  # and arriving again
    run_for(app, 2)
    silver = {"id": "77aa-silver", "tier": "silver", "delta": -3}  # no day: today
    centre.desire(2, stock=[gold, silver])
    run_for(app, 2)
    settle(app)
    lines = {line.tier: line for line in app.prizes.stock(date.fromisoformat(day))}
    assert (lines["gold"].adjusted, lines["silver"].adjusted) == (5, -3)
    assert app.store.stock_adjustments(day) == {"gold": 5, "silver": -3}
    assert app.store.stock_notes("remote:") == {"remote:6f1c-gold", "remote:77aa-silver"}
    assert [a["revision"] for a in remote_audits(app)] == [1, 2]
    # After a restart the booth knows what it applied: the same entries never count twice.
    restarted = Remote(app, centre)
    app.remote = restarted
    centre.desire(3, stock=[gold, silver])
    ticks(app, 2)
    settle(app)
    assert restarted.applied_revision == 3
    assert app.store.stock_adjustments(day) == {"gold": 5, "silver": -3}


def test_games_switched_off_from_afar_leave_the_menu(make_kiosk) -> None:
    app, centre = kiosk_with_centre(make_kiosk)
    first, second = app.all_games[0].id, app.all_games[1].id
    centre.desire(1, games={first: False, second: True, "no_such_game": False})
    run_for(app, 1.5)
    assert first not in {g.id for g in app.games}
    tap(app, 960, 540)
    tap_button(app, 0)
    assert app.scene.name == "menu"
    assert [g.id for g in app.games] == [g.id for g in app.all_games[1:]]
    settle(app)
    assert app.store.game_switches(today(app)) == {first: False}
    assert (("game_off", f"{first} remote")) in actions(app)
    (audit,) = remote_audits(app)
    assert audit == {"revision": 1, "applied": [f"{first} off"]}
    assert any("no_such_game" in w for w in app.remote.status()["warnings"])


def test_the_last_game_is_never_switched_off_and_bad_values_are_reported(make_kiosk) -> None:
    app, centre = kiosk_with_centre(make_kiosk)
    games = {g.id: False for g in app.all_games}
    centre.desire(1, games=games, volume="loud", stock=[{"tier": "gold", "delta": 1}])
    run_for(app, 1.5)
    assert len(app.games) == 1  # every switch-off but the last went ahead
    warnings = app.remote.status()["warnings"]
    assert any("the last game" in w for w in warnings)
    assert any("volume 'loud'" in w for w in warnings)
    assert any("without an id" in w for w in warnings)
    assert app.remote.applied_revision == 1 and app.scene.name == "attract"


def test_the_default_volume_is_where_each_visit_starts(make_kiosk) -> None:
    app, centre = kiosk_with_centre(make_kiosk)
    centre.desire(1, volume=0.4)
    run_for(app, 1.5)
    tap(app, 960, 540)
    assert app.speech.volume == 0.4


def test_the_status_snapshot_holds_what_the_heartbeat_sends(make_kiosk) -> None:
    app, _ = kiosk_with_centre(make_kiosk)
    app.prizes  # noqa: B018 - built at start-up by the launcher
    run_for(app, 1.5)
    status = app.remote.status()
    assert set(status) >= {
        "kiosk_id",
        "software_version",
        "uptime_s",
        "screen",
        "db_health",
        "speech_health",
        "backlog",
        "quarantined",
        "stock_left",
        "sold_out",
        "paused",
        "applied_revision",
        "warnings",
    }
    assert status["screen"] == "attract" and status["db_health"] == "ok"
    assert status["speech_health"] == "ok"  # "ready (…)" is no alert on the dashboard
    assert status["stock_left"] == {"gold": 20, "silver": 60, "thanks": 200}
    assert status["sold_out"] == {} and status["paused"] is False
    json.dumps(status)  # what the heartbeat posts
    # Read from another thread while the frame loop keeps publishing: whole snapshots only.
    seen: list[dict] = []
    reader = threading.Thread(target=lambda: seen.extend(app.remote.status() for _ in range(200)))
    reader.start()
    run_for(app, 3)
    reader.join()
    assert all(s["kiosk_id"] == app.config.kiosk_id for s in seen)
    assert app.remote.status()["uptime_s"] >= 4.0


def test_a_sold_out_tier_is_reported_with_its_time(make_kiosk) -> None:
    app, _ = kiosk_with_centre(make_kiosk)
    day = date.fromisoformat(today(app))
    app.staff.adjust_stock("gold", -19, day=day)  # one gold left today
    play_through(app)
    tap_button(app, 0)  # the claim screen: gold, the last one
    assert app.scene.award.tier == "gold"
    run_for(app, 1.5)
    tap(app, *app.scene.done.rect.center)
    run_for(app, 8)
    status = app.remote.status()
    assert status["stock_left"]["gold"] == 0
    assert set(status["sold_out"]) == {"gold"} and status["sold_out"]["gold"].endswith("Z")


def test_the_attract_count_comes_from_the_fleet_and_from_the_booth_offline(make_kiosk) -> None:
    app, centre = kiosk_with_centre(make_kiosk)
    ticks(app)
    assert app.played_today() == 0  # offline, nobody played here yet
    play_through(app)
    tap_button(app, 0)
    tap(app, *app.scene.done.rect.center)
    run_for(app, 8)
    ticks(app, 2)
    assert app.scene.name == "attract" and app.played_today() == 1  # the booth's own
    centre.played = 4321  # the centre answers: the whole carnival
    ticks(app)
    assert app.played_today() == 4321
    centre.played = None  # stale or offline again: back to the booth's own
    ticks(app)
    assert app.played_today() == 1


def test_the_attract_screen_draws_the_count_only_when_there_is_one(make_kiosk) -> None:
    app, centre = kiosk_with_centre(make_kiosk)
    run_for(app, 1.5)
    app.scene.t = 2.0
    app.draw()
    empty = app.canvas.copy()
    centre.played = 1234
    run_for(app, 1.5)
    app.scene.t = 2.0
    app.draw()
    row = app.scene.layout.count_y
    changed = [
        x for x in range(0, 1920, 8) if app.canvas.get_at((x, row)) != empty.get_at((x, row))
    ]
    assert len(changed) > 20  # the pill and its words


def test_a_stock_entry_the_database_refuses_waits_and_keeps_its_id(tmp_path) -> None:
    at = datetime(2026, 7, 18, 4, 0, tzinfo=UTC)
    store = ResilientStore(tmp_path / "scores.db", "K01", now=lambda: at)
    store._store._conn.execute("PRAGMA query_only = ON")
    store.adjust_stock("2026-07-18", "gold", 5, at, "remote:6f1c")
    assert store.pending == 1
    store._store._conn.execute("PRAGMA query_only = OFF")
    assert store.flush() == 1
    assert store.stock_adjustments("2026-07-18") == {"gold": 5}
    assert store.stock_notes("remote:") == {"remote:6f1c"}
    store.close()


def test_stock_entries_wait_while_the_database_cannot_say_what_was_applied(
    make_kiosk, tmp_path
) -> None:
    (tmp_path / "scores.db").mkdir()  # no database to read the booth's history from
    app, centre = kiosk_with_centre(make_kiosk)
    gold = {"id": "6f1c-gold", "tier": "gold", "delta": 5, "day": today(app)}
    centre.desire(1, paused=True, stock=[gold])
    ticks(app, 2)
    assert app.scene.name == "paused"  # settings still apply …
    assert app.prizes.ledger.adjustment(date.fromisoformat(today(app)), "gold") == 0
    assert "fleet stock entries wait" in " ".join(app.remote.status()["warnings"])
    (tmp_path / "scores.db").rmdir()  # staff fix the folder: the database opens again
    run_for(app, 30)
    ticks(app, 3)
    assert app.prizes.ledger.adjustment(date.fromisoformat(today(app)), "gold") == 5
    assert app.store.stock_notes("remote:") == {"remote:6f1c-gold"}
    assert not any("stock entries wait" in w for w in app.remote.status()["warnings"])


def test_the_booth_and_its_heartbeat_over_real_http(make_kiosk, tmp_path) -> None:
    """The launcher's heartbeat (kiosk/booth/fleetsync.py over kiosk/sync/heartbeat.py)
    against a small real centre: the status goes out, the answer's settings and count come
    in, the revision applied goes back."""
    app = make_kiosk()
    kiosk_id = app.config.kiosk_id
    with CentreServer() as server:
        server.centre.tokens["tok"] = kiosk_id
        server.centre.answer = {"played_today": 777, "desired": {"revision": 4, "paused": True}}
        config = Config()
        config.kiosk_id = kiosk_id
        config.database = str(app.store.path)  # the sync thread pushes the kiosk's own file
        config.fleet.url = server.url
        config.fleet.token_file = str(tmp_path / "fleet.token")
        (tmp_path / "fleet.token").write_text("tok\n")
        sync = start_sync(config, app.wall)
        assert sync is not None
        ticks(app)  # a first snapshot
        heartbeat = start_heartbeat(config, sync, app.remote.status, app.wall)
        app.remote.attach(heartbeat)
        try:
            deadline = time.monotonic() + 30
            while heartbeat.latest() is None:
                assert time.monotonic() < deadline, heartbeat.last_error
                time.sleep(0.05)
            ticks(app)
            assert app.scene.name == "paused" and app.played_today() == 777
            assert heartbeat.step()  # the next beat reports what was applied
        finally:
            heartbeat.stop()
            sync.stop()
    first, last = (h["body"] for h in (server.centre.heartbeats[0], server.centre.heartbeats[-1]))
    assert first["kiosk_id"] == kiosk_id and first["screen"] == "attract"
    assert first["applied_revision"] == 0 and first["paused"] is False
    assert (last["applied_revision"], last["paused"], last["screen"]) == (4, True, "paused")
    assert last["booth_clock"].endswith("Z") and "stock_left" in last
