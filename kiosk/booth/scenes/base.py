"""A scene is one screen of the journey: enter, handle touches, update, draw.

Buttons fire when a finger lifts over the button it went down on (sliding off cancels), and
for a moment after a scene appears new touches are ignored, so a double tap on one screen
can never also press whatever the next screen shows under the same finger.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Literal

import pygame

from kiosk.input import PointerEvent
from kiosk.ui import theme
from kiosk.ui.access_bar import AccessBar, AccessKey
from kiosk.ui.decor import draw_backdrop
from kiosk.ui.frame import pick
from kiosk.ui.typeset import fit_size
from kiosk.ui.widgets import Button

if TYPE_CHECKING:
    from kiosk.booth.scenes.host import SceneHost

IdleKind = Literal["menu", "result", "play"] | None
INPUT_GUARD_S = 0.35


class Scene:
    name = "scene"
    idle: IdleKind = "menu"
    # Updated even while a staff layer covers it (the prize QR's countdown must never pause).
    clock_under_layer = False
    # Set by ``draw`` when the scene knows it: the canvas rectangles this draw may have
    # changed (outside them the canvas is as the scene's previous draw left it). Used only
    # when SceneHost.canvas_kept was true for the draw; then the presenter compares those
    # rectangles instead of the whole canvas. None (the kiosk sets it before each draw):
    # not known, every pixel is compared.
    damage: list[pygame.Rect] | None = None

    def __init__(self, host: SceneHost) -> None:
        self.host = host
        self.t = 0.0  # seconds since this scene appeared
        self.buttons: list[Button] = []
        self._pressed: dict[int, Button] = {}

    # -- lifecycle -------------------------------------------------------------------------
    def enter(self) -> None:
        """Build buttons and start speech; called once when the scene appears."""

    def exit(self) -> None:
        """Release anything the scene holds; called once when it is replaced."""

    def idle_limit(self) -> float | None:
        limits = self.host.config.idle
        return {"menu": limits.menu_s, "result": limits.result_s}.get(self.idle or "")

    def idle_frozen(self) -> bool:
        """True while the visitor is meant to watch, so quiet time does not count."""
        return False

    # -- input -----------------------------------------------------------------------------
    def handle(self, ev: PointerEvent) -> None:
        if ev.kind == "down":
            if self.t < INPUT_GUARD_S:
                return
            for button in self.buttons:
                if button.hit(ev.pos):
                    self._pressed[ev.pointer] = button
                    self.host.sfx.play("tap")
                    return
            self.on_background_tap(ev)
        elif ev.kind == "up":
            button = self._pressed.pop(ev.pointer, None)
            if button is not None and button.hit(ev.pos) and button in self.buttons:
                self._pressed.clear()  # one action per screen change; other fingers cancel
                button.action()

    def on_background_tap(self, ev: PointerEvent) -> None:
        """A touch that hit no button; most screens ignore it."""

    # -- access (kiosk/ui/access_bar.py) -----------------------------------------------------
    def speech_text(self) -> str:
        """What this screen says aloud, again on the access bar's "Again" ("" : nothing)."""
        return ""

    def speak_again(self) -> None:
        spoken = self.speech_text()
        if spoken:
            self.host.say(spoken)

    def add_access_bar(
        self,
        *,
        again: bool = True,
        large: bool = False,
        first: str | None = None,
        second: str | None = None,
    ) -> AccessBar:
        """The access keys, added to this screen's buttons; the scene then ``place``s the bar
        where its layout has room. ``again``: offer "Again" (a screen with its own replay
        button need not); ``large``: the big-text switch (language screen); ``first`` and
        ``second``: the languages to label the keys in, where that is not the visitor's (a
        visitor who came back to the language choice has one, but the screen shows both)."""
        host = self.host
        actions = {
            "stop": host.hush,
            "quieter": lambda: host.change_volume(-1),
            "louder": lambda: host.change_volume(+1),
        }
        if again:
            actions["again"] = self.speak_again
        if large:
            actions["large"] = lambda: host.choose(large_text=not host.large_text)
        self.access = AccessBar(
            host.tr_for(first) if first else host.tr,
            actions,
            lit=lambda: host.large_text,
            second=host.tr_for(second) if second else None,
        )
        self.buttons.extend(self.access.keys)
        return self.access

    # -- time and drawing ------------------------------------------------------------------
    def update(self, dt: float) -> None:
        self.t += dt

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(theme.BACKGROUND)
        self.draw_buttons(surface)

    def buttons_look(self) -> tuple:
        """Everything the buttons' picture depends on (which are pressed, their labels,
        colours and places, which access keys are lit): while it stays, they look the same."""
        pressed = frozenset(map(id, self._pressed.values()))
        buttons = tuple(
            (id(b), b.label, b.sublabel, b.size, b.enabled, b.fill, b.text_color, tuple(b.rect))
            for b in self.buttons
        )
        access = getattr(self, "access", None)
        lits = () if access is None else tuple(key.lit() for key in access.keys)
        return pressed, buttons, lits

    def draw_buttons(self, surface: pygame.Surface) -> None:
        pressed = set(map(id, self._pressed.values()))
        for button in self.buttons:
            button.draw(surface, self.host.text, pressed=id(button) in pressed)

    def draw_bilingual_notice(self, surface: pygame.Surface, section: str, title_size: int) -> None:
        """``<section>.title`` and ``.subtitle`` in Chinese above English, for screens shown
        to whoever walks up (paused, failsafe), not to one visitor in their language."""
        draw_backdrop(surface, self.t)
        text = self.host.text
        cx = surface.get_width() // 2
        top, step, width, body = pick(
            surface.get_size(), (330, 300, 1400, theme.BODY), (560, 560, 1000, 52)
        )
        for i, lang in enumerate(("zh-HK", "en")):
            tr = self.host.tr_for(lang)
            y = top + i * step
            title = tr(f"{section}.title")
            text.draw(
                surface,
                title,
                fit_size(text, title, title_size, width, 48),
                theme.SUN,
                center=(cx, y),
                weight="bold",
            )
            text.draw_block(
                surface,
                tr(f"{section}.subtitle"),
                body,
                theme.TEXT,
                midtop=(cx, y + 40 + title_size // 2),
                width=width,
            )

    # -- autoplay --------------------------------------------------------------------------
    def autopilot_target(self, rng: random.Random) -> tuple[float, float] | None:
        """Where a journey bot taps next on this screen (None: wait)."""
        journey = [b for b in self.buttons if not isinstance(b, AccessKey)]
        if not journey:
            return None
        return rng.choice(journey).rect.center
