"""Presenters: put the canvas on the screen, copying only what changed since the last frame.

``SurfacePresenter`` is the framebuffer path. When the window is the canvas's size the
kiosk draws straight into SDL's window surface and a frame is one flip. Otherwise the
changed rectangles of the canvas are copied (or scaled: a pixel copy for a whole-number
factor, filtered in exact blocks otherwise) into the window surface and only those are
pushed (``display.update(rects)``); finding them costs about a third of a full-frame scale.
The letterbox bars are painted once, when the window appears or changes size.

``TexturePresenter`` is the GPU path: the changed rectangles are uploaded into a streaming
texture and SDL's renderer scales it into the letterbox.

A window that changes size gets a canvas of its own (kiosk/booth/display.py), so the
surface the kiosk draws on never changes size under it.
"""

from __future__ import annotations

import os
from typing import Protocol

import pygame

from kiosk.ui.damage import Damage
from kiosk.ui.scaling import Letterbox, scale_into, smoothscale_into

BLACK = (0, 0, 0)


class Presenter(Protocol):
    name: str

    def present(self) -> None:
        """Show the canvas as it is now."""

    def repaint(self) -> None:
        """The next ``present`` redraws everything, bars included (after a resize)."""


class SurfacePresenter:
    name = "framebuffer"

    def __init__(self, canvas: pygame.Surface, letterbox: Letterbox) -> None:
        self.canvas = canvas
        self.letterbox = letterbox
        self.damage = Damage()
        self.window = pygame.display.get_surface()

    def repaint(self) -> None:
        self.window = pygame.display.get_surface()
        self.damage.reset()

    def present(self) -> None:
        if self.canvas is self.window:
            # Finding the changed rectangles would cost this process more (measured under
            # Xvfb: 8 % of a core with a flip, 16 % with the search) than it saves here.
            pygame.display.flip()
            return
        changed = self.damage.changed(self.canvas)
        if not changed:
            return
        pushed = []
        if changed[0] == self.canvas.get_rect():  # a whole frame: the bars too
            for bar in self.letterbox.bars():
                self.window.fill(BLACK, bar)
                pushed.append(bar)
        pushed += [self.copy(area) for area in changed]
        pygame.display.update(pushed)

    def copy(self, area: pygame.Rect) -> pygame.Rect:
        """Put ``area`` of the canvas into the window; returns the window rectangle."""
        box, window, canvas = self.letterbox, self.window, self.canvas
        k = box.factor
        if k is not None:
            dst = pygame.Rect(box.rect.x + area.x * k, box.rect.y + area.y * k, 0, 0)
            dst.size = (area.w * k, area.h * k)
            scale_into(canvas.subsurface(area), window.subsurface(dst), k)
            return dst
        src, dst = box.snap(area)
        if src == canvas.get_rect():
            scale_into(canvas, window.subsurface(box.rect), None)
        elif dst.w > src.w or dst.h > src.h:
            # Enlarging filters with the neighbours: scale one block more on each side and
            # keep the middle, so the piece matches the picture around it.
            wider = src.inflate(2 * box.block, 2 * box.block).clip(canvas.get_rect())
            _, wider_dst = box.snap(wider)
            piece = pygame.transform.smoothscale(canvas.subsurface(wider), wider_dst.size)
            window.blit(piece, dst, dst.move(-wider_dst.x, -wider_dst.y))
        else:
            smoothscale_into(canvas.subsurface(src), window.subsurface(dst))
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

    def present(self) -> None:
        changed = self.damage.changed(self.canvas)
        if not changed:
            return
        for area in changed:
            self.texture.update(self.canvas.subsurface(area), area)
        self.renderer.draw_color = BLACK
        self.renderer.clear()
        self.texture.draw(dstrect=self.letterbox.rect)
        self.renderer.present()
