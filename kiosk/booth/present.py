"""Presenters: put the canvas on the screen, copying only what changed since the last frame.

``SurfacePresenter`` is the framebuffer path. When the window is the canvas's size the
kiosk draws straight into SDL's window surface and a frame is one flip. Otherwise the
changed rectangles of the canvas are copied (a pixel copy for a whole-number factor) or
filtered again an axis at a time (kiosk/ui/rescale.py) into the window surface, and only
those are pushed (``display.update(rects)``); finding them costs about a third of a
full-frame scale. A change too big for what is left of the frame's CPU time (a new
screen) is put on over a few frames (kiosk/ui/slicing.py), so that no frame runs long.
The letterbox bars are painted once, when the window appears or changes size. At a
whole-number factor a scene's own report of what it changed is copied as it is (a pixel
copy of an unchanged pixel changes nothing): after ``TRUSTED_AFTER`` frames in a row that
came with one (a still screen, attract all day) the comparison's copy of the last frame is
let go (9 MB at 4K, issue 13's memory at rest) until a frame comes without.

``TexturePresenter`` is the GPU path: the changed rectangles are uploaded into a streaming
texture and SDL's renderer scales it into the letterbox.

A window that changes size gets a canvas of its own (kiosk/booth/display.py), so the
surface the kiosk draws on never changes size under it.
"""

from __future__ import annotations

import os
import time
from typing import Protocol

import pygame

from kiosk.ui.damage import Damage
from kiosk.ui.rects import join_overlapping
from kiosk.ui.rescale import REFILTER_PX, ROUGH_PX, Rescaler
from kiosk.ui.scaling import Letterbox, scale_into
from kiosk.ui.slicing import Slicer

BLACK = (0, 0, 0)
TRUSTED_AFTER = 120  # frames reported by the scene in a row (2 s): its report is enough


class Presenter(Protocol):
    name: str

    def present(
        self, changed: list[pygame.Rect] | None = None, started: float | None = None
    ) -> None:
        """Show the canvas as it is now (``changed``: where it may differ, if known;
        ``started``: ``time.thread_time()`` when the frame began, if it is timed)."""

    def repaint(self) -> None:
        """The next ``present`` redraws everything, bars included (after a resize)."""


