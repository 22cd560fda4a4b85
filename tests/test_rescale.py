"""kiosk/ui/rescale.py: a picture kept scaled, only the changed pieces filtered again."""

from __future__ import annotations

import random

import numpy as np
import pygame
import pytest

from kiosk.ui.damage import Damage
from kiosk.ui.rescale import WHOLE_SHARE, Axis, Rescaler


def _picture() -> pygame.Surface:
    canvas = pygame.Surface((1920, 1080))
    for i in range(0, 1920, 16):
        pygame.draw.line(canvas, (i % 256, (i * 7) % 256, 90), (i, 0), (1920 - i, 1080), 9)
    return canvas


def _diff(a: pygame.Surface, b: pygame.Surface) -> int:
    return int(
        np.abs(
            pygame.surfarray.array3d(a).astype(int) - pygame.surfarray.array3d(b).astype(int)
        ).max()
    )


def _whole(source: pygame.Surface, size: tuple[int, int]) -> pygame.Surface:
    whole = pygame.Surface(size)
    Rescaler(source.get_size(), size).update(source, whole, [source.get_rect()])
    return whole


def _mean_off(a: pygame.Surface, b: pygame.Surface) -> float:
    d = pygame.surfarray.array3d(a).astype(int) - pygame.surfarray.array3d(b).astype(int)
    return float(np.abs(d).mean())


def _share_off(a: pygame.Surface, b: pygame.Surface) -> float:
    """The share of pixels more than two levels apart."""
    d = pygame.surfarray.array3d(a).astype(int) - pygame.surfarray.array3d(b).astype(int)
    return float((np.abs(d).max(axis=2) > 2).mean())


def test_an_axis_snaps_to_whole_blocks_that_land_on_whole_pixels() -> None:
    down = Axis(1080, 608)  # the portrait playfield: 135 rows onto 76
    assert (down.src_block, down.dst_block) == (135, 76)
    assert down.snap(300, 340) == (270, 405, 152, 228)
    assert down.snap(0, 1080) == (0, 1080, 0, 608)
    across = Axis(1920, 2560)  # 1440p: 3 pixels onto 4
    assert across.enlarges and across.snap(10, 11) == (9, 12, 12, 16)
    assert across.snap(0, 2, before=1) == (0, 3, 0, 4)  # no block before the first
    assert across.snap(1918, 1920, before=1) == (1914, 1920, 2552, 2560)


@pytest.mark.parametrize("size", [(1080, 608), (1360, 765), (2560, 1440), (640, 360)])
def test_changed_pieces_rescaled_match_scaling_the_whole_picture(size) -> None:
    """Frame after frame, small things moving here and there: the kept picture stays what
    scaling the whole source would give (within a level or two of rounding; no seams,
    nothing stale), while each frame rewrites only small parts of it."""
    rng = random.Random(3)
    source = _picture()
    dest = pygame.Surface(size)
    damage, rescaler = Damage(), Rescaler(source.get_size(), size)
    assert rescaler.update(source, dest, damage.changed(source)) == [dest.get_rect()]
    for frame in range(8):
        for _ in range(rng.randrange(1, 5)):
            x, y = rng.randrange(1920), rng.randrange(1080)
            color = (rng.randrange(256), rng.randrange(256), frame * 30)
            pygame.draw.rect(source, color, (x, y, rng.randrange(3, 200), rng.randrange(3, 90)))
        pygame.draw.rect(source, (frame * 20, 250, 0), (0, 1040, 50, 40))  # the corners too
        pygame.draw.rect(source, (250, frame * 20, 0), (1880, 0, 40, 50))
        written = rescaler.update(source, dest, damage.changed(source))
        assert sum(r.w * r.h for r in written) < WHOLE_SHARE * size[0] * size[1]
        whole = pygame.Surface(size)
        pygame.transform.smoothscale(source, size, whole)
        if size[0] < 1920:
            # smoothscale's rounded fixed-point step leaves a few levels at the odd edge
            # pixel (a misplaced or stale piece differs by a hundred)
            assert _diff(dest, whole) <= 6, (size, frame)
            assert _share_off(dest, whole) < 0.005, (size, frame)
        else:  # enlarged: exactly the whole picture as this scaling draws it …
            assert _diff(dest, _whole(source, size)) == 0, (size, frame)
            # … which is smoothscale's but for its step: within a pixel at the far edge
            assert _mean_off(dest, whole) < 5, (size, frame)


