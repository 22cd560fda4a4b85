"""The window: fullscreen at native resolution, windowed for development, or headless.

Scenes draw on a 1920×1080 canvas, or 1080×1920 on a portrait screen (the choice is
kiosk/ui/frame.py's ``canvas_size``, made once when the window opens); when the screen has
another size the canvas is scaled into it with black bars (letterbox), never stretched. How
frames reach the screen is chosen for the machine (kiosk/booth/glprobe.py) and logged at
start; a window that changes size is letterboxed again and touches are mapped through the
new geometry.
"""

from __future__ import annotations

import logging
import os

import pygame

from kiosk import DESIGN_SIZE
from kiosk.booth.glprobe import Choice, choose_path, probe_gl_renderer
from kiosk.booth.present import Presenter, SurfacePresenter, TexturePresenter
from kiosk.ui.frame import canvas_size
from kiosk.ui.scaling import Letterbox

log = logging.getLogger(__name__)
INVISIBLE_DRIVERS = ("offscreen", "dummy")
TITLE = "Smartizen Park"
RESIZE_EVENTS = (pygame.VIDEORESIZE, pygame.WINDOWSIZECHANGED)
REPAINT_EVENTS = (pygame.WINDOWEXPOSED, pygame.WINDOWRESTORED, pygame.WINDOWSHOWN)


class NoDisplayError(RuntimeError):
    """No screen to open; the message tells the operator to try --headless."""


