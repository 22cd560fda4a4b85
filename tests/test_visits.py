"""Visits: one row per visitor from the attract touch, each stage stamped by the writer thread;
the tier a score earned beside the tier given; the organisers' funnel over both."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner

from kiosk.cli import cli
from kiosk.config import PrizeTier
from kiosk.playlog.resilient import ResilientStore
from kiosk.playlog.store import PlayStore
from kiosk.playlog.writer import Inline
from kiosk.prizes import eventkey, statefile
from kiosk.prizes.awards import Prizes
from tests.journeykit import play_through, run_for, settle, start_round, tap, tap_button

NOON_HK = datetime(2026, 7, 18, 4, 0, tzinfo=UTC)


def visits(app) -> list[dict]:
    settle(app)
    return app.store.visits()


def test_a_whole_journey_stamps_every_stage_of_one_visit(make_kiosk) -> None:
    app = make_kiosk()
    play_through(app)
    tap_button(app, 0)  # result → claim: the QR
    assert app.scene.name == "claim" and app.scene.qr is not None
    tap(app, *app.scene.done.rect.center)
    run_for(app, 6)
    assert app.scene.name == "attract"
    (visit,) = visits(app)
    (play,) = app.store.plays()
    assert visit["kiosk_id"] == app.config.kiosk_id
    assert (visit["language"], visit["game"], visit["play_id"]) == ("en", play["game"], play["id"])
    assert visit["last_stage"] == "qr"
    stamps = [
        visit[c]
        for c in (
            "touched_at",
            "language_chosen_at",
            "game_chosen_at",
            "play_started_at",
            "finished_at",
            "qr_shown_at",
            "left_at",
        )
    ]
    assert None not in stamps and stamps == sorted(stamps)
    assert visit["play_started_at"] == play["started_at"]
    assert visit["finished_at"] == play["ended_at"]


def test_a_visitor_who_walks_away_at_the_language_screen(make_kiosk) -> None:
    app = make_kiosk()
    tap(app, 960, 540)
    assert app.scene.name == "language"
    run_for(app, 60)  # the menu limit, then "Still playing?" runs out
    assert app.scene.name == "attract"
    (visit,) = visits(app)
    assert visit["last_stage"] == "touched"
    assert visit["left_at"] is not None and visit["language_chosen_at"] is None
    assert visit["play_id"] is None and app.store.plays() == []


def test_a_visitor_who_walks_away_mid_game(make_kiosk) -> None:
    app = make_kiosk()
    start_round(app)
    run_for(app, 240)  # nobody touches the game: it asks, then gives up
    assert app.scene.name == "attract"
    (visit,) = visits(app)
    (play,) = app.store.plays()
    assert play["outcome"] == "abandoned" and visit["play_id"] == play["id"]
    assert visit["last_stage"] == "started"  # never completed
    assert visit["finished_at"] == play["ended_at"] and visit["left_at"] >= play["ended_at"]
    assert visit["qr_shown_at"] is None


def test_two_visitors_are_two_visits(make_kiosk) -> None:
    app = make_kiosk()
    for _ in range(2):
        tap(app, 960, 540)
        tap_button(app, 1)  # 中文
        run_for(app, 60)
    rows = visits(app)
    assert len(rows) == 2 and rows[0]["id"] != rows[1]["id"]
    assert [r["language"] for r in rows] == ["zh-HK", "zh-HK"]
    assert all(r["last_stage"] == "language" for r in rows)


def test_visit_writes_the_database_refuses_are_buffered_and_replayed(tmp_path: Path) -> None:
    clock = [NOON_HK]
    store = ResilientStore(tmp_path / "scores.db", "K01", now=lambda: clock[0])
    store._store._conn.execute("PRAGMA query_only = ON")
    store.start_visit("v1", NOON_HK)
    store.update_visit("v1", "language", NOON_HK + timedelta(seconds=3), "zh-HK")
    store.update_visit("v1", "left", NOON_HK + timedelta(seconds=40))
    assert store.pending == 3
    assert store.side_file.read_text().count("visit") == 3
    store._store._conn.execute("PRAGMA query_only = OFF")
    assert store.flush() == 3
    (visit,) = store.visits()
    assert (visit["language"], visit["last_stage"]) == ("zh-HK", "language")
    assert visit["left_at"] == "2026-07-18T04:00:40.000Z"
    store.flush()  # a replay of the same writes changes nothing
    assert len(store.visits()) == 1
    store.close()


def test_last_stage_only_moves_forward_and_unknown_stages_are_refused(tmp_path: Path) -> None:
    with PlayStore(tmp_path / "scores.db", "K01") as store:
        store.start_visit("v1", NOON_HK)
        store.update_visit("v1", "game", NOON_HK, "park_smart")
        store.update_visit("v1", "language", NOON_HK, "en")  # went back to change language
        assert store.visits()[0]["last_stage"] == "game"
        store.update_visit("v1", "finished", NOON_HK, "abandoned")
        assert store.visits()[0]["last_stage"] == "game"
        store.update_visit("ghost", "left", NOON_HK)  # logged, nothing written
        assert [v["id"] for v in store.visits()] == ["v1"]
        try:
            store.update_visit("v1", "name", NOON_HK, "Alice")
        except ValueError as exc:
            assert "unknown visit stage" in str(exc)
        else:
            raise AssertionError("an unknown stage was accepted")


def make_prizes(store: PlayStore, tmp_path: Path) -> Prizes:
    return Prizes(
        jobs=Inline(store),
        state_path=statefile.path_for(store.path),
        key=eventkey.generate(tmp_path / "event.key"),
        tiers=[PrizeTier("gold", 85, 1), PrizeTier("silver", 60, 1)],
        event_id=2026,
        kiosk_id="K07",
        claim_url="HTTPS://CLAIM.EXAMPLE.HK/C/",
        utc_offset_hours=8.0,
        now=lambda: NOON_HK,
    )


def test_earned_and_given_tiers_downgrades_and_sell_outs_are_data(tmp_path: Path) -> None:
    db = tmp_path / "scores.db"
    with PlayStore(db, "K07") as store:
        prizes = make_prizes(store, tmp_path)
        given = []
        for minute, score in enumerate((95, 95, 95, 70)):
            ended = NOON_HK + timedelta(minutes=minute)
            play = store.start_play("recycle_right", "en", "adult", ended - timedelta(seconds=50))
            store.finish_play(play, "completed", ended, score, {})
            award = prizes.award(play, "en", score, ended).result()
            given.append((award.earned, award.tier))
            row = store.get(play)
            assert (row["earned_tier"], row["prize_tier"]) == (award.earned, award.tier)
        assert given == [("gold", "gold"), ("gold", "silver"), ("gold", None), ("silver", None)]
        sold = [a["detail"] for a in store.audit_rows() if a["action"] == "sold_out"]
        assert sorted(sold) == ["2026-07-18 gold", "2026-07-18 silver"]
        day = prizes.today(NOON_HK)
        assert prizes.sold_out_at(day) == {
            "gold": NOON_HK,
            "silver": NOON_HK + timedelta(minutes=1),
        }
    result = CliRunner().invoke(cli, ["funnel", "--db", str(db), "--format", "json"])
    assert result.exit_code == 0, result.output
    tiers = {t["tier"]: t for t in json.loads(result.output)["tiers"]}
    assert tiers["gold"] == {
        "tier": "gold",
        "earned": 3,
        "given": 1,
        "downgraded": 0,
        "sold_out_earners": 1,
        "sold_out_at": "2026-07-18T04:00:00.000Z",
    }
    assert (tiers["silver"]["earned"], tiers["silver"]["given"]) == (1, 1)
    assert (tiers["silver"]["downgraded"], tiers["silver"]["sold_out_earners"]) == (1, 1)


def test_the_funnel_counts_visits_by_how_far_they_got(make_kiosk) -> None:
    app = make_kiosk()
    tap(app, 960, 540)  # walks away at the language screen
    run_for(app, 60)
    start_round(app)  # walks away mid-game
    run_for(app, 240)
    play_through(app)  # plays, sees the QR
    tap_button(app, 0)
    tap(app, *app.scene.done.rect.center)
    run_for(app, 6)
    settle(app)
    db = str(app.store.path)
    result = CliRunner().invoke(cli, ["funnel", "--db", db, "--format", "json"])
    assert result.exit_code == 0, result.output
    counts = {s["stage"]: s["visits"] for s in json.loads(result.output)["funnel"]}
    assert counts == {
        "touched": 3,
        "language": 2,
        "game": 2,
        "started": 2,
        "completed": 1,
        "qr": 1,
    }
    table = CliRunner().invoke(cli, ["funnel", "--db", db])
    assert table.exit_code == 0, table.output
    assert "Saw a prize QR code" in table.output and "33.3%" in table.output


def test_a_log_from_before_visits_gets_a_clear_message(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    conn.execute(
        "CREATE TABLE plays (id TEXT PRIMARY KEY, kiosk_id TEXT, game TEXT, language TEXT, "
        "difficulty TEXT, started_at TEXT, outcome TEXT)"
    )
    conn.commit()
    conn.close()
    result = CliRunner().invoke(cli, ["funnel", "--db", str(db)])
    assert result.exit_code == 1
    assert "no visits" in result.output and "Traceback" not in result.output


def test_merge_carries_visits_and_a_later_copy_completes_them(tmp_path: Path) -> None:
    early, late, fleet = tmp_path / "early.db", tmp_path / "late.db", tmp_path / "fleet.db"
    for path, left in ((early, False), (late, True)):
        with PlayStore(path, "K01") as store:
            store.start_visit("v1", NOON_HK)
            store.update_visit("v1", "language", NOON_HK, "en")
            if left:
                store.update_visit("v1", "left", NOON_HK + timedelta(seconds=30))
    for path in (late, early):  # the fuller copy first: the earlier one must not undo it
        result = CliRunner().invoke(cli, ["merge", str(path), "--into", str(fleet)])
        assert result.exit_code == 0, result.output
    with PlayStore(fleet, "fleet") as store:
        (visit,) = store.visits()
    assert visit["left_at"] == "2026-07-18T04:00:30.000Z"
