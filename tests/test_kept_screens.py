"""Attract, result and thanks draw on a kept canvas only what changed (the card's pulse, the
score counting up, each light's old and new place), the menu only a card that sank or rose,
and they say where (Scene.damage): every frame must be, byte for byte, the picture a whole
draw makes (for the lit screens: the screen, then decor.draw_lights), and the report must
cover every pixel that changed since the frame before (issue 13)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import numpy as np
import pygame
import pytest
from journeykit import bot_plays, start_round, tap, tap_button

from kiosk.booth.app import Kiosk
from kiosk.booth.display import Display
from kiosk.booth.present import SurfacePresenter
from kiosk.booth.scenes.attract import GAME_CYCLE_S
from kiosk.booth.scenes.menu import card_area, draw_face
from kiosk.input import PointerEvent
from kiosk.ui import decor, theme
from kiosk.ui.text import TextRenderer

DT = 1 / 60


@pytest.fixture(autouse=True)
def usual_look() -> Iterator[None]:
    yield
    theme.use_high_contrast(False)  # the palette is module state: never leak it


def _pixels(surface: pygame.Surface) -> np.ndarray:
    """The surface's pixels as (rows, columns) of 32-bit words, copied."""
    w, h = surface.get_size()
    words = np.frombuffer(surface.get_buffer(), dtype=np.uint32)
    return words.reshape(h, surface.get_pitch() // 4)[:, :w].copy()


def _assert_covered(before: np.ndarray, now: np.ndarray, damage: list[pygame.Rect]) -> None:
    """Every pixel that differs between two frames lies in a reported rectangle."""
    changed = now != before
    for r in damage:
        r = r.clip((0, 0, now.shape[1], now.shape[0]))
        changed[r.top : r.bottom, r.left : r.right] = False
    assert not changed.any(), "a change outside the report"


def _whole(app: Kiosk) -> pygame.Surface:
    """The screen as a whole draw makes it now, on a canvas of its own."""
    ref = pygame.Surface(app.canvas.get_size(), 0, app.canvas)
    app.scene.paint(ref)
    decor.draw_lights(ref, app.scene.t)
    return ref


class Watch:
    """Checks each frame of the screens with lights against a whole draw, and the
    damage they report against what really changed."""

    def __init__(self, app: Kiosk) -> None:
        self.app = app
        self.frames = 0
        self.reported = 0  # frames with damage known
        self.lights_moved = 0  # frames where some light changed place
        self.before = _pixels(app.canvas)
        app.take_damage()

    def run(self, seconds: float, screen: str) -> None:
        app = self.app
        for _ in range(round(seconds / DT)):
            if app.scene.name != screen:
                break
            app.clock.advance(DT)
            app.frame(DT)
            damage = app.take_damage()
            now = _pixels(app.canvas)
            if app.scene.name == screen:
                assert np.array_equal(now, _pixels(_whole(app))), f"{screen} at t={app.scene.t}"
                self.frames += 1
            if damage is not None:
                self.reported += 1
                _assert_covered(self.before, now, damage)
                if damage and any(r.w * r.h < 3000 for r in damage):
                    self.lights_moved += 1
            self.before = now


def _journey(app: Kiosk, lang: int, large: bool) -> Watch:
    """Attract, a round played, its result, on to thanks, back to attract: each checked."""
    watch = Watch(app)
    watch.run(3.5, "attract")  # past a change of the game named under the card
    start_round(app, lang)
    if large:
        app.choose(large_text=True)  # with high contrast: plain backdrop, no lights
    app.scene.game.finished = True
    bot_plays(app, 10)
    assert app.scene.name == "result"
    watch.before = _pixels(app.canvas)
    app.take_damage()
    watch.run(2.0, "result")  # the score counts up, then rests
    tap(app, *app.scene.next.rect.center)
    while app.scene.name != "thanks":
        tap(app, *app.scene.done.rect.center)
    watch.run(6.0, "thanks")  # it ends by itself: the next visitor's attract
    assert app.scene.name == "attract"
    watch.run(2.0, "attract")
    return watch


@pytest.mark.parametrize("portrait", [False, True], ids=["landscape", "portrait"])
@pytest.mark.parametrize("large", [False, True], ids=["plain", "large"])
@pytest.mark.parametrize("lang", [0, 1], ids=["first", "second"])
def test_every_frame_is_the_whole_draw_and_the_report_covers_every_change(
    make_kiosk, lang: int, large: bool, portrait: bool
) -> None:
    size = (1080, 1920) if portrait else (1920, 1080)
    app = make_kiosk(canvas=pygame.Surface(size))
    watch = _journey(app, lang, large)
    assert watch.frames > 600
    # Drawn whole only when a screen appears or its still picture changes.
    assert watch.reported > 0.9 * watch.frames
    if not large:
        assert watch.lights_moved > 0.5 * watch.frames


def test_a_still_frame_reports_only_the_lights_that_moved(make_kiosk) -> None:
    app = make_kiosk()
    app.frame(DT)
    app.frame(DT)
    app.take_damage()
    scene = app.scene
    before = decor.light_positions(scene.t, app.size)
    app.clock.advance(DT)
    app.frame(DT)
    damage = app.take_damage()
    after = decor.light_positions(scene.t, app.size)
    card = scene.moving()[0][0]
    lights = [r for r in damage if r != card]
    moved = [a for a, b in zip(before, after, strict=True) if a != b]
    assert 0 < len(lights) <= len(moved)  # one rect per light that moved (and is shown)
    assert [r for r in lights if r.w > 2 * 9 + 4 or r.h > 2 * 9 + 4] == []


def test_a_light_is_only_drawn_on_bare_sky(make_kiosk) -> None:
    """The mask kept with the still picture decides as the canvas compare does: no light
    ever stands on the words, on the card or on another light."""
    app = make_kiosk()
    for _ in range(240):
        app.clock.advance(DT)
        app.frame(DT)
    ref = pygame.Surface(app.canvas.get_size())
    app.scene.paint(ref)
    sky = decor.static_backdrop(app.size)
    shown = app.scene.lit._lights
    assert any(shown) and not all(shown)  # some pass behind the words
    for spot in filter(None, shown):
        inner = spot.inflate(-2, -2)
        assert pygame.image.tobytes(ref.subsurface(inner), "RGB") == pygame.image.tobytes(
            sky.subsurface(inner), "RGB"
        )


@pytest.mark.parametrize("portrait", [False, True], ids=["landscape", "portrait"])
def test_the_next_game_s_name_is_made_ahead_and_its_frame_only_copies_it(
    make_kiosk, monkeypatch, portrait: bool
) -> None:
    """Attract names another game every few seconds: a worker paints the next picture
    while the one before is up (kiosk/ui/lit_ahead.py), so the frame of each change
    renders no text and builds no sky mask. Its picture is still the whole draw's, and its
    report covers every change."""
    size = (1080, 1920) if portrait else (1920, 1080)
    app = make_kiosk(canvas=pygame.Surface(size))
    renders: list[str] = []
    real_render, real_take = TextRenderer.render, decor._Still.take

    def render(self, *args, **kwargs):
        renders.append(threading.current_thread().name)
        return real_render(self, *args, **kwargs)

    def take(self, *args, **kwargs):
        renders.append("mask")
        return real_take(self, *args, **kwargs)

    monkeypatch.setattr(TextRenderer, "render", render)
    monkeypatch.setattr(decor._Still, "take", take)
    app.frame(DT)
    scene = app.scene
    assert scene.name == "attract" and len(app.games) > 2
    for change in range(1, 3):
        while int((scene.t + DT) / GAME_CYCLE_S) < change:  # up to the frame before
            app.clock.advance(DT)
            app.frame(DT)
        decor.wait_for_ahead()  # seconds of it in the kiosk
        before, shown = _pixels(app.canvas), scene.look(app.canvas)
        app.take_damage()
        renders.clear()
        app.clock.advance(DT)
        app.frame(DT)
        assert scene.look(app.canvas) != shown and scene.lit.patched == change
        assert [who for who in renders if who == "MainThread" or who == "mask"] == []
        now = _pixels(app.canvas)
        assert np.array_equal(now, _pixels(_whole(app)))
        damage = app.take_damage()
        assert damage is not None and not any(r.size == size for r in damage)
        _assert_covered(before, now, damage)


@pytest.mark.parametrize("size", [(1366, 768), (2560, 1440)])
def test_the_scaled_window_is_the_same_as_with_everything_compared(make_kiosk, size) -> None:
    """Through the booth's presenter: the lights' reports give the window a twin comparing
    the whole canvas shows (the rectangles it scales are the same)."""
    display = Display(headless=True, size=size)
    try:
        app = make_kiosk(canvas=display.canvas)
        twin = SurfacePresenter(display.canvas, display.letterbox)
        twin.window = pygame.Surface(display.window_size)
        known = 0
        for _ in range(90):
            app.clock.advance(DT)
            app.frame(DT)
            report = app.take_damage()
            known += report is not None
            display.present(report)
            twin.draw(None)
            assert pygame.image.tobytes(display.window, "RGB") == pygame.image.tobytes(
                twin.window, "RGB"
            )
        assert known > 80
    finally:
        pygame.display.set_mode((1920, 1080))  # what the other tests expect (conftest)


# -- the menu, a card pressed ------------------------------------------------------------


def _whole_menu(app: Kiosk) -> np.ndarray:
    """The menu as drawn in one go: every card (the pressed ones sunk), then the extras."""
    menu = app.scene
    pressed = {id(b) for b in menu._pressed.values()}
    sunk = frozenset(i for i, b in enumerate(menu.card_buttons) if id(b) in pressed)
    ref = pygame.Surface(app.canvas.get_size(), 0, app.canvas)
    draw_face(ref, app.text, app.tr, menu.cards, sunk)
    menu._draw_extras(ref, pressed)
    return _pixels(ref)


def _frames(app: Kiosk, n: int, reports: list) -> None:
    before = _pixels(app.canvas)
    for _ in range(n):
        app.clock.advance(DT)
        app.frame(DT)
        damage = app.take_damage()
        now = _pixels(app.canvas)
        assert np.array_equal(now, _whole_menu(app))
        if damage is not None:
            _assert_covered(before, now, damage)
        reports.append(damage)
        before = now


def _finger(app: Kiosk, kind: str, pos: tuple[int, int], pointer: int = 1) -> None:
    app.pointer(PointerEvent(kind, pos[0], pos[1], pointer))


@pytest.mark.parametrize("portrait", [False, True], ids=["landscape", "portrait"])
@pytest.mark.parametrize("large", [False, True], ids=["plain", "large"])
@pytest.mark.parametrize("lang", [0, 1], ids=["first", "second"])
def test_a_pressed_card_is_all_that_is_drawn_again(
    make_kiosk, lang: int, large: bool, portrait: bool
) -> None:
    size = (1080, 1920) if portrait else (1920, 1080)
    app = make_kiosk(canvas=pygame.Surface(size))
    tap(app, 500, 500)
    if large:
        app.choose(large_text=True)
    tap_button(app, lang)
    assert app.scene.name == "menu"
    reports: list = []
    _frames(app, 30, reports)  # past the input guard; the menu at rest
    assert reports[-1] == []  # nothing changed, nothing to compare
    menu = app.scene
    first, second = (b.rect.center for b in menu.card_buttons[:2])
    _finger(app, "down", first)
    reports.clear()
    _frames(app, 6, reports)
    assert reports[0] == [card_area(menu.cards[0][0])]  # the card sank: that alone
    assert reports[1:] == [[]] * 5  # held down: nothing more
    _finger(app, "down", second, pointer=2)  # a second finger on the next card
    _frames(app, 3, reports)
    assert reports[6] == [card_area(menu.cards[1][0])]
    _finger(app, "move", (5, 5))  # no button down for a move: both stay pressed
    _frames(app, 2, reports)
    _finger(app, "up", (5, 5))  # lifted off the card: no choice, that card rises
    _frames(app, 3, reports)
    assert reports[11] == [card_area(menu.cards[0][0])]
    assert app.scene is menu
    _finger(app, "up", (5, 5), pointer=2)
    _frames(app, 2, reports)
    assert reports[14] == [card_area(menu.cards[1][0])]
    assert all(r is not None for r in reports)


def test_the_sky_mask_kept_a_bit_per_pixel_answers_as_the_pixels_do() -> None:
    """A still picture's mask of where it is not bare sky is packed 8 pixels a byte
    (2 MB → 260 kB at 1080p); a box is bare exactly when none of its pixels is covered,
    whatever columns of a byte it starts and ends in."""
    from kiosk.ui.decor import _Still

    rng = np.random.default_rng(1)
    still = _Still.__new__(_Still)
    for _ in range(200):
        covered = rng.random((40, 96)) < 0.02
        still.covered = np.packbits(covered, axis=1)
        for _ in range(40):
            x0, y0 = int(rng.integers(0, 95)), int(rng.integers(0, 39))
            x1, y1 = int(rng.integers(x0 + 1, 97)), int(rng.integers(y0 + 1, 41))
            box = pygame.Rect(x0, y0, x1 - x0, y1 - y0)
            assert still.bare(box) == (not covered[y0:y1, x0:x1].any()), box


def test_a_patch_writes_its_box_into_the_packed_sky_mask_and_nothing_else() -> None:
    """The frame of a change copies a patch's part of the mask into the kept one, which is
    packed 8 columns a byte: the box's own bits change, whatever columns of a byte it
    starts and ends in, and its neighbours' bits in the same bytes stay."""
    from kiosk.ui.decor import _Still
    from kiosk.ui.lit_ahead import Patch

    rng = np.random.default_rng(2)
    still = _Still(pygame.Surface((96, 40)))
    for _ in range(100):
        kept = rng.random((40, 96)) < 0.3
        still.covered = np.packbits(kept, axis=1)
        x0, y0 = int(rng.integers(0, 95)), int(rng.integers(0, 39))
        x1, y1 = int(rng.integers(x0 + 1, 97)), int(rng.integers(y0 + 1, 41))
        box = pygame.Rect(x0, y0, x1 - x0, y1 - y0)
        new = rng.random((box.h, box.w)) < 0.5
        picture = pygame.Surface(box.size)
        still.patch(Patch(None, (None, 0), (), box, picture, np.packbits(new, axis=None)))
        kept[y0:y1, x0:x1] = new
        assert (np.unpackbits(still.covered, axis=1)[:, :96].view(bool) == kept).all(), box


def test_the_lit_screens_keep_no_picture_of_their_own(make_kiosk) -> None:
    """A light only ever stands on bare sky, so putting it out copies the backdrop: the
    lit screens keep the sky mask, not a still picture of the whole canvas (8 MB at rest,
    at every size: issue 13's 150 MB at 4K)."""
    app = make_kiosk()
    for _ in range(240):  # past a change of the game named under the card
        app.clock.advance(DT)
        app.frame(DT)
    still = decor._stills[app.canvas.get_size()]
    kept = {name: v for name, v in vars(still).items() if isinstance(v, pygame.Surface)}
    big = {name for name, v in kept.items() if v.get_width() * v.get_height() > 64 * 64}
    assert big <= {"_sky"}, big
    if "_sky" in kept:  # the canvas's format is the backdrop's: the same surface, not a copy
        assert kept["_sky"] is decor.static_backdrop(app.canvas.get_size())


def test_a_patch_covers_each_change_outside_the_moving_areas_to_a_tile() -> None:
    """The picture shown now is kept as a digest per tile while the next one is painted
    on the same surface: the patch's box holds every changed pixel outside the moving
    areas, reaches no further than the tiles they are in, and shows the next picture."""
    from kiosk.ui.lit_ahead import TILE, make_patch

    size, like = (640, 360), pygame.Surface((1, 1))
    changed = pygame.Rect(203, 91, 37, 5)
    moving = (pygame.Rect(400, 200, 120, 80),)

    def now(s: pygame.Surface) -> None:
        s.fill((10, 20, 40))
        s.fill((200, 0, 0), moving[0])

    def coming(s: pygame.Surface) -> None:
        s.fill((10, 20, 40))
        s.fill((0, 200, 0), moving[0])  # what moves: repainted in the frame anyway
        s.fill((250, 250, 250), changed)

    patch = make_patch("next", ("now", 1), now, coming, size, like, None, moving)
    assert patch.box is not None and patch.box.contains(changed)
    first = pygame.Rect(changed.left // TILE[0] * TILE[0], changed.top // TILE[1] * TILE[1], *TILE)
    last = pygame.Rect(
        (changed.right - 1) // TILE[0] * TILE[0], (changed.bottom - 1) // TILE[1] * TILE[1], *TILE
    )
    assert first.union(last).contains(patch.box) and not patch.box.colliderect(moving[0])
    expected = pygame.Surface(size, 0, like)
    coming(expected)
    assert pygame.image.tobytes(patch.picture, "RGB") == pygame.image.tobytes(
        expected.subsurface(patch.box), "RGB"
    )
    same = make_patch("now", ("now", 1), now, now, size, like, None, moving)
    assert same.box is None and same.picture is None

    def moved(s: pygame.Surface) -> None:
        now(s)
        s.fill((0, 0, 200), moving[0].inflate(-10, -10))

    only_moving = make_patch("next", ("now", 1), now, moved, size, like, None, moving)
    assert only_moving.box is None  # the frame repaints what moves anyway


def test_a_lit_screen_s_first_frame_finds_no_sky_and_every_frame_is_the_whole_draw(
    monkeypatch,
) -> None:
    """Its sky mask is found a few rows a frame from its second frame on (the whole mask
    was 1 ms of the first frame of thanks and attract at 2560x1440); its lights meanwhile
    stand where the canvas shows bare sky, so each frame is still paint + draw_lights,
    and the mask, once found, is the one a whole take finds."""
    size = (1920, 1080)
    surface = pygame.Surface(size)
    card = pygame.Rect(300, 200, 1300, 500)

    def paint(s: pygame.Surface) -> None:
        decor.draw_backdrop(s)
        s.fill(theme.CARD, card)

    taken: list[int] = []
    real_rows = decor._Still.take_rows

    def take_rows(self, canvas, rows):
        taken.append(rows)
        return real_rows(self, canvas, rows)

    monkeypatch.setattr(decor._Still, "take_rows", take_rows)
    lit = decor.LitScreen()
    reference = pygame.Surface(size)
    for frame in range(12):
        t = frame * DT
        lit.draw(surface, t, frame > 0, "look", paint)
        still = decor._stills[size]
        if frame == 0:
            assert taken == [] and still.covered is None
        paint(reference)
        decor.draw_lights(reference, t)
        assert np.array_equal(_pixels(surface), _pixels(reference)), frame
    assert still.covered is not None and len(taken) >= 2
    found = still.covered.copy()
    paint(reference)
    still.take(lit, reference)
    assert np.array_equal(found, still.covered)
