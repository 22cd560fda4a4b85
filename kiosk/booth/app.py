"""The kiosk: one visitor journey after another, driven by pointer events and time.

``Kiosk`` owns the current scene, the current visit and the idle watch; scenes call back
into it to move the journey on (``choose_language``, ``start_play``, ``end_visit`` …).
Everything visitor-facing is guarded: an exception in any scene lands on the failsafe
screen, the play is logged as ``error``, and the next visitor finds a working kiosk.
"""

from __future__ import annotations

import copy
import logging
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any

import pygame

from games.base import DIFFICULTIES, Game, GameContext, GameResult, GameSpec
from kiosk import DESIGN_SIZE
from kiosk.booth.autopilot import AutoPilot
from kiosk.booth.gesture import CornerHold
from kiosk.booth.idle import IdleWatch
from kiosk.booth.memory import release_free_memory
from kiosk.booth.scenes import SCENES, Scene
from kiosk.booth.sfx import Sfx
from kiosk.booth.visit import Visit
from kiosk.booth.watchdog import SystemdNotifier
from kiosk.clock import Clock
from kiosk.config import Config
from kiosk.i18n import GAMES_DIR, Strings, Tr, load_toml
from kiosk.input import PointerEvent, PointerTranslator
from kiosk.pin import PinGuard
from kiosk.playlog.resilient import ResilientStore
from kiosk.prizes.awards import Award, Prizes
from kiosk.speech import Speech
from kiosk.ui.overlay import draw_idle_overlay
from kiosk.ui.text import TextRenderer

log = logging.getLogger(__name__)
SCREENSHOT_DELAY_S = 1.5
STAFF_QUIT_EXIT = 3  # deploy/smartizen-kiosk.service: RestartPreventExitStatus=3


