"""Games that paint only what changed (games/kit/redraw.py): every frame byte for byte what a
whole redraw paints, and the damage they report covers every pixel that changed (issue 13)."""

from __future__ import annotations

import random

import numpy as np
import pygame
import pytest
from gamekit import GameKit
from journeykit import start_round

from games.kit import gamebar
from games.kit.redraw import Piece, Redraw, merge
from games.recycle_right import view
from games.registry import discover

SIZE = (640, 360)


def _pixels(surface: pygame.Surface) -> np.ndarray:
    """The pixels as rows × columns, not copied: the surface stays locked (no blits onto
    it) until the array is gone."""
    w, h = surface.get_size()
    return np.frombuffer(surface.get_view("1"), np.uint32).reshape(h, -1)[:, :w]


def _uncovered(before: np.ndarray, after: np.ndarray, damage: list[pygame.Rect] | None) -> int:
    """How many changed pixels lie outside ``damage`` (None: everything reported)."""
    if damage is None:
        return 0
    changed = before != after
    for r in damage:
        changed[r.top : r.bottom, r.left : r.right] = False
    return int(np.count_nonzero(changed))


def _backdrop() -> pygame.Surface:
    bg = pygame.Surface(SIZE)
    for y in range(0, SIZE[1], 8):  # stripes: restoring the wrong place shows
        bg.fill((20 + y % 200, 40, 90), (0, y, SIZE[0], 8))
    return bg


