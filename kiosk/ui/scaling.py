"""Letterbox: the 1920×1080 design canvas scaled into any window without distortion."""

from __future__ import annotations

from dataclasses import dataclass, field

import pygame

from kiosk import DESIGN_SIZE


@dataclass
class Letterbox:
    window: tuple[int, int]
    design: tuple[int, int] = DESIGN_SIZE
    scale: float = field(init=False)
    rect: pygame.Rect = field(init=False)

    def __post_init__(self) -> None:
        ww, wh = self.window
        dw, dh = self.design
        self.scale = min(ww / dw, wh / dh)
        w, h = round(dw * self.scale), round(dh * self.scale)
        self.rect = pygame.Rect((ww - w) // 2, (wh - h) // 2, w, h)

    @property
    def is_identity(self) -> bool:
        return self.rect.size == self.design and self.rect.topleft == (0, 0)

    def to_design(self, pos: tuple[float, float]) -> tuple[float, float]:
        """Window pixels to design pixels; points in the black bars clamp to the edge."""
        x = (pos[0] - self.rect.x) / self.scale
        y = (pos[1] - self.rect.y) / self.scale
        return (min(max(x, 0.0), self.design[0] - 1.0), min(max(y, 0.0), self.design[1] - 1.0))

    def present(self, canvas: pygame.Surface, window: pygame.Surface) -> None:
        """Copy the canvas into the window (nothing to do when the canvas is the window)."""
        if canvas is window:
            return
        window.fill((0, 0, 0))
        pygame.transform.smoothscale(canvas, self.rect.size, window.subsurface(self.rect))
