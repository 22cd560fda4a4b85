"""The frame every mini-game draws round its play: the top bar and the feedback line.

A visitor moving from one game to the next should find the title, the time left and the
score in the same places, looking the same: the title top left, a timer pill with a clock
and a bar that drains across the screen (both turn coral in the last ten seconds), and
score chips on the right. The one-line feedback under the play area, with its tick or
cross, follows one rule everywhere: a routine line never hides a reason the visitor is
still reading. Games pass their strings (``tr("title")``, ``tr("time_left", seconds=…)``)
and a few layout numbers; everything else lives here once.

On a portrait totem the kiosk shows the game's 1920×1080 playfield scaled to the screen's
width and draws this frame round it at full size: inside :func:`detached` the top bar and
the feedback line are collected instead of drawn into the playfield, and
:func:`draw_bar_above` and a :class:`FeedbackLine` of the kiosk's draw them above and below
it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import partial
from typing import Protocol

import pygame

from games.kit.redraw import Piece, circle_rect
from kiosk.ui import theme
from kiosk.ui.shapes import RGB, draw_clock, draw_mark
from kiosk.ui.text import TextRenderer
from kiosk.ui.typeset import fit_size

MARGIN = 40  # the games' side margin on the 1920×1080 design canvas
BAR_Y = 50  # the centre line of the top bar's pills
PILL_H = 72
TITLE_SIZE = 50
URGENT_S = 10  # the timer turns coral for the last this many seconds
READ_S = 1.8  # a reason line stays at least this long before a routine line replaces it

ChipIcon = Callable[[pygame.Surface, pygame.Rect], None]


# --------------------------------------------------------------------------- feedback line


@dataclass
class Feedback:
    """The line shown under the play area, and how long it has left."""

    text: str
    tone: str  # "good" | "bad" | "info"
    ttl: float
    shown: float = 0.0
    weak: bool = False  # a routine line that a reason may replace at once


def say(
    current: Feedback | None,
    text: str,
    tone: str,
    ttl: float,
    weak: bool = False,
    read_s: float = READ_S,
) -> Feedback | None:
    """The line to show after saying ``text``: a routine (``weak``) line never hides a
    reason that has been on screen for less than ``read_s``; then ``current`` stays."""
    if weak and current is not None and not current.weak and current.shown < read_s:
        return current
    return Feedback(text, tone, ttl, weak=weak)


def tick(feedback: Feedback | None, dt: float) -> Feedback | None:
    """``feedback`` ``dt`` seconds later, or None once its time is up."""
    if feedback is None:
        return None
    feedback.ttl -= dt
    feedback.shown += dt
    return feedback if feedback.ttl > 0 else None


def tone_colour(tone: str) -> RGB:
    """Mint for good, coral for bad, white for anything else."""
    return {"good": theme.GOOD, "bad": theme.BAD}.get(tone, theme.TEXT)


@dataclass
class FeedbackLine:
    """Draws a :class:`Feedback` as one bold line centred on ``centre``, shrunk (from
    ``size`` down to ``smallest``) to ``max_w``, with a tick or cross left of the words for a
    good or bad line. The words sit ``shift`` px right of centre to balance the mark
    (also without a mark when ``shift_info``). Fitted sizes are remembered per line."""

    centre: tuple[float, float]
    max_w: float
    size: int = 36
    smallest: int = 24
    mark_radius: int = 22
    mark_gap: int = 34  # from the mark's centre to the words
    shift: int = 28
    shift_info: bool = True
    _sizes: dict[str, int] = field(default_factory=dict, repr=False)

    def draw(self, surface: pygame.Surface, text: TextRenderer, fb: Feedback | None) -> None:
        parts = _detached.get()
        if parts is not None:  # the frame round the playfield shows it (see detached())
            parts.feedback = fb
            return
        piece = self.piece(text, fb)
        if piece is not None:
            piece.draw(surface)

    def piece(self, text: TextRenderer, fb: Feedback | None) -> Piece | None:
        """The line as a piece of a frame drawn by games/kit/redraw.py (None: no line)."""
        if fb is None:
            return None
        size = self._sizes.get(fb.text)
        if size is None:
            size = fit_size(text, fb.text, self.size, self.max_w, self.smallest)
            if len(self._sizes) > 64:
                self._sizes.clear()
            self._sizes[fb.text] = size
        surf = text.render(fb.text, size, tone_colour(fb.tone), "bold")
        has_mark = fb.tone in ("good", "bad")
        cx, cy = self.centre
        rect = surf.get_rect(center=(cx + (self.shift if has_mark or self.shift_info else 0), cy))
        area = rect.copy()
        mark = (rect.x - self.mark_gap, cy)
        if has_mark:
            area.union_ip(circle_rect(mark, self.mark_radius))

        def draw(surface: pygame.Surface) -> None:
            if has_mark:
                draw_mark(surface, mark, self.mark_radius, fb.tone == "good")
            surface.blit(surf, rect)

        return Piece("feedback", (fb.text, fb.tone), area, draw)


# --------------------------------------------------------------------------- top bar


@dataclass(frozen=True)
class Chip:
    """A score pill in the top bar: an icon drawn by ``icon`` into the pill's rect, then
    ``label`` starting ``text_x`` px in; the pill is the label's width plus ``pad``."""

    label: str
    icon: ChipIcon | None = None
    pad: int = 96
    text_x: int = 70


