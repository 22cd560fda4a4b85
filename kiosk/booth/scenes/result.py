"""Result: the score out of 100, a word of praise, and what the visitor learnt."""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from kiosk.booth.scenes.base import Scene
from kiosk.ui import theme
from kiosk.ui.decor import draw_backdrop, draw_lights
from kiosk.ui.frame import pick
from kiosk.ui.lines import draw_centred
from kiosk.ui.widgets import Button

COUNT_UP_S = 1.2


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

    def enter(self) -> None:
        tr = self.host.tr
        self.result = self.host.visit.result
        self.lesson = tr.game(self.host.visit.game.id)(self.result.lesson_key)
        self.praise = tr(praise_key(self.result.score))
        self.layout = pick(self.host.size, LANDSCAPE, PORTRAIT)
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

    def draw(self, surface: pygame.Surface) -> None:
        draw_backdrop(surface, self.t)
        tr, text, lay = self.host.tr, self.host.text, self.layout
        cx = surface.get_width() // 2
        text.draw(
            surface, tr("result.title"), theme.HEADING, theme.TEXT_MUTED, center=(cx, lay.title_y)
        )
        shown = round(self.result.score * min(1.0, self.t / COUNT_UP_S))
        score_rect = text.draw(
            surface, str(shown), 240, theme.SUN, center=lay.score_centre, weight="bold"
        )
        text.draw(
            surface,
            tr("result.out_of"),
            theme.HEADING,
            theme.TEXT,
            topleft=(score_rect.right + 20, score_rect.centery - 10),
        )
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
        draw_lights(surface, self.t)  # last, and only on bare sky: never over the words
