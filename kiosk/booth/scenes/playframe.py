"""The play screen on a portrait totem: the game's 16:9 playfield across the screen's width,
with the frame round it at full size (title, timer and score above; the feedback line, the
game's instructions and a "Hear again" button below).

Games draw on their own 1920×1080 canvas and take touches in its coordinates, whatever the
screen; :class:`PlayFrame` says where that canvas sits on the screen and converts positions
both ways (a visitor's finger into the game, a game bot's finger onto the screen).
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field

import pygame

from games.base import Game
from games.kit import gamebar
from kiosk import DESIGN_SIZE
from kiosk.input import PointerEvent
from kiosk.ui import theme
from kiosk.ui.damage import Damage
from kiosk.ui.decor import draw_backdrop
from kiosk.ui.rescale import Rescaler
from kiosk.ui.slicing import Slicer
from kiosk.ui.text import TextRenderer
from kiosk.ui.widgets import Button

BAR = pygame.Rect(0, 0, 1080, 290)  # title, timer, chips, the draining bar
FEEDBACK_Y = 960  # the centre line of the feedback under the playfield
INSTRUCTIONS = pygame.Rect(40, 1030, 1000, 600)
HEAR_AGAIN = pygame.Rect(190, 1700, 700, 150)
HEAR_AGAIN_AREA = HEAR_AGAIN.union(HEAR_AGAIN.move(0, 8))  # the button and its shadow
INSTRUCTIONS_SIZE = 44


_faces: dict[tuple, pygame.Surface] = {}  # the last face drawn, by what it shows
_faces_lock = threading.Lock()
_playfield_damage = Damage()
_rescalers: dict[tuple[int, int], Rescaler] = {}  # by playfield size on screen
# The game's playfield (8 MB) and its scaled picture, kept for every round: fresh ones are
# mapped and faulted in page by page under the kiosk's allocator, ~6 ms of the frame a game
# starts in. ``draw_ahead`` makes them (and the damage and scaling buffers) ahead.
_kept: dict[tuple, pygame.Surface] = {}
# The round whose first picture the kept playfield, its scaled copy and the change
# detector hold (``draw_ahead``), while nothing else has drawn there since.
_drawn_ahead: tuple[weakref.ref[Game], pygame.Surface, tuple[int, int], float | None] | None = None
_ahead_lock = threading.Lock()


def _kept_surface(size: tuple[int, int], like: pygame.Surface) -> pygame.Surface:
    key = (tuple(size), like.get_masks())
    surface = _kept.get(key)
    if surface is None:
        if len(_kept) >= 2:  # another canvas format or size: the old ones are not used again
            _kept.clear()
        surface = _kept[key] = pygame.Surface(size, 0, like)
    return surface


def playfield_like(like: pygame.Surface) -> pygame.Surface:
    """The surface a portrait round's game draws on, in ``like``'s pixel format."""
    return _kept_surface(DESIGN_SIZE, like)


def hear_again_button(label: str, action: Callable[[], None] = lambda: None) -> Button:
    """The frame's "Hear again" button, under the instructions card."""
    return Button(HEAR_AGAIN.copy(), label, action, fill=theme.BUTTON_QUIET, text_color=theme.INK)


