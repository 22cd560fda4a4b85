"""Staff: the hidden gesture, the PIN pad and its lockout, the panel's actions, the audit."""

from __future__ import annotations

import pytest

from kiosk.booth.gesture import CornerHold
from kiosk.booth.scenes.staff_panel import LANDSCAPE, STATUS_LINES, STOCK_ROW, TEXT_W
from kiosk.input import PointerEvent
from kiosk.pin import PinGuard, hash_pin, pin_matches
from kiosk.ui import theme
from kiosk.ui.typeset import ELLIPSIS, shorten
from tests.journeykit import (
    DEFAULT_PIN,
    enter_pin,
    hold_corner,
    open_panel,
    press,
    run_for,
    tap,
    tap_button,
)


def audit_actions(app) -> list[str]:
    return [row["action"] for row in reversed(app.store.audit_rows())]


def test_three_second_corner_hold_opens_the_pin_pad_and_nothing_shorter(make_kiosk) -> None:
    app = make_kiosk()
    hold_corner(app, 2.8)
    assert app.layer is None
    hold_corner(app, 3.2, x=400, y=40)  # not in the corner
    assert app.layer is None
    hold_corner(app, 3.2)
    assert app.layer.name == "pinpad"
    app.draw()


def test_sliding_out_of_the_corner_cancels_the_gesture() -> None:
    hold = CornerHold()
    hold.feed(PointerEvent("down", 10, 10, 1))
    assert not hold.advance(2.0)
    hold.feed(PointerEvent("move", 600, 10, 1))
    assert not hold.advance(2.0)
    hold.feed(PointerEvent("down", 10, 10, 2))
    assert not hold.advance(2.9) and hold.advance(0.2)
    assert not hold.advance(5.0)  # fires once per hold


def test_right_pin_opens_the_panel_and_is_never_recorded(make_kiosk, caplog) -> None:
    app = make_kiosk()
    open_panel(app)
    assert audit_actions(app) == ["staff_login"]
    assert DEFAULT_PIN not in caplog.text
    rows = app.store.audit_rows()
    assert all(DEFAULT_PIN not in (r["detail"] or "") for r in rows)
    app.draw()


def test_three_wrong_pins_lock_the_pad_for_a_minute(make_kiosk) -> None:
    app = make_kiosk()
    hold_corner(app)
    for _ in range(2):
        enter_pin(app, "1111")
        assert app.layer.message == app.staff.tr("staff.pin_wrong")
    enter_pin(app, "1111")
    assert app.staff.pin_guard.locked_for(app.clock.now()) > 59
    enter_pin(app, DEFAULT_PIN)  # even the right PIN cannot be typed: the keys are disabled
    assert app.layer.name == "pinpad" and app.layer.digits == ""
    app.draw()
    run_for(app, 21)  # the unattended pad closes itself
    assert app.layer is None
    run_for(app, 40)
    hold_corner(app)
    enter_pin(app, DEFAULT_PIN)
    assert app.layer.name == "staff"
    assert audit_actions(app) == [
        "pin_wrong",
        "pin_wrong",
        "pin_locked",
        "staff_login",
    ]


def test_pause_shows_back_soon_and_ignores_visitors_until_resumed(make_kiosk) -> None:
    app = make_kiosk()
    open_panel(app)
    press(app, app.staff.tr("staff.pause"))
    press(app, app.staff.tr("staff.close"))
    assert app.scene.name == "paused" and app.layer is None
    tap(app, 960, 540)
    run_for(app, 120)
    assert app.scene.name == "paused"
    app.draw()
    open_panel(app)
    press(app, app.staff.tr("staff.resume"))
    assert app.scene.name == "attract"
    assert audit_actions(app) == ["staff_login", "pause", "panel_closed", "staff_login", "resume"]


