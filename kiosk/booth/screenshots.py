"""``--screenshots DIR``: a numbered PNG of every screen the journey enters.

The picture is taken once the screen's entry animation has settled, or as the screen is
left if that comes first, so a quick screen is still recorded.
"""

from __future__ import annotations

from pathlib import Path

import pygame

from kiosk.booth.scenes import Scene

SCREENSHOT_DELAY_S = 1.5


class Screenshots:
    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.pending = False  # the current screen has not been recorded yet
        self.count = 0

    def entered(self) -> None:
        self.pending = self.folder is not None

    def due(self, scene: Scene) -> bool:
        # Wait for entry animations (the score counting up) to settle before the picture.
        return self.pending and scene.t >= SCREENSHOT_DELAY_S

    def save(self, canvas: pygame.Surface, name: str) -> None:
        self.pending = False
        self.count += 1
        self.folder.mkdir(parents=True, exist_ok=True)
        pygame.image.save(canvas, str(self.folder / f"{self.count:04d}-{name}.png"))