class Kiosk:
    def __init__(
        self,
        *,
        config: Config,
        strings: Strings,
        store: ResilientStore,
        speech: Speech,
        games: list[GameSpec],
        clock: Clock,
        wall: Callable[[], datetime],
        canvas: pygame.Surface | None = None,
        seed: int | None = None,
        screenshots: Path | None = None,
    ) -> None:
        self.config = config
        self.strings = strings
        self.store = store
        self.speech = speech
        self.all_games = games
        self.clock = clock
        self.wall = wall
        self.canvas = canvas or pygame.Surface(DESIGN_SIZE)
        self.rng = random.Random(seed)
        self.text = TextRenderer()
        self.sfx = Sfx(config.audio.volume)
        self.idle = IdleWatch(config.idle.countdown_s)
        self.screenshots = screenshots
        self.visit: Visit | None = None
        self.layer: Scene | None = None  # the PIN pad or staff panel, over the scene
        self.gesture = CornerHold()
        self.pin_guard = PinGuard(config.staff.pin_hash)
        self.staff_lang = config.languages[0]
        self._switch_day = ""
        self._switches: dict[str, bool] = {}
        self.autopilot: AutoPilot | None = None
        self.running = True
        self.exit_code = 0
        self.journeys_completed = 0
        self.stop_after: int | None = None  # with --autoplay: journeys before exiting
        self._content: dict[str, dict[str, Any]] = {}
        self._shot_pending = False
        self._shot_count = 0
        self._asking = False
        self.scene: Scene = SCENES["attract"](self)
        self.go("attract")

    # -- language ----------------------------------------------------------------------------
    @property
    def tr(self) -> Tr:
        return Tr(self.strings, self.visit.lang if self.visit else self.config.languages[0])

    def tr_for(self, lang: str) -> Tr:
        return Tr(self.strings, lang)

    def say(self, text: str) -> None:
        self.speech.say(self.tr.lang, text)

    # -- the journey -------------------------------------------------------------------------
    def go(self, name: str) -> None:
        old = self.scene
        if self._shot_pending:  # left before it settled: still record what it showed
            self._guard(old.draw, self.canvas)
            self._save_shot()
        try:
            old.exit()
        except Exception:
            log.exception("leaving %s failed", old.name)
        self.scene = SCENES[name](self)
        self.idle.touch()
        self._asking = False
        self._shot_pending = self.screenshots is not None
        self._guard(self.scene.enter)

    def start_visit(self) -> None:
        self.visit = Visit(seed=self.rng.randrange(2**31))
        self.speech.set_volume(self.config.audio.volume)  # staff changes last one visitor only
        if len(self.config.languages) == 1:
            self.choose_language(self.config.languages[0])
        else:
            self.go("language")

    def choose_language(self, lang: str) -> None:
        self.visit.lang = lang
        self.go("menu")

    def choose_game(self, spec: GameSpec) -> None:
        self.visit.game = spec
        self.go("howto")

    def choose_difficulty(self, level: str) -> None:
        if level in DIFFICULTIES:
            self.visit.difficulty = level

    def back_to_menu(self) -> None:
        self.speech.stop()
        self.go("menu")

    def start_play(self) -> None:
        self.speech.stop()
        self.go("play")

    def new_game(self) -> Game:
        visit, spec = self.visit, self.visit.game
        ctx = GameContext(
            size=DESIGN_SIZE,
            lang=visit.lang,
            seed=visit.seed,
            difficulty=visit.difficulty,
            tr=self.tr.game(spec.id),
            text=self.text,
            content=self.game_content(spec.id),
        )
        game = spec.factory(ctx)
        visit.play_id = self._store(
            "start", self.store.start_play, spec.id, visit.lang, visit.difficulty, self.wall()
        )
        return game

    def finish_game(self, result: GameResult) -> None:
        """The round is over: commit it now; the result screen follows after the outro."""
        self.visit.result = result
        self._close_play("completed", result)

    def to_result(self) -> None:
        self.go("result")

    def to_claim(self) -> None:
        self.go("claim")

    @cached_property
    def prizes(self) -> Prizes:
        """Tiers, stock and signed claim codes (kiosk/prizes/awards.py). Built on the first claim:
        loads the event key, or makes a development key on a fresh machine (logged)."""
        return Prizes.from_config(self.config, self.store)

    def claim_prize(self) -> Award | None:
        """This visit's prize for the claim screen, awarded once per completed play.

        ``None`` when no code can be issued (no play row, database or key trouble: logged,
        and the screen sends the visitor to the prize desk instead of failing).
        """
        visit = self.visit
        if visit is None or visit.play_ref is None:
            return None
        play_id, lang = visit.play_ref, visit.lang
        return self._store("award a prize for", lambda: self.prizes.award(play_id, lang))

    def to_thanks(self) -> None:
        self.go("thanks")

    def end_visit(self) -> None:
        """The visitor is done (or gone): forget everything about them, back to attract."""
        if self.visit is not None and self.visit.result is not None:
            self.journeys_completed += 1
            if self.stop_after is not None and self.journeys_completed >= self.stop_after:
                self.running = False
        self._forget_visit()

    def abandon(self) -> None:
        """The idle countdown ran out: an unfinished play is logged as abandoned."""
        self._close_play("abandoned")
        self._forget_visit()

    def _forget_visit(self) -> None:
        self.speech.stop()
        self.visit = None
        if self.store.pending:  # between visitors: write what a bad moment buffered
            self._store("flush", self.store.flush)
        self.text.forget_glyphs()  # the glyphs this visitor's screens needed
        release_free_memory()
        self.go("attract")

    # -- staff -------------------------------------------------------------------------------
    @property
    def games(self) -> list[GameSpec]:
        """The games on today's menu: all enabled ones, minus what staff switched off."""
        switches = self._today_switches()
        return [g for g in self.all_games if switches.get(g.id, True)]

    def enabled_game_ids(self) -> set[str]:
        return {g.id for g in self.games}

    def _today_switches(self) -> dict[str, bool]:
        day = self.local_day()
        if day != self._switch_day:  # a new day: yesterday's switches no longer apply
            self._switch_day = day
            self._switches = self._store("read switches", self.store.game_switches, day) or {}
        return self._switches

    def local_day(self) -> str:
        return (self.wall() + timedelta(hours=self.config.utc_offset_hours)).date().isoformat()

    @property
    def staff_tr(self) -> Tr:
        return Tr(self.strings, self.staff_lang)

    def toggle_staff_language(self) -> None:
        langs = self.config.languages
        self.staff_lang = langs[(langs.index(self.staff_lang) + 1) % len(langs)]

    def open_layer(self, name: str) -> None:
        self.layer = SCENES[name](self)
        self._guard(self.layer.enter)

    def close_layer(self) -> None:
        if self.layer is not None and self.layer.name == "staff":
            self.audit("panel_closed")
        self.layer = None
        self.gesture.reset()
        self.idle.touch()

    def pin_entered(self, pin: str) -> str:
        """Check a PIN from the pad; returns the message to show (empty when accepted)."""
        verdict = self.pin_guard.check(pin, self.clock.now())
        if verdict == "ok":
            self.audit("staff_login")
            self.open_layer("staff")
            return ""
        self.audit("pin_wrong" if verdict == "wrong" else "pin_locked")
        if verdict == "locked":
            log.warning("staff PIN pad locked after repeated wrong PINs")
            return ""
        return self.staff_tr("staff.pin_wrong")

    def audit(self, action: str, detail: str = "") -> None:
        log.info("staff: %s %s", action, detail)
        self._store("audit", self.store.audit, action, self.wall(), detail)

    def today_counts(self) -> dict[str, dict[str, int]]:
        start = datetime.fromisoformat(self.local_day()).replace(tzinfo=UTC) - timedelta(
            hours=self.config.utc_offset_hours
        )
        return (
            self._store("count", self.store.outcomes_by_game, start, start + timedelta(days=1))
            or {}
        )

    def store_health(self) -> dict[str, Any]:
        try:
            return self.store.health()
        except Exception as exc:
            log.exception("database health check failed")
            return {"ok": False, "check": str(exc)}

    def store_warnings(self) -> str:
        """One line for the staff panel about database trouble, or empty."""
        parts = list(getattr(self.store, "notices", []))
        pending = getattr(self.store, "pending", 0)
        if pending:
            parts.append(self.staff_tr("staff.pending", n=pending))
        return " · ".join(parts)

    def staff_acknowledge(self) -> None:
        self.audit("acknowledge", self.store_warnings()[:200])
        self.store.acknowledge()

    def prize_stock(self) -> list:
        """Each tier's stock left today, for the staff panel (empty if unreadable)."""
        day = datetime.fromisoformat(self.local_day()).date()
        return self._store("read stock", lambda: self.prizes.stock(day)) or []

    def staff_adjust_stock(self, tier: str, delta: int) -> None:
        self._store(
            "adjust stock",
            self.store.adjust_stock,
            self.local_day(),
            tier,
            delta,
            self.wall(),
            "staff panel",
        )
        self.audit("stock", f"{tier} {delta:+d}")

    def staff_set_game(self, game_id: str, on: bool) -> bool:
        """Switch a game on or off for today; refuses to switch off the last one."""
        if not on and self.enabled_game_ids() == {game_id}:
            return False
        self._today_switches()[game_id] = on
        self._store("switch", self.store.set_game_enabled, self.local_day(), game_id, on)
        self.audit("game_on" if on else "game_off", game_id)
        return True

    def staff_pause(self) -> None:
        self.audit("pause")
        self._end_for_staff()
        self.go("paused")

    def staff_resume(self) -> None:
        self.audit("resume")
        self.go("attract")

    def staff_reset(self) -> None:
        self.audit("reset")
        self._end_for_staff()
        self.close_layer()
        self.go("attract")

    def _end_for_staff(self) -> None:
        self._close_play("abandoned")
        self.speech.stop()
        self.visit = None

    def staff_volume(self, delta: float) -> None:
        volume = round(min(1.0, max(0.0, self.speech.volume + delta)), 2)
        self.speech.set_volume(volume)
        self.sfx.set_volume(volume)
        self.audit("volume", f"{volume:.0%}")

    def staff_toggle_mute(self) -> None:
        muted = not self.speech.muted
        self.speech.set_muted(muted)
        self.sfx.muted = muted
        self.audit("mute" if muted else "unmute")

    def staff_test_speech(self) -> None:
        self.audit("test_speech")
        self.speech.say(self.staff_lang, self.staff_tr("staff.test_phrase"))

    def staff_quit(self) -> None:
        self.audit("quit")
        self.exit_code = STAFF_QUIT_EXIT
        self.running = False

    # -- the frame ---------------------------------------------------------------------------
    def pointer(self, ev: PointerEvent) -> None:
        self.gesture.feed(ev)
        if self.layer is not None:
            self._guard(self.layer.handle, ev)
            return
        was_asking = self._asking
        self.idle.touch()
        self._asking = False
        if was_asking:
            return  # that touch answered "Still playing?"; it presses nothing underneath
        self._guard(self.scene.handle, ev)

    def update(self, dt: float) -> None:
        if self.gesture.advance(dt) and self.layer is None:
            self.open_layer("pinpad")
        if self.layer is not None:  # the screen underneath is frozen, idle timers too
            self._guard(self.layer.update, dt)
            self.speech.update()
            return
        if not self.scene.idle_frozen():
            self.idle.advance(dt)
        limit = self.scene.idle_limit() if self.visit else None
        if self.idle.expired(limit):
            self.abandon()
        elif self.idle.asking(limit):
            if not self._asking:
                self._asking = True
                self.say(self.tr("idle.title"))
        else:
            self._guard(self.scene.update, dt)
        self.speech.update()

    def draw(self) -> None:
        self._guard(self.scene.draw, self.canvas)
        if self._asking:
            limit = self.scene.idle_limit()
            draw_idle_overlay(
                self.canvas, self.text, self.tr, self.tr_for, self.idle.seconds_left(limit)
            )
        if self.layer is not None:
            self._guard(self.layer.draw, self.canvas)
        if self._shot_due():
            self._save_shot()

    def _shot_due(self) -> bool:
        # Wait for entry animations (the score counting up) to settle before the picture.
        return self._shot_pending and self.scene.t >= SCREENSHOT_DELAY_S

    def _save_shot(self) -> None:
        self._shot_pending = False
        self._shot_count += 1
        self.screenshots.mkdir(parents=True, exist_ok=True)
        path = self.screenshots / f"{self._shot_count:04d}-{self.scene.name}.png"
        pygame.image.save(self.canvas, str(path))

    def frame(self, dt: float, draw: bool = True) -> bool:
        """One tick of the kiosk; returns whether the canvas was redrawn."""
        if self.autopilot is not None:
            for ev in self.autopilot.step(dt):
                self.pointer(ev)
        self.update(dt)
        if draw or self._shot_due():
            self.draw()
            return True
        return False

    # -- failures ----------------------------------------------------------------------------
    def _guard(self, fn: Callable[..., Any], *args: Any) -> None:
        try:
            fn(*args)
        except Exception as exc:
            self.fail(exc)

    def fail(self, exc: BaseException) -> None:
        self.layer = None
        log.error("scene %s failed; showing the failsafe screen", self.scene.name, exc_info=exc)
        self._close_play("error")
        self.visit = None
        self.speech.stop()
        if self.scene.name in ("failsafe", "attract"):
            # Failing where we would recover to: start over quietly rather than loop.
            self.scene = SCENES["attract"](self)
            return
        self.go("failsafe")

    def _close_play(self, outcome: str, result: GameResult | None = None) -> None:
        if self.visit is None or self.visit.play_id is None:
            return
        play_id, self.visit.play_id = self.visit.play_id, None
        self.visit.play_ref = play_id
        score = result.score if result else None
        details = dict(result.details, lesson=result.lesson_key) if result else None
        self._store("finish", self.store.finish_play, play_id, outcome, self.wall(), score, details)

    def _store(self, what: str, fn: Callable[..., Any], *args: Any) -> Any:
        """A database problem is logged, never shown: the visitor keeps playing."""
        try:
            return fn(*args)
        except Exception:
            log.exception("could not %s a play in the database", what)
            return None

    def game_content(self, game_id: str) -> dict[str, Any]:
        """The game's content, parsed once; each round gets its own copy to change freely."""
        if game_id not in self._content:
            data = load_toml(GAMES_DIR / f"{game_id}.toml")
            data.pop("strings", None)
            self._content[game_id] = data
        return copy.deepcopy(self._content[game_id])


def run(
    app: Kiosk,
    display: Any,
    translator: PointerTranslator,
    kiosk_mode: bool,
    draw_every: int = 1,
    notifier: SystemdNotifier | None = None,
) -> None:
    """The main loop: events → scene → update → draw → flip, until told to stop.

    ``draw_every`` > 1 (``--fast``) skips drawing most simulated frames: the journey logic
    runs at full rate while rendering, the slow part, is sampled.
    """
    frames = 0
    while app.running:
        frames += 1
        dt = app.clock.tick()
        for event in pygame.event.get():
            if event.type == pygame.QUIT or (
                event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE
            ):
                if not kiosk_mode:  # in kiosk mode only the staff panel may quit
                    app.running = False
                continue
            ev = translator.translate(event)
            if ev is not None:
                app.pointer(ev)
        if app.frame(dt, draw=frames == 1 or frames % draw_every == 0):
            display.present()
            if frames == 1:
                log.info("first frame presented")  # benchmarks/startup.py waits for this line
                if notifier is not None:
                    notifier.ready()
        if notifier is not None:
            notifier.ping()  # a frozen loop stops these, and systemd restarts the kiosk
