"""Scenes on their own: each driven by a small fake host instead of a whole Kiosk.

A scene sees the kiosk only as a ``SceneHost`` (kiosk/booth/scenes/host.py): it reads the
visit and the strings, speaks, and says when it is done. The fake records what the scene
said and asked for; drawing uses real pygame surfaces, real strings and the real text
renderer.
"""

from __future__ import annotations

import random
from concurrent.futures import Future
from typing import Any

import pygame
import pytest

from games.base import GameResult
from games.registry import discover
from kiosk.booth.scenes import SCENES
from kiosk.booth.scenes.base import INPUT_GUARD_S, Scene
from kiosk.booth.scenes.claim import PREPARE_LIMIT_S, ClaimScene
from kiosk.booth.scenes.howto import HowToScene
from kiosk.booth.scenes.language import LanguageScene
from kiosk.booth.scenes.menu import MenuScene
from kiosk.booth.scenes.pinpad import PIN_TIMEOUT_S, PinPadLayer
from kiosk.booth.scenes.result import ResultScene
from kiosk.booth.scenes.thanks import THANKS_S
from kiosk.booth.visit import Visit
from kiosk.config import Config
from kiosk.i18n import Strings, Tr
from kiosk.input import PointerEvent
from kiosk.prizes.awards import Award
from kiosk.ui.text import TextRenderer


class FakeSfx:
    def __init__(self) -> None:
        self.played: list[str] = []

    def play(self, name: str) -> None:
        self.played.append(name)


class FakeDesk:
    """The staff desk as the PIN pad sees it: takes PINs, answers, closes the pad."""

    def __init__(self, strings: Strings, right_pin: str = "2468") -> None:
        self.tr = Tr(strings, "en")
        self.right_pin = right_pin
        self.pins: list[str] = []
        self.closed = 0

    def pin_entered(self, pin: str) -> str:
        self.pins.append(pin)
        return "" if pin == self.right_pin else self.tr("staff.pin_wrong")

    def pin_locked_for(self) -> float:
        return 0.0

    def close(self) -> None:
        self.closed += 1


class FakeHost:
    """A SceneHost that records the scene's outcomes, choices and speech."""

    def __init__(
        self,
        strings: Strings,
        *,
        visit: Visit | None = None,
        games: list | None = None,
        prize: Award | None = None,
        size: tuple[int, int] = (1920, 1080),
    ) -> None:
        self.strings = strings
        self.size = size
        self.config = Config()
        self.text = TextRenderer()
        self.sfx = FakeSfx()
        self.visit = visit
        self.canvas_kept = False  # every draw a whole one
        self.frame_started = None  # frames not timed
        self.staff = FakeDesk(strings)
        self.games = games or []
        self.prize = prize
        self.advanced: list[tuple[str, dict[str, Any]]] = []
        self.chosen: list[dict[str, Any]] = []
        self.said: list[str] = []
        self.volume_steps: list[int] = []
        self.hushed = 0
        self.prepared = 0
        self.qr_shows = 0
        self.played = None  # the attract screen's "N citizens played today"

    @property
    def tr(self) -> Tr:
        return Tr(self.strings, self.visit.lang if self.visit else "en")

    def tr_for(self, lang: str) -> Tr:
        return Tr(self.strings, lang)

    def say(self, text: str, lang: str | None = None) -> None:
        self.said.append(text)

    def hush(self) -> None:
        self.hushed += 1

    def change_volume(self, step: int) -> None:
        self.volume_steps.append(step)

    @property
    def large_text(self) -> bool:
        return self.visit is not None and self.visit.large_text

    def advance(self, outcome: str, **choice: Any) -> None:
        self.advanced.append((outcome, choice))

    def choose(self, **choice: Any) -> None:
        self.chosen.append(choice)

    def qr_shown(self) -> None:
        self.qr_shows += 1

    def played_today(self) -> int | None:
        return self.played

    def claim_prize(self) -> Future[Award] | None:
        if self.prize is None:
            return None
        saved: Future[Award] = Future()  # the kiosk's writer thread has saved it
        saved.set_result(self.prize)
        return saved

    def prepare_game(self) -> None:
        self.prepared += 1

    def start_when_ready(self) -> None:
        self.advance("start")


