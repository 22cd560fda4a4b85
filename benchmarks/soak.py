"""Soak: a simulated carnival day of autoplayed journeys in one process.

Runs the real kiosk (real store, speech, every game) on a simulated clock until N journeys
are complete (default 700, more than a 12-hour day at one booth), drawing one frame in ten.
Prints resident memory sampled every 100 frames: the peak during the first 50 journeys
(warm-up: every game played, caches filled) against the peak after it (budget: growth
< 10 MB), the level at the end, and the p99 time of the drawn frames (budget 8 ms, as in
benchmarks/frames.py). ``--trace FILE`` writes every sample as CSV: screen, game, the text and
sound caches, and glibc's heap (in use / free but kept / mapped on its own), which is how the
fonts' glyph caches and the heap fragmentation behind earlier peaks were found.
"""

from __future__ import annotations

import argparse
import csv
import os
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
from kiosk.booth.autopilot import AutoPilot
from kiosk.booth.memory import malloc_stats, tune_allocator
from kiosk.clock import SimClock
from kiosk.config import Config
from kiosk.i18n import Strings
from kiosk.playlog.resilient import ResilientStore
from kiosk.speech import Speech

WARM_UP = 50
BUDGET_GROWTH_MB = 10.0
BUDGET_P99_MS = 8.0
DT = 1 / 30
DRAW_EVERY = 10


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--journeys", type=int, default=700)
    parser.add_argument(
        "--trace", type=Path, help="write every memory sample (scene, game, caches) to this CSV"
    )
    args = parser.parse_args()

    tune_allocator()  # as kiosk/booth/launcher.py does
    pygame.init()
    window = pygame.display.set_mode((1920, 1080))
    tmp = Path(tempfile.mkdtemp())
    clock = SimClock(dt=DT)
    start = datetime.now(UTC)

    def wall() -> datetime:
        return start + timedelta(seconds=clock.now())

    speech = Speech(tmp / "speech")
    store = ResilientStore(tmp / "soak.db", "SOAK", now=wall)
    app = Kiosk(
        config=Config(),
        strings=Strings(),
        store=store,
        speech=speech,
        games=list(discover().values()),
        clock=clock,
        wall=wall,
        canvas=window,
        seed=1,
    )
    app.autopilot = AutoPilot(app, random.Random(2))

    frame_ms: list[float] = []
    warm_peak = peak_rss = end_of_warm_up = 0.0
    frames = 0
    trace = csv.writer(args.trace.open("w", newline="")) if args.trace else None
    if trace:
        trace.writerow(["frame", "journeys", "scene", "game", "rss_mb", "text_cache_mb",
                        "sound_cache_mb", "heap_used_mb", "heap_free_mb", "mmap_mb"])  # fmt: skip
    t0 = time.perf_counter()
    while app.journeys_completed < args.journeys:
        frames += 1
        dt = clock.tick()
        draw = frames % DRAW_EVERY == 0
        f0 = time.perf_counter()
        app.frame(dt, draw=draw)
        if draw:
            pygame.display.flip()
            frame_ms.append((time.perf_counter() - f0) * 1000)
        if frames % 100 == 0:  # sampled often enough to catch the peaks inside a game
            rss = rss_mb()
            if app.journeys_completed < WARM_UP:
                warm_peak = max(warm_peak, rss)
                end_of_warm_up = rss
            else:
                peak_rss = max(peak_rss, rss)
            if trace:
                game = app.visit.game.id if app.visit and app.visit.game else ""
                mb = [app.text.cached_bytes / 2**20, speech.loaded_sound_bytes / 2**20]
                mb += malloc_stats().values()
                trace.writerow(
                    [frames, app.journeys_completed, app.scene.name, game, round(rss, 2)]
                    + [round(v, 2) for v in mb]
                )
    wall_s = time.perf_counter() - t0
    speech.shutdown()
    plays = app.store.count()  # asked of the kiosk's writer thread, after its writes
    app.store.close()

    growth = peak_rss - warm_peak  # peak after warm-up against the peak during it
    final_rss = rss_mb()
    p99 = percentile(frame_ms, 0.99)
    data = {
        "journeys": args.journeys,
        "plays": plays,
        "simulated_hours": round(clock.now() / 3600, 1),
        "wall_s": round(wall_s, 1),
        "rss_end_of_warm_up_mb": round(end_of_warm_up, 1),
        "rss_peak_during_warm_up_mb": round(warm_peak, 1),
        "rss_peak_after_warm_up_mb": round(peak_rss, 1),
        "rss_at_end_mb": round(final_rss, 1),
        "growth_mb": round(growth, 2),
        "frame_p50_ms": round(percentile(frame_ms, 0.5), 3),
        "frame_p99_ms": round(p99, 3),
        "within_budget": growth < BUDGET_GROWTH_MB and p99 <= BUDGET_P99_MS,
    }
    emit(data, [(k, v) for k, v in data.items()], ("measure", "value"), args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
