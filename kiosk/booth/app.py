"""The kiosk: one visitor journey after another, driven by pointer events and time.

``Kiosk`` runs the frame (pointer → update → draw), holds the current visit and watches for
idleness. The journey (kiosk/booth/journey.py) decides which screen follows which and sends
any exception to the failsafe screen; the staff desk (kiosk/booth/staff.py) serves the PIN
pad and the staff panel. Scenes see the Kiosk only as a ``SceneHost``
(kiosk/booth/scenes/host.py). ``run`` is the main loop.
"""

from __future__ import annotations

import copy
import functools
import logging
import math
import random
import time
from collections.abc import Callable
from concurrent.futures import Future
from datetime import datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

import pygame

from games.base import Game, GameContext, GameResult, GameSpec
from kiosk import DESIGN_SIZE
from kiosk.background import Lane
from kiosk.booth import textwarm
from kiosk.booth.autopilot import AutoPilot
from kiosk.booth.collector import Collector
from kiosk.booth.dbsafe import db_safe
from kiosk.booth.idle import IdleWatch
from kiosk.booth.journey import Journey
from kiosk.booth.pregame import GamePrep
from kiosk.booth.remote import HeartbeatLink, Remote
from kiosk.booth.scenes import Scene, howto, language, menu
from kiosk.booth.scenes.playframe import draw_ahead, prepare_face
from kiosk.booth.screenshots import Screenshots
from kiosk.booth.sfx import Sfx
from kiosk.booth.staff import STAFF_QUIT_EXIT, FleetSync, StaffDesk
from kiosk.booth.stopsignals import StopSignals
from kiosk.booth.visit import Visit
from kiosk.booth.watchdog import SystemdNotifier
from kiosk.clock import Clock, ClockProblem, WallClockWatch
from kiosk.config import Config
from kiosk.i18n import GAMES_DIR, Strings, Tr, load_toml
from kiosk.input import PointerEvent, PointerTranslator
from kiosk.playlog.api import PlayLog
from kiosk.playlog.queued import QueuedLog
from kiosk.playlog.writer import Writer
from kiosk.prizes.awards import Award, Prizes
from kiosk.speech import Speech
from kiosk.ui import decor, theme
from kiosk.ui.damage import Redrawn
from kiosk.ui.frame import is_portrait
from kiosk.ui.overlay import IdleOverlay
from kiosk.ui.text import TextRenderer

__all__ = ["STAFF_QUIT_EXIT", "Kiosk", "run"]
log = logging.getLogger(__name__)
_fonts_ahead = Lane("fonts-ahead", "opening the fonts a visit uses")
_faces_going = Lane("faces-let-go", "letting go of the faces of the screens before a game")


def wait_for_faces_let_go(timeout_s: float = 30.0) -> None:
    """Block until the faces a game's start lets go of are gone: for tests, and before
    pygame quits."""
    _faces_going.wait(timeout_s)


MAX_DAMAGE = 64  # reported rectangles kept between presents, beyond that: not known
VOLUME_STEP = 0.2  # one press of the access bar's Quieter / Louder
VOLUME_MIN = 0.2  # Quieter never silences: a visitor could not find the voice again
START_WAIT_S = 0.5  # Start waits at most this long (kiosk clock) for the round built ahead
OVERLAY_WARM_S = 2.0  # "Still playing?" renders its lines this long before it asks


