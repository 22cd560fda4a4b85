"""Result: the score out of 100, a word of praise, and what the visitor learnt."""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from kiosk.booth.scenes import claim
from kiosk.booth.scenes.base import Scene
from kiosk.ui import theme
from kiosk.ui.decor import LitScreen, draw_backdrop
from kiosk.ui.frame import pick
from kiosk.ui.lines import draw_centred
from kiosk.ui.widgets import Button

COUNT_UP_S = 1.2
PREPARE_AFTER_S = 0.2  # the screen's own first frames come first


@dataclass(frozen=True)
class ResultLayout:
    title_y: int
    score_centre: tuple[int, int]
    praise_y: int
    panel: pygame.Rect  # what the visitor learnt
    next: pygame.Rect
    access: tuple[tuple[int, int], bool, str] = ((1900, 150), True, "topright")  # the bar
    praise_size: int = 52
    lesson_size: int = 42


LANDSCAPE = ResultLayout(
    110, (900, 300), 490, pygame.Rect(260, 580, 1400, 240), pygame.Rect(1260, 870, 560, 150)
)
PORTRAIT = ResultLayout(
    220,
    (480, 520),
    790,
    pygame.Rect(60, 940, 960, 420),
    pygame.Rect(60, 1700, 960, 170),
    access=((540, 1420), False, "midtop"),
    praise_size=60,
    lesson_size=50,
)


def praise_key(score: int) -> str:
    if score >= 80:
        return "result.praise_high"
    if score >= 50:
        return "result.praise_mid"
    return "result.praise_low"


class ResultScene(Scene):
    name = "result"
    idle = "result"

    def __init__(self, host) -> None:
        super().__init__(host)
        self.lit = LitScreen()
        self._score_rows = pygame.Rect(0, 0, 0, 0)  # (set by paint)

    def enter(self) -> None:
        tr = self.host.tr
        self.result = self.host.visit.result
        self.lesson = tr.game(self.host.visit.game.id)(self.result.lesson_key)
        self.praise = tr(praise_key(self.result.score))
        self.layout = pick(self.host.size, LANDSCAPE, PORTRAIT)
        self.claim_ahead = False  # the claim screen's text is being rendered ahead
        self.next = Button(
            self.layout.next.copy(),
            tr("result.next"),
            lambda: self.host.advance("next"),
            size=56,
        )
        self.buttons.append(self.next)
        corner, vertical, anchor = self.layout.access
        self.add_access_bar().place(corner, vertical=vertical, anchor=anchor)
        self.host.say(tr("result.spoken", score=self.result.score, praise=self.praise))

    def speech_text(self) -> str:
        """The score and praise, then the lesson."""
        spoken = self.host.tr("result.spoken", score=self.result.score, praise=self.praise)
        return f"{spoken} {self.lesson}"

    def update(self, dt: float) -> None:
        super().update(dt)
        if self.t >= PREPARE_AFTER_S and not self.claim_ahead:  # the claim's first frame
            self.claim_ahead = True
            claim.render_ahead(self.host.text, self.host.tr, self.host.size)

    def draw(self, surface: pygame.Surface) -> None:
        # Only what moves is drawn again: the score counting up and the lights (LitScreen).
        self.damage = self.lit.draw(
            surface, self.t, self.host.canvas_kept, self.look(surface), self.paint, self.moving
        )

    def look(self, surface: pygame.Surface) -> tuple:
        """Everything the still picture depends on (not the score counting up, the lights)."""
        host = self.host
        palette = (theme.high_contrast, theme.TEXT, theme.SUN, theme.CARD, theme.SMALL)
        return (surface.get_size(), host.text, host.text.large, host.tr.lang, host.tr.strings,
                palette, self.buttons_look(), self.praise, self.lesson)  # fmt: skip

    def _shown(self) -> int:
        return round(self.result.score * min(1.0, self.t / COUNT_UP_S))

    def moving(self) -> list[tuple[pygame.Rect, int]]:
        """The rows of the score and its "out of 100", as it counts up."""
        return [(self._score_rows, self._shown())]

    def paint(self, surface: pygame.Surface) -> None:
        """The whole screen but the lights (kept, and redrawn clipped where things move)."""
        draw_backdrop(surface, self.t)
        tr, text, lay = self.host.tr, self.host.text, self.layout
        cx = surface.get_width() // 2
        text.draw(
            surface, tr("result.title"), theme.HEADING, theme.TEXT_MUTED, center=(cx, lay.title_y)
        )
        score_rect = text.draw(
            surface, str(self._shown()), 240, theme.SUN, center=lay.score_centre, weight="bold"
        )
        out_of = text.draw(
            surface,
            tr("result.out_of"),
            theme.HEADING,
            theme.TEXT,
            topleft=(score_rect.right + 20, score_rect.centery - 10),
        )
        # Whatever the number shown, these rows hold it (its width moves "out of" sideways).
        rows = score_rect.union(out_of)
        self._score_rows = pygame.Rect(0, rows.y, surface.get_width(), rows.h)
        room = surface.get_width() - 80
        draw_centred(
            surface,
            text,
            self.praise,
            lay.praise_size,
            theme.TEXT,
            (cx, lay.praise_y),
            room,
            "bold",
        )
        panel = lay.panel
        pygame.draw.rect(surface, theme.CARD, panel, border_radius=theme.RADIUS)
        text.draw(surface, tr("result.learnt"), theme.SMALL, theme.SUN, midtop=(cx, panel.y + 24))
        text.draw_block(
            surface,
            self.lesson,
            lay.lesson_size,
            theme.TEXT,
            midtop=(cx, panel.y + 80),
            width=panel.width - 100,
        )
        self.draw_buttons(surface)