def draw_ahead(game: Game, screen: tuple[int, int], like: pygame.Surface, hear_again: str) -> None:
    """``game``'s first picture drawn on the kept playfield and scaled into the kept
    scaled picture, in the worker that builds the round while the how-to is read: the frame
    the game starts in then draws, compares and scales only what changed since (the game's
    first whole draw, the whole compare and the whole scale cost 4-6 ms of that frame).
    ``hear_again``: the label of the frame's button, also drawn once."""
    global _drawn_ahead
    with _ahead_lock:  # (a cancelled visitor's round may still be drawing: one at a time)
        _drawn_ahead = None  # (a round drawn ahead before: this one draws over it)
        frame = PlayFrame(screen)
        playfield = playfield_like(like)
        game.surface_kept = False
        with gamebar.detached() as parts:  # as the frame draws it: the bar outside
            game.draw(playfield)
        # The bar above the playfield once too, on a scratch piece, and the feedback line
        # under it made: their fonts (sizes fitted to their widths) opened and their words
        # rendered here, not in that frame.
        text = game.ctx.text
        gamebar.draw_bar_above(pygame.Surface(BAR.size, 0, like), BAR, text, game.ctx.tr, parts.bar)
        if parts.feedback is not None:
            frame.feedback_line().piece(text, parts.feedback)
        button = hear_again_button(hear_again)  # (the same: its label fitted and rendered)
        button.rect.topleft = (0, 0)
        button.draw(pygame.Surface(HEAR_AGAIN_AREA.size, 0, like), text)
        frame._damage.reset()  # a new round: the copy the first frame compares with is this
        frame._damage.changed(playfield)
        scaled = _kept_surface(frame.playfield.size, like)
        t0 = time.thread_time()
        frame._rescaler.update(playfield, scaled, [playfield.get_rect()])
        # What scaling costs, learnt as the first frame used to learn it (kiosk/ui/slicing.py)
        frame._slicer.learn(DESIGN_SIZE[0] * DESIGN_SIZE[1], (time.thread_time() - t0) * 1000)
        _drawn_ahead = (weakref.ref(game), playfield, tuple(screen), frame._slicer.ms_per_px)


def _face_key(screen: tuple[int, int], game_tr: Callable[..., str], heading: str) -> tuple:
    # Large text and high contrast change the theme's sizes and colours: part of the key.
    return (screen, heading, game_tr("howto"), theme.SMALL, theme.TEXT, theme.CARD, theme.SUN)


def face(
    screen: tuple[int, int], text: TextRenderer, game_tr: Callable[..., str], heading: str
) -> pygame.Surface:
    """The frame's still parts (backdrop, instructions card) for this round: the one drawn
    ahead (``prepare_face``, while the how-to is read) if it shows the same, else drawn now
    (the backdrop and the wrapped instructions cost about 15 ms: a frame of its own)."""
    key = _face_key(screen, game_tr, heading)
    with _faces_lock:
        ready = _faces.get(key)
    return ready if ready is not None else prepare_face(screen, text, game_tr, heading)


def prepare_face(
    screen: tuple[int, int], text: TextRenderer, game_tr: Callable[..., str], heading: str
) -> pygame.Surface:
    """Draw the still parts of a round's frame and keep them (only the latest: 8 MB)."""
    key = _face_key(screen, game_tr, heading)
    surface = pygame.Surface(screen)
    PlayFrame._draw_face(surface, text, game_tr, heading)
    with _faces_lock:
        _faces.clear()
        _faces[key] = surface
    return surface


