"""A still screen kept as what it adds to the backdrop, not as a whole picture.

The language screen and the menu are drawn once (ahead, in a worker) and copied onto the
canvas. A whole 1920×1080 picture is 8 MB, and most of such a screen is the bare backdrop,
which is kept anyway (kiosk/ui/decor.py). A :class:`Face` keeps only the pieces where its
picture differs from that backdrop, one per band of ``BAND`` rows (shrunk to what differs
there): the language screen's face is a quarter of its picture, the menu's two thirds
(issue 13: a booth at rest holds the language face). Putting it on a canvas copies the
backdrop, then the pieces: the same pixels as the picture. Without numpy, or for a
picture not in the backdrop's 32-bit format, the whole picture is the one piece.
"""

from __future__ import annotations

import pygame

from kiosk.ui.decor import backdrop_part, draw_backdrop, np, static_backdrop
from kiosk.ui.lit_ahead import words

BAND = 40  # rows compared with the backdrop at a time: a piece per band with something on it


class Face:
    """``picture`` kept as its pieces over the backdrop (the picture itself is not kept)."""

    def __init__(self, picture: pygame.Surface) -> None:
        self.size = picture.get_size()
        sky = static_backdrop(self.size)
        self._over_backdrop = not (
            np is None or picture.get_bitsize() != 32 or sky.get_masks() != picture.get_masks()
        )
        areas = _differing(picture) if self._over_backdrop else [picture.get_rect()]
        self.pieces = [(area, picture.subsurface(area).copy()) for area in areas]

    def blit(self, surface: pygame.Surface, area: pygame.Rect | None = None) -> None:
        """Put the picture on ``surface`` (only ``area`` of it, if given)."""
        if self._over_backdrop:
            clip = surface.get_clip()
            surface.set_clip(clip if area is None else area.clip(clip))
            try:
                draw_backdrop(surface)
            finally:
                surface.set_clip(clip)
        for rect, piece in self.pieces:
            part = rect if area is None else rect.clip(area)
            if part.w and part.h:
                surface.blit(piece, part, part.move(-rect.x, -rect.y))


def _differing(picture: pygame.Surface) -> list[pygame.Rect]:
    """Per band of rows, the box round the pixels whose colour is not the backdrop's."""
    w, h = picture.get_size()
    r, g, b, _ = picture.get_masks()
    colour = np.uint32(r | g | b)  # a canvas's unused byte may differ
    # The backdrop read through a copy of its own: a view locks a surface, and the frame
    # thread blits the shared backdrop while a worker makes a face.
    sky = backdrop_part(picture.get_size(), picture.get_rect(), picture)
    mine, theirs = words(picture), words(sky)
    boxes = []
    for y in range(0, h, BAND):
        y1 = min(h, y + BAND)
        differ = ((mine[y:y1, :w] ^ theirs[y:y1, :w]) & colour) != 0
        cols = np.flatnonzero(differ.any(axis=0))
        if not len(cols):
            continue
        rows = np.flatnonzero(differ[:, cols[0] : cols[-1] + 1].any(axis=1))
        boxes.append(
            pygame.Rect(int(cols[0]), y + int(rows[0]), int(cols[-1] - cols[0]) + 1,
                        int(rows[-1] - rows[0]) + 1)
        )  # fmt: skip
    del mine, theirs  # (the arrays lock the surfaces)
    return boxes
