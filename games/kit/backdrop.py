"""The static picture behind a game's play, built once per canvas size and then blitted.

Building a backdrop (gradients, sky, streets, a flat's walls) costs tens of milliseconds;
drawing it every frame would cost that every frame.
"""

from __future__ import annotations

from collections.abc import Callable

import pygame

Size = tuple[int, int]


class Backdrop:
    """``get(size)`` returns the surface ``build(size)`` made, rebuilding only on a new size."""

    def __init__(self, build: Callable[[Size], pygame.Surface]) -> None:
        self._build = build
        self._surface: pygame.Surface | None = None

    def get(self, size: Size) -> pygame.Surface:
        if self._surface is None or self._surface.get_size() != tuple(size):
            self._surface = self._build(tuple(size))  # type: ignore[arg-type]
        return self._surface

    def blit(self, surface: pygame.Surface) -> None:
        surface.blit(self.get(surface.get_size()), (0, 0))

    def forget(self) -> None:
        self._surface = None