@dataclass
class PlayFrame:
    """Where the playfield goes on a ``screen`` and how positions map in and out of it."""

    screen: tuple[int, int]
    playfield: pygame.Rect = field(init=False)
    scale: float = field(init=False)
    _face: pygame.Surface | None = field(default=None, init=False, repr=False)
    _drawn_on: pygame.Surface | None = field(default=None, init=False, repr=False)
    _feedback_shown: tuple[str, str] | None = field(default=None, init=False, repr=False)
    _scaled: pygame.Surface | None = field(default=None, init=False, repr=False)
    _damage: Damage = field(init=False, repr=False)
    _rescaler: Rescaler = field(init=False, repr=False)
    _slicer: Slicer = field(init=False, repr=False)
    # Set before the first ``draw``: the kept playfield holds the round's picture, the
    # scaled copy its scaling and the change detector its copy, drawn ahead
    # (``draw_ahead``); the first ``_scale`` goes on from them instead of starting anew.
    ahead: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        gw, gh = DESIGN_SIZE
        self.scale = self.screen[0] / gw
        self.playfield = pygame.Rect(0, BAR.bottom, self.screen[0], round(gh * self.scale))
        # One round at a time: its buffers (8 MB to compare, 4.7 MB halfway picture) serve
        # every round, not mapped anew in the frame a game starts.
        self._damage = _playfield_damage
        size = self.playfield.size
        if size not in _rescalers:
            _rescalers.clear()
            _rescalers[size] = Rescaler(DESIGN_SIZE, size)
        self._rescaler = _rescalers[size]
        self._slicer = Slicer(DESIGN_SIZE, self._rescaler.y.src_block)
        # Where the frame draws over its still parts: the bar under its title (redrawn every
        # frame: the timer drains) and the feedback line's band (when the line changes).
        self._bar_rows = pygame.Rect(0, gamebar.PORTRAIT_TITLE_H, self.screen[0], 0)
        self._bar_rows.height = self.playfield.y - self._bar_rows.y
        self._feedback_band = pygame.Rect(0, self.playfield.bottom, self.screen[0], 0)
        self._feedback_band.height = INSTRUCTIONS.top - self.playfield.bottom

    def take_ahead(self, game: Game, playfield: pygame.Surface) -> bool:
        """Before the first ``draw``: whether ``playfield`` holds ``game``'s picture drawn
        ahead for this screen (``draw_ahead``), scaled, and copied for the change detector;
        then the first draw goes on from them (``ahead``). Either way no later round may
        count on that picture."""
        global _drawn_ahead
        with _ahead_lock:
            drawn, _drawn_ahead = _drawn_ahead, None
        if drawn is not None:
            round_, on, screen, ms_per_px = drawn
            self.ahead = round_() is game and on is playfield and screen == tuple(self.screen)
            if self.ahead and self._slicer.ms_per_px is None:
                self._slicer.ms_per_px = ms_per_px
        return self.ahead

    def to_game(self, ev: PointerEvent) -> PointerEvent:
        """A screen position in game coordinates, clamped to the game's canvas (a finger
        that slides off the playfield mid-drag stays at its edge)."""
        gw, gh = DESIGN_SIZE
        x = (ev.x - self.playfield.x) / self.scale
        y = (ev.y - self.playfield.y) / self.scale
        return PointerEvent(
            ev.kind, min(max(x, 0.0), gw - 1.0), min(max(y, 0.0), gh - 1.0), ev.pointer
        )

    def to_screen(self, ev: PointerEvent) -> PointerEvent:
        """A game position on the screen (the inverse of :meth:`to_game`)."""
        return PointerEvent(
            ev.kind,
            self.playfield.x + ev.x * self.scale,
            self.playfield.y + ev.y * self.scale,
            ev.pointer,
        )

    def feedback_line(self) -> gamebar.FeedbackLine:
        return gamebar.FeedbackLine((self.screen[0] / 2, FEEDBACK_Y), self.screen[0] - 160, 44)

    def draw(
        self,
        surface: pygame.Surface,
        text: TextRenderer,
        game_tr: Callable[..., str],
        heading: str,
        playfield: pygame.Surface,
        parts: gamebar.Detached,
        feedback: gamebar.FeedbackLine,
        kept: bool = False,
        changed: list[pygame.Rect] | None = None,
        started: float | None = None,
    ) -> bool:
        """Everything but the buttons: the backdrop, the bar, the scaled playfield, the
        feedback line and the instructions card under ``heading``. Returns whether it was
        all drawn (else the buttons are as they were drawn last).

        ``kept``: ``surface`` still holds this frame's previous picture and nothing else
        (SceneHost.canvas_kept). Then only what may differ is drawn again: the bar under
        its title, the feedback line if it changed, and the pieces of the playfield that
        were scaled again (the still parts cost 0.4 ms a frame to copy, the whole scaled
        playfield 0.2 ms more). ``changed``: where the game said its draw changed the
        playfield (Scene.damage), None if it did not. ``started``: the frame's
        ``time.thread_time()`` at its start (SceneHost.frame_started): a big change of the
        playfield is scaled over a few frames when this one runs late (kiosk/ui/slicing.py)."""
        if self._face is None:  # what stays the same all round long, drawn once
            self._face = face(self.screen, text, game_tr, heading)
            if self._face.get_masks() != surface.get_masks():
                self._face = self._face.convert(surface)
        whole = not kept or self._drawn_on is not surface
        self._drawn_on = surface
        if whole:  # above and below the playfield: the scaled playfield covers the rest
            above = pygame.Rect(0, 0, self.screen[0], self.playfield.y)
            below = pygame.Rect(0, self.playfield.bottom, self.screen[0], self.screen[1])
            surface.blit(self._face, above, above)
            surface.blit(self._face, below, below)
        else:
            self.restore(surface, self._bar_rows)
        gamebar.draw_bar_above(surface, BAR, text, game_tr, parts.bar, title=whole)
        self._scale(playfield, surface.subsurface(self.playfield), whole, changed, started)
        fb = parts.feedback
        shown = None if fb is None else (fb.text, fb.tone)  # all a FeedbackLine shows
        if whole or shown != self._feedback_shown:
            if not whole:
                self.restore(surface, self._feedback_band)
            feedback.draw(surface, text, fb)
            self._feedback_shown = shown
        return whole

    def restore(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        """``area`` of ``surface`` back to the frame's still picture (after a ``draw``)."""
        assert self._face is not None
        surface.blit(self._face, area, area)

    def _scale(
        self,
        playfield: pygame.Surface,
        target: pygame.Surface,
        whole: bool = True,
        changed: list[pygame.Rect] | None = None,
        started: float | None = None,
    ) -> None:
        """``playfield`` smoothly scaled into ``target``. The scaled picture is kept; after
        the first frame only the parts of the playfield that changed are scaled again, an
        axis at a time (kiosk/ui/rescale.py: most of a game stands still, and a few small
        moving things cost a fraction of the whole picture's 2–3 ms). Unless ``whole``
        (``target`` holds the kept picture as it was), only those parts are copied into
        ``target``."""
        if self._scaled is None:
            self._scaled = _kept_surface(target.get_size(), target)
            if not self.ahead:  # a new kept picture: the first call scales it all
                self._damage.reset()
            whole = True
        pieces = self._damage.changed(playfield, changed)
        t0 = time.thread_time()
        pieces = self._slicer.take(pieces, None if started is None else (t0 - started) * 1000)
        written = self._rescaler.update(playfield, self._scaled, pieces)
        self._slicer.learn(sum(a.w * a.h for a in pieces), (time.thread_time() - t0) * 1000)
        if whole:
            target.blit(self._scaled, (0, 0))
            return
        for area in written:
            target.blit(self._scaled, area, area)

    @staticmethod
    def _draw_face(
        surface: pygame.Surface, text: TextRenderer, game_tr: Callable[..., str], heading: str
    ) -> None:
        """The backdrop and the instructions card."""
        draw_backdrop(surface)
        pygame.draw.rect(surface, theme.CARD, INSTRUCTIONS, border_radius=theme.RADIUS)
        text.draw(
            surface,
            heading,
            theme.SMALL,
            theme.SUN,
            midtop=(INSTRUCTIONS.centerx, INSTRUCTIONS.y + 30),
        )
        howto, width = game_tr("howto"), INSTRUCTIONS.width - 80
        lines = len(text.wrap(howto, INSTRUCTIONS_SIZE, width))
        top = INSTRUCTIONS.centery + 20 - lines * INSTRUCTIONS_SIZE * 1.35 / 2
        text.draw_block(
            surface,
            howto,
            INSTRUCTIONS_SIZE,
            theme.TEXT,
            midtop=(INSTRUCTIONS.centerx, top),
            width=width,
        )