def test_only_the_changed_pieces_are_rewritten() -> None:
    source = _picture()
    dest = pygame.Surface((1080, 608))
    damage, rescaler = Damage(), Rescaler((1920, 1080), (1080, 608))
    rescaler.update(source, dest, damage.changed(source))
    dest.set_at((10, 10), (1, 2, 3))  # something the rescaler must not overwrite
    source.set_at((1900, 1070), (255, 0, 0))
    written = rescaler.update(source, dest, damage.changed(source))
    assert dest.get_at((10, 10))[:3] == (1, 2, 3)
    (piece,) = written
    # 16 source columns land on 9, 135 source rows on 76: the bottom right block only
    assert piece.collidepoint(1900 * 9 // 16, 1070 * 76 // 135)
    assert piece.w <= 9 * 3 and piece.h == 76
    assert dest.get_at((1900 * 9 // 16, 1070 * 76 // 135))[0] > 0


def test_much_changed_is_scaled_whole_and_nothing_changed_costs_nothing() -> None:
    source = _picture()
    dest = pygame.Surface((1080, 608))
    rescaler = Rescaler((1920, 1080), (1080, 608))
    assert rescaler.update(source, dest, []) == []
    big = [pygame.Rect(0, 0, 1920, 800)]  # 74 % of the picture
    assert rescaler.update(source, dest, big) == [dest.get_rect()]
    whole = pygame.Surface((1080, 608))
    pygame.transform.smoothscale(source, (1080, 608), whole)
    assert _diff(dest, whole) == 0  # shrunk whole: smoothscale's two filters, in its order


def test_enlarging_reaches_the_columns_that_blend_with_a_changed_edge() -> None:
    """Enlarged, a window column interpolates between two canvas columns: a change that
    starts exactly on a block (x = 120, 3 → 4 at 1440p) still reaches the column before."""
    source = pygame.Surface((1920, 1080))
    dest = pygame.Surface((2560, 1440))
    rescaler = Rescaler((1920, 1080), (2560, 1440))
    rescaler.update(source, dest, [source.get_rect()])
    source.fill((255, 255, 255), (120, 120, 40, 40))
    rescaler.update(source, dest, [pygame.Rect(120, 120, 40, 40)])
    assert _diff(dest, _whole(source, (2560, 1440))) == 0
    # the last block has no line after it: it repeats its own
    source.fill((255, 0, 0), (1900, 1060, 20, 20))
    rescaler.update(source, dest, [pygame.Rect(1880, 1040, 40, 40)])
    assert _diff(dest, _whole(source, (2560, 1440))) == 0
    assert dest.get_at((2559, 1439))[:3] == (255, 0, 0)


@pytest.mark.parametrize("size", [(1360, 765), (2560, 1440), (1080, 608)])
def test_a_moving_card_is_copied_rough_then_filtered_again_when_still(size) -> None:
    """A big piece moving (``rough_px``) is copied nearest-pixel each frame: where it is
    shows it, where it was shows what is under it, nothing stale. Once the frame is quiet
    the rough pieces are filtered again a share per frame, small changes beside them too,
    until the picture is what scaling the whole source gives."""
    rng = random.Random(5)
    source, under = _picture(), _picture()
    dest = pygame.Surface(size)
    damage = Damage()
    rescaler = Rescaler(source.get_size(), size, rough_px=40_000)
    rescaler.update(source, dest, damage.changed(source))
    sx, sy = size[0] / 1920, size[1] / 1080
    card = pygame.Rect(100, 300, 420, 260)
    for frame in range(12):
        source.blit(under, card, card)  # the card leaves its place …
        card.move_ip(97, 23 - frame * 5)
        source.fill((250, 250, 250), card)  # … and is drawn at the next
        pygame.draw.rect(source, (200, 10, 10), card.inflate(-60, -60), 7)
        written = rescaler.update(source, dest, damage.changed(source))
        assert written and rescaler.rough
        shown = pygame.Rect(card.x * sx, card.y * sy, card.w * sx, card.h * sy)
        assert dest.get_at(shown.center)[:3] == (250, 250, 250)
        left = pygame.Rect((card.x - 97) * sx, card.y * sy, 97 * sx, card.h * sy)
        assert dest.get_at(left.center)[:3] != (250, 250, 250)  # the card has gone from there
        _assert_filtered_but_rough(rescaler, source, dest)
    quiet = 0
    while rescaler.rough:
        x, y = rng.randrange(1900), rng.randrange(1060)  # a light blinking meanwhile
        source.fill((rng.randrange(256), 0, 200), (x, y, 12, 12))
        written = rescaler.update(source, dest, damage.changed(source))
        assert sum(r.w * r.h for r in written) < 0.4 * size[0] * size[1]
        quiet += 1
        assert quiet < 30
        _assert_filtered_but_rough(rescaler, source, dest)
    assert quiet > 1  # a share at a time, not all in the first quiet frame
    whole = pygame.Surface(size)
    pygame.transform.smoothscale(source, size, whole)
    if size[0] < 1920:
        assert _diff(dest, whole) <= 6
        assert _share_off(dest, whole) < 0.005
    else:
        assert _diff(dest, _whole(source, size)) == 0
    assert rescaler.update(source, dest, damage.changed(source)) == []


def _assert_filtered_but_rough(rescaler: Rescaler, source: pygame.Surface, dest) -> None:
    """Outside the parts still waiting to be filtered, ``dest`` is the filtered picture of
    ``source`` as it is now: nothing stale beside a rough part, no seam."""
    size = dest.get_size()
    got = pygame.surfarray.array3d(dest).astype(int)
    if size[0] < 1920:
        want = pygame.surfarray.array3d(pygame.transform.smoothscale(source, size)).astype(int)
        level = 6
    else:
        want = pygame.surfarray.array3d(_whole(source, size)).astype(int)
        level = 0
    off = np.abs(got - want).max(axis=2)
    for tx, ty in rescaler.rough._tiles:
        tile = pygame.Rect(
            tx * rescaler.rough.w, ty * rescaler.rough.h, rescaler.rough.w, rescaler.rough.h
        )
        _, _, x0, x1 = rescaler.x.snap(tile.left, min(tile.right, 1920))
        _, _, y0, y1 = rescaler.y.snap(tile.top, min(tile.bottom, 1080))
        off[x0:x1, y0:y1] = 0
    assert off.max() <= level


def test_enlarged_rough_piece_on_a_tile_edge_leaves_no_stale_blend_before_it() -> None:
    """Enlarged, the window columns just before a piece blend with its first column: a
    piece copied rough from exactly a tile's edge has them filtered again too."""
    source = _picture()
    dest = pygame.Surface((2560, 1440))
    rescaler = Rescaler((1920, 1080), (2560, 1440), rough_px=10_000)
    rescaler.update(source, dest, [source.get_rect()])
    card = pygame.Rect(480, 480, 300, 300)  # 480 = 10 tiles of 48 pixels
    source.fill((255, 255, 255), card)
    rescaler.update(source, dest, [card])
    assert rescaler.rough
    _assert_filtered_but_rough(rescaler, source, dest)
    while rescaler.rough:
        rescaler.update(source, dest, [])
    assert _diff(dest, _whole(source, (2560, 1440))) == 0
