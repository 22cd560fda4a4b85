"""Command line → a running kiosk. ``launch.py`` calls :func:`main`."""

from __future__ import annotations

import argparse
import logging
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.booth.memory import tune_allocator
from kiosk.booth.stopsignals import StopSignals
from kiosk.config import Config, ConfigError
from kiosk.logsetup import setup_logging

if TYPE_CHECKING:
    from kiosk.clock import Clock
    from kiosk.playlog.api import PlayLog
    from kiosk.sync.heartbeat import Heartbeat
    from kiosk.sync.pusher import Pusher

log = logging.getLogger("kiosk")
FAST_DRAW_EVERY = 10  # with --fast, draw one simulated frame in ten
FAST_DT = 1 / 30
ALREADY_RUNNING_EXIT = 4  # another kiosk has this database: say so once, start nothing


def window_size(value: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in value.lower().split("x"))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected WxH such as 1280x720, got {value!r}") from exc
    return (w, h)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="launch.py", description="Run the Smartizen Park kiosk.")
    p.add_argument(
        "--config", type=Path, help="kiosk.toml to read (default: ./kiosk.toml if present)"
    )
    p.add_argument("--db", type=Path, help="participation database (overrides the config)")
    p.add_argument(
        "--windowed",
        nargs="?",
        const=(1280, 720),
        type=window_size,
        metavar="WxH",
        help="run in a window (default 1280x720); Escape and closing the window quit",
    )
    p.add_argument("--headless", action="store_true", help="no window: SDL's dummy video and audio")
    p.add_argument(
        "--autoplay",
        type=int,
        metavar="N",
        help="bots play N complete journeys, then exit printing a summary",
    )
    p.add_argument("--seed", type=int, help="random seed, for repeatable runs")
    p.add_argument(
        "--fast", action="store_true", help="simulated clock: run as fast as the CPU allows"
    )
    p.add_argument(
        "--screenshots", type=Path, metavar="DIR", help="save a PNG of each screen as it is entered"
    )
    p.add_argument("--mute", action="store_true", help="no speech (overrides the config)")
    return p.parse_args(argv)


def load_config(args: argparse.Namespace) -> Config:
    path = args.config
    if path is None and (Path.cwd() / "kiosk.toml").exists():
        path = Path.cwd() / "kiosk.toml"
    config = Config.load(path)
    if args.db:
        config.database = str(args.db)
    if args.mute:
        config.audio.muted = True
    return config


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    setup_logging(None)
    try:
        config = load_config(args)
    except ConfigError as exc:
        print(f"smartizen kiosk: {exc}", file=sys.stderr)
        return 2
    setup_logging(Path(config.log_dir))
    stop = StopSignals()
    stop.install()  # before SDL starts, so SDL leaves SIGTERM and SIGINT to us
    tune_allocator()  # before SDL allocates its first surfaces
    if args.headless:
        os.environ["SDL_VIDEODRIVER"] = "dummy"
        os.environ["SDL_AUDIODRIVER"] = "dummy"
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

    from kiosk.booth import preflight
    from kiosk.clock import RealClock, SimClock

    t0 = time.perf_counter()
    trouble = preflight.problems(config)
    if trouble:  # a booth that would look ready and then fail every visitor: refuse now
        print(f"smartizen kiosk: {'; '.join(trouble)}", file=sys.stderr)
        return 2
    clock = SimClock(dt=FAST_DT) if args.fast else RealClock(config.fps)
    started = datetime.now(UTC)
    if args.fast:

        def wall() -> datetime:
            return started + timedelta(seconds=clock.now())
    else:

        def wall() -> datetime:
            return datetime.now(UTC)

    # The play log first, before any window: a second kiosk on this database stops here,
    # having touched nothing.
    store = open_store(config, wall)
    if isinstance(store, int):
        return store
    from kiosk.booth.fleetsync import start_sync

    sync = start_sync(config, wall)  # None: an island, as before
    try:
        return serve(args, config, store, clock, wall, started, t0, stop, sync)
    finally:
        if sync is not None:
            sync.stop()  # what it had not pushed stays in the outbox for the next start
        store.close()  # saves (or counts in the log) writes still waiting, drops the lock
        if stop:
            log.info(
                "stopped %.2f s after %s: play log closed, speech stopped",
                stop.seconds_since(),
                stop.received,
            )