def test_reset_during_a_game_abandons_the_play_and_clears_the_screen(make_kiosk) -> None:
    app = make_kiosk()
    tap(app, 960, 540)
    tap_button(app, 0)
    tap_button(app, 0)
    tap(app, *app.scene.start.rect.center)
    assert app.scene.name == "play"
    run_for(app, 2)
    open_panel(app)
    before = app.scene.game
    run_for(app, 30)  # the game is frozen under the panel: no idle countdown, no time
    assert app.scene.game is before and not app.asking
    press(app, app.staff.tr("staff.reset"))
    assert app.scene.name == "attract" and app.visit is None and app.layer is None
    (row,) = app.store.plays()
    assert row["outcome"] == "abandoned"
    assert "reset" in audit_actions(app)


def test_games_switched_off_leave_the_menu_but_never_the_last_one(make_kiosk) -> None:
    app = make_kiosk()
    ids = [g.id for g in app.all_games]
    open_panel(app)
    for game_id in ids[:-1]:
        assert app.staff.set_game(game_id, False)
    assert not app.staff.set_game(ids[-1], False)
    assert [g.id for g in app.games] == ids[-1:]
    press(app, app.staff.tr("staff.close"))
    tap(app, 960, 540)
    tap_button(app, 0)
    assert len(app.scene.card_buttons) == 1
    # a restart the same day keeps today's switches
    assert app.store.game_switches(app.staff.today().isoformat()) == {g: False for g in ids[:-1]}


def test_volume_mute_and_test_speech(make_kiosk) -> None:
    app = make_kiosk()
    open_panel(app)
    start = app.speech.volume
    press(app, "+", LANDSCAPE.volume_y)
    assert app.speech.volume == pytest.approx(min(1.0, start + 0.1))
    press(app, "−", LANDSCAPE.volume_y)
    press(app, "−", LANDSCAPE.volume_y)
    assert app.speech.volume == pytest.approx(start - 0.1)
    muted = app.speech.muted
    press(app, app.staff.tr("staff.unmute" if muted else "staff.mute"))
    assert app.speech.muted is not muted
    press(app, app.staff.tr("staff.test_speech"))
    press(app, app.staff.tr("staff.close"))
    tap(app, 960, 540)  # a new visitor: volume back to the configured default
    assert app.speech.volume == pytest.approx(app.config.audio.volume)
    assert {"volume", "test_speech"} <= set(audit_actions(app))


def test_quit_needs_two_taps_and_is_the_way_out(make_kiosk) -> None:
    app = make_kiosk()
    open_panel(app)
    press(app, app.staff.tr("staff.quit"))
    assert app.running
    press(app, app.staff.tr("staff.quit_confirm"))
    assert not app.running
    assert audit_actions(app)[-1] == "quit"


def test_the_panel_closes_itself_when_left_alone(make_kiosk) -> None:
    app = make_kiosk()
    open_panel(app)
    run_for(app, 121)
    assert app.layer is None


def counts(app) -> dict:
    """Today's counts as the panel gets them: asked of the writer thread, then picked up."""
    app.staff.refresh_readings()
    assert app.store.writer.drain(timeout=30)
    app.staff.poll_readings()
    return app.staff.today_counts()


def test_panel_counts_today_per_game(make_kiosk) -> None:
    app = make_kiosk()
    game = app.all_games[0].id
    for outcome in ("completed", "completed", "abandoned"):
        play = app.store.start_play(game, "en", "adult", app.wall())
        app.store.finish_play(play, outcome, app.wall(), 50 if outcome == "completed" else None)
    open_panel(app)
    assert app.layer.counts == {game: {"completed": 2, "abandoned": 1}}
    assert app.layer.health["ok"] and app.layer.health["plays"] == 3


