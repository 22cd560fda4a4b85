"""The staff panel: today's numbers, games on/off, pause, reset, sound, health, quit.

It opens over the current screen (a game in progress stays frozen underneath) and closes
itself after two quiet minutes. Every action goes through the staff desk (kiosk/booth/staff.py),
which audits it.
"""

from __future__ import annotations

import pygame

from kiosk.booth.scenes.base import Scene
from kiosk.ui import theme
from kiosk.ui.shapes import draw_speaker
from kiosk.ui.typeset import shorten
from kiosk.ui.widgets import Button

PANEL_TIMEOUT_S = 120.0
ROW_H = 96
TABLE_X, TABLE_Y = 80, 230
RIGHT_X = 1100
ACTIONS_Y, VOLUME_Y, SOUND_Y = 200, 320, 440
STOCK_Y, STOCK_ROW, MAX_TIERS_SHOWN = 560, 100, 3
HEALTH_Y = 884  # in the table card, under the games
STATUS_LINES, STATUS_GAP = 2, 38  # the speech status: wrapped, then shortened with "…"
CARD_BOTTOM = 1020
TEXT_W = 930  # text inside the table card
TOP_RIGHT = 1700  # the language button ends here; Close sits right of it
PAD_X = 28  # at least this much button on each side of a label
QUIT_Y = 960