class Display:
    """The screen, its letterbox and its presenter.

    ``orientation`` is kiosk.toml's (the canvas follows the window's shape on "auto");
    ``size`` sets the window of a headless display (benchmarks measure a 4K booth that
    way); ``path`` forces "gpu" or "framebuffer" (default: SMARTIZEN_PRESENT, else chosen).
    """

    def __init__(
        self,
        windowed: tuple[int, int] | None = None,
        headless: bool = False,
        orientation: str = "auto",
        *,
        size: tuple[int, int] | None = None,
        path: str | None = None,
    ) -> None:
        if headless:
            os.environ["SDL_VIDEODRIVER"] = "dummy"
            os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
        self.orientation = orientation
        try:
            pygame.display.init()
            driver = pygame.display.get_driver()
            if not headless and driver in INVISIBLE_DRIVERS:
                # SDL falls back to drawing into memory when it finds no screen: a kiosk
                # that runs invisibly is worse than one that says why it cannot start.
                raise pygame.error(f"SDL fell back to its {driver!r} video driver")
            renderer = None if driver in INVISIBLE_DRIVERS else probe_gl_renderer()
            self.choice: Choice = choose_path(
                driver, renderer, path or os.environ.get("SMARTIZEN_PRESENT")
            )
            if headless:
                wanted, flags = size or canvas_size(DESIGN_SIZE, orientation), 0
            elif windowed:
                wanted, flags = windowed, pygame.RESIZABLE
            else:
                wanted, flags = (0, 0), pygame.FULLSCREEN
            self.flags = flags
            if self.choice.path == "gpu":
                self._open_gpu(wanted, windowed=bool(windowed or headless))
            else:
                self._open_framebuffer(wanted, flags)
        except pygame.error as exc:
            raise NoDisplayError(
                f"no display available ({exc}); "
                "run with --headless to use the kiosk without a screen"
            ) from exc
        if not windowed:
            pygame.mouse.set_visible(False)  # a touchscreen shows no arrow
        log.info(
            "presenting via %s; renderer %s; window %s, canvas %s",
            self.choice.reason,
            self.choice.renderer,
            _size(self.letterbox.window),
            self.describe_scale(),
        )

    def _open_framebuffer(self, wanted: tuple[int, int], flags: int) -> None:
        # SDL would otherwise upload every frame as an OpenGL texture; with software GL
        # that costs most of a core (issue 13). This makes SDL push the window surface.
        os.environ.setdefault("SDL_FRAMEBUFFER_ACCELERATION", "0")
        window = pygame.display.set_mode(wanted, flags)
        pygame.display.set_caption(TITLE)
        self.canvas_size = canvas_size(window.get_size(), self.orientation)
        self.letterbox = Letterbox(window.get_size(), self.canvas_size)
        # At the canvas's own size the kiosk draws straight into the window.
        self._own_canvas = (
            None if self.letterbox.is_identity else pygame.Surface(self.canvas_size, 0, window)
        )
        self.canvas = self._own_canvas or window
        self.presenter: Presenter = SurfacePresenter(self.canvas, self.letterbox)

    def _open_gpu(self, wanted: tuple[int, int], windowed: bool) -> None:
        from pygame._sdl2 import video

        if windowed:
            window = video.Window(TITLE, size=wanted, resizable=True)
        else:
            window = video.Window(TITLE, fullscreen_desktop=True)
        self.sdl_window = window
        self.canvas_size = canvas_size(tuple(window.size), self.orientation)
        self.letterbox = Letterbox(tuple(window.size), self.canvas_size)
        self.canvas = pygame.Surface(self.canvas_size, 0, 32)
        self.presenter = TexturePresenter(window, self.canvas, self.letterbox)

    @property
    def window_size(self) -> tuple[int, int]:
        return self.letterbox.window

    @property
    def window(self) -> pygame.Surface | None:
        """SDL's window surface (None on the gpu path, which draws with a renderer)."""
        return pygame.display.get_surface()

    def describe_scale(self) -> str:
        box = self.letterbox
        k = box.factor
        if k == 1:
            how = "copied"
        elif k:
            how = f"scaled {k}× (pixel copy)"
        else:
            # pygame picks the fastest filter the CPU has (SSE2 or NEON); "GENERIC" here
            # would explain a slow booth PC at a scaled size.
            how = f"scaled (filtered, {pygame.transform.get_smoothscale_backend()})"
        return f"{_size(self.canvas_size)} {how}"

    def describe(self) -> str:
        """One line for the staff panel: the path, the renderer and the window."""
        return f"{self.choice.path} · {self.choice.renderer} · {_size(self.letterbox.window)}"

    def handle(self, event: pygame.event.Event) -> bool:
        """Window events: a new size is letterboxed again (touches follow, since the
        pointer translator shares this letterbox); an uncovered window is repainted.
        Returns whether the event was a window event consumed here."""
        if event.type in RESIZE_EVENTS:
            size = (event.w, event.h) if event.type == pygame.VIDEORESIZE else (event.x, event.y)
            self.resize(size)
            return True
        if event.type in REPAINT_EVENTS:
            self.presenter.repaint()
            return True
        return False

    def resize(self, size: tuple[int, int]) -> None:
        size = (int(size[0]), int(size[1]))
        if size[0] <= 0 or size[1] <= 0:
            return  # minimised: nothing to draw into
        if self.choice.path == "framebuffer":
            surface = pygame.display.get_surface()
            if surface is None or surface.get_size() != size:
                surface = pygame.display.set_mode(size, self.flags)
            size = surface.get_size()
            if self.canvas is not self._own_canvas and size != self.canvas_size:
                # The kiosk drew into the window; from now on it draws on a canvas of its
                # own (run() hands it over), kept at the canvas size whatever the window.
                self.canvas = self._own_canvas = pygame.Surface(self.canvas_size, 0, surface)
                self.presenter = SurfacePresenter(self.canvas, self.letterbox)
        if size != self.letterbox.window:
            log.info("window is now %s; letterboxed again", _size(size))
        self.letterbox.resize(size)
        self.presenter.repaint()

    def present(
        self, changed: list[pygame.Rect] | None = None, started: float | None = None
    ) -> None:
        """Show the canvas; ``changed``: the canvas rectangles that may differ from the last
        present, when the scene said (None: compare everything); ``started``: the frame's
        ``time.thread_time()`` at its start, so a big change can be spread over frames
        (None: show it all now)."""
        self.presenter.present(changed, started)


def _size(size: tuple[int, int]) -> str:
    return f"{size[0]}×{size[1]}"
