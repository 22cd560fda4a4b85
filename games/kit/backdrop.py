"""The static picture behind a game's play, built once per canvas size and then blitted.

Building a backdrop (gradients, sky, streets, a flat's walls) costs tens of milliseconds;
drawing it every frame would cost that every frame. The builder, usually the owner's own
method, is held weakly (games/kit/weak.py) so the backdrop never keeps its owner alive.
"""

from __future__ import annotations

from collections.abc import Callable

import pygame

from games.kit.weak import held_weakly

Size = tuple[int, int]


class Backdrop:
    """``get(size)`` returns the surface ``build(size)`` made, rebuilding only on a new size."""

    def __init__(self, build: Callable[[Size], pygame.Surface]) -> None:
        self._build = held_weakly(build)
        self._surface: pygame.Surface | None = None

    def get(self, size: Size) -> pygame.Surface:
        if self._surface is None or self._surface.get_size() != tuple(size):
            build = self._build()
            if build is None:
                raise ReferenceError("the backdrop's owner is gone")
            self._surface = build(tuple(size))  # type: ignore[arg-type]
        return self._surface

    def blit(self, surface: pygame.Surface) -> None:
        surface.blit(self.get(surface.get_size()), (0, 0))

    def forget(self) -> None:
        self._surface = None
