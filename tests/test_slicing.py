"""A big change put on the screen over a few frames (kiosk/ui/slicing.py, the presenter)."""

from __future__ import annotations

import time

import numpy as np
import pygame
import pytest

from kiosk.booth.present import SurfacePresenter
from kiosk.ui.scaling import Letterbox
from kiosk.ui.slicing import MAX_FRAMES, SMALL_SHARE, TARGET_MS, Slicer
from tests.test_display import off_a_fresh_present

WHOLE = pygame.Rect(0, 0, 1920, 1080)


def test_everything_goes_at_once_when_the_frame_is_not_timed_or_the_cost_unknown() -> None:
    slicer = Slicer((1920, 1080), row_block=24)
    assert slicer.take([WHOLE], spent_ms=50.0) == [WHOLE]  # cost not learnt yet
    slicer.learn(WHOLE.w * WHOLE.h, 9.0)
    assert slicer.take([WHOLE], spent_ms=None) == [WHOLE]
    assert not slicer


def test_a_late_frame_takes_a_share_in_whole_blocks_and_the_rest_follows_top_down() -> None:
    slicer = Slicer((1920, 1080), row_block=24)
    slicer.learn(WHOLE.w * WHOLE.h, 9.0)  # a whole picture costs 9 ms: far over any frame
    shown: list[pygame.Rect] = []
    frames = 0
    pending = [WHOLE]
    while pending or slicer:
        now = slicer.take(pending, spent_ms=TARGET_MS + 1)  # the scene already ran long
        pending = []
        frames += 1
        for r in now:
            assert r.top % 24 == 0 and (r.bottom % 24 == 0 or r.bottom == 1080)
        shown += now
    assert frames <= MAX_FRAMES
    assert [r.top for r in shown] == sorted(r.top for r in shown)  # a wipe from the top
    assert sum(r.w * r.h for r in shown) == WHOLE.w * WHOLE.h  # all of it, once
    assert pygame.Rect(shown[0]).unionall(shown[1:]) == WHOLE


def test_time_left_in_the_frame_buys_more_and_small_changes_are_never_held_back() -> None:
    slicer = Slicer((1920, 1080))
    slicer.learn(WHOLE.w * WHOLE.h, 8.0)
    late = slicer.take([WHOLE], spent_ms=TARGET_MS)
    slicer.clear()
    early = slicer.take([WHOLE], spent_ms=0.0)
    slicer.clear()
    assert sum(r.h for r in late) < sum(r.h for r in early) < 1080
    light = pygame.Rect(500, 300, 40, 40)
    assert slicer.take([light], spent_ms=TARGET_MS + 5) == [light]


def test_a_board_of_cards_in_a_late_frame_goes_over_a_few_frames() -> None:
    """A change of a quarter of the picture (Smart Commute's new board) in a frame that
    already ran long is spread too, not put on whole; it is all on within MAX_FRAMES
    frames, and a change of up to SMALL_SHARE of the picture still goes at once."""
    slicer = Slicer((1920, 1080), row_block=24)
    slicer.learn(WHOLE.w * WHOLE.h, 9.0)
    board = pygame.Rect(1144, 398, 752, 566)
    first = slicer.take([board], spent_ms=TARGET_MS + 1)
    assert sum(r.w * r.h for r in first) <= WHOLE.w * WHOLE.h * SMALL_SHARE + 752 * 24
    frames, rest = 1, []
    while slicer:
        rest += slicer.take([], spent_ms=TARGET_MS + 1)
        frames += 1
    assert frames <= MAX_FRAMES
    assert pygame.Rect(first[0]).unionall(first[1:] + rest) == board
    card = pygame.Rect(1144, 398, 752, 340)  # one big card: an eighth of the picture or less
    assert card.w * card.h <= WHOLE.w * WHOLE.h * SMALL_SHARE
    assert slicer.take([card], spent_ms=TARGET_MS + 5) == [card]


def test_what_waits_joins_what_changes_next() -> None:
    slicer = Slicer((1920, 1080))
    slicer.learn(WHOLE.w * WHOLE.h, 20.0)
    first = slicer.take([WHOLE], spent_ms=TARGET_MS)
    card = pygame.Rect(600, 700, 300, 200)  # changes again inside the part still waiting
    rest = []
    while slicer:
        rest += slicer.take([card] if not rest else [], spent_ms=TARGET_MS)
    times = np.zeros((1080, 1920), dtype=int)  # how often each pixel was put on
    for r in first + rest:
        times[r.top : r.bottom, r.left : r.right] += 1
    assert (times == 1).all()  # every pixel, the card's too, and none of them twice


def test_a_part_that_keeps_changing_cannot_hold_another_back() -> None:
    """The top of the screen changes every frame (a big animation), the rest changed
    once: what waits longest goes first, so the rest is shown within a few frames."""
    slicer = Slicer((1920, 1080), row_block=24)
    slicer.learn(WHOLE.w * WHOLE.h, 20.0)
    top = pygame.Rect(0, 0, 1920, 360)
    shown = np.zeros((1080, 1920), dtype=bool)
    for frame in range(12):
        for r in slicer.take([WHOLE] if frame == 0 else [top], spent_ms=TARGET_MS + 1):
            shown[r.top : r.bottom, r.left : r.right] = True
    assert shown.all()
    assert slicer.longest_wait <= MAX_FRAMES


def test_the_cost_estimate_believes_a_dear_present_and_forgets_slowly() -> None:
    slicer = Slicer((1920, 1080))
    slicer.learn(1_000_000, 2.0)
    slicer.learn(1_000_000, 6.0)
    assert slicer.ms_per_px == pytest.approx(6e-6)
    slicer.learn(1_000_000, 1.0)
    assert 5e-6 < slicer.ms_per_px < 6e-6
    slicer.learn(100, 50.0)  # a tiny present: fixed costs, not pixels
    assert slicer.ms_per_px < 6e-6


def _picture(seed: int) -> pygame.Surface:
    canvas = pygame.Surface((1920, 1080))
    for i in range(0, 1920, 16):
        color = ((i + seed * 40) % 256, (i * 7 + seed) % 256, 90 + seed * 30)
        pygame.draw.line(canvas, color, (i, 0), (1920 - i, 1080), 9)
    return canvas


@pytest.mark.parametrize("size", [(3840, 2160), (2560, 1440), (1366, 768)])
def test_a_new_screen_in_a_late_frame_is_complete_within_a_few_frames(size) -> None:
    """The presenter given a frame that already ran long puts a whole new picture on over
    at most MAX_FRAMES frames (each pushes a part, filtered at once), and then the window
    is what a fresh presenter draws in one go."""
    box = Letterbox(size)
    presenter = SurfacePresenter(_picture(0), box)
    presenter.window = pygame.Surface(size)
    presenter.draw()  # the first frame, untimed: everything, and the cost is learnt
    assert presenter.draw() == []  # a still frame
    presenter.canvas.blit(_picture(1), (0, 0))  # a new screen
    frames = 0
    while True:
        late = time.thread_time() - 1.0  # this frame began a second ago
        pushed = presenter.draw(started=late)
        frames += 1
        if not presenter.slicer:
            break
        assert pushed and sum(r.w * r.h for r in pushed) < size[0] * size[1] * 0.6
    assert frames <= MAX_FRAMES
    # A new screen goes on filtered, slice by slice: nothing left to filter again.
    assert not (presenter._rescaler and presenter._rescaler.rough)
    assert presenter.draw() == []
    assert off_a_fresh_present(presenter, box) <= (0 if box.factor or size[0] > 1920 else 6), size