def mark_icon(surface: pygame.Surface, box: pygame.Rect) -> None:
    """The usual chip icon: a tick, for "right so far"."""
    draw_mark(surface, (box.x + 40, box.centery), 20, True)


def seconds_left(time_left: float) -> int:
    """Whole seconds to show: 0.2 s left still reads "1"."""
    return math.ceil(time_left - 1e-6)


class Screen(Protocol):
    """What the top bar needs of a game's context (``games.base.GameContext`` has it)."""

    @property
    def size(self) -> tuple[int, int]: ...

    @property
    def text(self) -> TextRenderer: ...

    @property
    def tr(self) -> Callable[..., str]: ...


def draw_top_bar(
    surface: pygame.Surface,
    ctx: Screen,
    time_left: float,
    duration: float,
    finished: bool,
    chips: list[Chip],
    *,
    title: bool = True,
    pill_w: int = 260,
    pill_dx: int = 0,
    track_y: int = 96,
) -> None:
    """Title (``tr("title")``), the timer pill (``tr("time_left", seconds=…)``) ``pill_dx``
    px off the middle, the draining bar at ``track_y`` and ``chips`` right to left.

    ``title=False`` leaves the title to a game that bakes it into its background.
    """
    parts = _detached.get()
    if parts is not None:  # the frame round the playfield shows it (see detached())
        parts.bar = BarState(time_left, duration, finished, list(chips))
        return
    for piece in top_bar_pieces(ctx, time_left, duration, finished, chips, title=title,
                                pill_w=pill_w, pill_dx=pill_dx, track_y=track_y):  # fmt: skip
        piece.draw(surface)