def entered(scene_cls: type[Scene], host: FakeHost) -> Scene:
    scene = scene_cls(host)
    scene.enter()
    return scene


def tap(scene: Scene, pos: tuple[float, float], after: float = INPUT_GUARD_S + 0.05) -> None:
    """A finger down and up at ``pos``, ``after`` seconds into the scene's life."""
    scene.update(max(0.0, after - scene.t))
    scene.handle(PointerEvent("down", *pos, 1))
    scene.handle(PointerEvent("up", *pos, 1))


def drawn(scene: Scene) -> pygame.Surface:
    surface = pygame.Surface(scene.host.size)
    scene.draw(surface)
    return surface


def test_language_buttons_choose_that_language(strings) -> None:
    host = FakeHost(strings)
    scene = entered(LanguageScene, host)
    labels = [b.label for b in scene.buttons[: len(host.config.languages)]]
    assert labels == [strings.get(lang, "language_name") for lang in host.config.languages]
    tap(scene, scene.buttons[1].rect.center)
    assert host.advanced == [("chosen", {"lang": host.config.languages[1]})]
    assert host.sfx.played == ["tap"]
    drawn(scene)


def test_a_tap_while_a_screen_appears_is_ignored(strings) -> None:
    host = FakeHost(strings)
    scene = entered(LanguageScene, host)
    tap(scene, scene.buttons[0].rect.center, after=INPUT_GUARD_S - 0.1)
    assert host.advanced == [] and host.sfx.played == []
    tap(scene, scene.buttons[0].rect.center)
    assert host.advanced == [("chosen", {"lang": host.config.languages[0]})]


def test_menu_card_chooses_its_game(strings) -> None:
    games = list(discover().values())[:3]
    host = FakeHost(strings, visit=Visit(seed=1, lang="zh-HK"), games=games)
    scene = entered(MenuScene, host)
    assert len(scene.card_buttons) == 3
    surface = drawn(scene)
    card = scene.buttons[1].rect
    assert surface.get_at((card.centerx, card.y + 2)) != surface.get_at((card.centerx, 20))
    tap(scene, card.center)
    assert host.advanced == [("chosen", {"game": games[1]})]


def test_howto_records_the_level_and_starts_or_goes_back(strings) -> None:
    spec = discover()["recycle_right"]
    host = FakeHost(strings, visit=Visit(seed=1, game=spec))
    scene = entered(HowToScene, host)
    assert host.said == [strings.get("en", "game.recycle_right.howto")]
    tap(scene, scene.buttons[0].rect.center)  # the first level
    assert host.chosen == [{"difficulty": "child"}] and host.advanced == []
    back = next(b for b in scene.buttons if b.label == strings.get("en", "common.back"))
    tap(scene, back.rect.center)
    tap(scene, scene.start.rect.center)
    assert host.advanced == [("back", {}), ("start", {})]
    drawn(scene)


@pytest.mark.parametrize(
    "score,praise",
    [(85, "result.praise_high"), (60, "result.praise_mid"), (10, "result.praise_low")],
)
def test_result_speaks_the_score_and_next_goes_on(strings, score, praise) -> None:
    spec = discover()["recycle_right"]
    result = GameResult(score=score, lesson_key="lesson_high")
    host = FakeHost(strings, visit=Visit(seed=1, game=spec, result=result))
    scene = entered(ResultScene, host)
    tr = Tr(strings, "en")
    assert host.said == [tr("result.spoken", score=score, praise=tr(praise))]
    assert scene.lesson == strings.get("en", "game.recycle_right.lesson_high")
    drawn(scene)
    scene.handle(PointerEvent("down", *scene.next.rect.center, 1))
    scene.handle(PointerEvent("up", 10, 10, 1))  # slid off: nothing happens
    assert host.advanced == []
    tap(scene, scene.next.rect.center)
    assert host.advanced == [("next", {})]