def serve(
    args: argparse.Namespace,
    config: Config,
    store: PlayLog,
    clock: Clock,
    wall: Callable[[], datetime],
    started: datetime,
    t0: float,
    stop: StopSignals,
    sync: Pusher | None = None,
) -> int:
    """Open the display, build the kiosk on ``store`` and run it to its exit code."""
    # Imported here so --help, config errors and a second kiosk answer without SDL.
    import pygame

    from games.registry import discover, enabled
    from kiosk.booth.app import Kiosk, run
    from kiosk.booth.display import Display, NoDisplayError
    from kiosk.booth.watchdog import SystemdNotifier
    from kiosk.i18n import Strings
    from kiosk.input import PointerTranslator
    from kiosk.pin import DEFAULT_PIN, pin_matches
    from kiosk.speech import Speech

    try:
        display = Display(
            windowed=args.windowed, headless=args.headless, orientation=config.orientation
        )
    except NoDisplayError as exc:
        print(f"smartizen kiosk: {exc}", file=sys.stderr)
        return 2
    games = enabled(discover(), config.games)
    if not games:
        print("smartizen kiosk: no games enabled; check `games` in kiosk.toml", file=sys.stderr)
        return 2

    strings = Strings()
    if pin_matches(DEFAULT_PIN, config.staff.pin_hash):
        log.warning(
            "the staff PIN is the default %s: set [staff] pin_hash in kiosk.toml "
            "(smartizen staff hash-pin)",
            DEFAULT_PIN,
        )
    speech = Speech(
        Path(config.audio.speech_cache)
        if Path(config.audio.speech_cache).is_absolute()
        else Path.cwd() / config.audio.speech_cache,
        volume=config.audio.volume,
        muted=config.audio.muted,
        rate=config.audio.speech_rate,
    )
    for spec in games:
        for lang in config.languages:
            speech.prepare(lang, strings.get(lang, f"game.{spec.id}.howto"))

    app = Kiosk(
        config=config,
        strings=strings,
        store=store,
        speech=speech,
        games=games,
        clock=clock,
        wall=wall,
        canvas=display.canvas,
        seed=args.seed,
        screenshots=args.screenshots,
    )
    app.display_status = display.describe  # the staff panel shows how frames reach the screen
    app.fleet_sync = sync  # and the fleet backlog
    heartbeat: Heartbeat | None = None
    if sync is not None:  # the status out, the fleet's settings and count in
        from kiosk.booth.fleetsync import start_heartbeat

        app.remote.backlog = lambda: sync.backlog
        app.remote.quarantined = lambda: sync.quarantined
        app.remote.tick()  # a first snapshot for the first beat
        heartbeat = start_heartbeat(config, sync, app.remote.status, wall)
        app.remote.attach(heartbeat)
    try:
        app.prizes  # noqa: B018 - load the event key now, so key problems show at start-up
    except Exception:
        log.exception("prize codes unavailable; visitors will be sent to the prize desk")
    if args.autoplay:
        from kiosk.booth.autopilot import AutoPilot

        app.autopilot = AutoPilot(app, random.Random(None if args.seed is None else args.seed + 1))
        app.stop_after = args.autoplay
    log.info(
        "kiosk %s ready in %.2f s with %d games; database %s",
        config.kiosk_id,
        time.perf_counter() - t0,
        len(games),
        config.database,
    )

    kiosk_mode = args.windowed is None and not args.headless
    notifier = SystemdNotifier()
    app.collector.start()  # what start-up built is never scanned again
    try:
        run(
            app,
            display,
            PointerTranslator(display.letterbox),
            kiosk_mode,
            draw_every=FAST_DRAW_EVERY if args.fast else 1,
            notifier=notifier,
            stop=stop,
        )
    finally:
        notifier.stopping()
        if heartbeat is not None:
            heartbeat.stop()  # never waits for the network: a request in flight times out
        app.drop_visit("abandoned")  # a play in progress is logged, not left for the next start
        speech.shutdown()
        pygame.quit()
    if args.autoplay:
        print(
            autoplay_summary(
                store,
                started,
                args.autoplay,
                time.perf_counter() - t0,
                clock.now() if args.fast else None,
                app.longest_frame_s,
            )
        )
    failures = app.journey.failures
    if failures.total:  # each cause's traceback was logged once; here is the whole count
        log.info("%d screen failures this run, %d causes", failures.total, len(failures.counts))
    return app.exit_code