def test_pin_hash_round_trip_and_guard() -> None:
    stored = hash_pin("8642")
    assert pin_matches("8642", stored) and not pin_matches("8641", stored)
    assert not pin_matches("8642", "garbage")
    guard = PinGuard(stored)
    assert [guard.check("0", 0), guard.check("0", 1), guard.check("0", 2)] == [
        "wrong",
        "wrong",
        "locked",
    ]
    assert guard.check("8642", 61) == "locked" and guard.check("8642", 62.1) == "ok"


def test_hash_pin_command_prints_a_hash_the_kiosk_accepts() -> None:
    from click.testing import CliRunner

    from kiosk.cli import cli

    result = CliRunner().invoke(cli, ["staff", "hash-pin", "--pin", "1357"])
    assert result.exit_code == 0
    stored = result.output.strip().split('"')[1]
    assert pin_matches("1357", stored) and "1357" not in stored
    bad = CliRunner().invoke(cli, ["staff", "hash-pin", "--pin", "12ab"])
    assert bad.exit_code != 0 and "4 to 8 digits" in bad.output


def test_stray_touches_do_not_keep_an_accidental_pin_pad_open(make_kiosk) -> None:
    app = make_kiosk()
    hold_corner(app)  # a visitor rested a finger in the corner
    assert app.layer.name == "pinpad"
    for i in range(30):  # and keeps touching around the screen, not the pad
        tap(app, 1700, 100 + i)
    run_for(app, 8)
    assert app.layer is None


def test_a_bot_that_opens_the_pin_pad_by_chance_cancels_it(make_kiosk) -> None:
    import random

    from kiosk.booth.autopilot import AutoPilot

    app = make_kiosk()
    app.autopilot = AutoPilot(app, random.Random(1))
    hold_corner(app)
    assert app.layer.name == "pinpad"
    run_for(app, 3)
    assert app.layer is None


def test_staff_correct_prize_stock_and_it_counts(make_kiosk) -> None:
    app = make_kiosk()
    open_panel(app)
    before = {line.tier: line.remaining for line in app.layer.stock}
    assert before, "the panel lists the configured prize tiers"
    first = app.layer.stock[0].tier
    row_y = LANDSCAPE.stock_y + 44
    press(app, "+", row_y)
    press(app, "+", row_y)
    press(app, "−", row_y + STOCK_ROW)
    after = {line.tier: line.remaining for line in app.layer.stock}
    assert after[first] == before[first] + 2
    second = app.layer.stock[1].tier
    assert after[second] == max(0, before[second] - 1)
    assert [r["detail"] for r in app.store.audit_rows() if r["action"] == "stock"] == [
        f"{second} -1",
        f"{first} +1",
        f"{first} +1",
    ]


def test_switches_and_counts_belong_to_the_local_day(make_kiosk) -> None:
    app = make_kiosk()  # 10:00 in Hong Kong
    first = app.all_games[0].id
    assert app.staff.set_game(first, False)
    app.clock.advance(14 * 3600 - 1)  # 23:59:59 local
    assert first not in {g.id for g in app.games}
    play = app.store.start_play(first, "en", "adult", app.wall())
    app.store.finish_play(play, "completed", app.wall(), 70)
    assert counts(app)[first]["completed"] == 1
    app.clock.advance(2)  # past local midnight: a new day, every game back on, nothing played
    assert first in {g.id for g in app.games}
    assert counts(app) == {}


# -- the panel's polish (issue 12, item 7) ----------------------------------------------------
LONG_STATUS = (
    "cached phrases only: the espeak-ng engine stopped answering after 3 restarts within "
    "60 s; phrases already rendered still play, new ones are skipped until the kiosk restarts"
)