AWARDS = {
    "code": Award(
        earned="gold",
        tier="gold",
        serial=1,
        ref="K01-0001",
        code="ABCDEFGH",
        url="https://p.example/c/ABCDEFGH",
    ),
    "sold out": Award(earned="gold", tier=None),
    "no code": None,
}


@pytest.mark.parametrize(
    "kind,spoken",
    [
        ("code", "claim.spoken"),
        ("sold out", "claim.spoken_sold_out"),
        ("no code", "claim.spoken_no_code"),
    ],
)
def test_claim_screen_shows_a_qr_only_for_a_code_and_done_goes_on(strings, kind, spoken) -> None:
    host = FakeHost(strings, visit=Visit(seed=1), prize=AWARDS[kind])
    scene = entered(ClaimScene, host)
    (said,) = host.said
    assert said.endswith(strings.get("en", spoken))
    if kind == "code":  # the prize is read aloud by name
        how = strings.get("en", "claim.spoken")
        assert said == strings.get("en", "claim.spoken_prize", prize="Gold prize", how=how)
    surface = drawn(scene)
    if kind == "code":
        assert scene.qr.get_width() >= 400
        qr = scene.qr.get_rect(center=(960, 548))
        assert surface.get_at(qr.topleft)[:3] == (255, 255, 255)  # the quiet zone
    else:
        assert scene.qr is None
    tap(scene, scene.done.rect.center)
    assert host.advanced == [("done", {})]


@pytest.mark.parametrize("lang", ["en", "zh-HK"])
def test_claim_qr_counts_down_then_goes_on_and_never_comes_back(strings, lang) -> None:
    host = FakeHost(strings, visit=Visit(seed=1, lang=lang), prize=AWARDS["code"])
    scene = entered(ClaimScene, host)
    # the prize by name, then "Scan the code with your phone"
    (said,) = host.said
    assert said.endswith(strings.get(lang, "claim.spoken")) and scene.tier_name("gold") in said
    assert scene.idle_limit() is None  # no "Still playing?" over the QR
    qr_s = host.config.prizes.qr_s
    assert 45 <= qr_s <= 60
    tap(scene, scene.qr.get_rect(center=(960, 548)).center)  # touching the QR changes nothing
    scene.update(qr_s - 1 - scene.t)
    assert scene.seconds_left() == 1 and scene.qr is not None and host.advanced == []
    drawn(scene)
    scene.update(1.0)
    assert scene.qr is None and host.advanced == [("done", {})]
    for pos in [(960, 548), (40, 40), (1900, 1060)]:  # whole kiosk: tests/test_claim_screen.py
        tap(scene, pos, after=scene.t + 1)
    scene.update(30.0)
    assert scene.qr is None and host.advanced == [("done", {})]
    frame = drawn(scene)
    qr_area = frame.subsurface(pygame.Rect(0, 0, 500, 500).move(710, 298))
    assert (255, 255, 255) not in {
        qr_area.get_at((x, y))[:3] for x in range(0, 500, 10) for y in range(0, 500, 10)
    }


def test_a_screen_without_a_code_keeps_the_usual_idle_limit(strings) -> None:
    host = FakeHost(strings, visit=Visit(seed=1), prize=AWARDS["sold out"])
    scene = entered(ClaimScene, host)
    assert scene.idle_limit() == host.config.idle.result_s
    scene.update(host.config.prizes.qr_s + 1)
    assert host.advanced == []


def test_claim_screen_waits_for_the_saved_award_without_waiting_itself(strings) -> None:
    host = FakeHost(strings, visit=Visit(seed=1))
    saved: Future[Award] = Future()  # the writer thread has not saved it yet
    host.claim_prize = lambda: saved
    scene = entered(ClaimScene, host)
    for _ in range(30):
        scene.update(0.1)
    assert not scene.ready and scene.qr is None and host.said == []
    assert scene.idle_frozen() and scene.autopilot_target(random.Random(1)) is None
    drawn(scene)  # "Making your prize code…"
    saved.set_result(AWARDS["code"])
    scene.update(0.1)
    assert scene.ready and scene.qr is not None
    assert host.said == [scene.speech_text()] and scene.speech_text().endswith(
        strings.get("en", "claim.spoken")
    )
    assert not scene.idle_frozen() and scene.t == 0.0  # the code's screen starts now


