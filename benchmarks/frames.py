"""Frame time of every journey screen at 1920×1080 (``--portrait``: 1080×1920, a totem) under
SDL's dummy driver.

Prints p50 and p99 per screen next to a bare fill+flip of the same size measured in the same
run, so a slow machine shows up in the baseline rather than as a regression. Budget: p99 ≤
8 ms per screen. ``--json`` prints {"baseline": {...}, "screens": {name: {...}}}.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pygame
from _common import emit, percentile

from games.registry import discover
from kiosk.booth.app import Kiosk
from kiosk.booth.memory import tune_allocator
from kiosk.clock import SimClock
from kiosk.config import Config
from kiosk.i18n import Strings
from kiosk.input import PointerEvent
from kiosk.playlog.store import PlayStore
from kiosk.speech import Speech
from kiosk.ui.frame import LANDSCAPE, PORTRAIT

BUDGET_P99_MS = 8.0
BUDGET_START_MS = 300.0  # Start touch to the game's first frame
DT = 1 / 60


def measure(step, frames: int) -> dict[str, float]:
    times = []
    for _ in range(frames):
        t0 = time.perf_counter()
        step()
        pygame.display.flip()
        times.append((time.perf_counter() - t0) * 1000)
    return {"p50_ms": round(percentile(times, 0.5), 3), "p99_ms": round(percentile(times, 0.99), 3)}


def tap(app: Kiosk, pos: tuple[float, float]) -> None:
    for _ in range(30):  # past the new screen's input guard
        app.clock.advance(DT)
        app.frame(DT, draw=False)
    app.pointer(PointerEvent("down", *pos, 1))
    app.pointer(PointerEvent("up", *pos, 1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--frames", type=int, default=600)
    parser.add_argument("--portrait", action="store_true", help="a 1080×1920 totem's layouts")
    args = parser.parse_args()
    size = PORTRAIT if args.portrait else LANDSCAPE

    tune_allocator()  # as kiosk/booth/launcher.py does
    pygame.init()
    window = pygame.display.set_mode(size)
    baseline = measure(lambda: window.fill((14, 30, 58)), args.frames)

    tmp = Path(tempfile.mkdtemp())
    clock = SimClock()
    speech = Speech(tmp / "speech", muted=True)
    store = PlayStore(tmp / "bench.db", "BENCH")
    games = list(discover().values())
    app = Kiosk(
        config=Config(),
        strings=Strings(),
        store=store,
        speech=speech,
        games=games,
        clock=clock,
        wall=lambda: datetime.now(UTC) + timedelta(seconds=clock.now()),
        canvas=window,
        seed=1,
    )

    def frame() -> None:
        clock.advance(DT)
        app.frame(DT)

    screens: dict[str, dict[str, float]] = {}
    screens["attract"] = measure(frame, args.frames)
    tap(app, (960, 540))
    screens["language"] = measure(frame, args.frames)
    tap(app, app.scene.buttons[1].rect.center)  # Chinese: the heavier glyphs
    screens["menu"] = measure(frame, args.frames)
    tap(app, app.scene.buttons[0].rect.center)
    screens["howto"] = measure(frame, args.frames)
    starts: dict[str, float] = {}
    for spec in games:
        app.visit.game = spec
        app.journey.go("howto")
        t0 = time.perf_counter()  # the Start touch: game built, play row written, first frame
        app.advance("start")
        app.draw()
        pygame.display.flip()
        starts[spec.id] = round((time.perf_counter() - t0) * 1000, 1)
        bot = spec.bot(app.scene.game, random.Random(2), 0.8)

        def play_frame(bot=bot) -> None:
            for ev in bot.step(DT):
                app.pointer(app.scene.from_game(ev))  # the game's coordinates → the screen's
            frame()

        screens[f"play:{spec.id}"] = measure(play_frame, min(args.frames, 1800))
    app.journey.go("play")
    app.idle.quiet_s = app.scene.idle_limit() + 1  # "Still playing?" over a game
    app.update(0.0)
    screens["idle overlay"] = measure(app.draw, args.frames)
    app.pointer(PointerEvent("down", 400, 20, 1))  # "still here"
    app.pointer(PointerEvent("up", 400, 20, 1))
    app.scene.game.finished = True
    while app.scene.name == "play":  # through the game's outro
        frame()
    screens["result"] = measure(frame, args.frames)
    tap(app, app.scene.next.rect.center)
    screens["claim"] = measure(frame, args.frames)
    tap(app, app.scene.done.rect.center)
    screens["thanks"] = measure(frame, min(args.frames, 250))
    app.journey.go("failsafe")
    screens["failsafe"] = measure(frame, min(args.frames, 300))
    speech.shutdown()
    app.store.close()  # the kiosk's writer thread, then the store behind it

    worst = max(s["p99_ms"] for s in screens.values())
    data = {
        "baseline": baseline,
        "screens": screens,
        "game_start_ms": starts,
        "budget_p99_ms": BUDGET_P99_MS,
        "budget_start_ms": BUDGET_START_MS,
        "within_budget": worst <= BUDGET_P99_MS and max(starts.values()) <= BUDGET_START_MS,
    }
    rows = [("fill+flip baseline", baseline["p50_ms"], baseline["p99_ms"], "")]
    rows += [
        (name, s["p50_ms"], s["p99_ms"], "ok" if s["p99_ms"] <= BUDGET_P99_MS else "OVER")
        for name, s in screens.items()
    ]
    rows += [
        (f"start:{game} (ms)", ms, "", "ok" if ms <= BUDGET_START_MS else "OVER")
        for game, ms in starts.items()
    ]
    emit(
        data,
        rows,
        (f"screen ({size[0]}×{size[1]})", "p50 ms", "p99 ms", f"p99 ≤ {BUDGET_P99_MS} ms"),
        args.json,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
