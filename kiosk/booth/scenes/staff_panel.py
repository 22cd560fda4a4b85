"""The staff panel: today's numbers, games on/off, pause, reset, sound, health, quit.

It opens over the current screen (a game in progress stays frozen underneath) and closes
itself after two quiet minutes. Every action goes through the staff desk (kiosk/booth/staff.py),
which audits it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from kiosk.booth.scenes.base import Scene
from kiosk.ui import theme
from kiosk.ui.frame import pick
from kiosk.ui.shapes import draw_speaker
from kiosk.ui.typeset import shorten
from kiosk.ui.widgets import Button

PANEL_TIMEOUT_S = 120.0
ROW_H = 96
TABLE_X = 80
STOCK_ROW, MAX_TIERS_SHOWN = 100, 3
STATUS_LINES, STATUS_GAP = 2, 38  # the speech status: wrapped, then shortened with "…"
TEXT_W = 930  # text inside the table card
PAD_X = 28  # at least this much button on each side of a label


@dataclass(frozen=True)
class StaffLayout:
    """Where the panel's parts go. The games table keeps its columns in both orientations
    (it is 1000 px wide); the controls sit right of it on a landscape screen, under it on a
    portrait one."""

    table_y: int  # the table card's header line; its rows follow
    right_x: int  # the controls column
    actions_y: int  # pause, reset
    volume_y: int
    sound_y: int  # mute, test speech
    stock_y: int
    quit_y: int
    top_right: int  # the language button ends here; Close sits right of it
    close: tuple[int, int, int, int]
    acknowledge: tuple[int, int, int, int] | None  # None: left of the language button
    kiosk_at: tuple[int, int]
    notice_at: tuple[int, int]
    warnings_at: tuple[int, int]

    @property
    def health_y(self) -> int:  # in the table card, under the games
        return self.table_y + 654

    @property
    def card_bottom(self) -> int:
        return self.table_y + 790


LANDSCAPE = StaffLayout(
    230,
    1100,
    200,
    320,
    440,
    560,
    960,
    1700,
    (1720, 40, 160, 100),
    None,
    (TABLE_X + 620, 70),
    (1100, 150),
    (TABLE_X, 150),
)
PORTRAIT = StaffLayout(
    310,
    160,
    1130,
    1240,
    1350,
    1460,
    1805,
    880,
    (900, 40, 160, 100),
    (600, 150, 460, 100),
    (TABLE_X, 150),
    (TABLE_X, 205),
    (TABLE_X, 250),
)


class StaffPanelLayer(Scene):
    name = "staff"
    idle = None

    def enter(self) -> None:
        self.layout = pick(self.host.size, LANDSCAPE, PORTRAIT)
        self.quiet = 0.0
        self.quit_armed = False
        self.notice = ""
        self.host.staff.refresh_readings()
        self.refresh()

    def refresh(self) -> None:
        """Re-read the numbers and rebuild the buttons (their labels show state)."""
        desk, tr, lay = self.host.staff, self.host.staff.tr, self.layout
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
        add((lay.top_right - lang_w, 40, lang_w, 100), label, self.act(desk.toggle_language))
        add(lay.close, tr("staff.close"), desk.close, fill=theme.BUTTON)
        enabled = desk.enabled_game_ids()
        for i, spec in enumerate(desk.all_games):
            on = spec.id in enabled
            add(
                (880, lay.table_y + 70 + i * ROW_H, 150, ROW_H - 12),
                tr("staff.game_on") if on else tr("staff.game_off"),
                self.act(lambda spec=spec, on=on: self.toggle_game(spec.id, not on)),
                fill=theme.BUTTON_ALT if on else theme.CORAL,
            )
        paused = desk.paused
        add(
            (lay.right_x, lay.actions_y, 360, 100),
            tr("staff.resume") if paused else tr("staff.pause"),
            self.act(desk.resume if paused else desk.pause),
            fill=theme.BUTTON,
        )
        add(
            (lay.right_x + 400, lay.actions_y, 360, 100),
            tr("staff.reset"),
            self.act(desk.reset),
            fill=theme.BUTTON,
        )
        add(
            (lay.right_x, lay.volume_y, 110, 100), "−", self.act(lambda: desk.volume(-0.1)), size=72
        )
        add(
            (lay.right_x + 650, lay.volume_y, 110, 100),
            "+",
            self.act(lambda: desk.volume(0.1)),
            size=72,
        )
        muted = desk.speech.muted
        add(  # the state at a glance: a crossed-out speaker on coral while muted
            (lay.right_x, lay.sound_y, 360, 100),
            tr("staff.unmute") if muted else tr("staff.mute"),
            self.act(desk.toggle_mute),
            fill=theme.CORAL if muted else theme.BUTTON_QUIET,
        )
        self.buttons[-1].icon = lambda s, r, c: draw_speaker(s, r, c, muted)
        add(
            (lay.right_x + 400, lay.sound_y, 360, 100),
            tr("staff.test_speech"),
            self.act(desk.test_speech),
        )
        for i, line in enumerate(self.stock):  # staff correct stock: a box damaged, a refill
            y = lay.stock_y + 44 + i * STOCK_ROW
            down = self.act(lambda t=line.tier: desk.adjust_stock(t, -1))
            up = self.act(lambda t=line.tier: desk.adjust_stock(t, +1))
            add((lay.right_x + 550, y, 100, 92), "−", down, size=64)
            add((lay.right_x + 660, y, 100, 92), "+", up, size=64)
        if self.warnings:
            add(
                lay.acknowledge or (1060, 40, lay.top_right - lang_w - 20 - 1060, 100),
                tr("staff.acknowledge"),
                self.act(desk.acknowledge),
                fill=theme.CORAL,
            )
        add(
            (lay.right_x, lay.quit_y, 760, 100),
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
        host, desk, text, lay = self.host, self.host.staff, self.host.text, self.layout
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
            topleft=lay.kiosk_at,
        )

        card = pygame.Rect(TABLE_X - 30, lay.table_y - 30, 1000, lay.card_bottom - lay.table_y + 30)
        pygame.draw.rect(surface, theme.CARD, card, border_radius=theme.RADIUS)
        text.draw(
            surface, tr("staff.today"), theme.SMALL, theme.SUN, topleft=(TABLE_X, lay.table_y)
        )
        text.draw(
            surface,
            tr("staff.completed"),
            theme.SMALL,
            theme.TEXT_MUTED,
            center=(620, lay.table_y + 18),
        )
        text.draw(
            surface,
            tr("staff.abandoned"),
            theme.SMALL,
            theme.TEXT_MUTED,
            center=(770, lay.table_y + 18),
        )
        text.draw(
            surface,
            tr("staff.games_today"),
            theme.SMALL,
            theme.TEXT_MUTED,
            center=(955, lay.table_y + 18),
        )
        for i, spec in enumerate(desk.all_games):
            y = lay.table_y + 70 + i * ROW_H + (ROW_H - 12) // 2
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
            center=(lay.right_x + 380, lay.volume_y + 50),
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
            text.draw(surface, line, theme.SMALL, colour, topleft=(TABLE_X, lay.health_y))
        status = tr("staff.speech_status", status=desk.speech.status)
        # The speech status (shortened; the log has it whole), then how frames reach the
        # screen (kiosk/booth/display.py), in the same lines of the card.
        parts = shorten(text, status, theme.SMALL, TEXT_W, STATUS_LINES - 1)
        screen = tr("staff.display", status=desk.display_status())
        fleet = desk.fleet_status()  # before the screen's status: the one staff act on
        screen = f"{fleet} · {screen}" if fleet else screen
        parts += shorten(text, screen, theme.SMALL, TEXT_W, 1)
        for i, part in enumerate(parts):
            y = lay.health_y + 42 + i * STATUS_GAP  # the log has the whole line
            text.draw(surface, part, theme.SMALL, theme.TEXT_MUTED, topleft=(TABLE_X, y))
        text.draw(
            surface, tr("staff.prizes"), theme.SMALL, theme.SUN, topleft=(lay.right_x, lay.stock_y)
        )
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
                topleft=(lay.right_x, lay.stock_y + 64 + i * STOCK_ROW),
            )
        if self.notice:
            text.draw(surface, self.notice, theme.SMALL, theme.BAD, topleft=lay.notice_at)
        if self.warnings:  # a database or clock problem stays in view until acknowledged
            (line,) = shorten(text, self.warnings, theme.SMALL, TEXT_W, 1)
            text.draw(surface, line, theme.SMALL, theme.BAD, topleft=lay.warnings_at)
        self.draw_buttons(surface)

    def autopilot_target(self, rng):
        return None
