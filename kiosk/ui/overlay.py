"""The "Still playing? / 仲玩嗎？" countdown, drawn over whatever screen went quiet."""

from __future__ import annotations

from collections.abc import Callable

import pygame

from kiosk import DESIGN_SIZE
from kiosk.background import Background
from kiosk.i18n import LANGUAGES, Tr
from kiosk.ui import theme
from kiosk.ui.frame import pick
from kiosk.ui.text import TextRenderer
from kiosk.ui.typeset import fit_size

_shades: dict[tuple[int, int], pygame.Surface] = {}

# The card's size and, from the card's top, the centres of its lines: title, the other
# language's title, the seconds, touch, the other language's touch, the countdown line.
CARD_LANDSCAPE = ((1300, 640), (100, 195, 335, 460, 520, 580))
CARD_PORTRAIT = ((1000, 820), (110, 215, 380, 540, 610, 680))


def shade(size: tuple[int, int] = DESIGN_SIZE) -> pygame.Surface:
    """A translucent black layer that dims a ``size`` screen under a dialog (built once)."""
    layer = _shades.get(size)
    if layer is None:
        layer = _shades[size] = pygame.Surface(size, pygame.SRCALPHA)
        layer.fill((0, 0, 0, 170))
    return layer


class IdleOverlay:
    """The countdown over a frozen screen, drawn cheaply.

    While it asks, the screen underneath does not move (the kiosk stops updating it), so the
    first frame draws the screen, dims it and draws the card with its fixed lines, and keeps
    that picture; every later frame is one copy of it plus the seconds, which change once a
    second. ``reset`` when it starts asking or the screen underneath changes. ``warm``
    renders the card's lines in a worker a moment before it asks.
    """

    def __init__(self) -> None:
        self._picture: pygame.Surface | None = None
        self._kept: pygame.Surface | None = None  # the picture's surface, kept all day
        self._lang = ""
        self._warmed: set[str] = set()
        self._job: Background[None] | None = None  # the last warm's worker

    def warm(
        self,
        text: TextRenderer,
        tr: Tr,
        tr_for: Callable[[str], Tr],
        size: tuple[int, int],
        seconds: int | None = None,
    ) -> None:
        """Render the card's lines ahead, in a worker: its first frame then only copies
        (CJK titles at 96 px cost several milliseconds each). ``seconds``: the count its
        first frame shows; it and every count after it are rendered too (its 150 px font
        opened: 1 ms of the first frame; each new count made its frame the card's slowest,
        4 ms at 3840x2160)."""
        if tr.lang in self._warmed:
            return
        self._warmed.add(tr.lang)
        job = Background("overlay", "rendering the idle card")
        self._job = job.start(self._warm, text, tr, tr_for, size, seconds)

    def wait_warm(self, timeout_s: float | None = None) -> None:
        """Block until the lines started rendering by ``warm`` are made (a benchmark on a
        simulated clock: a booth gives the worker two real seconds)."""
        if self._job is not None:
            self._job.wait(timeout_s)

    def _warm(self, text: TextRenderer, tr: Tr, tr_for: Callable[[str], Tr], size, seconds) -> None:
        if self._kept is None or self._kept.get_size() != tuple(size):
            self._kept = pygame.Surface(size)  # its pages touched here, not in the frame
        shade(tuple(size))  # filling 8 MB of fresh pages: 5 ms, here rather than in the frame
        _render_lines(text, tr, tr_for, size)
        for count in range(seconds if seconds is not None else -1, -1, -1):
            for line, points, colour, weight in _count_lines(tr, tr_for, count):
                text.render(line, points, colour, weight)

    def reset(self) -> None:
        self._picture = None
        self._warmed.clear()  # the lines may have left the text cache by the next time

    def ready(self, surface: pygame.Surface, lang: str) -> bool:
        """Can ``draw`` paint the whole frame from its kept picture (no scene draw first)?"""
        picture = self._picture
        return (
            picture is not None
            and picture.get_size() == surface.get_size()
            and (self._lang == lang)
        )

    def draw(
        self,
        surface: pygame.Surface,
        text: TextRenderer,
        tr: Tr,
        tr_for: Callable[[str], Tr],
        seconds_left: int,
    ) -> None:
        """Over ``surface`` as the scene left it, or from the kept picture when ``ready``."""
        size = surface.get_size()
        if self.ready(surface, tr.lang):
            surface.blit(self._picture, (0, 0))
        else:
            surface.blit(shade(size), (0, 0))
            card, _ = _card(size)
            pygame.draw.rect(surface, theme.CARD, card, border_radius=theme.RADIUS)
            pygame.draw.rect(surface, theme.SUN, card, width=6, border_radius=theme.RADIUS)
            for line, points, colour, centre, weight in _lines(text, tr, tr_for, size):
                text.draw(surface, line, points, colour, center=centre, weight=weight)
            # Into a kept surface: a fresh 8 MB copy is mapped and faulted in page by page
            # under the kiosk's allocator (kiosk/booth/memory.py), 5 ms of this frame.
            kept = self._kept
            if kept is None or kept.get_size() != size or kept.get_masks() != surface.get_masks():
                kept = self._kept = pygame.Surface(size, 0, surface)
            kept.blit(surface, (0, 0))
            self._picture, self._lang = kept, tr.lang
        card, ys = _card(size)
        for (line, points, colour, weight), y in zip(
            _count_lines(tr, tr_for, seconds_left), (ys[2], ys[5]), strict=True
        ):
            text.draw(surface, line, points, colour, center=(card.centerx, y), weight=weight)