def test_a_long_speech_status_wraps_and_ends_at_a_word_with_an_ellipsis(make_kiosk) -> None:
    text = make_kiosk().text
    for value in (LONG_STATUS, "語音：" + "引擎停止回應，已渲染的語句仍會播放" * 4):
        lines = shorten(text, value, theme.SMALL, TEXT_W, STATUS_LINES)
        assert len(lines) == STATUS_LINES and lines[-1].endswith(ELLIPSIS)
        assert all(text.font(theme.SMALL).size(line)[0] <= TEXT_W for line in lines)
        shown = "".join(lines)[: -len(ELLIPSIS)].replace(" ", "")
        assert value.replace(" ", "").startswith(shown)  # nothing reworded, only cut
    last = shorten(text, LONG_STATUS, theme.SMALL, TEXT_W, STATUS_LINES)[-1]
    cut_word = last[: -len(ELLIPSIS)].split()[-1]
    assert cut_word in {w.strip(",;:") for w in LONG_STATUS.split()}  # a whole word
    short = "ready (espeak; en=gmw/en; muted)"
    assert shorten(text, short, theme.SMALL, TEXT_W, STATUS_LINES) == [short]


@pytest.mark.parametrize("lang", ["en", "zh-HK"])
def test_walked_away_and_prizes_in_stock_read_apart(make_kiosk, lang) -> None:
    tr = make_kiosk().tr_for(lang)
    walked, stock = tr("staff.abandoned"), tr("staff.prizes")
    if lang == "en":
        assert not {w.lower() for w in walked.split()} & {w.lower() for w in stock.split()}
        assert "left" not in (walked + " " + stock).lower()
    else:
        assert not set(walked) & set(stock)


@pytest.mark.parametrize("lang", ["en", "zh-HK"])
def test_every_staff_button_label_fits_with_padding(make_kiosk, lang) -> None:
    app = make_kiosk()
    app.staff.lang = lang
    hold_corner(app)
    layers = [app.layer]
    enter_pin(app, DEFAULT_PIN)
    layers.append(app.layer)
    app.layer.warnings = "Database problem"  # the acknowledge button too
    for layer in layers:
        if layer is app.layer:
            layer.refresh()
        for button in layer.buttons:
            font = app.text.font(button.size, "bold")
            width = font.size(button.label)[0]
            if button.icon is not None:
                width += round(button.rect.height * 0.5) * 4 // 3
            assert width <= button.rect.width - 2 * 20, (layer.name, button.label)


def test_pin_keys_are_disabled_and_the_time_left_shown_during_a_lockout(make_kiosk) -> None:
    app = make_kiosk()
    hold_corner(app)
    app.draw()
    digit = app.layer.keys[0]
    live = app.canvas.get_at(digit.rect.move(12, 0).midleft)[:3]
    for _ in range(3):
        enter_pin(app, "1111")
    assert all(not key.enabled for key in app.layer.keys)
    cancel = app.layer.buttons[-1]
    assert cancel.enabled and cancel not in app.layer.keys
    app.draw()
    faded = app.canvas.get_at(digit.rect.move(12, 0).midleft)[:3]
    assert faded != live and sum(faded) < sum(live)  # drawn flat and dark, not as a live key
    press(app, "5")
    assert app.layer.digits == ""  # a disabled key takes no touch
    seconds = int(app.staff.pin_locked_for()) + 1
    assert app.staff.tr("staff.pin_locked", seconds=seconds)  # the message the pad shows
    run_for(app, 61)  # the pad closed itself; open it again after the lockout
    hold_corner(app)
    run_for(app, 0.1)
    assert all(key.enabled for key in app.layer.keys)


def test_mute_shows_its_state_with_a_speaker_icon_and_colour(make_kiosk) -> None:
    app = make_kiosk()
    open_panel(app)

    def mute_button():
        labels = {app.staff.tr("staff.mute"), app.staff.tr("staff.unmute")}
        (button,) = [b for b in app.layer.buttons if b.label in labels]
        return button

    states = {}
    for _ in range(2):
        button = mute_button()
        app.draw()
        states[app.speech.muted] = (button.fill, button.icon is not None)
        press(app, button.label)
    assert states[True] == (theme.CORAL, True)
    assert states[False] == (theme.BUTTON_QUIET, True)
