"""Buttons: big, rounded, and hit-tested in design coordinates.

A disabled button (``enabled`` false) is drawn flat and faded and takes no touches; an
``icon`` (a function drawing into a square) sits left of the label. A label too wide for
its button (a long translation, large-text mode) is set smaller until it fits, never
spilling over the edge; the fitted sizes are remembered per label and mode.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pygame

from kiosk.ui import theme
from kiosk.ui.blend import mix
from kiosk.ui.text import TextRenderer
from kiosk.ui.typeset import fit_size

Icon = Callable[[pygame.Surface, pygame.Rect, theme.RGB], None]  # draws into a square
DISABLED_FADE = 0.65  # how far a disabled button's colours sink towards the card behind it
PAD = 24  # px kept clear between a label and its button's edges


@dataclass
class Button:
    rect: pygame.Rect
    label: str
    action: Callable[[], None]
    fill: theme.RGB = theme.BUTTON
    text_color: theme.RGB = theme.BUTTON_TEXT
    size: int = theme.BODY
    sublabel: str = ""
    enabled: bool = True
    icon: Icon | None = None
    _fitted: dict[tuple[str, int, int, bool], int] = field(
        default_factory=dict, repr=False, compare=False
    )

    def fitted(
        self, text: TextRenderer, label: str, size: int, weight: str, beside: int = 0
    ) -> int:
        """The size at which ``label`` fits this button's width less ``beside`` px (an icon),
        ``size`` if it already does."""
        key = (label, size, beside, text.large)
        fitted = self._fitted.get(key)
        if fitted is None:
            width = self.rect.w - 2 * PAD - beside
            fitted = self._fitted[key] = fit_size(text, label, size, width, size // 2, weight)
        return fitted

    def __post_init__(self) -> None:
        # Never smaller than a fingertip, whatever the caller asked for.
        if self.rect.width < theme.MIN_TARGET or self.rect.height < theme.MIN_TARGET:
            self.rect = self.rect.inflate(
                max(0, theme.MIN_TARGET - self.rect.width),
                max(0, theme.MIN_TARGET - self.rect.height),
            )

    def hit(self, pos: tuple[float, float]) -> bool:
        return self.enabled and self.rect.collidepoint(pos)

    def render_ahead(self, text: TextRenderer) -> None:
        """Fit and render the labels as ``draw`` would, into ``text``'s caches (their fonts
        opened), drawing on a scratch surface the button's size: for a worker preparing a
        screen's first frame."""
        scratch = pygame.Surface((self.rect.w, self.rect.h + 8))  # (the shadow's 8 px)
        Button(pygame.Rect((0, 0), self.rect.size), self.label, self.action, self.fill,
               self.text_color, self.size, self.sublabel, self.enabled, self.icon,
               self._fitted).draw(scratch, text)  # fmt: skip

    def draw(self, surface: pygame.Surface, text: TextRenderer, pressed: bool = False) -> None:
        rect = self.rect.move(0, 4) if pressed else self.rect
        fill, ink = self.fill, self.text_color
        if not self.enabled:  # flat (no shadow: it cannot be pressed) and faded
            fill = mix(fill, theme.CARD, DISABLED_FADE)
            ink = mix(ink, fill, 0.45)
        elif not pressed:
            shadow = rect.move(0, 8)
            pygame.draw.rect(surface, (8, 16, 32), shadow, border_radius=theme.RADIUS)
        pygame.draw.rect(surface, fill, rect, border_radius=theme.RADIUS)
        if self.icon is not None:
            side = round(rect.height * 0.5)
            gap = side // 3
            size = self.fitted(text, self.label, self.size, "bold", side + gap)
            label_w = text.font(size, "bold").size(self.label)[0]
            left = rect.centerx - (side + gap + label_w) // 2
            self.icon(surface, pygame.Rect(left, rect.centery - side // 2, side, side), ink)
            text.draw(
                surface,
                self.label,
                size,
                ink,
                center=(left + side + gap + label_w / 2, rect.centery),
                weight="bold",
            )
        elif self.sublabel:
            text.draw(
                surface,
                self.label,
                self.fitted(text, self.label, self.size, "bold"),
                ink,
                center=(rect.centerx, rect.centery - self.size * 0.45),
                weight="bold",
            )
            text.draw(
                surface,
                self.sublabel,
                self.fitted(text, self.sublabel, theme.SMALL, "regular"),
                ink,
                center=(rect.centerx, rect.centery + self.size * 0.6),
            )
        else:
            size = self.fitted(text, self.label, self.size, "bold")
            text.draw(surface, self.label, size, ink, center=rect.center, weight="bold")