def _scene(step: int) -> list[Piece]:
    """Overlapping see-through discs, one moving, one changing colour, one coming and going,
    and two swapping their order now and then."""
    ball = pygame.Surface((60, 60), pygame.SRCALPHA)
    pygame.draw.circle(ball, (250, 200, 40, 150), (30, 30), 29)
    pieces = []
    x = 40 + 23 * step % 500
    pieces.append(Piece("mover", x, pygame.Rect(x, 100, 60, 60), lambda s: s.blit(ball, (x, 100))))
    tone = (step // 3 % 2) * 200

    def ring(s: pygame.Surface) -> None:
        pygame.draw.circle(s, (tone, 255 - tone, 90), (300, 130), 50, 9)

    pieces.append(Piece("ring", tone, pygame.Rect(248, 78, 105, 105), ring, still=True))
    if step % 5 < 2:
        pieces.append(Piece("blink", None, pygame.Rect(280, 90, 60, 60),
                            lambda s: s.blit(ball, (280, 90))))  # fmt: skip
    pair = [
        Piece("a", None, pygame.Rect(100, 200, 60, 60), lambda s: s.blit(ball, (100, 200))),
        Piece(
            "b",
            None,
            pygame.Rect(120, 210, 60, 60),
            lambda s: s.fill((0, 90, 0), (120, 210, 60, 60)),
            still=True,
        ),
    ]
    return pieces + (pair if step % 7 < 4 else pair[::-1])


def test_each_frame_is_the_whole_redraw_and_the_damage_covers_the_change() -> None:
    backdrop = _backdrop()
    kept, whole = pygame.Surface(SIZE), pygame.Surface(SIZE)
    redraw, fresh = Redraw(), Redraw()
    before = None
    partial = 0
    for step in range(60):
        damage = redraw.draw(kept, backdrop, _scene(step), kept=step > 0)
        assert fresh.draw(whole, backdrop, _scene(step), kept=False) is None
        now = _pixels(kept)
        assert np.array_equal(now, _pixels(whole)), step
        if before is not None:
            assert damage is not None
            assert _uncovered(before, now, damage) == 0, step
            partial += sum(r.w * r.h for r in damage) < SIZE[0] * SIZE[1] / 2
        before = now.copy()
        del now
    assert partial > 40  # most frames painted a small part


def test_a_surface_drawn_over_or_a_new_one_is_painted_whole() -> None:
    backdrop = _backdrop()
    surface = pygame.Surface(SIZE)
    redraw = Redraw()
    redraw.draw(surface, backdrop, _scene(0), kept=False)
    assert redraw.draw(surface, backdrop, _scene(0), kept=True) == []  # nothing changed
    surface.fill((255, 0, 0))  # an overlay drew over it: the kiosk says not kept
    assert redraw.draw(surface, backdrop, _scene(0), kept=False) is None
    assert surface.get_at((5, 5)) == backdrop.get_at((5, 5))
    other = pygame.Surface(SIZE)
    assert redraw.draw(other, backdrop, _scene(1), kept=True) == [other.get_rect()]


def test_pictures_kept_on_one_surface_serve_another_of_its_format() -> None:
    """A round drawn ahead on a scratch surface in the canvas's format (kiosk/booth/
    pregame.py) keeps pictures of its still pieces that its first frame on the canvas
    blits instead of drawing them again, and that frame is the whole draw; on a surface of
    another format they are drawn again."""
    backdrop = _backdrop()
    drawn: list[str] = []

    def counted(pieces: list[Piece]) -> list[Piece]:
        def draw_of(p: Piece):
            return lambda s: (drawn.append(p.name), p.draw(s))

        return [p._replace(draw=draw_of(p)) for p in pieces]

    scratch, canvas = pygame.Surface(SIZE), pygame.Surface(SIZE)
    redraw = Redraw()
    redraw.draw(scratch, backdrop, counted(_scene(0)), kept=False)
    assert "ring" in drawn
    drawn.clear()
    redraw.draw(canvas, backdrop, counted(_scene(0)), kept=False)
    assert "ring" not in drawn and "mover" in drawn  # (a moving piece is drawn each time)
    fresh = pygame.Surface(SIZE)
    Redraw().draw(fresh, backdrop, _scene(0), kept=False)
    assert np.array_equal(_pixels(canvas), _pixels(fresh))
    drawn.clear()
    other_format = pygame.Surface(SIZE, 0, 16)
    redraw.draw(other_format, backdrop, counted(_scene(0)), kept=False)
    assert "ring" in drawn


def test_a_frame_copied_onto_another_surface_is_gone_on_from_there() -> None:
    """The round's first picture drawn ahead on a scratch surface, copied onto the canvas
    (``moved``): the next frame on the canvas paints only what changed and is the whole
    redraw; a surface that did not hold the last frame is not taken for it."""
    backdrop = _backdrop()
    scratch, canvas = pygame.Surface(SIZE), pygame.Surface(SIZE)
    redraw = Redraw()
    redraw.draw(scratch, backdrop, _scene(0), kept=False)
    assert not redraw.moved(pygame.Surface(SIZE), canvas)  # not where it drew last
    assert not redraw.moved(scratch, pygame.Surface(SIZE, 0, 16))  # another format
    canvas.blit(scratch, (0, 0))
    assert redraw.moved(scratch, canvas)
    damage = redraw.draw(canvas, backdrop, _scene(1), kept=True)
    assert damage is not None and canvas.get_rect() not in damage
    fresh = pygame.Surface(SIZE)
    Redraw().draw(fresh, backdrop, _scene(1), kept=False)
    assert np.array_equal(_pixels(canvas), _pixels(fresh))


def test_a_piece_that_fails_leaves_the_next_frame_whole() -> None:
    backdrop = _backdrop()
    surface = pygame.Surface(SIZE)
    redraw = Redraw()
    redraw.draw(surface, backdrop, _scene(0), kept=False)

    def broken(s: pygame.Surface) -> None:
        s.fill((255, 0, 0), (0, 0, 50, 50))
        raise RuntimeError("a bad frame")

    with pytest.raises(RuntimeError):
        redraw.draw(surface, backdrop, [Piece("x", 1, pygame.Rect(0, 0, 50, 50), broken)], True)
    assert redraw.draw(surface, backdrop, _scene(0), kept=True) == [surface.get_rect()]
    assert surface.get_at((5, 5)) == backdrop.get_at((5, 5))


def test_a_piece_moved_in_the_order_is_painted_again_at_its_places_only() -> None:
    """A card picked up (drawn last from then on) over others: the frame is the whole
    redraw's, and the damage is the card's rect, not the whole surface."""
    backdrop = _backdrop()
    kept, whole = pygame.Surface(SIZE), pygame.Surface(SIZE)

    def disc(name: str, x: int) -> Piece:
        colour = (40 * x % 255, 90, 200)
        return Piece(name, None, pygame.Rect(x, 100, 80, 80),
                     lambda s: pygame.draw.circle(s, colour, (x + 40, 140), 39))  # fmt: skip

    row = [disc(f"card{k}", 40 + 50 * k) for k in range(6)]
    redraw = Redraw()
    redraw.draw(kept, backdrop, row, kept=False)
    lifted = row[:2] + row[3:] + row[2:3]  # card2 picked up: drawn over its neighbours now
    damage = redraw.draw(kept, backdrop, lifted, kept=True)
    Redraw().draw(whole, backdrop, lifted, kept=False)
    assert np.array_equal(_pixels(kept), _pixels(whole))
    assert damage == [row[2].rect]


def test_merge_joins_overlaps_and_clips() -> None:
    bounds = pygame.Rect(0, 0, 100, 100)
    out = merge([pygame.Rect(0, 0, 20, 20), pygame.Rect(10, 10, 20, 20),
                 pygame.Rect(80, 80, 40, 40), pygame.Rect(200, 0, 5, 5)], bounds)  # fmt: skip
    assert sorted(map(tuple, out)) == [(0, 0, 30, 30), (80, 80, 20, 20)]


# --------------------------------------------------------------------------- real rounds


def _touched(piece: Piece, surface: pygame.Surface) -> pygame.Rect | None:
    """The pixels ``piece`` changes within 32 px of its rect, found by drawing it on black
    and on white (a stray draw further off changes the frame: the comparison finds it)."""
    near = piece.rect.inflate(64, 64).clip(surface.get_rect())
    marks = []
    for fill in ((0, 0, 0), (255, 255, 255)):
        surface.set_clip(near)
        surface.fill(fill)
        piece.draw(surface)
        surface.set_clip(None)
        rows = _pixels(surface)[near.top : near.bottom, near.left : near.right]
        marks.append(rows != surface.map_rgb(fill))
        del rows  # (the surface stays locked while its pixels are seen)
    ys, xs = np.nonzero(marks[0] | marks[1])
    if not len(xs):
        return None
    return pygame.Rect(near.x + xs.min(), near.y + ys.min(), np.ptp(xs) + 1, np.ptp(ys) + 1)


# Both languages of each game, one of them as a totem's playfield.
ROUNDS = [
    (game_id, lang, lang == "zh-HK")
    for game_id in ("smart_home_saver", "recycle_right", "smart_commute")
    for lang in ("en", "zh-HK")
]
STEP = 1 / 30  # a bot's round at 30 frames a second: every frame of it compared


@pytest.mark.parametrize("game_id,lang,portrait", ROUNDS)
def test_a_bot_round_is_painted_as_a_whole_redraw_frame_by_frame(
    game_id: str, lang: str, portrait: bool
) -> None:
    """Two copies of a seeded round get the same touches: one paints on the surface it
    painted last (only what changed), the other draws everything every frame. The pictures
    match at every frame, and between frames nothing changed outside the first's damage.
    ``portrait``: drawn as a totem's playfield (the bar and the line drawn by the frame)."""
    spec = discover()[game_id]
    kit = GameKit(spec)
    partial, whole = kit.make_game(lang, seed=3), kit.make_game(lang, seed=3)
    bot = spec.bot(partial, random.Random(11), 0.7)
    kept, fresh = pygame.Surface((1920, 1080)), pygame.Surface((1920, 1080))
    before = None
    painted = []
    probe = pygame.Surface((1920, 1080))
    for frame in range(round(75 / STEP)):
        for ev in bot.step(STEP):
            partial.handle(ev)
            whole.handle(ev)
        partial.update(STEP)
        whole.update(STEP)
        partial.surface_kept = frame > 0
        if portrait:
            with gamebar.detached() as parts:
                partial.draw(kept)
            with gamebar.detached() as reference:
                whole.draw(fresh)
            assert parts == reference
        else:
            partial.draw(kept)
            whole.draw(fresh)
        now = _pixels(kept)
        assert np.array_equal(now, _pixels(fresh)), frame
        if before is not None:
            assert partial.damage is not None
            assert _uncovered(before, now, partial.damage) == 0, frame
            painted.append(sum(r.w * r.h for r in partial.damage))
        before = now.copy()
        del now
        if frame % 150 == 75:  # every piece keeps inside its rect
            for piece in partial.view.pieces():
                touched = piece.rect.union(_touched(piece, probe) or piece.rect)
                assert touched == piece.rect, (piece.name, piece.rect, touched)
        if whole.finished and frame % 30 == 0:
            break
    assert whole.finished
    # Most frames paint a small part of the screen: the point of it all.
    assert sorted(painted)[len(painted) // 2] < 1920 * 1080 / 10


def test_recycle_right_deals_cards_made_before_the_round(make_kiosk, monkeypatch) -> None:
    """Every card the deck may deal is drawn in the worker that builds the round while the
    how-to is read (Game.draw_ahead), so no frame of the round renders one."""
    spec = discover()["recycle_right"]
    app = make_kiosk(games=[spec])
    start_round(app)
    game = app.scene.game
    deck = {s.id for s in game.deck.plain + game.deck.tricky}
    assert set(game.view._cards) == deck
    made = []
    real = view.render_card
    monkeypatch.setattr(view, "render_card", lambda *a: made.append(a) or real(*a))
    bot = spec.bot(game, random.Random(5), 0.8)
    for _ in range(round(30 / STEP)):
        for ev in bot.step(STEP):
            app.pointer(ev)
        app.clock.advance(STEP)
        app.frame(STEP)
    assert game.offered > 10 and made == []
