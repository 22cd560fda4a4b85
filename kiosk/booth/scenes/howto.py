"""How to play: the game's instructions, spoken; who is playing (difficulty); Start."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

import pygame

from games.base import DIFFICULTIES
from kiosk.background import Lane
from kiosk.booth.scenes.base import Scene
from kiosk.i18n import Tr
from kiosk.ui import theme
from kiosk.ui.access_bar import AccessBar
from kiosk.ui.decor import draw_backdrop
from kiosk.ui.faces import Face
from kiosk.ui.frame import pick
from kiosk.ui.text import TextRenderer
from kiosk.ui.typeset import fit_size
from kiosk.ui.widgets import Button

HOWTO_SIZE = 46
LINE_GAP = 1.35
PREPARE_AFTER_S = 0.2  # the screen's own first frames come first
ACCESS_KEYS = ("stop", "quieter", "louder")  # its own Again button replays the instructions


@dataclass(frozen=True)
class HowToLayout:
    title_y: int
    panel: pygame.Rect  # the instructions card
    level_y: int  # "Who is playing?"
    levels: tuple[pygame.Rect, ...]  # one per difficulty
    back: pygame.Rect
    replay: pygame.Rect
    start: pygame.Rect
    access: tuple[tuple[int, int], bool, str]  # the access bar: corner, vertical, anchor


LANDSCAPE = HowToLayout(
    110,
    pygame.Rect(200, 190, 1520, 330),
    590,
    tuple(pygame.Rect(300 + i * 460, 640, 400, 150) for i in range(len(DIFFICULTIES))),
    pygame.Rect(120, 880, 360, 120),
    pygame.Rect(560, 880, 420, 120),
    pygame.Rect(1240, 860, 560, 160),
    ((1900, 190), True, "topright"),
)
PORTRAIT = HowToLayout(
    110,
    pygame.Rect(60, 200, 960, 620),
    1030,
    tuple(pygame.Rect(140, 1080 + i * 150, 800, 130) for i in range(len(DIFFICULTIES))),
    pygame.Rect(60, 1560, 450, 130),
    pygame.Rect(570, 1560, 450, 130),
    pygame.Rect(60, 1730, 960, 160),
    ((540, 845), False, "midtop"),
)
PANEL = LANDSCAPE.panel
_worker = Lane("howto-text", "rendering the how-to ahead")
# The how-to's face (kiosk/ui/faces.py) in one look: everything but the access keys (their
# faces are the frame thread's, kiosk/ui/access_bar.py) and the chosen level's ring, drawn
# ahead with its text; its first frame copies it. One, let go as the how-to is left.
_face: dict[tuple, Face] = {}
_face_lock = threading.Lock()
_letting_go = Lane("howto-face-let-go", "letting go of the how-to's face")


def _face_key(text: TextRenderer, tr: Tr, title: str, size: tuple[int, int], bits: int) -> tuple:
    palette = (theme.high_contrast, theme.TEXT, theme.CARD, theme.SMALL, text.large)
    return (size, bits, id(text), tr.strings, tr.lang, title, palette)


def _kept_face(key: tuple) -> Face | None:
    with _face_lock:
        return _face.get(key)


def release_face() -> None:
    """Let the kept face go (the how-to is left), freed by a worker: the frame that leaves
    is a game's first, and freeing the face's pieces there is work that frame need not do
    (as for the menu's and language screen's faces, kiosk/booth/app.py)."""
    with _face_lock:
        faces = list(_face.values())
        _face.clear()
    if faces:
        _letting_go.start(faces.clear)  # the worker's call holds the last reference


def wait_for_face_let_go(timeout_s: float = 10.0) -> None:
    """Block until the face let go is freed (tests, and before pygame quits)."""
    _letting_go.wait(timeout_s)


def _title_size(text: TextRenderer, gtr: Callable[..., str], width: int) -> int:
    return fit_size(text, gtr("title"), theme.TITLE, width - 80, 48)


def render_ahead(
    text: TextRenderer,
    tr: Tr,
    gtr: Callable[..., str],
    size: tuple[int, int],
    like: pygame.Surface | None = None,
) -> None:
    """Start rendering a game's how-to text in a worker, into the text cache: its title and
    instructions, the level question and its buttons' labels (their fonts opened); with
    ``like`` (the canvas), its face too, for canvases like it. The menu calls it as a finger
    goes down on the game's card, so the how-to's first frame (3–8 ms of text at 1080p, a
    frame of its own on a scaled screen) copies its face, or at least its text."""
    sample = None if like is None else pygame.Surface((1, 1), 0, like)  # (not the canvas)
    _worker.start(_render, text, tr, gtr, size, sample)


def wait_for_text(timeout_s: float = 10.0) -> None:
    """Block until the how-to text being rendered ahead is done (tests, benchmarks)."""
    _worker.wait(timeout_s)


def _render(
    text: TextRenderer,
    tr: Tr,
    gtr: Callable[..., str],
    size: tuple[int, int],
    sample: pygame.Surface | None = None,
) -> None:
    # Should it fail (logged by the worker), the how-to renders them in its first frame.
    lay = pick(size, LANDSCAPE, PORTRAIT)
    text.render(gtr("title"), _title_size(text, gtr, size[0]), theme.SUN, "bold")
    for line in text.wrap(gtr("howto"), HOWTO_SIZE, lay.panel.width - 120):
        if line:
            text.render(line, HOWTO_SIZE, theme.TEXT)
    text.render(tr("howto.level"), theme.BODY, theme.TEXT_MUTED)
    for button in _buttons(tr, lay, *_NO_ACTIONS):
        button.render_ahead(text)  # (the first frame opened the 48 px bold font: 1-3 ms)
    AccessBar(tr, dict.fromkeys(ACCESS_KEYS, _nothing)).render_labels(text)
    if sample is not None:
        key = _face_key(text, tr, gtr("title"), size, sample.get_bitsize())
        picture = pygame.Surface(size, 0, sample)
        lines = text.wrap(gtr("howto"), HOWTO_SIZE, lay.panel.width - 120)
        _paint_face(picture, text, tr, gtr, lay, lines, _buttons(tr, lay, *_NO_ACTIONS))
        face = Face(picture)
        if _face_key(text, tr, gtr("title"), size, sample.get_bitsize()) == key:
            with _face_lock:  # (the look did not change meanwhile)
                _face.clear()
                _face[key] = face


def _paint_face(
    surface: pygame.Surface,
    text: TextRenderer,
    tr: Tr,
    gtr: Callable[..., str],
    lay: HowToLayout,
    lines: list[str],
    buttons: list[Button],
    pressed: set[int] = frozenset(),
) -> None:
    """The screen but its access keys and the chosen level's ring."""
    draw_backdrop(surface)
    cx = surface.get_width() // 2
    text.draw(
        surface,
        gtr("title"),
        _title_size(text, gtr, surface.get_width()),
        theme.SUN,
        center=(cx, lay.title_y),
        weight="bold",
    )
    panel = lay.panel
    pygame.draw.rect(surface, theme.CARD, panel, border_radius=theme.RADIUS)
    y = panel.centery - len(lines) * HOWTO_SIZE * LINE_GAP / 2
    for line in lines:
        if line:
            text.draw(surface, line, HOWTO_SIZE, theme.TEXT, midtop=(cx, y))
        y += text.shown_size(HOWTO_SIZE) * LINE_GAP
    text.draw(surface, tr("howto.level"), theme.BODY, theme.TEXT_MUTED, center=(cx, lay.level_y))
    for button in buttons:
        button.draw(surface, text, pressed=id(button) in pressed)


