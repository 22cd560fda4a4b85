"""The staff PIN pad, shown over whatever screen is running after the hidden gesture.

After too many wrong PINs the pad is locked for a while: its keys are drawn disabled (flat,
faded, deaf to touches) and the seconds left count down above them; Cancel still works.
"""

from __future__ import annotations

import pygame

from kiosk.booth.scenes.base import Scene
from kiosk.ui import theme
from kiosk.ui.frame import pick
from kiosk.ui.overlay import shade
from kiosk.ui.typeset import fit_size
from kiosk.ui.widgets import Button

PIN_TIMEOUT_S = 20.0  # an abandoned pad closes itself
MAX_DIGITS = 8
CARD = pygame.Rect(560, 40, 800, 1000)
# The card, then the keys' inset from its left, width, height and pitch (x, y): a portrait
# totem has the room for bigger keys.
LANDSCAPE = (CARD, (80, 190, 125, 220, 150))
PORTRAIT = (pygame.Rect(90, 300, 900, 1320), (60, 240, 170, 270, 200))


class PinPadLayer(Scene):
    name = "pinpad"
    idle = None

    def enter(self) -> None:
        self.digits = ""
        self.message = ""
        self.quiet = 0.0
        tr = self.host.staff.tr
        self.card, keys_at = pick(self.host.size, LANDSCAPE, PORTRAIT)
        inset, key_w, key_h, pitch_x, pitch_y = keys_at
        card = self.card
        left = card.x + inset
        keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "ok"]
        for i, key in enumerate(keys):
            row, col = divmod(i, 3)
            rect = pygame.Rect(left + col * pitch_x, card.y + 270 + row * pitch_y, key_w, key_h)
            if key == "clear":
                label, fill = tr("staff.clear"), theme.BUTTON_QUIET
            elif key == "ok":
                label, fill = tr("staff.ok"), theme.BUTTON_ALT
            else:
                label, fill = key, theme.BUTTON
            self.buttons.append(
                Button(rect, label, lambda key=key: self.press(key), fill=fill, size=56)
            )
        self.keys = list(self.buttons)  # locked out together; Cancel never is
        cancel = pygame.Rect(card.x + 80, card.bottom - 150, card.width - 160, 110)
        self.buttons.append(
            Button(cancel, tr("staff.cancel"), self.host.staff.close, fill=theme.BUTTON_QUIET)
        )

    def press(self, key: str) -> None:
        # Only pad presses keep it open: a game-player's stray touches must not, or a
        # visitor who held the corner by accident would face a pad that never goes away.
        self.quiet = 0.0
        if key == "clear":
            self.digits = ""
        elif key == "ok":
            pin, self.digits = self.digits, ""
            self.message = self.host.staff.pin_entered(pin)
        elif len(self.digits) < MAX_DIGITS:
            self.digits += key

    def update(self, dt: float) -> None:
        super().update(dt)
        self.quiet += dt
        open_ = not self.host.staff.pin_locked_for()
        for key in self.keys:
            key.enabled = open_
        if self.quiet >= PIN_TIMEOUT_S:
            self.host.staff.close()

    def draw(self, surface: pygame.Surface) -> None:
        tr, text, card = self.host.staff.tr, self.host.text, self.card
        surface.blit(shade(surface.get_size()), (0, 0))
        pygame.draw.rect(surface, theme.CARD, card, border_radius=theme.RADIUS)
        pygame.draw.rect(surface, theme.SUN, card, width=6, border_radius=theme.RADIUS)
        text.draw(
            surface,
            tr("staff.pin_title"),
            theme.HEADING,
            theme.SUN,
            center=(card.centerx, card.y + 70),
            weight="bold",
        )
        for i in range(len(self.digits)):  # one dot per digit; the digits never show
            x = card.centerx + (i - (len(self.digits) - 1) / 2) * 56
            pygame.draw.circle(surface, theme.TEXT, (round(x), card.y + 160), 18)
        locked = self.host.staff.pin_locked_for()
        if locked:  # the keys below are disabled: say for how long, large enough to read
            message = tr("staff.pin_locked", seconds=int(locked) + 1)
            text.draw(
                surface,
                message,
                fit_size(text, message, theme.BODY, card.width - 60, theme.SMALL),
                theme.BAD,
                center=(card.centerx, card.y + 215),
                weight="bold",
            )
        elif self.message:
            text.draw(
                surface, self.message, theme.SMALL, theme.BAD, center=(card.centerx, card.y + 225)
            )
        self.draw_buttons(surface)

    def autopilot_target(self, rng):
        return self.buttons[-1].rect.center  # a bot that opened the pad by chance cancels
