"""The window: fullscreen at native resolution, windowed for development, or headless.

Scenes draw on a 1920×1080 canvas, or 1080×1920 on a portrait screen (the choice is
kiosk/ui/frame.py's ``canvas_size``); when the screen has another size the canvas is scaled
into it with black bars (letterbox), never stretched.
"""

from __future__ import annotations

import os

import pygame

from kiosk import DESIGN_SIZE
from kiosk.ui.frame import canvas_size
from kiosk.ui.scaling import Letterbox

INVISIBLE_DRIVERS = ("offscreen", "dummy")


class NoDisplayError(RuntimeError):
    """No screen to open; the message tells the operator to try --headless."""


class Display:
    def __init__(
        self,
        windowed: tuple[int, int] | None = None,
        headless: bool = False,
        orientation: str = "auto",
    ) -> None:
        if headless:
            os.environ["SDL_VIDEODRIVER"] = "dummy"
            os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
        try:
            pygame.display.init()
            driver = pygame.display.get_driver()
            if not headless and driver in INVISIBLE_DRIVERS:
                # SDL falls back to drawing into memory when it finds no screen: a kiosk
                # that runs invisibly is worse than one that says why it cannot start.
                raise pygame.error(f"SDL fell back to its {driver!r} video driver")
            if headless:
                self.window = pygame.display.set_mode(canvas_size(DESIGN_SIZE, orientation))
            elif windowed:
                self.window = pygame.display.set_mode(windowed)
            else:
                self.window = pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
        except pygame.error as exc:
            raise NoDisplayError(
                f"no display available ({exc}); "
                "run with --headless to use the kiosk without a screen"
            ) from exc
        pygame.display.set_caption("Smartizen Park")
        if not windowed:
            pygame.mouse.set_visible(False)  # a touchscreen shows no arrow
        design = canvas_size(self.window.get_size(), orientation)
        self.letterbox = Letterbox(self.window.get_size(), design)
        self.canvas = self.window if self.letterbox.is_identity else pygame.Surface(design)

    def present(self) -> None:
        self.letterbox.present(self.canvas, self.window)
        pygame.display.flip()