def top_bar_pieces(
    ctx: Screen,
    time_left: float,
    duration: float,
    finished: bool,
    chips: list[Chip],
    *,
    title: bool = True,
    pill_w: int = 260,
    pill_dx: int = 0,
    track_y: int = 96,
) -> list[Piece]:
    """:func:`draw_top_bar`'s drawing as pieces of a frame drawn by games/kit/redraw.py
    (title, timer, draining bar, chips), each keyed by what it shows. Not for a detached
    bar: check :func:`is_detached` first."""
    text, tr, width = ctx.text, ctx.tr, ctx.size[0]
    pieces: list[Piece] = []
    if title:
        name = tr("title")
        words = text.render(name, TITLE_SIZE, theme.SUN, "bold").get_rect(topleft=(MARGIN, 22))

        def draw_title(surface: pygame.Surface) -> None:
            text.draw(surface, name, TITLE_SIZE, theme.SUN, topleft=(MARGIN, 22), weight="bold")

        pieces.append(Piece("bar.title", name, words, draw_title))
    pill = pygame.Rect(0, 0, pill_w, PILL_H)
    pill.center = (width // 2 + pill_dx, BAR_Y)
    urgent = time_left <= URGENT_S and not finished
    label = tr("time_left", seconds=seconds_left(time_left))
    area = pill.union(text.render(label, 42, theme.TEXT, "bold").get_rect(
        center=(pill.centerx + 22, pill.centery)))  # fmt: skip
    pieces.append(Piece("bar.timer", (label, urgent), area,
                        lambda s: _draw_timer(s, text, tr, pill, time_left, urgent)))  # fmt: skip
    track = pygame.Rect(MARGIN, track_y, width - 2 * MARGIN, 8)
    frac = time_left / duration if duration else 0.0
    filled = max(track.height, round(track.width * frac)) if frac > 0 else 0
    pieces.append(Piece("bar.track", (filled, urgent), track,
                        lambda s: _draw_track(s, track, time_left, duration, urgent)))  # fmt: skip
    right = width - MARGIN
    for i, chip in enumerate(chips):
        box = _chip_box(text, chip, right, BAR_Y)
        draw = partial(_draw_chip, text=text, chip=chip, right=right, y=BAR_Y)
        pieces.append(Piece(("bar.chip", i), (chip, right), box, draw))
        right = box.x - 20
    return pieces


def is_detached() -> bool:
    """Whether a game drawing now draws inside :func:`detached` (its bar and line are
    collected, not drawn)."""
    return _detached.get() is not None


def top_bar_look(
    ctx: Screen, time_left: float, duration: float, finished: bool, chips: list[Chip]
) -> tuple:
    """What :func:`draw_top_bar` with the same arguments (and its layout's defaults)
    shows, as a value that changes whenever its picture does (the seconds shown, the bar's
    drained length in pixels, the chips, the colours): a game that keeps its top bar drawn
    redraws it only then."""
    width = ctx.size[0]
    track = pygame.Rect(MARGIN, 96, width - 2 * MARGIN, 8)  # (draw_top_bar's track_y)
    return (
        ctx.tr("title"),
        seconds_left(time_left),
        time_left <= URGENT_S and not finished,
        _track_fill(track, time_left, duration),
        tuple(chips),
        width,
        theme.high_contrast,
    )


def collecting() -> bool:
    """Whether the top bar and feedback line are being collected for the frame round the
    playfield (inside :func:`detached`) instead of drawn into it."""
    return _detached.get() is not None


def _draw_timer(
    surface: pygame.Surface,
    text: TextRenderer,
    tr: Callable[..., str],
    pill: pygame.Rect,
    time_left: float,
    urgent: bool,
) -> None:
    pygame.draw.rect(surface, theme.CARD, pill, border_radius=PILL_H // 2)
    if urgent:
        pygame.draw.rect(surface, theme.BAD, pill, width=4, border_radius=PILL_H // 2)
    draw_clock(surface, (pill.x + 44, pill.centery), 22, theme.BAD if urgent else theme.SUN)
    text.draw(
        surface,
        tr("time_left", seconds=seconds_left(time_left)),
        42,
        theme.TEXT,
        center=(pill.centerx + 22, pill.centery),
        weight="bold",
    )


def _track_fill(track: pygame.Rect, time_left: float, duration: float) -> int:
    """How many pixels of ``track`` the draining bar covers (0: none)."""
    frac = time_left / duration if duration else 0.0
    return max(track.height, round(track.width * frac)) if frac > 0 else 0


def _draw_track(
    surface: pygame.Surface, track: pygame.Rect, time_left: float, duration: float, urgent: bool
) -> None:
    """The bar that drains across the screen as the round's time runs out."""
    radius = track.height // 2
    pygame.draw.rect(surface, theme.CARD, track, border_radius=radius)
    fill = _track_fill(track, time_left, duration)
    if fill:
        bar = track.copy()
        bar.width = fill
        pygame.draw.rect(surface, theme.BAD if urgent else theme.GOOD, bar, border_radius=radius)


def _chip_width(text: TextRenderer, chip: Chip) -> int:
    return text.render(chip.label, 38, theme.TEXT, "bold").get_width() + chip.pad


def _chip_box(text: TextRenderer, chip: Chip, right: int, y: int) -> pygame.Rect:
    box = pygame.Rect(0, 0, _chip_width(text, chip), PILL_H)
    box.midright = (right, y)
    return box


def _draw_chip(
    surface: pygame.Surface, text: TextRenderer, chip: Chip, right: int, y: int
) -> pygame.Rect:
    """``chip`` as a pill whose right edge is at ``right``, centred on ``y``; its rect."""
    surf = text.render(chip.label, 38, theme.TEXT, "bold")
    box = _chip_box(text, chip, right, y)
    pygame.draw.rect(surface, theme.CARD, box, border_radius=PILL_H // 2)
    if chip.icon is not None:
        chip.icon(surface, box)
    surface.blit(surf, surf.get_rect(midleft=(box.x + chip.text_x, box.centery)))
    return box


# --------------------------------------------------------------------------- portrait frame


@dataclass
class BarState:
    """What a game's top bar showed in one frame."""

    time_left: float
    duration: float
    finished: bool
    chips: list[Chip]


@dataclass
class Detached:
    """The top bar and feedback line a game drew inside :func:`detached` (None: not drawn)."""

    bar: BarState | None = None
    feedback: Feedback | None = None


_detached: ContextVar[Detached | None] = ContextVar("gamebar_detached", default=None)


@contextmanager
def detached() -> Iterator[Detached]:
    """While a game draws inside this block, its top bar and feedback line are collected in
    the :class:`Detached` it yields instead of being drawn into its playfield."""
    parts = Detached()
    token = _detached.set(parts)
    try:
        yield parts
    finally:
        _detached.reset(token)


PORTRAIT_TITLE = 60
PORTRAIT_ROW = PILL_H + 10  # a second row of chips when they do not fit beside the timer
PORTRAIT_TITLE_H = 110  # the title's line; the pills start under it (146 - PILL_H / 2)


def draw_bar_above(
    surface: pygame.Surface,
    area: pygame.Rect,
    text: TextRenderer,
    tr: Callable[..., str],
    bar: BarState | None,
    title: bool = True,
) -> None:
    """The top bar at full size in ``area`` (the width of a portrait screen, above the
    playfield): the title centred on the first line (``title=False``: left as drawn
    before, above ``area.y + PORTRAIT_TITLE_H``), the timer pill left and the chips right
    on the next (chips that do not fit move to a row of their own), the draining bar along
    the bottom."""
    if title:
        name = tr("title")
        size = fit_size(text, name, PORTRAIT_TITLE, area.width - 2 * MARGIN, 36)
        text.draw(surface, name, size, theme.SUN, center=(area.centerx, area.y + 58), weight="bold")
    if bar is None:
        return
    urgent = bar.time_left <= URGENT_S and not bar.finished
    row_y = area.y + 146
    pill = pygame.Rect(area.x + MARGIN, row_y - PILL_H // 2, 280, PILL_H)
    _draw_timer(surface, text, tr, pill, bar.time_left, urgent)
    right = area.right - MARGIN
    for chip in bar.chips:
        if right - _chip_width(text, chip) < pill.right + 20:
            row_y, right = row_y + PORTRAIT_ROW, area.right - MARGIN
        box = _draw_chip(surface, text, chip, right, row_y)
        right = box.x - 20
    # Under the last row of pills, the bar drains across the whole width.
    track_y = min(row_y + PILL_H // 2 + 22, area.bottom - 12)
    track = pygame.Rect(area.x + MARGIN, track_y, area.width - 2 * MARGIN, 12)
    _draw_track(surface, track, bar.time_left, bar.duration, urgent)
