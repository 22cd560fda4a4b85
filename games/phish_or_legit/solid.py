"""A card's picture and its drop shadow, split for drawing: an opaque body copied, the rest
blended.

A card is drawn as its shadow (a solid rounded rectangle a little down and right) and over
it its picture with per-pixel alpha (its rounded corners are transparent). Blending the
whole picture costs about twice a plain copy, drawing the rounded shadow costs as much
again, and nearly all of both is hidden under the picture's opaque body. Here the body
(the full width between the top and bottom corner rows, the middle columns above and
below them) is kept as a copy in the frame's own pixel format and copied; only the four
corner squares are blended, and the shadow, kept as a picture of its own, is blended only
where the body does not cover it. An opaque pixel blended is its own colour and a clear
one leaves what is under it, so the picture is the one drawing the shadow and blending
the card whole gives (tests/test_phish_frames.py compares them); a picture that is not
opaque all through its body (checked once) is drawn the old way.
"""

from __future__ import annotations

import pygame

from kiosk.ui.rects import outside


class SolidCard:
    """``picture`` (per-pixel alpha, corners of ``radius``) and its ``shadow`` (colour,
    offset) prepared for drawing onto surfaces like ``surface``."""

    def __init__(
        self,
        picture: pygame.Surface,
        surface: pygame.Surface,
        radius: int,
        shadow: tuple[tuple[int, int, int], tuple[int, int]],
    ) -> None:
        self.picture = picture
        w, h = picture.get_size()
        r = min(radius, w // 2, h // 2)
        self.radius = radius
        self.shadow_colour, (dx, dy) = shadow
        self.shadow_at = pygame.Rect(dx, dy, w, h)  # where the shadow lies, from the card
        self._format = _format(surface)
        # Three pieces that do not overlap: the middle rows whole, the middle columns of
        # the top and bottom corner rows.
        self._pieces = [
            pygame.Rect(0, r, w, h - 2 * r),
            pygame.Rect(r, 0, w - 2 * r, r),
            pygame.Rect(r, h - r, w - 2 * r, r),
        ]
        self._corners = [
            pygame.Rect(0, 0, r, r),
            pygame.Rect(w - r, 0, r, r),
            pygame.Rect(0, h - r, r, r),
            pygame.Rect(w - r, h - r, r, r),
        ]
        self._copy: pygame.Surface | None = None
        self._shadow: pygame.Surface | None = None
        self._shadow_pieces: list[pygame.Rect] = []
        if _opaque(picture, self._pieces):
            copy = pygame.Surface((w, h), 0, surface)
            picture.set_alpha(255)
            copy.blit(picture, (0, 0))
            self._copy = copy
            box = self.shadow_at.union((0, 0, w, h))
            shade = pygame.Surface(box.size, pygame.SRCALPHA)
            pygame.draw.rect(shade, self.shadow_colour, self.shadow_at, border_radius=radius)
            self._shadow = shade
            self._shadow_pieces = [self.shadow_at]
            for piece in self._pieces:
                self._shadow_pieces = [p for q in self._shadow_pieces for p in outside(q, piece)]

    def fits(self, picture: pygame.Surface, surface: pygame.Surface) -> bool:
        return picture is self.picture and _format(surface) == self._format

    def body(self, at: pygame.Rect) -> list[pygame.Rect]:
        """The opaque parts of the card drawn at ``at`` (none if it is not opaque)."""
        if self._copy is None:
            return []
        return [p.move(at.topleft) for p in self._pieces]

    def draw(self, surface: pygame.Surface, at: pygame.Rect) -> pygame.Rect:
        """The shadow and over it the card, opaque, at ``at``; returns the area drawn
        (clipped)."""
        shadow = self.shadow_at.move(at.topleft)
        if self._shadow is None:
            pygame.draw.rect(surface, self.shadow_colour, shadow, border_radius=self.radius)
        else:
            for piece in self._shadow_pieces:
                surface.blit(self._shadow, piece.move(at.topleft), piece)
        return self.blit(surface, at).union(shadow.clip(surface.get_clip()))

    def blit(self, surface: pygame.Surface, at: pygame.Rect) -> pygame.Rect:
        """The card drawn whole (opaque) at ``at``; returns the area drawn (clipped)."""
        # 255, not None: None turns per-pixel alpha off too, and the transparent
        # rounded corners came out as black squares.
        self.picture.set_alpha(255)
        if self._copy is None:
            return surface.blit(self.picture, at)
        for piece in self._pieces:
            surface.blit(self._copy, piece.move(at.topleft), piece)
        for corner in self._corners:
            surface.blit(self.picture, corner.move(at.topleft), corner)
        return at.clip(surface.get_clip())


def _format(surface: pygame.Surface) -> tuple:
    return (surface.get_bitsize(), surface.get_masks(), surface.get_flags() & pygame.SRCALPHA)


def _opaque(picture: pygame.Surface, pieces: list[pygame.Rect]) -> bool:
    """Whether every pixel of ``pieces`` of ``picture`` is fully opaque."""
    if not picture.get_flags() & pygame.SRCALPHA:
        return True
    mask = pygame.mask.from_surface(picture, 254)
    for piece in pieces:
        if not piece.w or not piece.h:
            continue
        whole = pygame.mask.Mask(piece.size, fill=True)
        if mask.overlap_area(whole, piece.topleft) != piece.w * piece.h:
            return False
    return True
