"""Reference screenshots: a frame compared with a committed PNG, as Pygame Zero's tests do.

Run ``make screens`` (pytest --update-screens) after an intended visual change and look at
the new PNGs in tests/screens/ before committing them. On a mismatch the actual frame is
written to tests/screens/_failed/ for a look.
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np
import pygame
import pytest

from kiosk import ROOT

SCREENS = ROOT / "tests" / "screens"
FAILED = SCREENS / "_failed"
SCALE = 0.5  # references are stored at half size (960×540, 540×960) to keep the repo small
MAX_BAD_FRACTION = 0.005  # share of pixels allowed to differ noticeably (font hinting, AA)
BAD_DELTA = 48


class Drawable(Protocol):
    """What :func:`check` needs: ``draw()`` paints the whole frame onto ``canvas``."""

    canvas: pygame.Surface

    def draw(self) -> None: ...


def frame(app: Drawable) -> np.ndarray:
    app.draw()
    w, h = app.canvas.get_size()
    small = pygame.transform.smoothscale(app.canvas, (round(w * SCALE), round(h * SCALE)))
    return pygame.surfarray.array3d(small).astype(np.int16)


def check(request: Any, name: str, app: Drawable) -> None:
    """The frame ``app`` draws now against ``tests/screens/<name>.png``."""
    actual = frame(app)
    ref_path = SCREENS / f"{name}.png"
    surf = pygame.surfarray.make_surface(actual.astype(np.uint8))
    if request.config.getoption("--update-screens") or not ref_path.exists():
        SCREENS.mkdir(exist_ok=True)
        pygame.image.save(surf, str(ref_path))
        if not request.config.getoption("--update-screens"):
            pytest.fail(f"no reference for {name}; wrote one, look at it and commit it")
        return
    expected = pygame.surfarray.array3d(pygame.image.load(str(ref_path))).astype(np.int16)
    if expected.shape != actual.shape:
        FAILED.mkdir(parents=True, exist_ok=True)
        pygame.image.save(surf, str(FAILED / f"{name}.png"))
        pytest.fail(f"{name}: the frame is {actual.shape[:2]}, the reference {expected.shape[:2]}")
    bad = (np.abs(actual - expected).max(axis=2) > BAD_DELTA).mean()
    if bad > MAX_BAD_FRACTION:
        FAILED.mkdir(parents=True, exist_ok=True)
        pygame.image.save(surf, str(FAILED / f"{name}.png"))
        pytest.fail(f"{name}: {bad:.2%} of pixels differ from {ref_path.name}")
