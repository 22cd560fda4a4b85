"""`smartizen reset` on a booth that is serving a visitor: by default the play in progress is
spared (it may still be played and earn a prize); ``--all`` ends it as well. A real kiosk on
a simulated clock writes a real SQLite file while the command runs against it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from click.testing import CliRunner

from games.base import DIFFICULTIES
from games.registry import discover
from kiosk.booth.scenes.play import OUTRO_S
from kiosk.cli import cli
from kiosk.config import Config
from kiosk.playlog.maintenance import LIVE_PLAY_S
from kiosk.playlog.store import PlayStore
from tests.gamekit import GameKit
from tests.journeykit import bot_plays, start_round


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_reset_by_default_spares_a_play_a_visitor_may_still_be_playing(tmp_path) -> None:
    path = tmp_path / "scores.db"
    now = datetime.now(UTC)
    with PlayStore(path, kiosk_id="K01") as s:
        stale = s.start_play("recycle_right", "en", "adult", now - timedelta(hours=3))
        live = s.start_play("park_smart", "en", "adult", now - timedelta(minutes=2))
    dry = json.loads(run("reset", "--db", str(path), "--dry-run", "--format", "json").output)
    assert [p["id"] for p in dry["plays"]] == [stale]
    assert [p["id"] for p in dry["spared"]] == [live]
    out = run("reset", "--db", str(path)).output
    assert "ended 1 play(s) in progress as abandoned" in out
    assert "1 play(s) started after" in out and "--all ends them too" in out
    with PlayStore(path, kiosk_id="K01") as s:
        assert s.get(stale)["outcome"] == "abandoned"
        assert s.get(live)["outcome"] == "in_progress"
    assert "no plays in progress matching" in run("reset", "--db", str(path)).output
    clash = run("reset", "--db", str(path), "--all", "--older-than", "5")
    assert clash.exit_code == 2 and "contradict" in clash.output
    assert "ended 1 play(s)" in run("reset", "--db", str(path), "--all").output
    with PlayStore(path, kiosk_id="K01") as s:
        assert s.get(live)["outcome"] == "abandoned"


def test_every_round_fits_in_half_the_reset_margin() -> None:
    """The longest a play stays in progress on a booth: the round, frozen for a countdown
    after every idle limit of play (at most), and the outro; with default idle settings."""
    countdown = Config().idle.countdown_s
    worst = 0.0
    for spec in discover().values():
        for difficulty in DIFFICULTIES:
            game = GameKit(spec).make_game(difficulty=difficulty)
            assert game.duration_s > 0, (spec.id, difficulty)
            stretched = game.duration_s * (1 + countdown / spec.idle_limit_s) + OUTRO_S
            worst = max(worst, stretched)
    assert worst <= LIVE_PLAY_S / 2


def test_reset_on_a_live_kiosk_leaves_the_visitor_their_prize(make_kiosk, tmp_path) -> None:
    app = make_kiosk(seed=2, start=datetime.now(UTC))  # dated now, as the command reads it
    start_round(app)
    bot_plays(app, 20)
    assert app.store.writer.drain(30)  # the play's row is written by the writer thread
    out = run("reset", "--db", str(tmp_path / "scores.db")).output  # staff at a laptop
    assert "no plays in progress matching" in out and "1 play(s) started after" in out
    bot_plays(app, 200)
    assert app.scene.name == "result"
    (row,) = app.store.plays()
    assert row["outcome"] == "completed" and row["score"] is not None
    award = app.claim_prize().result(30)  # decided at once, saved by the writer thread
    assert award is not None and award.code