class Kiosk:
    def __init__(
        self,
        *,
        config: Config,
        strings: Strings,
        store: PlayLog,
        speech: Speech,
        games: list[GameSpec],
        clock: Clock,
        wall: Callable[[], datetime],
        canvas: pygame.Surface | None = None,
        seed: int | None = None,
        screenshots: Path | None = None,
        heartbeat: HeartbeatLink | None = None,
    ) -> None:
        self.config = config
        self.strings = strings
        # Every database call goes through the writer thread; the frame loop only queues.
        # A plain store is put behind a writer of the kiosk's own: close it through
        # ``kiosk.store.close()`` then, never directly (its thread may still be using it).
        self.store = store if isinstance(store, QueuedLog) else QueuedLog(Writer(store))
        self.speech = speech
        self.all_games = games
        self.clock = clock
        self.wall = wall
        self.canvas = canvas or pygame.Surface(DESIGN_SIZE)
        self.size = self.canvas.get_size()  # 1920×1080, or 1080×1920 on a portrait totem
        self.rng = random.Random(seed)
        self.text = TextRenderer()
        self.sfx = Sfx(config.audio.volume)
        self.volume_default = config.audio.volume  # each visit starts at it; the fleet sets it
        self.idle = IdleWatch(config.idle.countdown_s)
        self.overlay = IdleOverlay()
        self._asking = False
        # The scene whose last frame the canvas holds with nothing drawn over it since (see
        # SceneHost.canvas_kept), with that canvas.
        self._kept_by: tuple[Scene, pygame.Surface] | None = None
        self._drawn_scene: Scene | None = None  # the scene drawn last, by identity
        self.canvas_kept = False
        # What the draws since the last present changed, as scenes reported it (None: not
        # known). The presenter takes it (take_damage) to compare only there.
        self._damage: list[pygame.Rect] | None = None
        self.shots = Screenshots(screenshots)
        self.visit: Visit | None = None
        self.staff = StaffDesk(self)
        self.autopilot: AutoPilot | None = None
        self.running = True
        self.exit_code = 0
        self.pregame = GamePrep()
        textwarm.warm_screens(strings)  # the journey's paragraphs, broken into lines ahead
        self._start_by: float | None = None  # while Start waits for the round built ahead
        self.display_status: Callable[[], str] = lambda: "headless"  # the launcher sets it
        self.fleet_sync: FleetSync | None = None  # the launcher's sync thread, with [fleet]
        self.journeys_completed = 0
        self.stop_after: int | None = None  # with --autoplay: journeys before exiting
        self.longest_frame_s = 0.0  # wall time of the slowest loop pass (the fault benchmark)
        self.collector = Collector()  # started by the launcher once start-up is done
        self.frame_started: float | None = None  # SceneHost.frame_started, set by run()
        self._content: dict[str, dict[str, Any]] = {}
        self.clock_watch = WallClockWatch(wall, clock.now)
        self.clock_jumps: list[ClockProblem] = []  # for the staff panel, until acknowledged
        self.check_clock()
        self.journey = Journey(self)
        self.remote = Remote(self, heartbeat)  # the fleet's settings and the booth's status
        self.show_access_mode()
        self.journey.go("attract")

    # -- what scenes see (SceneHost) ---------------------------------------------------------
    @property
    def tr(self) -> Tr:
        return Tr(self.strings, self.visit.lang if self.visit else self.config.languages[0])

    def tr_for(self, lang: str) -> Tr:
        return Tr(self.strings, lang)

    def say(self, text: str, lang: str | None = None) -> None:
        self.speech.say(lang or self.tr.lang, text)

    def hush(self) -> None:
        self.speech.stop()

    def change_volume(self, step: int) -> None:
        level = round(self.speech.volume + step * VOLUME_STEP, 2)
        self.set_output_volume(min(1.0, max(VOLUME_MIN, level)))

    def set_output_volume(self, level: float) -> None:
        """Speech and sound effects at ``level`` (0–1)."""
        self.speech.set_volume(level)
        self.sfx.set_volume(level)

    @property
    def large_text(self) -> bool:
        return self.visit is not None and self.visit.large_text

    def show_access_mode(self) -> None:
        """Large text and high contrast while this visitor wants them, else the usual look."""
        on = self.large_text
        theme.use_high_contrast(on)
        self.text.large = on

    @property
    def scene(self) -> Scene:
        return self.journey.scene

    @property
    def asking(self) -> bool:
        """Is the "Still playing?" countdown on screen?"""
        return self._asking

    @asking.setter
    def asking(self, value: bool) -> None:
        if value and not self._asking:
            self.overlay.reset()  # it starts asking: a new picture over the frozen screen
        self._asking = value

    @property
    def layer(self) -> Scene | None:
        """The PIN pad or the staff panel, drawn over the scene (None most of the time)."""
        return self.journey.layer

    @property
    def games(self) -> list[GameSpec]:
        return self.staff.menu()

    def advance(self, outcome: str, **choice: Any) -> None:
        self._start_by = None
        self.journey.advance(outcome, **choice)

    def start_when_ready(self) -> None:
        if self.scene.name == "howto" and self._wait_for_round():
            return
        self.advance("start")
        if self.scene.name == "play":
            # Nothing before the game can come back in this visit (kiosk/booth/journey.py):
            # their kept faces go now, not when the booth is at rest again (24 MB at 1080p),
            # in a worker: freeing them cost the start's frame about 1 ms.
            _faces_going.start(self.let_go_of_faces)

    def _wait_for_round(self) -> bool:
        """Start was touched: is the round still being built ahead? Then the how-to stays up
        a frame or a few, at most START_WAIT_S, so the game's first frame never builds it
        (a build takes 5–40 ms of CPU: two frames or more). The bound is on the kiosk's
        clock, as every other wait of the journey is: in a booth that is real time; a test
        or benchmark driving a simulated clock at thousands of frames a second would
        otherwise leave the visitor minutes on the how-to, idle, while a real thread builds
        (past the bound, Start takes the round and waits for the rest of its build)."""
        if self._start_by is None:
            self.prepare_game()  # touched before the how-to asked for the round
            if not self.pregame.pending(self._round_key()):
                return False
            self._start_by = self.clock.now() + START_WAIT_S
        return self.pregame.pending(self._round_key()) and self.clock.now() < self._start_by

    def choose(self, **choice: Any) -> None:
        self.journey.choose(**choice)
        self.show_access_mode()

    # -- the visit ---------------------------------------------------------------------------
    def start_visit(self) -> None:
        self.visit = Visit(seed=self.rng.randrange(2**31))
        # The fonts let go at rest, opened again while the visitor chooses (the last
        # visit's: the same screens and sizes, mostly).
        _fonts_ahead.start(self.text.open_ahead, self.text.visit_fonts, if_idle=True)
        db_safe("start a visit", self.store.start_visit, self.visit.id, self.wall())
        # Staff's and the last visitor's volume, large text and contrast last one visit only.
        self.set_output_volume(self.volume_default)
        self.show_access_mode()

    def visit_reached(self, stage: str, value: str = "", at: datetime | None = None) -> None:
        """The visitor reached ``stage`` (kiosk/playlog/schema.py ``VISIT_STAGES``): queued
        for the visit's row, never written on the frame loop."""
        if self.visit is None:
            return
        when = at or self.wall()
        db_safe("record a visit's", self.store.update_visit, self.visit.id, stage, when, value)

    def qr_shown(self) -> None:
        self.visit_reached("qr")

    def played_today(self) -> int | None:
        """Citizens who played today, for the attract screen: the fleet's count, or this
        booth's own when the centre is out of reach (kiosk/booth/remote.py; cached)."""
        return self.remote.played_today()

    def _round_key(self) -> tuple:
        visit = self.visit
        return (visit.game.id, visit.lang, visit.seed, visit.difficulty)

    def _round(self) -> Callable[[], Game]:
        """A function making the visit's round as it stands (game, language, seed, level).
        The choices are taken now, on the frame thread; the content file is read (the first
        time) and copied by whoever calls the function, the worker when built ahead."""
        visit, spec = self.visit, self.visit.game
        lang, seed, difficulty, tr = visit.lang, visit.seed, visit.difficulty, self.tr.game(spec.id)
        # A portrait totem's play frame round the game: its still parts drawn ahead too.
        portrait = self.size if is_portrait(self.size) else None
        heading = self.tr("howto.title")

        def build() -> Game:
            if portrait is not None:
                prepare_face(portrait, self.text, tr, heading)
            ctx = GameContext(
                size=DESIGN_SIZE,
                lang=lang,
                seed=seed,
                difficulty=difficulty,
                tr=tr,
                text=self.text,
                content=self.game_content(spec.id),
            )
            return spec.factory(ctx)

        return build

    def prepare_game(self) -> None:
        """Build the visit's round ahead, in a worker, while the how-to is read
        (kiosk/booth/pregame.py); a changed level starts again."""
        if self.visit is None or self.visit.game is None:
            return
        key = self._round_key()
        if self.pregame.wants(key):
            game_id, lang = self.visit.game.id, self.visit.lang

            def texts() -> None:  # after the build, which has read the game's content
                content = self._content.get(game_id, {})
                textwarm.warm(textwarm.round_texts(self.strings, game_id, lang, content))

            draw = None
            if is_portrait(self.size):  # the first picture on the playfield, and scaled
                draw = functools.partial(
                    draw_ahead,
                    screen=self.size,
                    like=self.canvas,
                    hear_again=self.tr("howto.replay"),
                )
            # what a game draws on; then every text it may wrap, broken into lines ahead
            self.pregame.prepare(
                key, self._round(), DESIGN_SIZE, then=texts, draw=draw, like=self.canvas
            )

    def new_game(self) -> Game:
        visit = self.visit
        game = self.pregame.take(self._round_key()) or self._round()()
        started = self.wall()
        visit.play_id = db_safe(
            "start", self.store.start_play, visit.game.id, visit.lang, visit.difficulty, started
        )
        visit.play_started, visit.play_started_mono = started, self.clock.now()
        self.visit_reached("started", visit.play_id or "", started)
        return game

    def finish_game(self, result: GameResult) -> None:
        """The round is over: commit it now; the result screen follows after the outro."""
        self.visit.result = result
        self.close_play("completed", result)

    @cached_property
    def prizes(self) -> Prizes:
        """Tiers, stock and signed claim codes (kiosk/prizes/awards.py). Built at start-up by
        the launcher (else on the first claim): loads the event key, or makes a development
        key on a fresh machine (logged), the prize state file and the stock ledger."""
        return Prizes.from_config(self.config, self.store, now=self.wall)

    def claim_prize(self) -> Future[Award] | None:
        """This visit's prize for the claim screen, awarded once per completed play: a
        future the screen polls (it completes once the award is saved, in milliseconds).

        ``None``, or a future that fails, when no code can be issued (key trouble, no serial
        reserved: logged, and the screen sends the visitor to the prize desk).
        """
        visit = self.visit
        if visit is None or visit.play_ref is None or visit.result is None:
            return None
        play_id, lang = visit.play_ref, visit.lang
        if self.clock_watch.unset:  # a code would be dated 2000 and cannot be made: say why
            log.warning(
                "no prize code for play %s: the kiosk's clock is not set (see the clock "
                "line at start-up); the visitor is sent to the prize desk",
                play_id,
            )
            return None
        score = visit.result.score
        future = db_safe(
            "award a prize for", lambda: self.prizes.award(play_id, lang, score, self.wall())
        )
        if future is None:
            _no_code(play_id)
            return None
        future.add_done_callback(lambda f: f.exception() is not None and _no_code(play_id))
        return future

    def close_play(self, outcome: str, result: GameResult | None = None) -> None:
        """Log the visit's open play, if any, as ``outcome``."""
        if self.visit is None or self.visit.play_id is None:
            return
        play_id, self.visit.play_id = self.visit.play_id, None
        self.visit.play_ref = play_id
        score = result.score if result else None
        details = dict(result.details, lesson=result.lesson_key) if result else None
        ended = self.play_ended()
        db_safe("finish", self.store.finish_play, play_id, outcome, ended, score, details)
        self.visit_reached("finished", outcome, ended)

    def play_ended(self) -> datetime:
        """The open play's end: its start plus the time measured on the monotonic clock, so
        a wall clock stepped mid-game (NTP, staff) cannot end it before it began."""
        visit = self.visit
        if visit is None or visit.play_started is None:
            return self.wall()
        played = max(0.0, self.clock.now() - visit.play_started_mono)
        return visit.play_started + timedelta(seconds=played)

    def check_clock(self) -> None:
        """At start and between visitors: is the wall clock set, did it jump?"""
        for problem in self.clock_watch.check():
            if problem.kind == "jump":
                self.clock_jumps = [*self.clock_jumps[-4:], problem]

    def drop_visit(self, outcome: str) -> None:
        """Forget the visitor at once (a failure, staff); an open play is logged as ``outcome``."""
        self.close_play(outcome)
        self.visit_reached("left")
        self.speech.stop()
        self.pregame.cancel()
        self.visit = None
        self.show_access_mode()

    def end_visit(self, completed: bool) -> None:
        """The visitor is done (``completed``: the journey ran its course) or gone (idle):
        forget everything about them, an unfinished play abandoned, and tidy up for the next."""
        if completed and self.visit is not None and self.visit.result is not None:
            self.journeys_completed += 1
            if self.stop_after is not None and self.journeys_completed >= self.stop_after:
                self.running = False
        self.drop_visit("abandoned")
        self.remote.visitor_left()
        self.check_clock()
        if self.store.pending:  # between visitors: write what a bad moment buffered
            db_safe("flush", self.store.flush)
        db_safe("check its file", self.store.check_file)  # queued: deleted, replaced, full?
        if "prizes" in self.__dict__ and self.prizes.ledger.unrecorded:
            self.prizes.retry()  # awards the database refused, written on the writer thread
        self.text.forget_glyphs()  # the glyphs this visitor's screens needed
        # What they left behind, collected on attract, and the heap trimmed then.
        self.collector.visitor_left()

    def rest(self) -> None:
        """The booth is at rest between visitors (the collector's quiet point, on attract a
        second after a visitor left): what only a visitor's screens use is let go, so a
        booth at rest holds what its attract screen needs (issue 13's memory budget): the
        menu's faces (8 MB each at 1080p) of a visitor who left before playing (the next
        visitor's language screen draws them ahead again), the surface rounds are drawn
        ahead on (8 MB), and the fonts and rendered text of the screens they saw (all but
        what the screen on show draws next: ``draw``)."""
        menu.release_faces()
        self.pregame.release()
        self.text.rest()

    def let_go_of_faces(self) -> None:
        """A game started: the language screen's and the menu's kept faces go. Attract
        draws the language face ahead again, the language screen the menu's."""
        language.release_face()
        menu.release_faces()

    def game_content(self, game_id: str) -> dict[str, Any]:
        """The game's content, parsed once; each round gets its own copy to change freely."""
        if game_id not in self._content:
            data = load_toml(GAMES_DIR / f"{game_id}.toml")
            data.pop("strings", None)
            self._content[game_id] = data
        return copy.deepcopy(self._content[game_id])

    # -- the frame ---------------------------------------------------------------------------
    def pointer(self, ev: PointerEvent) -> None:
        self.staff.gesture.feed(ev)
        if self.layer is not None:
            self.journey.guard(self.layer.handle, ev)
            return
        was_asking = self.asking
        self.idle.touch()
        self.asking = False
        if was_asking:
            return  # that touch answered "Still playing?"; it presses nothing underneath
        self.journey.guard(self.scene.handle, ev)

    def update(self, dt: float) -> None:
        self.remote.tick()  # once a second: the fleet's settings between visitors, the status
        if self.collector.tick(dt, self.scene.name):  # a full collection when nobody plays
            self.rest()
        guard = self.journey.guard
        if self.staff.gesture.advance(dt) and self.layer is None:
            self.staff.open("pinpad")
        if self.layer is not None:  # the screen underneath is frozen, idle timers too
            guard(self.layer.update, dt)
            if self.scene.clock_under_layer:
                guard(self.scene.update, dt)
            self.speech.update()
            return
        if not self.scene.idle_frozen():
            self.idle.advance(dt)
        limit = self.scene.idle_limit() if self.visit else None
        if self.idle.expired(limit):
            self.journey.abandon()
        elif self.idle.asking(limit):
            if not self.asking:
                self.asking = True
                self.say(self.tr("idle.title"))
        else:
            guard(self.scene.update, dt)
            if self._start_by is not None:  # Start waits for the round built ahead
                if self.scene.name != "howto":
                    self._start_by = None
                elif not self._wait_for_round():
                    guard(self.start_when_ready)
            if limit is not None and self.idle.quiet_s >= limit - OVERLAY_WARM_S:
                first = math.ceil(self.idle.countdown_s)  # the count it asks with
                self.overlay.warm(self.text, self.tr, self.tr_for, self.canvas.get_size(), first)
        self.speech.update()

    def draw(self) -> None:
        # While "Still playing?" asks, the screen under it is frozen: the overlay keeps
        # its picture and the scene is not drawn again (kiosk/ui/overlay.py).
        asked = self.asking and self.overlay.ready(self.canvas, self.tr.lang)
        # Its first frame goes over the canvas as the frozen scene left it, if it did: the
        # scene has not been updated since (drawn again, the same picture: 0.5-1 ms).
        frozen = self.asking and self._kept_by == (self.scene, self.canvas)
        if not (asked or frozen):
            scene = self.scene
            self.canvas_kept = kept = self._kept_by == (scene, self.canvas)
            scene.damage = None
            self.journey.guard(scene.draw, self.canvas)
            new, self._drawn_scene = self._drawn_scene is not scene, scene
            self._kept_by = (scene, self.canvas)
            known = kept and self.scene is scene  # (a draw that failed changed the scene)
            # A new screen's first frame is drawn whole: not compared with the one before.
            self._add_damage(scene.damage if known else Redrawn(self.canvas) if new else None)
        if self.asking:
            seconds = self.idle.seconds_left(self.scene.idle_limit())
            self.overlay.draw(self.canvas, self.text, self.tr, self.tr_for, seconds)
            self._kept_by, self.canvas_kept = None, False
            # Its first frame dims the whole screen; later ones copy that picture back.
            self._add_damage(None if asked else Redrawn(self.canvas))
        if self.layer is not None:
            self.journey.guard(self.layer.draw, self.canvas)
            self._kept_by, self.canvas_kept = None, False
            self._add_damage(None)
        if self.shots.due(self.scene):
            self.shots.save(self.canvas, self.scene.name)
        letting_go = self.text.settle()  # after ``rest``: what this screen did not draw
        if letting_go is not None:
            # Then the heap's free pages back (the fonts' memory is small blocks: the heap
            # keeps them), in a worker as the collection's trim (kiosk/booth/collector.py).
            letting_go.add_done_callback(lambda _: self.collector.trim())

    def _add_damage(self, areas: list[pygame.Rect] | None) -> None:
        if isinstance(areas, Redrawn):  # everything, whatever else was reported before
            self._damage = areas
        # Many draws with no present between (nobody taking it): compare everything then.
        elif areas is None or self._damage is None or len(self._damage) > MAX_DAMAGE:
            self._damage = None
        else:
            self._damage = self._damage + [pygame.Rect(a) for a in areas]

    def take_damage(self) -> list[pygame.Rect] | None:
        """The canvas rectangles changed since the last call, as the scenes reported them
        (None: not known, compare everything); for the presenter, once per present."""
        areas, self._damage = self._damage, []
        return areas

    def frame(self, dt: float, draw: bool = True) -> bool:
        """One tick of the kiosk; returns whether the canvas was redrawn."""
        if self.autopilot is not None:
            for ev in self.autopilot.step(dt):
                self.pointer(ev)
        self.update(dt)
        if draw or self.shots.due(self.scene):
            self.draw()
            return True
        return False


