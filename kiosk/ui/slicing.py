"""A big change put on the screen over a few frames, so that no frame runs long.

At a scaled size, putting a change on the screen costs CPU in proportion to its area. A
whole new picture at 2560×1440 costs 4–9 ms to filter and 2–4 ms to double at 4K, on
top of the scene's own drawing, while a few moving lights cost a fraction of a
millisecond. :class:`Slicer` keeps a frame within its CPU time: given the changed
rectangles and what the frame has spent so far, it hands back what fits in the time left
(``TARGET_MS`` from the frame's start) and keeps the rest for the next frames, top to
bottom, cut across in bands of whole scaling blocks so each band scales on its own.

However late the frame is, every change goes on within ``MAX_FRAMES`` frames (67 ms at
60 Hz) on any machine: each part that waits takes its share of the frames it has left, so a
whole new screen goes a quarter at a time at worst, a quick wipe from the top, and on a fast
machine it all goes at once. A change of up to ``SMALL_SHARE`` of the picture (a few
lights, a card) always goes at once. The share used to be a quarter of the whole picture
for any change, so a new board of cards (a quarter of the picture) went whole in a frame
that had run long already, 2 ms of filtering at 2560×1440 on top of the scene's draw.
The cost per pixel is learnt from the presents themselves, not assumed.
"""

from __future__ import annotations

import pygame

from kiosk.ui.rects import join_overlapping, outside

TARGET_MS = 3.0  # a frame's CPU time from its start by which the present should be done
MAX_FRAMES = 4  # a change, even of the whole picture, is complete within this many frames
SMALL_SHARE = 1 / 8  # a change this small goes on at once however late the frame
LEARN_FROM_PX = 50_000  # smaller presents say more about fixed costs than about pixels
FORGET = 0.9  # how much of the old cost estimate a cheaper present keeps


class Slicer:
    """Changed rectangles of a ``size`` picture, put on screen a frame's worth at a time.

    ``row_block``: the scaling's block height (source rows that scale onto whole rows);
    bands are cut only at its multiples."""

    def __init__(self, size: tuple[int, int], row_block: int = 1) -> None:
        self.bounds = pygame.Rect((0, 0), size)
        self.row_block = max(1, row_block)
        self.waiting: list[tuple[pygame.Rect, int]] = []  # (area, frames it has waited)
        self.ms_per_px: float | None = None  # unknown until a big enough present is timed
        self.longest_wait = 0  # frames, the most any part has waited (benchmarks report it)
        # Source pixels the last take left time for, beyond what it handed back (None:
        # untimed): room for work that can always wait, such as filtering again.
        self.spare_px: int | None = None

    def __bool__(self) -> bool:
        return bool(self.waiting)

    @property
    def small_px(self) -> int:
        return int(self.bounds.w * self.bounds.h * SMALL_SHARE)

    def take(self, changed: list[pygame.Rect], spent_ms: float | None) -> list[pygame.Rect]:
        """What to put on screen now: what waits from earlier frames, then ``changed``, as
        much as fits the time left after ``spent_ms`` (None: the frame is not timed,
        everything goes). The rest waits for the next call. What waited longest goes
        first, so a part of the screen that keeps changing cannot hold another back."""
        areas = self._joined(changed)
        self.waiting = []
        self.spare_px = None
        if spent_ms is None or self.ms_per_px is None:
            return [a for a, _ in areas]
        left = (TARGET_MS - spent_ms) / self.ms_per_px
        px = sum(a.w * a.h for a, _ in areas)
        self.spare_px = max(0, int(left) - px)
        # Each part goes within MAX_FRAMES frames of its change: its share of those left.
        due = sum(-(-a.w * a.h // max(1, MAX_FRAMES - age)) for a, age in areas)
        budget = max(self.small_px, due, left)
        if px <= budget:
            return [a for a, _ in areas]
        now: list[pygame.Rect] = []
        for a, age in sorted(areas, key=lambda item: (-item[1], item[0].top, item[0].left)):
            if budget <= 0:
                self._wait(a, age + 1)
                continue
            if a.w * a.h <= budget:
                now.append(a)
                budget -= a.w * a.h
                continue
            # Rounded up to whole blocks: a late frame still takes at least its share.
            rows = -(-int(budget // a.w) // self.row_block) * self.row_block
            if rows >= a.h:
                now.append(a)
            else:
                now.append(pygame.Rect(a.x, a.y, a.w, rows))
                self._wait(pygame.Rect(a.x, a.y + rows, a.w, a.h - rows), age + 1)
            budget = 0
        return now

    def _joined(self, changed: list[pygame.Rect]) -> list[tuple[pygame.Rect, int]]:
        """What waits (each with the frames it waited) and what changed (0), none
        overlapping: a piece put on screen twice would cost twice. Changed pieces that
        overlap each other are joined; what waits already keeps its place, and a change
        over it adds only what lies outside it (joined, a part that keeps changing would
        carry what waits beside it along with it)."""
        fresh = join_overlapping(changed, self.bounds)
        for waiting, _ in self.waiting:
            fresh = [piece for r in fresh for piece in outside(r, waiting)]
        return self.waiting + [(r, 0) for r in fresh]

    def _wait(self, area: pygame.Rect, age: int) -> None:
        self.waiting.append((area, age))
        self.longest_wait = max(self.longest_wait, age)

    def learn(self, px: int, ms: float) -> None:
        """A present of ``px`` source pixels took ``ms`` of CPU. A dearer one is believed
        at once (a frame that ran long is what this is for); a cheaper one a little."""
        if px < LEARN_FROM_PX:
            return
        sample = ms / px
        if self.ms_per_px is None or sample > self.ms_per_px:
            self.ms_per_px = sample
        else:
            self.ms_per_px = FORGET * self.ms_per_px + (1 - FORGET) * sample

    def clear(self) -> None:
        self.waiting = []
