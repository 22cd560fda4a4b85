"""How to play: the game's instructions, spoken; who is playing (difficulty); Start."""

from __future__ import annotations

import pygame

from games.base import DIFFICULTIES
from kiosk.booth.scenes.base import Scene
from kiosk.ui import theme
from kiosk.ui.decor import draw_backdrop
from kiosk.ui.widgets import Button

PANEL = pygame.Rect(200, 190, 1520, 330)
HOWTO_SIZE = 46


class HowToScene(Scene):
    name = "howto"

    def enter(self) -> None:
        tr = self.host.tr
        spec = self.host.visit.game
        self.gtr = tr.game(spec.id)
        for i, level in enumerate(DIFFICULTIES):
            rect = pygame.Rect(300 + i * 460, 640, 400, 150)
            self.buttons.append(
                Button(
                    rect,
                    tr(f"difficulty.{level}"),
                    lambda level=level: self.host.choose(difficulty=level),
                    fill=theme.BUTTON_QUIET,
                    text_color=theme.INK,
                    sublabel=tr(f"difficulty.{level}_hint"),
                    size=48,
                )
            )
        self.buttons.append(
            Button(
                pygame.Rect(120, 880, 360, 120),
                tr("common.back"),
                lambda: self.host.advance("back"),
                fill=theme.BUTTON_QUIET,
                text_color=theme.INK,
            )
        )
        self.buttons.append(
            Button(
                pygame.Rect(560, 880, 420, 120),
                tr("howto.replay"),
                self.speak,
                fill=theme.BUTTON_QUIET,
                text_color=theme.INK,
            )
        )
        self.start = Button(
            pygame.Rect(1240, 860, 560, 160),
            tr("howto.start"),
            lambda: self.host.advance("start"),
            size=72,
        )
        self.buttons.append(self.start)
        self.add_access_bar(again=False).place((1900, 190), vertical=True, anchor="topright")
        self.howto_lines = len(
            self.host.text.wrap(self.gtr("howto"), HOWTO_SIZE, PANEL.width - 120)
        )
        self.speak()

    def speak(self) -> None:
        self.host.say(self.gtr("howto"))

    def speech_text(self) -> str:
        return self.gtr("howto")

    def draw(self, surface: pygame.Surface) -> None:
        draw_backdrop(surface, self.t)
        tr, text = self.host.tr, self.host.text
        text.draw(
            surface, self.gtr("title"), theme.TITLE, theme.SUN, center=(960, 110), weight="bold"
        )
        panel = PANEL
        pygame.draw.rect(surface, theme.CARD, panel, border_radius=theme.RADIUS)
        text.draw_block(
            surface,
            self.gtr("howto"),
            HOWTO_SIZE,
            theme.TEXT,
            midtop=(960, panel.centery - self.howto_lines * HOWTO_SIZE * 1.35 / 2),
            width=panel.width - 120,
        )
        text.draw(surface, tr("howto.level"), theme.BODY, theme.TEXT_MUTED, center=(960, 590))
        self.draw_buttons(surface)
        chosen = self.buttons[DIFFICULTIES.index(self.host.visit.difficulty)]
        pygame.draw.rect(
            surface, theme.SUN, chosen.rect.inflate(16, 16), width=8, border_radius=theme.RADIUS + 8
        )

    def autopilot_target(self, rng):
        if self.t < 1.0:  # a person listens a moment; also exercise the level buttons
            return self.buttons[rng.randrange(len(DIFFICULTIES))].rect.center
        return self.start.rect.center