def _nothing() -> None:
    pass


_NO_ACTIONS = (lambda level: _nothing, _nothing, _nothing, _nothing)


def _buttons(
    tr: Tr,
    lay: HowToLayout,
    choose: Callable[[str], Callable[[], None]],
    back: Callable[[], None],
    replay: Callable[[], None],
    start: Callable[[], None],
) -> list[Button]:
    """The levels (``choose(level)``: each one's action), Back, Again and Start."""
    buttons = [
        Button(
            rect,
            tr(f"difficulty.{level}"),
            choose(level),
            fill=theme.BUTTON_QUIET,
            text_color=theme.INK,
            sublabel=tr(f"difficulty.{level}_hint"),
            size=48,
        )
        for level, rect in zip(DIFFICULTIES, lay.levels, strict=True)
    ]
    quiet = {"fill": theme.BUTTON_QUIET, "text_color": theme.INK}
    buttons.append(Button(lay.back.copy(), tr("common.back"), back, **quiet))
    buttons.append(Button(lay.replay.copy(), tr("howto.replay"), replay, **quiet))
    buttons.append(Button(lay.start.copy(), tr("howto.start"), start, size=72))
    return buttons


class HowToScene(Scene):
    name = "howto"

    def enter(self) -> None:
        tr = self.host.tr
        spec = self.host.visit.game
        self.gtr = tr.game(spec.id)
        lay = self.layout = pick(self.host.size, LANDSCAPE, PORTRAIT)
        host = self.host
        self.buttons.extend(
            _buttons(
                tr,
                lay,
                lambda level: lambda: host.choose(difficulty=level),
                lambda: host.advance("back"),
                self.speak,
                host.start_when_ready,
            )
        )
        self.start = self.buttons[-1]
        corner, vertical, anchor = lay.access
        bar = self.add_access_bar(again=False)  # (ACCESS_KEYS)
        bar.place(corner, vertical=vertical, anchor=anchor)
        # Wrapped once: measuring every word each frame was a fifth of this screen's cost.
        self.howto_lines = self.host.text.wrap(self.gtr("howto"), HOWTO_SIZE, lay.panel.width - 120)
        self._drawn: tuple | None = None  # the look (``look``) last drawn on the canvas
        self.speak()

    def speak(self) -> None:
        self.host.say(self.gtr("howto"))

    def speech_text(self) -> str:
        return self.gtr("howto")

    def update(self, dt: float) -> None:
        super().update(dt)
        if self.t >= PREPARE_AFTER_S:  # the round is built while the visitor reads
            self.host.prepare_game()

    def look(self, surface: pygame.Surface) -> tuple:
        """Everything this screen's picture depends on: nothing on it moves by itself, so
        while this stays the same the picture does."""
        host = self.host
        pressed = frozenset(map(id, self._pressed.values()))
        buttons = tuple(
            (id(b), b.label, b.enabled, b.fill, b.text_color, tuple(b.rect)) for b in self.buttons
        )
        lits = tuple(key.lit() for key in self.access.keys)
        text = host.text
        palette = (theme.high_contrast, theme.TEXT, theme.CARD, theme.SMALL, text.large)
        title = self.gtr("title")
        return (surface.get_size(), id(text), host.tr.lang, title, self.howto_lines,
                host.visit.difficulty, pressed, buttons, lits, palette)  # fmt: skip

    def draw(self, surface: pygame.Surface) -> None:
        look = self.look(surface)
        if self.host.canvas_kept and look == self._drawn:
            self.damage = []  # the same picture is on the canvas: nothing to draw or compare
            return
        self._drawn = None  # (until drawn: a draw that fails leaves the canvas unknown)
        self.paint(surface)
        self._drawn = look

    def exit(self) -> None:
        release_face()

    def paint(self, surface: pygame.Surface) -> None:
        """The whole screen: its face drawn ahead, when nothing is pressed, and over it
        what is not in the face."""
        tr, text, lay = self.host.tr, self.host.text, self.layout
        title = self.gtr("title")
        key = _face_key(text, tr, title, surface.get_size(), surface.get_bitsize())
        face = None if self._pressed else _kept_face(key)
        keys = self.access.keys
        if face is not None:
            face.blit(surface)
        else:
            pressed = set(map(id, self._pressed.values()))
            own = [b for b in self.buttons if b not in keys]
            _paint_face(surface, text, tr, self.gtr, lay, self.howto_lines, own, pressed)
        pressed = set(map(id, self._pressed.values()))
        for key_button in keys:
            key_button.draw(surface, text, pressed=id(key_button) in pressed)
        chosen = self.buttons[DIFFICULTIES.index(self.host.visit.difficulty)]
        pygame.draw.rect(
            surface, theme.SUN, chosen.rect.inflate(16, 16), width=8, border_radius=theme.RADIUS + 8
        )

    def autopilot_target(self, rng):
        if self.t < 1.0:  # a person listens a moment; also exercise the level buttons
            return self.buttons[rng.randrange(len(DIFFICULTIES))].rect.center
        return self.start.rect.center
