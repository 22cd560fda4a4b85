"""The game menu: every enabled game with its icon, name and one-line promise."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame

from games.base import GameSpec
from kiosk.background import Lane
from kiosk.booth.scenes import howto
from kiosk.booth.scenes.base import Scene
from kiosk.input import PointerEvent
from kiosk.ui import theme
from kiosk.ui.access_bar import AccessBar
from kiosk.ui.decor import draw_backdrop
from kiosk.ui.faces import Face
from kiosk.ui.frame import LANDSCAPE, is_portrait, pick
from kiosk.ui.typeset import fit_lines, fit_size
from kiosk.ui.widgets import Button

if TYPE_CHECKING:
    from kiosk.booth.scenes.host import SceneHost
    from kiosk.i18n import Tr
    from kiosk.ui.text import TextRenderer


# Portrait: the title, then the language button and the access bar side by side, then the
# cards down to the foot of the screen.
PORTRAIT_TOP = 380
MENU_FOOT_PORTRAIT = 40
# Where the language button and the access bar go: (button rect, bar corner), landscape and
# portrait; the bar's corner is its top right.
EXTRAS = (((40, 30, 300, 150), (1880, 30)), ((40, 190, 300, 150), (1040, 190)))
TITLE_Y = (120, 100)
ACCESS_KEYS = ("again", "stop", "quieter", "louder")


def grid(count: int, size: tuple[int, int] = LANDSCAPE) -> list[pygame.Rect]:
    """Card rectangles for 1–8 games. Landscape: one row up to four, two rows beyond.
    Portrait: two columns (one card per row up to two games), as many rows as needed."""
    gap = 40
    cx = size[0] // 2
    if is_portrait(size):
        cols = 1 if count <= 2 else 2
        rows = -(-count // cols)
        top, bottom = PORTRAIT_TOP, size[1] - MENU_FOOT_PORTRAIT
        width = min(920, (size[0] - 80 - gap * (cols - 1)) // cols)
        height = min(620, (bottom - top - gap * (rows - 1)) // rows)
    else:
        cols = count if count <= 4 else (count + 1) // 2
        rows = 1 if count <= 4 else 2
        width = min(560, (size[0] - 160 - gap * (cols - 1)) // cols)
        height = 620 if rows == 1 else 370
        top = 250 if rows == 1 else 210
    left = cx - (cols * width + gap * (cols - 1)) // 2
    rects = []
    for i in range(count):
        r, c = divmod(i, cols)
        if r == rows - 1 and count % cols:  # centre a short last row
            left_r = cx - ((count % cols) * width + gap * ((count % cols) - 1)) // 2
        else:
            left_r = left
        rects.append(
            pygame.Rect(left_r + c * (width + gap), top + r * (height + gap), width, height)
        )
    return rects


# The menu at rest is the same every frame for a language, and its icons, wrapped promises
# and rounded cards made it the dearest screen to draw: it is drawn once per language (and
# set of games) and copied, kept as what it adds to the backdrop (kiosk/ui/faces.py: 5.5 MB
# per language at 1080p, not 8), kept through a visit and let go
# when the booth is at rest again (``release_faces``: a booth on attract holds only what
# attract needs). Drawing one costs 20–30 ms (the promises' line breaking, CJK text):
# ``prepare_faces`` draws both languages' in a worker while the language screen is up (a
# visitor reads it for a second or more; touches in its first 0.35 s are ignored), so the
# menu's first frame only copies one.
FACES_KEPT = 2
_faces: OrderedDict[tuple, Face] = OrderedDict()
_faces_lock = threading.Lock()  # the worker stores faces while the frame thread reads them
_worker = Lane("menu-faces", "drawing the menu ahead")


def _face_key(host: SceneHost, lang: str, games: tuple[str, ...], like: pygame.Surface) -> tuple:
    return (
        host.tr_for(lang).strings,  # by identity: tests and reloads bring their own
        host.text,
        lang,
        games,
        like.get_size(),
        like.get_bitsize(),
        host.large_text,  # large text and high contrast come and go together
    )


def _kept_face(key: tuple) -> Face | None:
    with _faces_lock:
        face = _faces.get(key)
        if face is not None:
            _faces.move_to_end(key)
        return face


def _keep_face(key: tuple, face: Face) -> None:
    with _faces_lock:
        _faces[key] = face
        _faces.move_to_end(key)
        while len(_faces) > FACES_KEPT:
            _faces.popitem(last=False)


def release_faces() -> None:
    """Let the kept faces go (the booth is at rest; the next visitor's language screen
    draws them ahead again). A worker drawing one now keeps it: that is a visitor's."""
    with _faces_lock:
        _faces.clear()


