"""Buttons: big, rounded, and hit-tested in design coordinates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pygame

from kiosk.ui import theme
from kiosk.ui.text import TextRenderer


@dataclass
class Button:
    rect: pygame.Rect
    label: str
    action: Callable[[], None]
    fill: theme.RGB = theme.BUTTON
    text_color: theme.RGB = theme.BUTTON_TEXT
    size: int = theme.BODY
    sublabel: str = ""

    def __post_init__(self) -> None:
        # Never smaller than a fingertip, whatever the caller asked for.
        if self.rect.width < theme.MIN_TARGET or self.rect.height < theme.MIN_TARGET:
            self.rect = self.rect.inflate(
                max(0, theme.MIN_TARGET - self.rect.width),
                max(0, theme.MIN_TARGET - self.rect.height),
            )

    def hit(self, pos: tuple[float, float]) -> bool:
        return self.rect.collidepoint(pos)

    def draw(self, surface: pygame.Surface, text: TextRenderer, pressed: bool = False) -> None:
        rect = self.rect.move(0, 4) if pressed else self.rect
        if not pressed:
            shadow = rect.move(0, 8)
            pygame.draw.rect(surface, (8, 16, 32), shadow, border_radius=theme.RADIUS)
        pygame.draw.rect(surface, self.fill, rect, border_radius=theme.RADIUS)
        if self.sublabel:
            text.draw(
                surface,
                self.label,
                self.size,
                self.text_color,
                center=(rect.centerx, rect.centery - self.size * 0.45),
                weight="bold",
            )
            text.draw(
                surface,
                self.sublabel,
                theme.SMALL,
                self.text_color,
                center=(rect.centerx, rect.centery + self.size * 0.6),
            )
        else:
            text.draw(
                surface, self.label, self.size, self.text_color, center=rect.center, weight="bold"
            )