def open_store(config: Config, wall: Callable[[], datetime]) -> PlayLog | int:
    """The booth's play log, with this run's leftovers closed; or the exit code, the reason
    printed in one line, when it cannot be had: another kiosk holds this database (or an
    unforeseen failure, logged in full). Every other database problem (damaged, locked,
    missing folder, writes that no longer apply) leaves a store that buffers and a staff
    notice, so the booth serves instead of restarting into the same failure."""
    from kiosk.playlog.instance import AlreadyRunning
    from kiosk.playlog.queued import QueuedLog
    from kiosk.playlog.resilient import ResilientStore
    from kiosk.playlog.writer import Writer

    try:
        # The writer thread, not a visitor, waits out a lock (below); a short wait lets it
        # turn to urgent prize work sooner, and what the lock refuses is buffered, replayed.
        store = ResilientStore(config.database, config.kiosk_id, now=wall, busy_timeout_s=0.25)
    except AlreadyRunning as exc:
        print(f"smartizen kiosk: {exc}", file=sys.stderr)
        return ALREADY_RUNNING_EXIT
    except Exception as exc:
        log.exception("cannot open the play log %s", config.database)
        print(f"smartizen kiosk: cannot open the play log {config.database}: {exc}",
              file=sys.stderr)  # fmt: skip
        return 2
    try:
        stale = store.close_stale(wall())
    except Exception as exc:
        log.warning("could not close plays left unfinished by the last run (%s)", exc)
        stale = 0
    if stale:
        log.warning("closed %d plays left unfinished by the last run as abandoned", stale)
    # From here on only the writer thread touches the database (kiosk/playlog/writer.py).
    return QueuedLog(Writer(store))


def autoplay_summary(
    store,
    since: datetime,
    journeys: int,
    wall_s: float,
    simulated_s: float | None,
    longest_frame_s: float = 0.0,
) -> str:
    from kiosk.playlog.store import utc_iso

    try:
        rows = [r for r in store.plays() if r["started_at"] >= utc_iso(since)]
    except Exception as exc:  # no database (buffering): the summary says so, no traceback
        return f"autoplay: {journeys} journeys in {wall_s:.1f} s; plays unreadable ({exc})"
    outcomes = Counter(r["outcome"] for r in rows)
    scores = [r["score"] for r in rows if r["score"] is not None]
    mean = sum(scores) / len(scores) if scores else 0.0
    langs = " ".join(f"{k}×{v}" for k, v in sorted(Counter(r["language"] for r in rows).items()))
    games = " ".join(f"{k}×{v}" for k, v in sorted(Counter(r["game"] for r in rows).items()))
    sim = f", {simulated_s / 60:.1f} simulated min" if simulated_s is not None else ""
    return (
        f"autoplay: {journeys} journeys in {wall_s:.1f} s{sim}; plays "
        f"{outcomes.get('completed', 0)} completed, {outcomes.get('abandoned', 0)} abandoned, "
        f"{outcomes.get('error', 0)} error; mean score {mean:.0f}; languages {langs}; "
        f"games {games}; longest frame {longest_frame_s * 1000:.0f} ms"
    )


if __name__ == "__main__":
    sys.exit(main())
