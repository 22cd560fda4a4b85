"""The access bar: speak again, stop speaking, quieter, louder, and (language screen) big text.

WCAG 2.2 and EN 301 549's self-service terminal clauses ask that a visitor can hear a
screen's text again, stop it, set the volume themselves, and switch to large
high-contrast text. These keys do that on every journey screen with text. The bar knows no
screen: a scene builds it with what each key does, places it where its layout has room
(``place``: a row or a column from a corner) and adds ``keys`` to its buttons, so hit
testing and drawing are the scene's usual ones. Each key is ≥ 90 px with an icon and a short
label in the visitor's language (strings ``access.*``).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pygame

from kiosk.ui import theme
from kiosk.ui.text import TextRenderer
from kiosk.ui.widgets import Button

KEY_W, KEY_H, GAP = 150, 112, 14
LABEL_SIZE = 24
SECOND_LINE = 30  # px more per key for a label in the second language
KINDS = ("large", "again", "stop", "quieter", "louder")
# Key faces by look, shared by every screen's bar: each screen builds its own keys, and
# drawing five faces afresh (icons, labels, a font or two opened) was 2–5 ms of the first
# frame of every screen. ~70 kB each.
FACES_KEPT = 48
_faces: OrderedDict[tuple, pygame.Surface] = OrderedDict()


@dataclass
class AccessKey(Button):
    """One key of the bar: an icon over a short label; ``lit`` shows a switch that is on."""

    kind: str = "again"
    lit: Callable[[], bool] = field(default=lambda: False)

    def draw(self, surface: pygame.Surface, text: TextRenderer, pressed: bool = False) -> None:
        # Drawn once per look (pressed, lit, palette, text size) and blitted: the keys are on
        # screen every frame of most screens.
        lit = self.lit()
        look = (self.kind, self.label, self.sublabel, self.rect.size)
        key = (*look, pressed, lit, theme.high_contrast, text.large, id(text))
        face = _faces.get(key)
        if face is None:
            face = _faces[key] = self._face(text, pressed, lit)
            while len(_faces) > FACES_KEPT:
                _faces.popitem(last=False)
        _faces.move_to_end(key)
        surface.blit(face, self.rect)

    def _face(self, text: TextRenderer, pressed: bool, lit: bool) -> pygame.Surface:
        face = pygame.Surface((self.rect.w, self.rect.h + 6), pygame.SRCALPHA)
        rect = pygame.Rect(0, 3 if pressed else 0, self.rect.w, self.rect.h)
        if not pressed:
            pygame.draw.rect(face, (8, 16, 32), rect.move(0, 6), border_radius=theme.RADIUS)
        fill = theme.SUN if lit else theme.BUTTON_QUIET
        pygame.draw.rect(face, fill, rect, border_radius=theme.RADIUS)
        icon = pygame.Rect(0, 0, 56, 44)
        icon.midtop = (rect.centerx, rect.y + 12)
        _ICONS[self.kind](face, text, icon, theme.INK)
        bottom = rect.bottom - 8
        for line, weight in ((self.sublabel, "regular"), (self.label, "bold")):
            if not line:
                continue
            label = text.render(line, LABEL_SIZE, theme.INK, weight)
            if label.get_width() > rect.width - 12:  # a long label shrinks rather than spill
                label = pygame.transform.smoothscale_by(
                    label, (rect.width - 12) / label.get_width()
                )
            face.blit(label, label.get_rect(midbottom=(rect.centerx, bottom)))
            bottom -= label.get_height() - 4
        return face


class AccessBar:
    """The keys a screen offers, in a fixed order; ``place`` lays them out."""

    def __init__(
        self,
        label: Callable[[str], str],
        actions: dict[str, Callable[[], None]],
        lit: Callable[[], bool] = lambda: False,
        second: Callable[[str], str] | None = None,
    ) -> None:
        """``label``: the visitor's strings; ``actions``: kind → what it does, for the kinds
        this screen offers (of ``KINDS``); ``lit``: whether big text is on; ``second``: the
        other language's strings, for a screen shown before a language is chosen."""
        self.key_h = KEY_H + (SECOND_LINE if second else 0)
        self.keys: list[AccessKey] = [
            AccessKey(
                pygame.Rect(0, 0, KEY_W, self.key_h),
                label(f"access.{kind}"),
                actions[kind],
                sublabel=second(f"access.{kind}") if second else "",
                kind=kind,
                lit=lit if kind == "large" else (lambda: False),
            )
            for kind in KINDS
            if kind in actions
        ]

    def place(
        self, corner: tuple[int, int], *, vertical: bool = False, anchor: str = "topleft"
    ) -> AccessBar:
        """Lay the keys out in a row (or a column) whose ``anchor`` corner is at ``corner``."""
        step = (0, self.key_h + GAP) if vertical else (KEY_W + GAP, 0)
        area = self.size(vertical)
        box = pygame.Rect((0, 0), area)
        setattr(box, anchor, corner)
        for i, key in enumerate(self.keys):
            key.rect.topleft = (box.x + i * step[0], box.y + i * step[1])
        return self

    def size(self, vertical: bool = False) -> tuple[int, int]:
        n = len(self.keys)
        if vertical:
            return KEY_W, n * self.key_h + (n - 1) * GAP
        return n * KEY_W + (n - 1) * GAP, self.key_h

    def render_labels(self, text: TextRenderer) -> None:
        """Render the keys' labels into ``text``'s cache as their faces will want them: for
        a worker preparing a screen's first frame (the faces are the frame thread's)."""
        for key in self.keys:
            for line, weight in ((key.sublabel, "regular"), (key.label, "bold")):
                if line:
                    text.render(line, LABEL_SIZE, theme.INK, weight)

    @property
    def rect(self) -> pygame.Rect:
        return self.keys[0].rect.unionall([k.rect for k in self.keys[1:]])

    def draw(
        self, surface: pygame.Surface, text: TextRenderer, pressed: Sequence[Button] = ()
    ) -> None:
        for key in self.keys:
            key.draw(surface, text, pressed=any(key is p for p in pressed))