def prepare_faces(host: SceneHost, like: pygame.Surface) -> None:
    """Have the menu's face drawn ahead, in a worker, for every language the visitor may
    choose, in the current look (text size, contrast), for canvases like ``like``. Cheap when
    they are ready or underway: the language screen calls it every frame."""
    if _worker.busy():
        return
    games = tuple(host.games)
    if not games:  # staff switched every game off: the menu has no cards to draw
        return
    ids = tuple(spec.id for spec in games)
    wanted = {lang: _face_key(host, lang, ids, like) for lang in host.config.languages}
    with _faces_lock:
        wanted = {lang: key for lang, key in wanted.items() if key not in _faces}
    if not wanted:
        return
    _worker.start(_draw_ahead, host, games, wanted, like, if_idle=True)


def wait_for_faces(timeout_s: float = 30.0) -> None:
    """Block until faces being drawn ahead are kept: for tests, and before pygame quits."""
    _worker.wait(timeout_s)


def _draw_ahead(
    host: SceneHost, games: tuple[GameSpec, ...], wanted: dict[str, tuple], like: pygame.Surface
) -> None:
    # Should it fail (logged by the worker), the menu draws its face in its first frame.
    cards = list(zip(grid(len(games), host.size), games, strict=True))
    ids = tuple(spec.id for spec in games)
    for lang, key in wanted.items():
        picture = pygame.Surface(like.get_size(), 0, like)
        draw_face(picture, host.text, host.tr_for(lang), cards)
        if _face_key(host, lang, ids, like) == key:  # the look did not change meanwhile
            _keep_face(key, Face(picture))
        # The extras are drawn live over the face; their labels are rendered here (the
        # menu's first frame rendered six of them, 0.5-1 ms).
        button = _language_button(host, lang, lambda: None)
        if button is not None:
            button.render_ahead(host.text)
        AccessBar(host.tr_for(lang), dict.fromkeys(ACCESS_KEYS, _nothing)).render_labels(host.text)


def _nothing() -> None:
    pass


def _language_button(host: SceneHost, lang: str, action: Callable[[], None]) -> Button | None:
    """Back to the language choice, labelled in both languages (None: only one is offered)."""
    langs = host.config.languages
    if len(langs) < 2:
        return None
    other = next(other for other in langs if other != lang)
    return Button(
        pygame.Rect(pick(host.size, *EXTRAS)[0]),
        host.tr_for(lang)("menu.language"),
        action,
        fill=theme.BUTTON_QUIET,
        text_color=theme.INK,
        sublabel=host.tr_for(other)("menu.language"),
    )


