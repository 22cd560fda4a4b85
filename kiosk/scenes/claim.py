"""Prize QR: a code the visitor scans with a phone and shows at the prize desk."""

from __future__ import annotations

import pygame

from kiosk.qr import qr_surface
from kiosk.scenes.base import Scene
from kiosk.ui import theme
from kiosk.ui.decor import draw_backdrop
from kiosk.ui.widgets import Button

QR_PX = 480  # ≥ 400 px at 1080p so phones read it from arm's length


class ClaimScene(Scene):
    name = "claim"
    idle = "result"

    def enter(self) -> None:
        tr = self.app.tr
        self.link, self.reference = self.app.claim_link()
        self.qr = qr_surface(self.link, QR_PX)
        self.done = Button(
            pygame.Rect(1340, 880, 480, 140), tr("claim.done"), self.app.to_thanks, size=56
        )
        self.buttons.append(self.done)
        self.app.say(tr("claim.spoken"))

    def draw(self, surface: pygame.Surface) -> None:
        draw_backdrop(surface, self.t, lights=False)
        tr, text = self.app.tr, self.app.text
        text.draw(
            surface, tr("claim.title"), theme.TITLE, theme.SUN, center=(960, 100), weight="bold"
        )
        qr_rect = self.qr.get_rect(center=(960, 470))
        pygame.draw.rect(surface, (255, 255, 255), qr_rect.inflate(24, 24), border_radius=16)
        surface.blit(self.qr, qr_rect)
        text.draw(
            surface,
            tr("claim.reference", ref=self.reference),
            theme.BODY,
            theme.TEXT,
            center=(960, qr_rect.bottom + 60),
            weight="bold",
        )
        text.draw(
            surface,
            tr("claim.hint"),
            theme.BODY,
            theme.TEXT_MUTED,
            center=(960, qr_rect.bottom + 120),
        )
        self.draw_buttons(surface)