class StaffPanelLayer(Scene):
    name = "staff"
    idle = None

    def enter(self) -> None:
        self.quiet = 0.0
        self.quit_armed = False
        self.notice = ""
        self.host.staff.refresh_readings()
        self.refresh()

    def refresh(self) -> None:
        """Re-read the numbers and rebuild the buttons (their labels show state)."""
        desk, tr = self.host.staff, self.host.staff.tr
        self.counts = desk.today_counts()
        self.health = desk.store_health()
        self.warnings = desk.store_warnings()
        self.stock = desk.prize_stock()[:MAX_TIERS_SHOWN]
        self.buttons = []

        def add(rect, label, action, fill=theme.BUTTON_QUIET, size=theme.BODY):
            self.buttons.append(
                Button(pygame.Rect(rect), label, action, fill=fill, text_color=theme.INK, size=size)
            )

        label = tr("staff.language")  # names the other language: "English" is long
        lang_w = max(140, self.host.text.font(theme.BODY, "bold").size(label)[0] + 2 * PAD_X)
        add((TOP_RIGHT - lang_w, 40, lang_w, 100), label, self.act(desk.toggle_language))
        add((1720, 40, 160, 100), tr("staff.close"), desk.close, fill=theme.BUTTON)
        enabled = desk.enabled_game_ids()
        for i, spec in enumerate(desk.all_games):
            on = spec.id in enabled
            add(
                (880, TABLE_Y + 70 + i * ROW_H, 150, ROW_H - 12),
                tr("staff.game_on") if on else tr("staff.game_off"),
                self.act(lambda spec=spec, on=on: self.toggle_game(spec.id, not on)),
                fill=theme.BUTTON_ALT if on else theme.CORAL,
            )
        paused = desk.paused
        add(
            (RIGHT_X, ACTIONS_Y, 360, 100),
            tr("staff.resume") if paused else tr("staff.pause"),
            self.act(desk.resume if paused else desk.pause),
            fill=theme.BUTTON,
        )
        add(
            (RIGHT_X + 400, ACTIONS_Y, 360, 100),
            tr("staff.reset"),
            self.act(desk.reset),
            fill=theme.BUTTON,
        )
        add((RIGHT_X, VOLUME_Y, 110, 100), "−", self.act(lambda: desk.volume(-0.1)), size=72)
        add(
            (RIGHT_X + 650, VOLUME_Y, 110, 100),
            "+",
            self.act(lambda: desk.volume(0.1)),
            size=72,
        )
        muted = desk.speech.muted
        add(  # the state at a glance: a crossed-out speaker on coral while muted
            (RIGHT_X, SOUND_Y, 360, 100),
            tr("staff.unmute") if muted else tr("staff.mute"),
            self.act(desk.toggle_mute),
            fill=theme.CORAL if muted else theme.BUTTON_QUIET,
        )
        self.buttons[-1].icon = lambda s, r, c: draw_speaker(s, r, c, muted)
        add(
            (RIGHT_X + 400, SOUND_Y, 360, 100),
            tr("staff.test_speech"),
            self.act(desk.test_speech),
        )
        for i, line in enumerate(self.stock):  # staff correct stock: a box damaged, a refill
            y = STOCK_Y + 44 + i * STOCK_ROW
            down = self.act(lambda t=line.tier: desk.adjust_stock(t, -1))
            up = self.act(lambda t=line.tier: desk.adjust_stock(t, +1))
            add((RIGHT_X + 550, y, 100, 92), "−", down, size=64)
            add((RIGHT_X + 660, y, 100, 92), "+", up, size=64)
        if self.warnings:
            add(
                (1060, 40, TOP_RIGHT - lang_w - 20 - 1060, 100),
                tr("staff.acknowledge"),
                self.act(desk.acknowledge),
                fill=theme.CORAL,
            )
        add(
            (RIGHT_X, QUIT_Y, 760, 100),
            tr("staff.quit_confirm") if self.quit_armed else tr("staff.quit"),
            self.quit,
            fill=theme.CORAL,
        )

    def act(self, action):
        def run() -> None:
            self.quit_armed = False
            self.notice = ""
            action()
            if self.host.staff.layer is self:  # still open (a reset closes it)
                self.host.staff.refresh_readings()
                self.refresh()

        return run

    def toggle_game(self, game_id: str, on: bool) -> None:
        if not self.host.staff.set_game(game_id, on):
            self.notice = self.host.staff.tr("staff.last_one_game")

    def quit(self) -> None:
        if self.quit_armed:
            self.host.staff.quit()
        else:
            self.quit_armed = True
            self.refresh()

    def handle(self, ev) -> None:
        self.quiet = 0.0
        super().handle(ev)

    def update(self, dt: float) -> None:
        super().update(dt)
        if self.host.staff.poll_readings():  # counts and health read by the writer thread
            self.refresh()
        self.quiet += dt
        if self.quiet >= PANEL_TIMEOUT_S:
            self.host.staff.close()

    def draw(self, surface: pygame.Surface) -> None:
        host, desk, text = self.host, self.host.staff, self.host.text
        tr = desk.tr
        surface.fill(theme.BACKGROUND)
        text.draw(
            surface, tr("staff.title"), theme.TITLE, theme.SUN, topleft=(TABLE_X, 40), weight="bold"
        )
        text.draw(
            surface,
            tr("staff.kiosk", kiosk=host.config.kiosk_id),
            theme.BODY,
            theme.TEXT,
            topleft=(TABLE_X + 620, 70),
        )

        card = pygame.Rect(TABLE_X - 30, TABLE_Y - 30, 1000, CARD_BOTTOM - TABLE_Y + 30)
        pygame.draw.rect(surface, theme.CARD, card, border_radius=theme.RADIUS)
        text.draw(surface, tr("staff.today"), theme.SMALL, theme.SUN, topleft=(TABLE_X, TABLE_Y))
        text.draw(
            surface,
            tr("staff.completed"),
            theme.SMALL,
            theme.TEXT_MUTED,
            center=(620, TABLE_Y + 18),
        )
        text.draw(
            surface,
            tr("staff.abandoned"),
            theme.SMALL,
            theme.TEXT_MUTED,
            center=(770, TABLE_Y + 18),
        )
        text.draw(
            surface,
            tr("staff.games_today"),
            theme.SMALL,
            theme.TEXT_MUTED,
            center=(955, TABLE_Y + 18),
        )
        for i, spec in enumerate(desk.all_games):
            y = TABLE_Y + 70 + i * ROW_H + (ROW_H - 12) // 2
            counts = self.counts.get(spec.id, {})
            text.draw(
                surface,
                tr.game(spec.id)("title"),
                theme.BODY,
                theme.TEXT,
                topleft=(TABLE_X, y - 28),
            )
            text.draw(
                surface,
                str(counts.get("completed", 0)),
                theme.BODY,
                theme.TEXT,
                center=(620, y),
                weight="bold",
            )
            text.draw(
                surface,
                str(counts.get("abandoned", 0)),
                theme.BODY,
                theme.TEXT,
                center=(770, y),
                weight="bold",
            )

        volume = round(desk.speech.volume * 100)
        text.draw(
            surface,
            tr("staff.volume", percent=volume),
            theme.BODY,
            theme.TEXT,
            center=(RIGHT_X + 380, VOLUME_Y + 50),
            weight="bold",
        )
        health = self.health  # None until the writer thread answers, a frame or two
        if health is not None:
            if health.get("ok"):
                line = tr("staff.db_ok", size=health["size_kb"], plays=health["plays"])
                colour = theme.GOOD
            else:
                line, colour = tr("staff.db_bad", detail=health.get("check", "?")), theme.BAD
            if health.get("free_mb") is not None:  # a full disk is the usual cause of trouble
                line = f"{line} · {tr('staff.disk_free', mb=health['free_mb'])}"
            text.draw(surface, line, theme.SMALL, colour, topleft=(TABLE_X, HEALTH_Y))
        status = tr("staff.speech_status", status=desk.speech.status)
        for i, part in enumerate(shorten(text, status, theme.SMALL, TEXT_W, STATUS_LINES)):
            y = HEALTH_Y + 42 + i * STATUS_GAP  # the log has the whole line
            text.draw(surface, part, theme.SMALL, theme.TEXT_MUTED, topleft=(TABLE_X, y))
        text.draw(surface, tr("staff.prizes"), theme.SMALL, theme.SUN, topleft=(RIGHT_X, STOCK_Y))
        for i, line in enumerate(self.stock):
            label = tr(
                "staff.prize_line",
                tier=tr(f"prize.{line.tier}"),
                left=line.remaining,
                given=line.awarded,
            )
            text.draw(
                surface,
                label,
                theme.BODY,
                theme.TEXT,
                topleft=(RIGHT_X, STOCK_Y + 64 + i * STOCK_ROW),
            )
        if self.notice:
            text.draw(surface, self.notice, theme.SMALL, theme.BAD, topleft=(RIGHT_X, 150))
        if self.warnings:  # a database or clock problem stays in view until acknowledged
            (line,) = shorten(text, self.warnings, theme.SMALL, TEXT_W, 1)
            text.draw(surface, line, theme.SMALL, theme.BAD, topleft=(TABLE_X, 150))
        self.draw_buttons(surface)

    def autopilot_target(self, rng):
        return None
