"""Phish or Legit draws only what changed (issue 13), and the picture is still the one a
full redraw gives: every frame of seeded rounds is compared byte for byte with the view's
part-by-part draw, and every pixel that changed from one frame to the next lies in the
rectangles the draw reported (the presenter compares only there)."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator

import numpy as np
import pygame
import pytest
from journeykit import start_round

from games import phish_or_legit as pl
from games.kit import gamebar
from games.phish_or_legit.layers import Compositor, MovingPart, OverPart, StillPart
from games.phish_or_legit.solid import SolidCard
from games.registry import discover
from kiosk.booth.scenes.playframe import playfield_like
from kiosk.input import PointerEvent
from kiosk.ui.damage import Redrawn
from tests.gamekit import DT, GameKit, draw_now_and_then_disturbed, unreported

KIT: GameKit[pl.PhishOrLegit] = GameKit(pl.GAME)


def pixels(surface: pygame.Surface) -> np.ndarray:
    """The surface's pixels as rows of 32-bit words (a copy: the surface stays unlocked)."""
    w, h = surface.get_size()
    view = surface.get_view("1")
    try:
        rows = np.frombuffer(view, dtype=np.uint32).reshape(h, surface.get_pitch() // 4)
        return rows[:, :w].copy()
    finally:
        del view


def overlapping_rects(damage: list[pygame.Rect]) -> bool:
    """Whether two of the rectangles overlap (a pixel the presenter would handle twice)."""
    return any(a.colliderect(b) for i, a in enumerate(damage) for b in damage[i + 1 :])


def area_in(damage: list[pygame.Rect], where: pygame.Rect) -> int:
    """Pixels of ``where`` the (non-overlapping) damage covers."""
    return sum(c.w * c.h for c in (r.clip(where) for r in damage))


class Frames:
    """Checks each frame drawn on ``surface`` against a full redraw and the damage report."""

    def __init__(self, surface: pygame.Surface) -> None:
        self.surface = surface
        self.reference = pygame.Surface(surface.get_size(), 0, surface)
        self.prev: np.ndarray | None = None
        self.frames = self.reported = 0

    def check(self, game: pl.PhishOrLegit, damage: list[pygame.Rect] | None) -> None:
        game.view.draw_full(game, self.reference)
        cur = pixels(self.surface)
        view = self.reference.get_view("1")  # compared in place: no copy
        try:
            same = np.array_equal(np.frombuffer(view, dtype=np.uint32), cur.reshape(-1))
        finally:
            del view
        assert same, f"frame {self.frames} differs"
        if isinstance(damage, Redrawn):  # a new screen's first frame: everything
            assert damage == [self.surface.get_rect()]
        elif damage is not None:
            assert self.prev is not None, "a report for a surface the view never drew on"
            assert not overlapping_rects(damage), f"frame {self.frames}: damage overlaps itself"
            at = unreported(cur, self.prev, damage)
            assert at is None, f"frame {self.frames}: unreported change at {at}"
            self.reported += 1
        self.prev = cur
        self.frames += 1


def visitor(game: pl.PhishOrLegit) -> Iterator[list[PointerEvent]]:
    """A finger held on the Safe button and lifted off it, a short drag held and let go
    (it springs back), then nothing until the card runs out of time (it drops behind the
    banner); each step is one frame's events."""
    while not game.accepting:
        yield []
    x, y = game.buttons[pl.SAFE].center
    yield [PointerEvent("down", x, y, 7)]
    yield from ([] for _ in range(30))  # pressed: the button sinks
    yield [PointerEvent("up", 960, 1000, 7)]  # lifted elsewhere: no answer
    cx, cy = game.card_home.center
    yield [PointerEvent("down", cx, cy, 8)]
    for k in range(1, 16):  # slowly, 150 px towards Scam: the ring, the edge, the stamp
        yield [PointerEvent("move", cx - 10 * k, cy, 8)]
    yield from ([] for _ in range(20))
    yield [PointerEvent("up", cx - 150, cy, 8)]
    while game.card is not None and game.phase != "leave":
        yield []


def play(
    lang: str, difficulty: str, seed: int, skill: float, seconds: float, unseen: float = 0.0
) -> Frames:
    """A round: the scripted visitor, then the bot; every frame drawn on one surface as a
    kept canvas, now and then after something else drew over it or on another surface.
    From 20 s on, ``unseen`` seconds are played without drawing (to reach the round's end
    sooner); the frame after them has all that changed to draw."""
    game = KIT.make_game(lang, difficulty, seed)
    canvas, other = pygame.Surface(KIT.make_ctx().size), pygame.Surface(KIT.make_ctx().size)
    frames = Frames(canvas)
    script, bot = visitor(game), pl.PhishBot(game, random.Random(seed), skill)
    skip = range(round(20 / DT), round((20 + unseen) / DT))
    for n in range(round(seconds / DT)):
        events = next(script, None)
        if events is None:
            script, events = iter(()), bot.step(DT)
        for event in events:
            game.handle(event)
        game.update(DT)
        if n in skip:
            continue
        draw_now_and_then_disturbed(game, canvas, other, n, 400, 200, 300)
        frames.check(game, game.damage)
        if game.finished and game.elapsed > game.duration_s + 1:
            break
    return frames


def test_a_whole_round_is_drawn_as_a_full_redraw_and_every_change_is_reported() -> None:
    """Swipes and taps, a held finger, a short drag, a miss, the verdicts and the reveal's
    pulse, the last ten seconds and "Time's up": every frame of a whole round."""
    frames = play("en", "adult", seed=3, skill=0.7, seconds=62, unseen=24)
    assert frames.frames > 2200 and frames.reported > 2100


@pytest.mark.parametrize(("lang", "difficulty"), [("zh-HK", "senior"), ("zh-HK", "child")])
def test_the_other_levels_and_chinese_draw_the_same_too(lang: str, difficulty: str) -> None:
    frames = play(lang, difficulty, seed=5, skill=0.3, seconds=14)
    assert frames.reported > frames.frames * 0.9


def test_a_still_card_costs_only_the_reading_bar_and_the_top_bar() -> None:
    """While a card is read and nothing else moves, a frame touches the reading-time bar's
    track and at most the top bar; nothing where the card or the buttons are."""
    game = KIT.make_game()
    canvas = pygame.Surface(KIT.make_ctx().size)
    while not game.accepting:
        game.update(DT)
    game.draw(canvas)
    game.surface_kept = True
    for _ in range(30):
        game.update(DT)
        game.draw(canvas)
        assert game.damage is not None
        for area in game.damage:
            assert area.colliderect(game.timer_rect) or area.bottom <= pl.layout.CARD_TOP
            assert not area.colliderect(game.card_home)
            assert not any(area.colliderect(b) for b in game.buttons.values())


def test_a_clue_outline_pulsing_over_the_card_s_edge_and_stamp_keeps_them_on_top() -> None:
    """The outline pulses on a card at rest and only it is drawn again; a clue along the
    card's bottom edge has the edge and the stamp drawn over it, as a full redraw has."""
    game = KIT.make_game("zh-HK")
    canvas = pygame.Surface(KIT.make_ctx().size)
    frames = Frames(canvas)
    while not game.accepting:
        game.update(DT)
    card = game.card
    assert card is not None
    w, h = card.home.size
    card.regions = {**card.regions, card.spec.clue: pygame.Rect(-4, h - 30, w + 8, 34)}
    x, y = game.buttons[card.spec.answer].center
    game.handle(PointerEvent("down", x, y, 1))
    game.handle(PointerEvent("up", x, y, 1))
    patched = 0
    for n in range(round(1.5 / DT)):
        game.update(DT)
        game.surface_kept = n > 0
        game.draw(canvas)
        frames.check(game, game.damage)
        clue = pygame.Rect(card.regions[card.spec.clue]).move(card.rect.topleft)
        outline = clue.inflate(18, 14).clip(canvas.get_rect())
        if game.damage and all(
            outline.contains(r) or r.bottom <= pl.layout.CARD_TOP for r in game.damage
        ):
            patched += 1  # the top bar's track drains meanwhile
    assert game.phase == "reveal" and patched > 10


def test_a_verdict_on_a_card_at_rest_touches_only_what_changed() -> None:
    """The frame a tapped answer is revealed in: the card's edge, stamp and clue outline
    drawn over it (not the card again), the banner's words (not the whole panel), the
    tally (not the whole top bar) and the buttons dimming; as a full redraw, and nothing
    reported twice."""
    game = KIT.make_game("en", seed=4)
    canvas = pygame.Surface(KIT.make_ctx().size)
    frames = Frames(canvas)
    while not game.accepting:
        game.update(DT)
        game.surface_kept = frames.frames > 0
        game.draw(canvas)
        frames.check(game, game.damage)
    card = game.card
    assert card is not None
    x, y = game.buttons[card.spec.answer].center
    game.handle(PointerEvent("down", x, y, 1))
    game.handle(PointerEvent("up", x, y, 1))
    game.update(DT)
    game.draw(canvas)
    frames.check(game, game.damage)
    damage = game.damage
    assert game.phase == "reveal" and damage is not None
    clue = card.regions[card.spec.clue].move(card.rect.topleft).inflate(18, 14)
    inner = card.rect.inflate(-2 * pl.painter.CARD_RADIUS, -2 * pl.painter.CARD_RADIUS)
    inner.h -= 40  # the stamp lies astride the card's bottom edge
    assert area_in(damage, inner) <= area_in([clue], inner)
    banner = game.banner_rect
    assert 0 < area_in(damage, banner) < banner.w * banner.h // 3
    bar = pygame.Rect(0, 0, canvas.get_width(), pl.layout.CARD_TOP)
    assert 0 < area_in(damage, bar) < bar.w * bar.h // 3
    for button in game.buttons.values():
        assert area_in(damage, button) == button.w * button.h  # dimmed: all of it


def test_a_drag_redraws_only_the_ring_of_the_button_it_leans_to() -> None:
    """While a finger drags the card towards Scam, that button's ring thickens frame by
    frame: only the strips along its edge are drawn again, never its icon and words."""
    game = KIT.make_game("en", seed=6)
    canvas = pygame.Surface(KIT.make_ctx().size)
    frames = Frames(canvas)
    while not game.accepting:
        game.update(DT)
    game.draw(canvas)
    frames.check(game, None)
    game.surface_kept = True
    cx, cy = game.card_home.center
    game.handle(PointerEvent("down", cx, cy, 3))
    button = game.buttons[pl.SCAM]
    middle = button.inflate(-2 * (pl.view.theme.RADIUS + 6), -2 * (pl.view.theme.RADIUS + 6))
    rings = 0
    for k in range(1, 12):
        game.handle(PointerEvent("move", cx - 8 * k, cy, 3))
        game.update(DT)
        game.draw(canvas)
        frames.check(game, game.damage)
        assert game.damage is not None
        card = game.card
        assert card is not None
        assert area_in(game.damage, middle.clip(pygame.Rect(0, 0, card.rect.x, 1080))) == 0
        rings += area_in(game.damage, button) > 0
    assert rings >= 5


def test_the_next_card_is_split_for_drawing_in_a_quiet_frame_before_it_is_dealt(
    monkeypatch,
) -> None:
    """While a card is read, the next one's picture is drawn and split for drawing by the
    worker (two fresh card-sized surfaces: never in a frame); the card dealt then draws
    with that split, not one made in its first frame."""
    from games.phish_or_legit import ahead

    threads: list[str] = []

    class Recorded(SolidCard):
        def __init__(self, *args) -> None:
            threads.append(threading.current_thread().name)
            super().__init__(*args)

    monkeypatch.setattr(ahead, "SolidCard", Recorded)
    game = KIT.make_game("en", seed=7)
    canvas = pygame.Surface(KIT.make_ctx().size)
    bot = pl.PhishBot(game, random.Random(7), 0.9)
    dealt = set()
    for n in range(round(20 / DT)):
        if game.phase == "ask" and game.ahead.pending is not None:
            game.ahead._job.done.wait(10)  # a visitor reads for seconds: the worker is done
        for event in bot.step(DT):
            game.handle(event)
        game.update(DT)
        game.surface_kept = n > 0
        game.draw(canvas)
        card = game.card
        if card is not None and card.uid > 1 and card.alpha > 0 and card.uid not in dealt:
            dealt.add(card.uid)
            assert game.view._solid_card is game.view._solid_ahead is not None
    assert len(dealt) >= 3 and game.ahead.split_ahead >= len(dealt)
    assert threads and set(threads) == {"phish-card"}, threads


def _bot_frames(app, seconds: float) -> Iterator[None]:
    bot = pl.PhishBot(app.scene.game, random.Random(4), 0.6)
    for _ in range(round(seconds / DT)):
        for ev in bot.step(DT):
            app.pointer(app.scene.from_game(ev))
        app.clock.advance(DT)
        app.frame(DT)
        yield


def test_in_the_kiosk_the_landscape_canvas_is_the_full_redraw(make_kiosk) -> None:
    """Through the real play screen: the canvas is kept from frame to frame (and not after
    the PIN pad drew over it), and what the kiosk hands the presenter covers every change."""
    spec = discover()["phish_or_legit"]
    app = make_kiosk(games=[spec])
    start_round(app)
    game = app.scene.game
    frames = Frames(app.canvas)
    app.take_damage()
    for n, _ in enumerate(_bot_frames(app, 6)):
        if n == 150:
            app.staff.open("pinpad")
            app.frame(DT)
            app.staff.close()
            app.take_damage()
            frames.prev = None
            continue
        frames.check(game, app.take_damage())
    assert frames.reported > frames.frames * 0.9


def test_on_a_portrait_totem_the_playfield_is_the_full_redraw(make_kiosk) -> None:
    """The playfield is the game's alone: kept from frame to frame, with the top bar handed
    to the frame round it (never drawn into it), and the frame rescales only what the
    game reported: nothing left over that it would have missed."""
    spec = discover()["phish_or_legit"]
    app = make_kiosk(canvas=pygame.Surface((1080, 1920)), games=[spec])
    start_round(app)
    scene = app.scene
    assert scene.frame is not None
    game = scene.game
    playfield = playfield_like(app.canvas)
    frames = Frames(playfield)
    # The round's first picture, drawn there ahead while the how-to was up: the first
    # frame's report is against it (kiosk/booth/scenes/playframe.py draw_ahead).
    frames.prev = pixels(playfield)
    for _ in _bot_frames(app, 6):
        assert scene._playfield is playfield
        with gamebar.detached():
            frames.check(game, game.damage)
    assert frames.reported > frames.frames * 0.9
    assert scene.frame._damage.changed(scene._playfield) == []


# --------------------------------------------------------------------------- the compositor


def test_the_compositor_matches_drawing_every_part_in_order() -> None:
    """Synthetic parts that exercise what a round does not: still regions that overlap
    (any change redraws the whole layer), a still part changed in place or, when it
    declines, drawn again, an opaque bar that covers what lies under it, a moving square
    that passes over the over part's rounded corners (drawn again there, clipped) and
    semi-transparent moving parts overlapping each other (never blended twice)."""
    size = (400, 300)
    backdrop = pygame.Surface(size)
    backdrop.fill((10, 20, 30))
    pygame.draw.circle(backdrop, (60, 70, 80), (200, 150), 120)
    panel = pygame.Rect(40, 200, 320, 80)
    glass = pygame.Surface((60, 60), pygame.SRCALPHA)
    glass.fill((250, 250, 0, 120))

    def block(colour_at: tuple[int, int, int]):
        return lambda surface, look: surface.fill(colour_at, (look, 20, 30, 30))

    def move_block(colour: tuple[int, int, int]):
        """A block's update in place: the backdrop again where it was, the block where it
        is; now and then it declines (the region is drawn again)."""

        def update(layer, base, old: int, new: int) -> list[pygame.Rect] | None:
            if new % 5 == 0:
                return None
            was, now = pygame.Rect(old, 20, 30, 30), pygame.Rect(new, 20, 30, 30)
            layer.blit(base, was, was)
            layer.fill(colour, now)
            return [was, now]

        return update

    def over(surface: pygame.Surface, look: int) -> None:
        pygame.draw.rect(surface, (30, 90, look), panel, border_radius=24)

    def square(surface: pygame.Surface, look: tuple[int, int]) -> pygame.Rect:
        return surface.blit(glass, look)

    def bar(surface: pygame.Surface, look: int) -> pygame.Rect:
        return pygame.draw.rect(surface, (200, 40, 40), (20, 150, look, 10))

    for overlapping in (False, True):
        still = [
            StillPart(pygame.Rect(0, 0, 200, 60), block((200, 0, 0)), move_block((200, 0, 0))),
            StillPart(pygame.Rect(180 if overlapping else 200, 0, 200, 60), block((0, 200, 0))),
            StillPart(panel, over),
        ]
        moving = [
            MovingPart(
                bar,
                within=pygame.Rect(20, 150, 360, 10),
                covers=lambda look: [pygame.Rect(20, 150, look, 10)],
            ),
            MovingPart(square),
            MovingPart(square),
        ]
        layers = Compositor(
            lambda: backdrop,
            still,
            moving,
            OverPart(2, [panel.inflate(0, -48), panel.inflate(-48, 0)]),
        )
        canvas, reference = pygame.Surface(size), pygame.Surface(size)
        prev = None
        for n in range(120):
            still_looks = [10 + (n // 7) % 30, 210 + (n // 11) % 20, 100 + (n // 13) % 50]
            moving_looks = [
                20 + (n * 7) % 300,  # shrinks now and then on a kept frame
                (n * 4 % 380 - 30, 170 + n % 60),
                None if n % 17 < 3 else (n * 2 % 380 - 20, 190),
            ]
            damage = layers.draw(canvas, still_looks, moving_looks, kept=n % 50 != 0)
            reference.blit(backdrop, (0, 0))
            for part, look in zip(still[:2], still_looks, strict=False):
                part.draw(reference, look)
            for part, look in zip(moving, moving_looks, strict=True):
                if look is not None:
                    part.draw(reference, look)
            over(reference, still_looks[2])
            cur = pixels(canvas)
            assert np.array_equal(cur, pixels(reference)), (overlapping, n)
            if damage is not None:
                assert unreported(cur, prev, damage) is None, (overlapping, n)
                assert not overlapping_rects(damage), (overlapping, n)
            prev = cur


# --------------------------------------------------------------------------- the card's body


@pytest.mark.parametrize("holed", [False, True])
def test_a_card_drawn_by_its_body_is_its_shadow_drawn_and_the_card_blended_whole(
    holed: bool,
) -> None:
    """A real card's picture drawn as its opaque body (copied), its corners (blended) and
    its kept shadow where the body does not cover it, over a noisy backdrop, partly off
    the surface, is the shadow drawn and the picture blended whole; one with a
    see-through pixel in its body is drawn that way and claims to cover nothing."""
    game = KIT.make_game("en", seed=2)
    card = game.card
    assert card is not None
    picture = card.surface.copy()
    if holed:
        picture.set_at((picture.get_width() // 2, picture.get_height() // 2), (9, 9, 9, 100))
    rng = np.random.default_rng(1)
    noise = pygame.Surface((1200, 900))
    view = pygame.surfarray.pixels3d(noise)
    view[:] = rng.integers(0, 256, view.shape, dtype=np.uint8)
    del view
    colour, (dx, dy) = pl.painter.CARD_SHADOW
    solid = SolidCard(picture, noise, pl.painter.CARD_RADIUS, pl.painter.CARD_SHADOW)
    assert solid.fits(picture, noise) and (solid.body(card.rect) == []) == holed
    w, h = picture.get_size()
    for at in (
        pygame.Rect(150, 120, w, h),
        pygame.Rect(700, 500, w, h),
        pygame.Rect(-40, -30, w, h),
    ):
        ours, whole = noise.copy(), noise.copy()
        drawn = solid.draw(ours, at)
        shadow = pygame.draw.rect(
            whole, colour, at.move(dx, dy), border_radius=pl.painter.CARD_RADIUS
        )
        picture.set_alpha(255)
        assert drawn == whole.blit(picture, at).union(shadow)
        assert np.array_equal(pixels(ours), pixels(whole)), at
