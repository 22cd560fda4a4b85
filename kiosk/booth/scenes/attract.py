"""The attract loop: what passers-by see. Any touch starts a new visit.

Under the games, once anyone has played: "今日已有 N 位市民參與 · N citizens played today",
the carnival's count from the fleet, or this booth's own while the centre is out of reach
(``SceneHost.played_today``, cached by kiosk/booth/remote.py: no database per frame).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import partial

import pygame

from kiosk.booth.scenes import language
from kiosk.booth.scenes.base import Scene
from kiosk.input import PointerEvent
from kiosk.ui import theme
from kiosk.ui.decor import LitScreen, Paint, draw_backdrop
from kiosk.ui.frame import pick
from kiosk.ui.text import TextRenderer
from kiosk.ui.typeset import fit_size

GAME_CYCLE_S = 3.0
PULSE = 0.04  # how far the call to action's card breathes out and in
_KEPT_MAX = 64  # the fixed lines and one title per game, in each language and size
_kept: dict[tuple, pygame.Surface] = {}
_count: dict[tuple, pygame.Surface] = {}  # the count line: one entry, replaced as it grows


def _label(text: TextRenderer, line: str, size: int, colour: theme.RGB, weight: str):
    """The attract screen's text, rendered once for the whole day: a visitor's screens push
    it out of the text cache, and rendering it again made the first attract frame after
    each visitor slow."""
    key = (text, line, size, colour, weight)  # by renderer too: its fonts may be others
    surface = _kept.get(key)
    if surface is None:
        if len(_kept) >= _KEPT_MAX:  # strings or games changed: start over
            _kept.clear()
        surface = _kept[key] = text.render(line, size, colour, weight)
    return surface


class _KeptText:
    """The text renderer, with ``draw`` through the labels kept for the day."""

    def __init__(self, renderer: TextRenderer) -> None:
        self.renderer = renderer

    def __getattr__(self, name: str):  # font(), for fitting a line to its room
        return getattr(self.renderer, name)

    def draw(self, surface, line, size, colour, *, center, weight="regular") -> None:
        label = _label(self.renderer, line, size, colour, weight)
        surface.blit(label, label.get_rect(center=(round(center[0]), round(center[1]))))


def _count_label(host, n: int, stacked: bool, room: int) -> pygame.Surface:
    """The count line in both languages ("中 · en", or two lines on a portrait totem),
    rendered when the number changes, not every frame."""
    key = (n, stacked, room, theme.TEXT, host.text.large)
    surface = _count.get(key)
    if surface is not None:
        return surface
    number = f"{n:,}"
    lines = [
        host.tr_for(lang)(
            "attract.played_today_one" if n == 1 else "attract.played_today", n=number
        )
        for lang in ("zh-HK", "en")
    ]
    text = host.text
    if stacked:
        parts = [
            text.render(line, fit_size(text, line, theme.BODY, room, 24), theme.TEXT)
            for line in lines
        ]
    else:
        line = " · ".join(lines)
        parts = [text.render(line, fit_size(text, line, theme.BODY, room, 24), theme.TEXT)]
    gap = 6
    width = max(p.get_width() for p in parts)
    height = sum(p.get_height() for p in parts) + gap * (len(parts) - 1)
    surface = pygame.Surface((width, height), pygame.SRCALPHA)
    y = 0
    for part in parts:
        surface.blit(part, part.get_rect(midtop=(width // 2, y)))
        y += part.get_height() + gap
    _count.clear()
    _count[key] = surface
    return surface


@dataclass(frozen=True)
class AttractLayout:
    """Centre lines of the attract screen. ``stacked``: the two languages' organiser and
    game-title lines go one under the other (a portrait screen is too narrow for both)."""

    brand_y: int
    organiser_y: int
    tagline_y: int
    card: tuple[int, int, int]  # width, height, centre y of the call to action
    touch_y: tuple[int, int]  # English, Chinese call to action
    games_y: int
    title_y: int
    count_y: int  # "N citizens played today": its pill's centre line
    stacked: bool = False
    line_gap: int = 0  # between stacked lines


LANDSCAPE = AttractLayout(190, 290, 375, (880, 210, 565), (525, 612), 730, 795, 915)
PORTRAIT = AttractLayout(
    330, 460, 640, (940, 320, 960), (905, 1020), 1240, 1330, 1575, stacked=True, line_gap=70
)
COUNT_PAD = (36, 14)  # the count's pill round its text: it sits over the skyline


class AttractScene(Scene):
    name = "attract"
    idle = None
    asked_ahead = False  # the language screen drawn ahead, while this is up

    def __init__(self, host) -> None:
        super().__init__(host)
        self.lit = LitScreen()

    @property
    def layout(self) -> AttractLayout:
        return pick(self.host.size, LANDSCAPE, PORTRAIT)

    def on_background_tap(self, ev: PointerEvent) -> None:
        self.host.advance("touched")

    def draw(self, surface: pygame.Surface) -> None:
        # Only what moves is drawn again: the card's pulse and the lights (LitScreen); the
        # next game's name is painted ahead, by a worker (kiosk/ui/lit_ahead.py).
        self.damage = self.lit.draw(
            surface, self.t, self.host.canvas_kept, self.look(surface), self.paint, self.moving,
            self.coming,
        )  # fmt: skip
        if not self.asked_ahead:  # a touch brings the language screen: drawn meanwhile
            self.asked_ahead = True
            language.prepare_face(self.host, surface)

    def look(self, surface: pygame.Surface, t: float | None = None) -> tuple:
        """Everything the still picture depends on (not the card's pulse, not the lights),
        now or at ``t``."""
        host, games = self.host, self.host.games
        shown = self._shown(self.t if t is None else t)
        palette = (theme.high_contrast, theme.TEXT, theme.SUN, theme.BUTTON, theme.CARD)
        strings = (host.tr_for("en").strings, host.tr_for("zh-HK").strings)
        # (no count known and none yet look the same: nothing is shown. The ids' tuple is
        # made from a list: one made from a generator is shrunk once made, and each frame's
        # then stayed on CPython's free list, 1500 of them in tests/test_memory.py)
        ids = tuple([spec.id for spec in games])
        return (surface.get_size(), host.text, host.text.large, palette, strings, ids, shown,
                host.played_today() or 0)  # fmt: skip

    def _shown(self, t: float) -> int | None:
        """Which game is named under the card at ``t``."""
        games = self.host.games
        return int(t / GAME_CYCLE_S) % len(games) if games else None

    def coming(self, surface: pygame.Surface) -> tuple[tuple, Paint, Paint] | None:
        """The next game's name, for the worker that paints it ahead (LitScreen): its look,
        its paint and the paint of the picture now, fixed in time."""
        if len(self.host.games) < 2:
            return None  # nothing changes by itself
        then = (int(self.t / GAME_CYCLE_S) + 1.5) * GAME_CYCLE_S  # mid-turn: no edge to miss
        return (
            self.look(surface, then),
            partial(self.paint_at, t=then),
            partial(self.paint_at, t=self.t),
        )

    def moving(self) -> list[tuple[pygame.Rect, tuple]]:
        """The call to action's card, which breathes: its widest reach and its size now."""
        return [(self._card_area(), tuple(self._card()))]

    def _card(self, t: float | None = None) -> pygame.Rect:
        pulse = 1.0 + PULSE * math.sin((self.t if t is None else t) * 3.0)
        card_w, card_h, card_y = self.layout.card
        card = pygame.Rect(0, 0, round(card_w * pulse), round(card_h * pulse))
        card.center = (self.host.size[0] // 2, card_y)
        return card

    def _card_area(self) -> pygame.Rect:
        card_w, card_h, card_y = self.layout.card
        cx = self.host.size[0] // 2
        area = pygame.Rect(0, 0, round(card_w * (1 + PULSE)) + 2, round(card_h * (1 + PULSE)) + 2)
        area.center = (cx, card_y)
        text = self.host.text
        for tr, y, size in zip(self._touch_lines(), self.layout.touch_y, self._touch_sizes(),
                               strict=True):  # fmt: skip
            label = _label(text, tr("attract.touch"), size, theme.BUTTON_TEXT, "bold")
            area.union_ip(label.get_rect(center=(cx, y)))
        return area

    def _touch_lines(self):
        return self.host.tr_for("en"), self.host.tr_for("zh-HK")

    def _touch_sizes(self) -> tuple[int, int]:
        return pick(self.host.size, (72, 64), (88, 80))

    def paint(self, surface: pygame.Surface) -> None:
        """The whole screen but the lights (kept, and redrawn clipped where things move)."""
        self.paint_at(surface, self.t)

    def paint_at(self, surface: pygame.Surface, t: float) -> None:
        """The whole screen but the lights as at ``t`` (a worker paints the next one)."""
        draw_backdrop(surface, t)
        host, text, lay = self.host, _KeptText(self.host.text), self.layout
        en, zh = self._touch_lines()
        cx, room = surface.get_width() // 2, surface.get_width() - 80
        brand = en("brand.name")
        size = fit_size(host.text, brand, 120, room, 72)  # (the renderer: its answers kept)
        text.draw(surface, brand, size, theme.SUN, center=(cx, lay.brand_y), weight="bold")
        self._pair(
            surface,
            zh("brand.organiser"),
            en("brand.organiser"),
            theme.BODY,
            theme.TEXT_MUTED,
            lay.organiser_y,
            "regular",
        )
        text.draw(
            surface, zh("brand.tagline"), theme.HEADING, theme.TEXT, center=(cx, lay.tagline_y)
        )

        # The call to action breathes, so the screen reads as alive from across the square.
        pygame.draw.rect(surface, theme.BUTTON, self._card(t), border_radius=theme.RADIUS + 12)
        for tr, y, size in zip((en, zh), lay.touch_y, self._touch_sizes(), strict=True):
            touch = tr("attract.touch")
            text.draw(surface, touch, size, theme.BUTTON_TEXT, center=(cx, y), weight="bold")

        games = host.games
        if games:
            spec = games[int(t / GAME_CYCLE_S) % len(games)]
            label = f"{zh('attract.games_today')} · {en('attract.games_today')}"
            text.draw(surface, label, theme.SMALL, theme.TEXT_MUTED, center=(cx, lay.games_y))
            self._pair(
                surface,
                zh.game(spec.id)("title"),
                en.game(spec.id)("title"),
                theme.HEADING,
                theme.TEXT,
                lay.title_y,
                "bold",
            )
        self._played(surface)

    def _played(self, surface: pygame.Surface) -> None:
        n = self.host.played_today()
        if not n:
            return  # nobody yet (or not known): no "0 citizens"
        lay, cx = self.layout, surface.get_width() // 2
        label = _count_label(self.host, n, lay.stacked, surface.get_width() - 160)
        pill = label.get_rect(center=(cx, lay.count_y)).inflate(2 * COUNT_PAD[0], 2 * COUNT_PAD[1])
        pygame.draw.rect(surface, theme.CARD, pill, border_radius=pill.height // 2)
        surface.blit(label, label.get_rect(center=pill.center))

    def _pair(self, surface, zh: str, en: str, size: int, colour, y: int, weight: str) -> None:
        """The same words in both languages: "中 · en" on one line, or stacked."""
        text, lay, cx = _KeptText(self.host.text), self.layout, surface.get_width() // 2
        if not lay.stacked:
            text.draw(surface, f"{zh} · {en}", size, colour, center=(cx, y), weight=weight)
            return
        for i, line in enumerate((zh, en)):
            fitted = fit_size(self.host.text, line, size, surface.get_width() - 80, 24, weight)
            text.draw(
                surface, line, fitted, colour, center=(cx, y + i * lay.line_gap), weight=weight
            )

    def autopilot_target(self, rng):
        return (float(self.host.size[0] // 2), float(self.layout.card[2]))
