"""A card's picture split into its opaque body and its rounded corners, for blitting.

A card is drawn as a picture with per-pixel alpha (its rounded corners are transparent).
Blending all of it costs about twice a plain copy, and almost all of it is opaque: the
picture inside the corners (the full width between the top and bottom corner rows, the
middle columns above and below them) is kept as a copy in the frame's own pixel format
and copied, and only the four corner squares are blended. An opaque pixel blended is its
own colour, so the two give the same picture; a picture that is not opaque all through
its body (checked once) is blended whole as before.
"""

from __future__ import annotations

import pygame


class SolidCard:
    """``picture`` (per-pixel alpha) prepared for blitting onto surfaces like ``surface``
    with corners of ``radius``."""

    def __init__(self, picture: pygame.Surface, surface: pygame.Surface, radius: int) -> None:
        self.picture = picture
        w, h = picture.get_size()
        r = min(radius, w // 2, h // 2)
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
        if _opaque(picture, self._pieces):
            copy = pygame.Surface((w, h), 0, surface)
            picture.set_alpha(255)
            copy.blit(picture, (0, 0))
            self._copy = copy

    def fits(self, picture: pygame.Surface, surface: pygame.Surface) -> bool:
        return picture is self.picture and _format(surface) == self._format

    def body(self, at: pygame.Rect) -> list[pygame.Rect]:
        """The opaque parts of the card drawn at ``at`` (none if it is not opaque)."""
        if self._copy is None:
            return []
        return [p.move(at.topleft) for p in self._pieces]

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