def _count_lines(
    tr: Tr, tr_for: Callable[[str], Tr], seconds: int
) -> list[tuple[str, int, theme.RGB, str]]:
    """The card's lines that count down: the seconds, then the line saying what follows
    (text, size, colour, weight)."""
    first = tr_for(_order(tr.lang)[0])
    return [
        (str(seconds), 150, theme.TEXT, "bold"),
        (first("idle.countdown", seconds=seconds), theme.SMALL, theme.TEXT_MUTED, "regular"),
    ]


def _order(lang: str) -> list[str]:
    # The visitor's language first; the other one too, in case someone new walked up.
    return [lang] + [other for other in LANGUAGES if other != lang]


def _card(size: tuple[int, int]) -> tuple[pygame.Rect, list[int]]:
    """The card on a ``size`` screen and the centre height of each of its lines."""
    card_size, ys = pick(size, CARD_LANDSCAPE, CARD_PORTRAIT)
    card = pygame.Rect((0, 0), card_size)
    card.center = (size[0] // 2, size[1] // 2)
    return card, [card.y + y for y in ys]


def _lines(
    text: TextRenderer, tr: Tr, tr_for: Callable[[str], Tr], size: tuple[int, int]
) -> list[tuple[str, int, theme.RGB, tuple[int, int], str]]:
    """The card's lines that do not count down: (text, size, colour, centre, weight)."""
    card, ys = _card(size)
    cx, width = card.centerx, card.width - 80
    order = _order(tr.lang)
    first, second = tr_for(order[0]), tr_for(order[1])
    title = fit_size(text, first("idle.title"), 96, width, 60)
    second_title = fit_size(text, second("idle.title"), theme.HEADING, width, 40, "regular")
    touch = fit_size(text, first("idle.touch"), theme.BODY, width, 28, "regular")
    return [
        (first("idle.title"), title, theme.SUN, (cx, ys[0]), "bold"),
        (second("idle.title"), second_title, theme.SUN, (cx, ys[1]), "regular"),
        (first("idle.touch"), touch, theme.TEXT, (cx, ys[3]), "regular"),
        (second("idle.touch"), theme.SMALL, theme.TEXT_MUTED, (cx, ys[4]), "regular"),
    ]


def _render_lines(
    text: TextRenderer, tr: Tr, tr_for: Callable[[str], Tr], size: tuple[int, int]
) -> None:
    for line, points, colour, _, weight in _lines(text, tr, tr_for, size):
        text.render(line, points, colour, weight)
