"""Which way to put frames on the screen, chosen for the machine.

Two paths (kiosk/booth/present.py):

* ``gpu``: SDL's renderer scales the canvas on the graphics card (a streaming texture, only
  the changed rectangles uploaded). Cheap where OpenGL runs on a real GPU.
* ``framebuffer``: the canvas is scaled on the CPU into SDL's window surface, which SDL
  pushes to the X server directly (``SDL_FRAMEBUFFER_ACCELERATION=0``). Where OpenGL is
  software (Mesa's llvmpipe/softpipe, e.g. a booth PC without a working GPU driver, or
  Xvfb), SDL's default of uploading every frame as an OpenGL texture costs most of a core.

The renderer's name comes from a probe: a hidden window, an OpenGL renderer on it, and
``glGetString(GL_RENDERER)``, in a short-lived child process (``python -m
kiosk.booth.glprobe``): loading Mesa's llvmpipe into the kiosk itself would keep ~80 MB of
it resident all day for one string. ``SMARTIZEN_PRESENT=gpu|framebuffer`` overrides the
choice.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import subprocess
import sys
from dataclasses import dataclass

log = logging.getLogger(__name__)

PATHS = ("gpu", "framebuffer")
SOFTWARE_GL = (
    "llvmpipe",
    "softpipe",
    "swrast",
    "software rasterizer",
    "lavapipe",
    "microsoft basic render",
)
NO_GL_DRIVERS = ("dummy", "offscreen", "kmsdrm_legacy")
GL_RENDERER = 0x1F01
PROBE_TIMEOUT_S = 10.0
NONE = "-"  # the child's answer when there is no OpenGL


@dataclass(frozen=True)
class Choice:
    path: str  # "gpu" or "framebuffer"
    renderer: str  # the OpenGL renderer's name, or why there is none
    reason: str  # one line for the log and the staff panel


def is_software_gl(renderer: str) -> bool:
    name = renderer.lower()
    return any(soft in name for soft in SOFTWARE_GL)


def choose_path(driver: str, renderer: str | None, forced: str | None = None) -> Choice:
    """The presentation path for SDL video ``driver`` and OpenGL ``renderer`` (None: no
    OpenGL). ``forced`` (from SMARTIZEN_PRESENT) wins when it names a path."""
    shown = renderer or "no OpenGL"
    if forced:
        if forced in PATHS:
            return Choice(forced, shown, f"{forced} (forced by SMARTIZEN_PRESENT)")
        log.warning("SMARTIZEN_PRESENT=%r is not one of %s; choosing by itself", forced, PATHS)
    if driver in NO_GL_DRIVERS or renderer is None:
        return Choice("framebuffer", shown, f"framebuffer ({driver} video, no OpenGL)")
    if is_software_gl(renderer):
        return Choice("framebuffer", renderer, "framebuffer (OpenGL is software)")
    return Choice("gpu", renderer, "gpu (hardware OpenGL)")


def probe_gl_renderer() -> str | None:
    """The OpenGL renderer string of this display, or None when there is no OpenGL.

    Asks a child process (see the module docstring). Never raises: a probe that fails or
    hangs means the safe framebuffer path."""
    env = dict(os.environ, PYGAME_HIDE_SUPPORT_PROMPT="1", SDL_AUDIODRIVER="dummy")
    try:
        done = subprocess.run(
            [sys.executable, "-m", "kiosk.booth.glprobe"],
            capture_output=True,
            text=True,
            timeout=PROBE_TIMEOUT_S,
            env=env,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.info("OpenGL probe failed (%s); assuming no OpenGL", exc)
        return None
    answer = done.stdout.strip().splitlines()[-1:] or [NONE]
    return None if done.returncode != 0 or answer[0] == NONE else answer[0]


def _probe_here() -> str | None:
    """The probe itself, in this process (the child). Needs ``pygame.display.init()``."""
    try:
        from pygame._sdl2 import video

        names = [d.name for d in video.get_drivers()]
        if "opengl" not in names:
            return None
        window = video.Window("probe", size=(16, 16), hidden=True)
        try:
            renderer = video.Renderer(window, index=names.index("opengl"))
            try:
                return _gl_string(GL_RENDERER)  # the renderer made its context current
            finally:
                del renderer
        finally:
            window.destroy()
    except Exception as exc:
        log.info("OpenGL probe failed (%s); assuming no OpenGL", exc)
        return None


def _gl_string(name: int) -> str | None:
    lib = ctypes.util.find_library("GL") or "libGL.so.1"
    gl = ctypes.CDLL(lib)
    gl.glGetString.restype = ctypes.c_char_p
    gl.glGetString.argtypes = [ctypes.c_uint]
    value = gl.glGetString(name)
    return value.decode(errors="replace") if value else None


if __name__ == "__main__":
    import pygame

    pygame.display.init()
    print(_probe_here() or NONE)
