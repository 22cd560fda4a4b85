"""Monkey test: seeded random storms of touches, multi-finger chaos, keys and staff-gesture
attempts over every screen and game. Nothing raises, nothing gets stuck, and the staff panel
never opens without the PIN."""

from __future__ import annotations

import logging
import random

import pygame

from kiosk.input import PointerEvent
from tests.journeykit import run_for

EVENTS = 100_000


class Monkey:
    """Random input shaped like a crowd: taps, drags, palms, corner holds, stray keys."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.down: dict[int, tuple[float, float]] = {}

    def events(self) -> list[PointerEvent]:
        rng = self.rng
        roll = rng.random()
        if roll < 0.02:  # a staff-gesture attempt: a finger resting in the corner
            return [PointerEvent("down", rng.uniform(0, 140), rng.uniform(0, 140), 99)]
        if roll < 0.04:
            return [PointerEvent("up", 50, 50, 99)]
        if roll < 0.10:  # a palm: many fingers at once
            return [
                PointerEvent("down", rng.uniform(0, 1919), rng.uniform(0, 1079), 10 + i)
                for i in range(rng.randint(3, 8))
            ]
        pointer = rng.randrange(5)
        if pointer in self.down and rng.random() < 0.5:
            x, y = self.down[pointer]
            x, y = (
                min(1919, max(0, x + rng.uniform(-80, 80))),
                min(1079, max(0, y + rng.uniform(-80, 80))),
            )
            if rng.random() < 0.4:
                del self.down[pointer]
                return [PointerEvent("up", x, y, pointer)]
            self.down[pointer] = (x, y)
            return [PointerEvent("move", x, y, pointer)]
        x, y = rng.uniform(0, 1919), rng.uniform(0, 1079)
        self.down[pointer] = (x, y)
        return [PointerEvent("down", x, y, pointer)]


def storm(app, monkey: Monkey, events: int, seen: set[str], caplog) -> None:
    for i in range(events):
        for ev in monkey.events():
            app.pointer(ev)
        if i % 997 == 0:  # stray keyboard: Escape never leaves kiosk mode
            pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_ESCAPE, mod=0))
        dt = 0.02 + (i % 7) * 0.01
        app.clock.advance(dt)
        app.frame(dt, draw=i % 100 == 0)
        seen.add(app.scene.name if app.scene.name != "play" else f"play:{app.visit.game.id}")
        if app.layer is not None:
            seen.add(app.layer.name)
        assert app.layer is None or app.layer.name == "pinpad", "staff panel without a PIN"
        assert app.scene.name != "failsafe", caplog.text[-2000:]


def settle(app, monkey: Monkey) -> None:
    """The crowd leaves: the kiosk must find its way back to attract within its limits."""
    for pointer in [*monkey.down, 99]:
        app.pointer(PointerEvent("up", 960, 540, pointer))
    monkey.down.clear()
    assert app.store.writer.drain(30)  # a prize code being saved, in real time
    limit = max(
        [app.config.idle.menu_s, app.config.idle.result_s] + [g.idle_limit_s for g in app.all_games]
    )
    run_for(app, 25 + limit + app.config.idle.countdown_s + 90, dt=0.1)
    assert app.scene.name == "attract" and app.visit is None and app.layer is None
    assert app.store.count("in_progress") == 0


def test_random_input_storms_never_break_or_unlock_the_kiosk(make_kiosk, caplog) -> None:
    caplog.set_level(logging.ERROR)
    app = make_kiosk(seed=3)
    monkey = Monkey(3)
    seen: set[str] = set()
    per_game = 5_000
    for spec in app.all_games:  # every game gets its own storm, mid-play
        app.advance("touched")  # settled on the attract screen
        app.advance("chosen", lang=monkey.rng.choice(app.config.languages))
        app.advance("chosen", game=spec)
        app.advance("start")
        storm(app, monkey, per_game, seen, caplog)
        settle(app, monkey)
    storm(app, monkey, EVENTS - per_game * len(app.all_games), seen, caplog)  # free roaming
    settle(app, monkey)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert {"attract", "language", "menu", "howto"} <= seen
    assert {f"play:{g.id}" for g in app.all_games} <= seen
    print(f"{EVENTS} events; screens seen: {sorted(seen)}")
