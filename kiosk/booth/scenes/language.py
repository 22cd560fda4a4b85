"""Language choice: shown in both languages, chosen once per visitor.

Its screen is still (no lights, nothing moving) until a finger goes down, so it is drawn
once and copied: drawn ahead by a worker while the attract screen is up (``prepare_face``),
so the language screen's first frame copies one picture instead of rendering its prompts,
buttons and access keys (8–10 ms at 1080p); kept as what it adds to the backdrop
(kiosk/ui/faces.py: 2 MB, not 8, held all day by a booth at rest). Frames after the first
draw nothing while the canvas still shows it. The menu's faces are drawn ahead while this
screen is up, not on attract: a booth at rest keeps only what its next touch shows.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

import pygame

from kiosk.background import Lane
from kiosk.booth.scenes import menu
from kiosk.booth.scenes.base import Scene
from kiosk.ui import theme
from kiosk.ui.decor import draw_backdrop
from kiosk.ui.faces import Face
from kiosk.ui.frame import is_portrait, pick
from kiosk.ui.widgets import Button

if TYPE_CHECKING:
    from kiosk.booth.scenes.host import SceneHost

log = logging.getLogger(__name__)

PROMPT_Y = ((250, 340), (560, 650))  # English and Chinese prompts: landscape, portrait
# The face in one look (size, text size and contrast), kept until a game starts (attract
# draws it again); another look draws live and replaces it.
_face: dict[tuple, Face] = {}
_face_lock = threading.Lock()
_worker = Lane("language-face", "drawing the screens ahead")


def _face_key(host: SceneHost, like: pygame.Surface) -> tuple:
    return (
        host.tr_for("en").strings,  # by identity: tests and reloads bring their own
        host.text,
        tuple(host.config.languages),
        like.get_size(),
        like.get_bitsize(),
        host.large_text,  # large text and high contrast come and go together
    )


def _kept_face(key: tuple) -> Face | None:
    with _face_lock:
        return _face.get(key)


def _keep_face(key: tuple, face: Face) -> None:
    with _face_lock:
        _face.clear()
        _face[key] = face


def release_face() -> None:
    """Let the kept face go (a game started: this screen cannot come back before the next
    visitor, and attract draws it ahead again)."""
    with _face_lock:
        _face.clear()


def prepare_face(host: SceneHost, like: pygame.Surface) -> None:
    """Have the language screen's face drawn ahead in a worker for canvases like ``like``
    (only if not kept already). The attract screen asks once each time it appears."""
    _worker.start(_draw_ahead, host, like, if_idle=True)


def wait_for_face(timeout_s: float = 30.0) -> None:
    """Block until a face being drawn ahead is kept: for tests, and before pygame quits."""
    _worker.wait(timeout_s)


def _draw_ahead(host: SceneHost, like: pygame.Surface) -> None:
    try:
        key = _face_key(host, like)
        if len(host.config.languages) > 1 and _kept_face(key) is None:
            scene = LanguageScene(host)
            scene.enter()
            picture = pygame.Surface(like.get_size(), 0, like)
            scene.draw_screen(picture)
            if _face_key(host, like) == key:  # the look did not change meanwhile
                _keep_face(key, Face(picture))
    except Exception:  # the language screen then draws itself in its first frame
        log.exception("drawing the language screen ahead failed")


def button_rects(size: tuple[int, int], count: int) -> list[pygame.Rect]:
    """One big button per language: side by side on a landscape screen, stacked on a
    portrait one."""
    cx = size[0] // 2
    if is_portrait(size):
        width, height, gap, top = 800, 260, 60, 820
        return [
            pygame.Rect(cx - width // 2, top + i * (height + gap), width, height)
            for i in range(count)
        ]
    width, gap = 640, 80
    left = cx - (count * width + (count - 1) * gap) // 2
    return [pygame.Rect(left + i * (width + gap), 470, width, 260) for i in range(count)]


class LanguageScene(Scene):
    name = "language"

    def enter(self) -> None:
        langs = self.host.config.languages
        for lang, rect in zip(langs, button_rects(self.host.size, len(langs)), strict=True):
            label = self.host.tr_for(lang)("language_name")
            self.buttons.append(
                Button(
                    rect, label, lambda lang=lang: self.host.advance("chosen", lang=lang), size=76
                )
            )
        # Labelled in both languages: nobody has chosen one yet.
        self.add_access_bar(
            large=True, first=langs[0], second=langs[-1] if len(langs) > 1 else None
        )
        self.access.place((self.host.size[0] // 2, self.host.size[1] - 40), anchor="midbottom")
        self.voice = 0  # "Again" reads the prompt in each language in turn
        self._shown: tuple | None = None  # the face's look the canvas shows, if it does

    def _next_voice(self) -> str:
        langs = self.host.config.languages
        return langs[self.voice % len(langs)]

    def speech_text(self) -> str:
        return self.host.tr_for(self._next_voice())("language.prompt")

    def speak_again(self) -> None:
        lang, spoken = self._next_voice(), self.speech_text()
        self.voice += 1
        self.host.say(spoken, lang=lang)

    def draw(self, surface: pygame.Surface) -> None:
        shown, self._shown = self._shown, None  # (a draw that fails leaves it unknown)
        if self._pressed:  # a button sinks under the finger: drawn live
            self.draw_screen(surface)
        else:
            look = (_face_key(self.host, surface), surface)
            if self.host.canvas_kept and shown == look:
                self.damage = []  # the canvas shows the face still: nothing to draw
            else:
                face = _kept_face(look[0])
                if face is None:  # not drawn ahead (another look chosen now, a worker failed)
                    picture = pygame.Surface(surface.get_size(), 0, surface)
                    self.draw_screen(picture)
                    face = Face(picture)
                    _keep_face(look[0], face)
                face.blit(surface)
            self._shown = look
        # The menu follows: its face, in either language and this look, drawn meanwhile
        # (after this frame's own drawing: the worker and the frame share the text cache).
        menu.prepare_faces(self.host, surface)

    def draw_screen(self, surface: pygame.Surface) -> None:
        """The whole screen, its buttons as they are now."""
        draw_backdrop(surface, self.t)
        text = self.host.text
        en, zh = self.host.tr_for("en"), self.host.tr_for("zh-HK")
        cx = surface.get_width() // 2
        y_en, y_zh = pick(surface.get_size(), *PROMPT_Y)
        text.draw(
            surface,
            en("language.prompt"),
            theme.HEADING,
            theme.TEXT,
            center=(cx, y_en),
            weight="bold",
        )
        text.draw(
            surface,
            zh("language.prompt"),
            theme.HEADING,
            theme.TEXT,
            center=(cx, y_zh),
            weight="bold",
        )
        self.draw_buttons(surface)