class SurfacePresenter:
    name = "framebuffer"

    def __init__(self, canvas: pygame.Surface, letterbox: Letterbox) -> None:
        self.canvas = canvas
        self.letterbox = letterbox
        self.damage = Damage()
        self.window = pygame.display.get_surface()
        self._rescaler: Rescaler | None = None
        self.slicer = Slicer(canvas.get_size(), letterbox.block)
        self._moving = False  # the last frame changed much too
        self._reported = 0  # frames in a row a scene said what it changed, at a whole factor
        self._let_go = False  # the comparison's buffers were let go (see _without_buffers)

    def repaint(self) -> None:
        self.window = pygame.display.get_surface()
        self.damage.reset()
        self._reported = 0  # the next frame is put on whole, whatever a scene reports
        self._let_go = False  # (through the comparison, made again now: a rare event)
        self.slicer = Slicer(self.canvas.get_size(), self.letterbox.block)

    def present(
        self, changed: list[pygame.Rect] | None = None, started: float | None = None
    ) -> None:
        if self.canvas is self.window:
            # Finding the changed rectangles would cost this process more (measured under
            # Xvfb: 8 % of a core with a flip, 16 % with the search) than it saves here.
            pygame.display.flip()
            return
        pushed = self.draw(changed, started)
        if pushed:
            pygame.display.update(pushed)

    def draw(
        self, hint: list[pygame.Rect] | None = None, started: float | None = None
    ) -> list[pygame.Rect]:
        """Put what changed on the canvas into the window surface; returns the window's
        rectangles to push (the bars too, with a whole frame). ``hint``: where the canvas
        may have changed (only there is it compared), None for anywhere; ``started``: the
        frame's ``time.thread_time()`` at its start (None: untimed, put everything on)."""
        changed = self._changed(hint)
        # Something big that keeps changing (a card dragged or sliding in) is copied
        # rough while it moves (kiosk/ui/rescale.py); a big change that comes once (a new
        # screen, a new card) goes on filtered, a slice at a time if need be.
        big = sum(a.w * a.h for a in changed) >= ROUGH_PX
        rough, self._moving = big and self._moving, big
        if not changed and not self.slicer and not (self._rescaler and self._rescaler.rough):
            return []  # (rough pieces are filtered again on still frames too)
        box, pushed = self.letterbox, []
        if changed and changed[0] == self.canvas.get_rect():  # a whole frame: the bars too
            for bar in box.bars():
                self.window.fill(BLACK, bar)
                pushed.append(bar)
        t0 = time.thread_time()
        spent = None if started is None else (t0 - started) * 1000
        areas = self.slicer.take(changed, spent)
        spare = self.slicer.spare_px
        pushed += self.put(areas, rough, REFILTER_PX if spare is None else min(spare, REFILTER_PX))
        self.slicer.learn(sum(a.w * a.h for a in areas), (time.thread_time() - t0) * 1000)
        return pushed

    def _changed(self, hint: list[pygame.Rect] | None) -> list[pygame.Rect]:
        """What to put on: the compared changes, or at a whole-number factor, once scenes
        have reported their changes for ``TRUSTED_AFTER`` frames, the report itself (the
        comparison's buffers let go; a frame without a report makes them again)."""
        whole = self.letterbox.factor is not None
        self._reported = self._reported + 1 if hint is not None and whole else 0
        if self._reported <= TRUSTED_AFTER:
            if self._let_go:
                return self._without_buffers(hint)
            return self.damage.changed(self.canvas, hint)
        if self.damage.holding:
            self.damage.release()
            self._let_go = True
        return join_overlapping(hint, self.canvas.get_rect())

    def _without_buffers(self, hint: list[pygame.Rect] | None) -> list[pygame.Rect]:
        """The comparison's buffers let go after a still screen (at a whole-number
        factor): a frame without a report is put on whole and one with a report as
        reported (as when trusted), while a worker makes the buffers again
        (kiosk/ui/damage.py ``prepare``: made in the frame, their fresh pages cost the
        first frame of the next screen 6-17 ms at 4K); the first frame they are ready in
        copies the canvas into them."""
        if self.damage.adopt(self.canvas):
            self._let_go = False
        else:
            self.damage.prepare(self.canvas)
        whole = self.canvas.get_rect()
        return [whole] if hint is None else join_overlapping(hint, whole)

    def put(
        self, areas: list[pygame.Rect], rough: bool = False, refilter_px: int = REFILTER_PX
    ) -> list[pygame.Rect]:
        """``areas`` of the canvas scaled into the window (``rough``: unfiltered, to be
        filtered again later, ``refilter_px`` of it now); returns the window rectangles
        written."""
        box = self.letterbox
        if box.factor is not None:
            return [self.copy(area) for area in areas]
        rescaler = self._rescaler
        if rescaler is None or rescaler.dest_rect.size != box.rect.size:
            rescaler = self._rescaler = Rescaler(
                self.canvas.get_size(), box.rect.size, rough_px=ROUGH_PX
            )
        picture = self.window.subsurface(box.rect)
        written = rescaler.update(self.canvas, picture, areas, rough, refilter_px)
        return [r.move(box.rect.topleft) for r in written]

    def copy(self, area: pygame.Rect) -> pygame.Rect:
        """Put ``area`` of the canvas into the window at a whole-number factor (a pixel
        copy: pieces fit exactly); returns the window rectangle."""
        box, k = self.letterbox, self.letterbox.factor
        dst = pygame.Rect(box.rect.x + area.x * k, box.rect.y + area.y * k, area.w * k, area.h * k)
        scale_into(self.canvas.subsurface(area), self.window.subsurface(dst), k)
        return dst


class TexturePresenter:
    name = "gpu"

    def __init__(self, window, canvas: pygame.Surface, letterbox: Letterbox) -> None:
        from pygame._sdl2 import video

        self.window = window
        self.canvas = canvas
        self.letterbox = letterbox
        self.damage = Damage()
        self.renderer = video.Renderer(window, accelerated=1)
        self._video = video
        self._make_texture()

    def _make_texture(self) -> None:
        # SDL reads the filter from this hint when a texture is made: crisp pixel doubling
        # for a whole-number factor, linear filtering otherwise.
        os.environ["SDL_RENDER_SCALE_QUALITY"] = "0" if self.letterbox.factor else "1"
        self.texture = self._video.Texture(self.renderer, self.canvas.get_size(), streaming=True)
        self._factor = self.letterbox.factor

    def repaint(self) -> None:
        if self.letterbox.factor != self._factor:
            self._make_texture()
        self.damage.reset()

    def present(
        self, changed: list[pygame.Rect] | None = None, started: float | None = None
    ) -> None:
        # The GPU scales: uploading even a whole canvas costs little CPU (``started``
        # is not needed).
        changed = self.damage.changed(self.canvas, changed)
        if not changed:
            return
        for area in changed:
            self.texture.update(self.canvas.subsurface(area), area)
        self.renderer.draw_color = BLACK
        self.renderer.clear()
        self.texture.draw(dstrect=self.letterbox.rect)
        self.renderer.present()