def test_a_claim_screen_left_waiting_lets_the_idle_countdown_run_again(
    strings, monkeypatch
) -> None:
    host = FakeHost(strings, visit=Visit(seed=1))
    host.claim_prize = lambda: Future()  # never answered: a dead disk, say
    real = [100.0]  # the writer runs in real time: the screen counts real seconds too
    monkeypatch.setattr(ClaimScene, "real_seconds", staticmethod(lambda: real[0]))
    scene = entered(ClaimScene, host)
    for _ in range(round(PREPARE_LIMIT_S / 0.5) + 1):
        scene.update(0.5)
    assert scene.idle_frozen()  # simulated time ran ahead of a writer in real time
    real[0] += PREPARE_LIMIT_S
    assert not scene.ready and not scene.idle_frozen()


def test_thanks_ends_the_visit_by_itself(strings) -> None:
    host = FakeHost(strings, visit=Visit(seed=1))
    scene = entered(SCENES["thanks"], host)
    scene.update(THANKS_S - 0.1)
    assert host.advanced == []
    scene.update(0.2)
    assert host.advanced == [("done", {})]


def press(pad: PinPadLayer, key: str) -> None:
    (button,) = [b for b in pad.buttons if b.label == key]
    tap(pad, button.rect.center)


def test_pin_pad_hands_the_digits_to_the_desk_and_shows_its_answer(strings) -> None:
    host = FakeHost(strings)
    pad = entered(PinPadLayer, host)
    ok = host.staff.tr("staff.ok")
    for digit in "1111":
        press(pad, digit)
    assert pad.digits == "1111"
    press(pad, ok)
    assert host.staff.pins == ["1111"] and pad.digits == ""
    assert pad.message == host.staff.tr("staff.pin_wrong")
    drawn(pad)
    for digit in "1234567890":  # at most eight digits
        press(pad, digit)
    assert pad.digits == "12345678"
    press(pad, host.staff.tr("staff.clear"))
    assert pad.digits == ""
    for digit in "2468":
        press(pad, digit)
    press(pad, ok)
    assert host.staff.pins == ["1111", "2468"] and pad.message == ""


def test_pin_pad_cancels_or_closes_itself_when_left_alone(strings) -> None:
    host = FakeHost(strings)
    pad = entered(PinPadLayer, host)
    press(pad, host.staff.tr("staff.cancel"))
    assert host.staff.closed == 1
    pad = entered(PinPadLayer, host)
    pad.update(PIN_TIMEOUT_S - 1)
    press(pad, "5")  # a pad press keeps it open
    pad.update(PIN_TIMEOUT_S - 1)
    assert host.staff.closed == 1
    pad.update(1.5)
    assert host.staff.closed == 2


def test_howto_wraps_its_instructions_once_and_asks_for_the_round_ahead(strings) -> None:
    spec = discover()["smart_commute"]
    host = FakeHost(strings, visit=Visit(seed=1, game=spec, lang="zh-HK"))
    wraps: list[str] = []
    wrap = host.text.wrap

    def counting_wrap(text: str, *args, **kwargs) -> list[str]:
        wraps.append(text)
        return wrap(text, *args, **kwargs)

    host.text.wrap = counting_wrap  # type: ignore[method-assign]
    scene = entered(HowToScene, host)
    for _ in range(20):  # a third of a second
        scene.update(1 / 60)
        drawn(scene)
    howto = strings.get("zh-HK", "game.smart_commute.howto")
    assert wraps.count(howto) == 1  # at enter, not per frame
    assert host.prepared > 0  # the round is being built while the visitor reads
