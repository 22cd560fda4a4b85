"""The game menu: every enabled game with its icon, name and one-line promise."""

from __future__ import annotations

from collections import OrderedDict

import pygame

from games.base import GameSpec
from kiosk.booth.scenes.base import Scene
from kiosk.ui import theme
from kiosk.ui.decor import draw_backdrop
from kiosk.ui.frame import LANDSCAPE, is_portrait, pick
from kiosk.ui.typeset import fit_lines, fit_size
from kiosk.ui.widgets import Button

# Portrait: the title, then the language button and the access bar side by side, then the
# cards down to the foot of the screen.
PORTRAIT_TOP = 380
MENU_FOOT_PORTRAIT = 40
# Where the language button and the access bar go: (button rect, bar corner), landscape and
# portrait; the bar's corner is its top right.
EXTRAS = (((40, 30, 300, 150), (1880, 30)), ((40, 190, 300, 150), (1040, 190)))
TITLE_Y = (120, 100)


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
# set of games) and blitted. One 8 MB surface per language, kept across visitors.
FACES_KEPT = 2
_faces: OrderedDict[tuple, pygame.Surface] = OrderedDict()


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
        button_at, bar_at = pick(self.host.size, *EXTRAS)
        langs = self.host.config.languages
        if len(langs) > 1:  # the wrong language? back to the choice, labelled in both
            tr = self.host.tr
            other = next(lang for lang in langs if lang != tr.lang)
            self.extras.append(
                Button(
                    pygame.Rect(button_at),
                    tr("menu.language"),
                    lambda: self.host.advance("language"),
                    fill=theme.BUTTON_QUIET,
                    text_color=theme.INK,
                    sublabel=self.host.tr_for(other)("menu.language"),
                )
            )
            self.buttons.append(self.extras[-1])
        self.extras.extend(self.add_access_bar().place(bar_at, anchor="topright").keys)

    def speech_text(self) -> str:
        tr = self.host.tr
        games = tr("menu.list_sep").join(tr.game(spec.id)("title") for _, spec in self.cards)
        return tr("menu.spoken", title=tr("menu.title"), games=games)

    def draw(self, surface: pygame.Surface) -> None:
        pressed = {id(b) for b in self._pressed.values()}
        if pressed:  # a card sinks under the finger for a moment: draw it all live
            self._draw_menu(surface, pressed)
            self._draw_extras(surface, pressed)
            return
        key = (
            self.host.tr.strings,  # by identity: tests and reloads bring their own
            self.host.text,
            self.host.tr.lang,
            tuple(spec.id for _, spec in self.cards),
            surface.get_size(),
            surface.get_bitsize(),
            self.host.large_text,
        )
        face = _faces.get(key)
        if face is None:
            face = pygame.Surface(surface.get_size(), 0, surface)
            self._draw_menu(face, pressed)
            _faces[key] = face
            while len(_faces) > FACES_KEPT:
                _faces.popitem(last=False)
        _faces.move_to_end(key)
        surface.blit(face, (0, 0))
        self._draw_extras(surface, pressed)

    def _draw_extras(self, surface: pygame.Surface, pressed: set[int]) -> None:
        for button in self.extras:
            button.draw(surface, self.host.text, pressed=id(button) in pressed)

    def _draw_menu(self, surface: pygame.Surface, pressed: set[int]) -> None:
        draw_backdrop(surface, self.t)
        tr, text = self.host.tr, self.host.text
        title_at = (surface.get_width() // 2, pick(surface.get_size(), *TITLE_Y))
        text.draw(surface, tr("menu.title"), theme.TITLE, theme.SUN, center=title_at, weight="bold")
        for (rect, spec), button in zip(self.cards, self.card_buttons, strict=True):
            card = rect.move(0, 6) if id(button) in pressed else rect
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
                size, lines = fit_lines(
                    text, gtr("promise"), size, card.width - 60, 2, "regular", floor=20
                )
                step = text.shown_size(size) * 1.3
                if size <= 20 or len(lines) * step <= room:
                    break
                size -= 2
            for i, line in enumerate(lines):
                midtop = (card.centerx, y + 78 + i * step)
                text.draw(surface, line, size, theme.TEXT_MUTED, midtop=midtop)
