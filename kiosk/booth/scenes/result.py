"""Result: the score out of 100, a word of praise, and what the visitor learnt."""

from __future__ import annotations

import pygame

from kiosk.booth.scenes.base import Scene
from kiosk.ui import theme
from kiosk.ui.decor import draw_backdrop, draw_lights
from kiosk.ui.widgets import Button

COUNT_UP_S = 1.2


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
        self.next = Button(
            pygame.Rect(1260, 870, 560, 150),
            tr("result.next"),
            lambda: self.host.advance("next"),
            size=56,
        )
        self.buttons.append(self.next)
        self.add_access_bar().place((1900, 150), vertical=True, anchor="topright")
        self.host.say(tr("result.spoken", score=self.result.score, praise=self.praise))

    def speech_text(self) -> str:
        """The score and praise, then the lesson."""
        spoken = self.host.tr("result.spoken", score=self.result.score, praise=self.praise)
        return f"{spoken} {self.lesson}"

    def draw(self, surface: pygame.Surface) -> None:
        draw_backdrop(surface, self.t)
        tr, text = self.host.tr, self.host.text
        text.draw(surface, tr("result.title"), theme.HEADING, theme.TEXT_MUTED, center=(960, 110))
        shown = round(self.result.score * min(1.0, self.t / COUNT_UP_S))
        score_rect = text.draw(
            surface, str(shown), 240, theme.SUN, center=(900, 300), weight="bold"
        )
        text.draw(
            surface,
            tr("result.out_of"),
            theme.HEADING,
            theme.TEXT,
            topleft=(score_rect.right + 20, score_rect.centery - 10),
        )
        text.draw(surface, self.praise, 52, theme.TEXT, center=(960, 490), weight="bold")
        panel = pygame.Rect(260, 580, 1400, 240)
        pygame.draw.rect(surface, theme.CARD, panel, border_radius=theme.RADIUS)
        text.draw(surface, tr("result.learnt"), theme.SMALL, theme.SUN, midtop=(960, panel.y + 24))
        text.draw_block(
            surface,
            self.lesson,
            42,
            theme.TEXT,
            midtop=(960, panel.y + 80),
            width=panel.width - 100,
        )
        self.draw_buttons(surface)
        draw_lights(surface, self.t)  # last, and only on bare sky: never over the words