# -- icons: drawn, because the shipped font has no symbols --------------------------------
def _speaker(surface: pygame.Surface, r: pygame.Rect, ink: theme.RGB) -> int:
    """A loudspeaker at the left of ``r``; returns the x where its sound comes out."""
    cy, x = r.centery, r.x + 2
    pygame.draw.rect(surface, ink, (x, cy - 8, 10, 16))
    pygame.draw.polygon(
        surface, ink, [(x + 8, cy - 8), (x + 22, cy - 18), (x + 22, cy + 18), (x + 8, cy + 8)]
    )
    return x + 24


def _waves(surface: pygame.Surface, x: int, cy: int, ink: theme.RGB, n: int) -> None:
    for k in range(n):
        radius = 10 + 9 * k
        arc = pygame.Rect(0, 0, 2 * radius, 2 * radius)
        arc.center = (x - 6, cy)
        pygame.draw.arc(surface, ink, arc, -0.8, 0.8, 4)


def _again(surface, text, r, ink) -> None:
    _waves(surface, _speaker(surface, r, ink), r.centery, ink, 2)


def _stop(surface, text, r, ink) -> None:
    square = pygame.Rect(0, 0, 34, 34)
    square.center = r.center
    pygame.draw.rect(surface, ink, square, border_radius=4)


def _quieter(surface, text, r, ink) -> None:
    x = _speaker(surface, r, ink)
    pygame.draw.rect(surface, ink, (x + 8, r.centery - 3, 22, 6))


def _louder(surface, text, r, ink) -> None:
    x = _speaker(surface, r, ink)
    pygame.draw.rect(surface, ink, (x + 8, r.centery - 3, 22, 6))
    pygame.draw.rect(surface, ink, (x + 16, r.centery - 11, 6, 22))


def _large(surface, text, r, ink) -> None:
    big = text.render("A", 40, ink, "bold")
    small = text.render("a", 24, ink, "bold")
    w = big.get_width() + 4 + small.get_width()
    x = r.centerx - w // 2
    surface.blit(big, big.get_rect(bottomleft=(x, r.bottom + 6)))
    surface.blit(small, small.get_rect(bottomleft=(x + big.get_width() + 4, r.bottom + 4)))


_ICONS = {"again": _again, "stop": _stop, "quieter": _quieter, "louder": _louder, "large": _large}
