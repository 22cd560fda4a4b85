"""Soak: a simulated carnival day of autoplayed journeys in one process.

Runs the real kiosk (real store, speech, every game) on a simulated clock until N journeys
are complete (default 700, more than a 12-hour day at one booth), drawing one frame in ten.
Prints resident memory sampled every 100 frames: the peak during the first 50 journeys
(warm-up: every game played, caches filled) against the peak after it (budget: growth
< 10 MB), the level at the end, and the p99 time of the drawn frames (budget 8 ms, as in
benchmarks/frames.py). ``--trace FILE`` writes every sample as CSV: screen, game, the text and
sound caches, and glibc's heap (in use / free but kept / mapped on its own), which is how the
fonts' glyph caches and the heap fragmentation behind earlier peaks were found.

Every frame (drawn or not) is timed in CPU time of the frame thread (``time.thread_time``,
which other load on the machine does not inflate), presented through the real present path
(kiosk/booth/display.py). Budget: no frame over 16.7 ms (one 60 Hz frame), transitions
included; the slow ones are listed with the screens they happened between. Rounds built
ahead during the how-to (kiosk/booth/pregame.py) are counted, and so are Starts that had to
wait for one. The soak runs far faster than real time, but not while a worker works (a
round built ahead, a face drawn ahead): a visitor gives it real seconds.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import _common  # before the kiosk: it hides pygame's banner, picks the dummy driver

from games.registry import discover
from kiosk import background
from kiosk.booth.app import Kiosk
from kiosk.booth.autopilot import AutoPilot
from kiosk.booth.display import Display
from kiosk.booth.memory import malloc_stats, tune_allocator
from kiosk.clock import SimClock
from kiosk.config import Config
from kiosk.i18n import Strings
from kiosk.playlog.resilient import ResilientStore
from kiosk.speech import Speech

WARM_UP = 50
BUDGET_GROWTH_MB = 10.0
BUDGET_P99_MS = 4.0  # CPU, as benchmarks/frames.py
BUDGET_FRAME_MS = 16.7
DT = 1 / 30
DRAW_EVERY = 10


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _where(app: Kiosk, before: str) -> str:
    """Where a slow frame happened: the screen (or the change of screen), the game and how
    far into the round."""
    here = app.scene.name if before == app.scene.name else f"{before} → {app.scene.name}"
    game = getattr(app.scene, "game", None)
    if game is not None:
        here += f" {app.visit.game.id} at {game.elapsed:.1f} s"
    return here


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--journeys", type=int, default=700)
    parser.add_argument(
        "--trace", type=Path, help="write every memory sample (scene, game, caches) to this CSV"
    )
    args = parser.parse_args()

    tune_allocator()  # as kiosk/booth/launcher.py does
    display = Display(headless=True)
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
        canvas=display.canvas,
        seed=1,
    )
    app.autopilot = AutoPilot(app, random.Random(2))
    app.collector.start()  # as kiosk/booth/launcher.py does before its loop

    frame_ms: list[float] = []  # drawn frames, CPU
    slow: Counter[str] = Counter()  # frames over budget, by "screen before → after"
    game_max: dict[str, float] = {}  # each game's dearest frame mid-round (not its first)
    warm_peak = peak_rss = end_of_warm_up = 0.0
    frames = 0
    first_ms = 0.0
    trace = csv.writer(args.trace.open("w", newline="")) if args.trace else None
    if trace:
        trace.writerow(["frame", "journeys", "scene", "game", "rss_mb", "text_cache_mb",
                        "sound_cache_mb", "heap_used_mb", "heap_free_mb", "mmap_mb"])  # fmt: skip
    t0 = time.perf_counter()
    paced: tuple[float, float] | None = None  # since a worker started: simulated, real
    while app.journeys_completed < args.journeys:
        frames += 1
        if background.running():
            # A worker (a round built ahead, a face drawn ahead…) works in real time, and a
            # visitor gives it real seconds: while one works, the simulated clock may not
            # run ahead of real time, or the soak would show frames no booth would.
            paced = paced or (clock.now(), time.perf_counter())
            ahead = (clock.now() - paced[0]) - (time.perf_counter() - paced[1])
            if ahead > 0:
                time.sleep(min(ahead, 0.05))
        else:
            paced = None
        dt = clock.tick()
        draw = frames % DRAW_EVERY == 0
        before = app.scene.name
        f0 = app.frame_started = time.thread_time()  # as run() does
        if app.frame(dt, draw=draw):
            display.present(app.take_damage(), f0)
        ms = (time.thread_time() - f0) * 1000
        if draw:
            frame_ms.append(ms)
        if before == app.scene.name == "play" and app.visit.game is not None:
            gid = app.visit.game.id
            game_max[gid] = max(game_max.get(gid, 0.0), ms)
        if frames <= DRAW_EVERY:  # up to the first drawn frame: start-up (fonts, backdrop)
            first_ms = max(first_ms, ms)
        elif ms > BUDGET_FRAME_MS:
            slow[_where(app, before)] += 1
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
    p99 = _common.percentile(frame_ms, 0.99)
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
        "frames": frames,
        "first_frame_cpu_ms": round(first_ms, 1),
        "frame_cpu_p50_ms": round(_common.percentile(frame_ms, 0.5), 3),
        "frame_cpu_p99_ms": round(p99, 3),
        "frames_over_16_7_ms_cpu": sum(slow.values()),
        "slow_frames_at": dict(slow.most_common(8)),
        "game_max_frame_cpu_ms": {k: round(v, 1) for k, v in sorted(game_max.items())},
        # Full collections of Python's collector, all made on attract (kiosk/booth/collector.py)
        "gc_full_collections": app.collector.collections,
        "gc_last_full_ms": round(app.collector.last_ms, 1),
        "rounds_built_ahead": app.pregame.built,
        "starts_that_waited_for_the_round": app.pregame.waited,
        "within_budget": growth < BUDGET_GROWTH_MB and p99 <= BUDGET_P99_MS and not slow,
    }
    _common.emit(data, [(k, v) for k, v in data.items()], ("measure", "value"), args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