def _no_code(play_id: str) -> None:
    # benchmarks/faults.py counts these lines: a visitor sent away without a code.
    log.warning("no prize code for play %s: the visitor is sent to the prize desk", play_id)


class Screen(Protocol):
    """What the loop needs of the display (kiosk/booth/display.py's Display)."""

    canvas: pygame.Surface

    def present(
        self, changed: list[pygame.Rect] | None = None, started: float | None = None
    ) -> None:
        """Show the canvas; ``changed``: where it may differ from the last present (None:
        anywhere); ``started``: the frame's ``time.thread_time()`` at its start."""

    def handle(self, event: pygame.event.Event) -> bool:
        """Take a window event (resize, expose); True when it was one. Optional: the loop
        runs without it (tests' stand-ins)."""


def run(
    app: Kiosk,
    display: Screen,
    translator: PointerTranslator,
    kiosk_mode: bool,
    draw_every: int = 1,
    notifier: SystemdNotifier | None = None,
    stop: StopSignals | None = None,
) -> None:
    """The main loop: events → scene → update → draw → flip, until told to stop.

    ``draw_every`` > 1 (``--fast``) skips drawing most simulated frames: the journey logic
    runs at full rate while rendering, the slow part, is sampled. ``stop`` is checked every
    frame: SIGTERM or SIGINT ends the loop even in kiosk mode (kiosk/booth/stopsignals.py).
    """
    frames = 0
    window_event = getattr(display, "handle", None)  # a stand-in display may not take them
    while app.running:
        if stop:
            log.info("%s received: stopping", stop.received)
            app.running = False
            break
        frames += 1
        dt = app.clock.tick()
        began, began_cpu = time.perf_counter(), time.thread_time()
        for event in pygame.event.get():
            if window_event is not None and window_event(event):
                app.canvas = display.canvas  # a resized window: letterboxed again
                continue
            if event.type == pygame.QUIT or (
                event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE
            ):
                if not kiosk_mode:  # in kiosk mode only the staff panel may quit
                    app.running = False
                continue
            ev = translator.translate(event)
            if ev is not None:
                app.pointer(ev)
        app.frame_started = began_cpu
        if app.frame(dt, draw=frames == 1 or frames % draw_every == 0):
            display.present(app.take_damage(), began_cpu)
            if frames == 1:
                log.info("first frame presented")  # benchmarks/startup.py waits for this line
                if notifier is not None:
                    notifier.ready()
        if notifier is not None:
            notifier.ping()  # a frozen loop stops these, and systemd restarts the kiosk
        if frames > 1:  # the first pass is start-up, before any visitor can see the screen
            app.longest_frame_s = max(app.longest_frame_s, time.perf_counter() - began)
    app.pregame.cancel(wait_s=1.0)  # a round being built ahead ends before pygame quits
    language.wait_for_face(1.0)  # and so does a screen drawn ahead
    menu.wait_for_faces(1.0)
    howto.wait_for_text(1.0)  # and a how-to's text
    howto.wait_for_face_let_go(1.0)  # and its face, let go as it was left
    _fonts_ahead.wait(1.0)  # and the fonts a visit uses, opened ahead
    wait_for_faces_let_go(1.0)  # and the faces a game's start let go of
    decor.wait_for_ahead(1.0)  # and attract's next picture
