"""Where Healthy Steps puts things on the 1920×1080 design canvas: the status banner, the
picture tiles (2×2 or 3×2), the pill-box panel on the right and the parts inside it."""

from __future__ import annotations

import math

import pygame

MARGIN = 40
GAP = 28
BANNER = pygame.Rect(MARGIN, 122, 1380, 112)
TILE_AREA = pygame.Rect(MARGIN, 256, 1380, 794)
PANEL = pygame.Rect(1452, 122, 428, 928)
TAP_SLOP = 12  # px around a tile that still counts as touching it
PANEL_CLOCK = (PANEL.w // 2, 224)  # inside the pill-box panel
PANEL_BOX = pygame.Rect(PANEL.w // 2 - 170, 380, 340, 176)
PANEL_LED = (PANEL_BOX.right - 34, PANEL_BOX.y + 21)


def tile_rects(count: int) -> list[pygame.Rect]:
    """2×2 for up to four pictures, 3×2 for five or six, filling the tile area."""
    cols = 2 if count <= 4 else 3
    rows = max(1, math.ceil(count / cols))
    w = (TILE_AREA.w - (cols - 1) * GAP) // cols
    h = (TILE_AREA.h - (rows - 1) * GAP) // rows
    return [
        pygame.Rect(TILE_AREA.x + c * (w + GAP), TILE_AREA.y + r * (h + GAP), w, h)
        for r, c in (divmod(i, cols) for i in range(count))
    ]


def figure_rect(tile: pygame.Rect, label_size: int) -> pygame.Rect:
    """Where the stick figure goes: left of the name on wide tiles, above it on tall ones."""
    if tile.w > 1.5 * tile.h:
        side = tile.h - 48
        return pygame.Rect(tile.x + 28, tile.y + 24, side, side)
    label_h = round(label_size * 1.25) + 30
    side = min(tile.w - 60, tile.h - label_h - 30)
    return pygame.Rect(tile.centerx - side // 2, tile.y + 22, side, side)