def draw_face(
    surface: pygame.Surface,
    text: TextRenderer,
    tr: Tr,
    cards: list[tuple[pygame.Rect, GameSpec]],
    sunk: frozenset[int] = frozenset(),
) -> None:
    """The menu without its extras (language button, access bar): the backdrop, the title
    and a card per game; the cards at the indices in ``sunk`` pressed down."""
    draw_backdrop(surface)
    title_at = (surface.get_width() // 2, pick(surface.get_size(), *TITLE_Y))
    text.draw(surface, tr("menu.title"), theme.TITLE, theme.SUN, center=title_at, weight="bold")
    for i, (rect, spec) in enumerate(cards):
        draw_card(surface, text, tr, rect, spec, i in sunk)


def card_area(rect: pygame.Rect) -> pygame.Rect:
    """Everything a card at ``rect`` paints, pressed or not: itself and its shadow (the
    gap between cards is wider than the shadow, so no other card paints here)."""
    return rect.union(rect.move(0, 10))


def draw_card(
    surface: pygame.Surface,
    text: TextRenderer,
    tr: Tr,
    rect: pygame.Rect,
    spec: GameSpec,
    sunk: bool,
) -> None:
    """One game's card: icon, title and promise, pressed down if ``sunk``."""
    card = rect.move(0, 6) if sunk else rect
    pygame.draw.rect(surface, (8, 16, 32), rect.move(0, 10), border_radius=theme.RADIUS)
    pygame.draw.rect(surface, theme.CARD, card, border_radius=theme.RADIUS)
    pygame.draw.rect(surface, theme.SUN, card, width=4, border_radius=theme.RADIUS)
    gtr = tr.game(spec.id)
    icon_h = min(260, card.height - 230)
    icon = pygame.Rect(0, 0, icon_h, icon_h)
    icon.midtop = (card.centerx, card.y + 30)
    if spec.draw_icon is not None:
        spec.draw_icon(surface, icon)
    y = icon.bottom + 24
    title = gtr("title")
    size = fit_size(text, title, 52, card.width - 40, 36)
    text.draw(surface, title, size, theme.TEXT, midtop=(card.centerx, y), weight="bold")
    # Two lines at most inside the card, smaller if need be (long translations,
    # large text).
    room, size = card.bottom - 14 - (y + 78), theme.SMALL
    while True:
        size, lines = fit_lines(text, gtr("promise"), size, card.width - 60, 2, "regular", floor=20)
        step = text.shown_size(size) * 1.3
        if size <= 20 or len(lines) * step <= room:
            break
        size -= 2
    for i, line in enumerate(lines):
        midtop = (card.centerx, y + 78 + i * step)
        text.draw(surface, line, size, theme.TEXT_MUTED, midtop=midtop)


class MenuScene(Scene):
    name = "menu"

    def enter(self) -> None:
        self.cards: list[tuple[pygame.Rect, GameSpec]] = list(
            zip(grid(len(self.host.games), self.host.size), self.host.games, strict=True)
        )
        self.card_buttons = [
            Button(rect, "", lambda spec=spec: self.host.advance("chosen", game=spec))
            for rect, spec in self.cards
        ]
        self.buttons.extend(self.card_buttons)
        self.extras: list[Button] = []  # drawn over the cached face
        # What the canvas shows of this menu: (its look, the cards drawn pressed), or None.
        self._drawn: tuple[tuple, frozenset[int]] | None = None
        self._on: pygame.Surface | None = None  # the surface drawn on last
        button = _language_button(
            self.host, self.host.tr.lang, lambda: self.host.advance("language")
        )
        if button is not None:  # the wrong language? back to the choice, labelled in both
            self.extras.append(button)
            self.buttons.append(button)
        bar_at = pick(self.host.size, *EXTRAS)[1]
        bar = self.add_access_bar()  # (ACCESS_KEYS)
        self.extras.extend(bar.place(bar_at, anchor="topright").keys)

    def handle(self, ev: PointerEvent) -> None:
        super().handle(ev)
        pressed = self._pressed.get(ev.pointer) if ev.kind == "down" else None
        if pressed in self.card_buttons:  # the how-to of the game under the finger, ahead
            spec = self.cards[self.card_buttons.index(pressed)][1]
            tr = self.host.tr
            howto.render_ahead(self.host.text, tr, tr.game(spec.id), self.host.size, self._on)

    def speech_text(self) -> str:
        tr = self.host.tr
        games = tr("menu.list_sep").join(tr.game(spec.id)("title") for _, spec in self.cards)
        return tr("menu.spoken", title=tr("menu.title"), games=games)

    def draw(self, surface: pygame.Surface) -> None:
        self._on = surface  # (the how-to's face is drawn ahead for canvases like it)
        pressed = {id(b) for b in self._pressed.values()}
        ids = tuple(spec.id for _, spec in self.cards)
        key = _face_key(self.host, self.host.tr.lang, ids, surface)
        face = _kept_face(key)
        if face is None:  # not drawn ahead (another look chosen just now, a worker failed)
            picture = pygame.Surface(surface.get_size(), 0, surface)
            self._draw_menu(picture, set())
            face = Face(picture)
            _keep_face(key, face)
        sunk = frozenset(i for i, b in enumerate(self.card_buttons) if id(b) in pressed)
        look = (key, surface, self._extras_look(pressed))  # (the surface by identity)
        drawn, self._drawn = self._drawn, None  # (until drawn: a failed draw leaves it unknown)
        if self.host.canvas_kept and drawn is not None and drawn[0] == look:
            # The same menu on the canvas: only the cards that sank or rose are drawn again.
            self.damage = [self._card_again(surface, face, i, i in sunk, pressed)
                           for i in sorted(drawn[1] ^ sunk)]  # fmt: skip
        else:
            face.blit(surface)
            # A card sinks under the finger for a moment: only that card is drawn again,
            # over its own patch of backdrop (the whole menu live was 4-7 ms a frame).
            for i in sorted(sunk):
                self._card_again(surface, face, i, True, pressed)
            self._draw_extras(surface, pressed)
        self._drawn = (look, sunk)

    def _card_again(
        self, surface: pygame.Surface, face: Face, i: int, sunk: bool, pressed: set[int]
    ) -> pygame.Rect:
        """Card ``i`` drawn again, pressed down or not, and whatever lies over it; returns
        the area drawn."""
        rect, spec = self.cards[i]
        area = card_area(rect)
        clip = surface.get_clip()
        surface.set_clip(area.clip(clip))
        try:
            if sunk:
                draw_backdrop(surface)
                draw_card(surface, self.host.text, self.host.tr, rect, spec, sunk=True)
            else:
                face.blit(surface, area)
            self._draw_extras(surface, pressed)  # (clipped: none sits there on a usual menu)
        finally:
            surface.set_clip(clip)
        return area

    def _extras_look(self, pressed: set[int]) -> tuple:
        """Everything the language button's and the access bar's picture depends on."""
        extras = tuple(
            (id(b), id(b) in pressed, b.label, b.sublabel, b.enabled, b.fill, tuple(b.rect))
            for b in self.extras
        )
        lits = tuple(key.lit() for key in self.access.keys)
        return extras, lits, self.host.text.large, theme.high_contrast

    def _draw_extras(self, surface: pygame.Surface, pressed: set[int]) -> None:
        for button in self.extras:
            button.draw(surface, self.host.text, pressed=id(button) in pressed)

    def _draw_menu(self, surface: pygame.Surface, pressed: set[int]) -> None:
        sunk = frozenset(i for i, b in enumerate(self.card_buttons) if id(b) in pressed)
        draw_face(surface, self.host.text, self.host.tr, self.cards, sunk)
