"""The staff desk: what the PIN pad and the staff panel can do, each action audited.

Staff reach it through the hidden corner hold (kiosk/booth/gesture.py) and a PIN; the pad and
the panel are layers drawn over the running screen (kiosk/booth/scenes/pinpad.py and
staff_panel.py) and they act only through this class. It reads today's numbers, switches
games on and off for the local day, corrects prize stock, pauses, resets, sets the sound and
quits; every one of those leaves a row in the audit log.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from games.base import GameSpec
from kiosk.booth.dbsafe import db_safe
from kiosk.booth.gesture import CornerHold
from kiosk.booth.readings import Reading
from kiosk.i18n import Tr
from kiosk.localday import day_bounds, local_date
from kiosk.pin import PinGuard
from kiosk.prizes.awards import StockLine

if TYPE_CHECKING:
    from kiosk.booth.idle import IdleWatch
    from kiosk.booth.journey import Journey
    from kiosk.booth.sfx import Sfx
    from kiosk.clock import Clock, ClockProblem, WallClockWatch
    from kiosk.config import Config
    from kiosk.i18n import Strings
    from kiosk.playlog.api import PlayLog
    from kiosk.playlog.queued import QueuedLog
    from kiosk.prizes.awards import Prizes
    from kiosk.speech import Speech

log = logging.getLogger(__name__)
STAFF_QUIT_EXIT = 3  # deploy/smartizen-kiosk.service: RestartPreventExitStatus=3


class FleetSync(Protocol):
    """What the panel reads of the fleet sync thread (kiosk/sync/pusher.py): plain values
    the thread replaces, so reading them never waits."""

    backlog: int | None
    last_ok_at: datetime | None
    last_error: str | None
    quarantined: int | None  # rows the centre refused, kept aside in the file


class StaffHost(Protocol):
    """What the desk needs of the kiosk."""

    config: Config
    strings: Strings
    store: QueuedLog
    speech: Speech
    sfx: Sfx
    clock: Clock
    wall: Callable[[], datetime]
    all_games: list[GameSpec]
    journey: Journey
    idle: IdleWatch
    running: bool
    exit_code: int
    clock_watch: WallClockWatch
    clock_jumps: list[ClockProblem]
    display_status: Callable[[], str]  # the launcher's Display.describe
    fleet_sync: FleetSync | None  # None: an island

    @property
    def prizes(self) -> Prizes: ...

    def drop_visit(self, outcome: str) -> None: ...


class StaffDesk:
    def __init__(self, kiosk: StaffHost) -> None:
        self.kiosk = kiosk
        self.speech = kiosk.speech  # the panel shows its volume, mute and status
        self.all_games = kiosk.all_games  # on today's menu or switched off
        self.gesture = CornerHold()
        self.pin_guard = PinGuard(kiosk.config.staff.pin_hash)
        self.lang = kiosk.config.languages[0]
        self._switch_day: date | None = None
        self._switches: dict[str, bool] = {}
        self._switch_read: Reading[dict[str, bool]] | None = None
        self._counts: Reading[dict[str, dict[str, int]]] = Reading("count plays", {})
        self._health: Reading[dict[str, Any] | None] = Reading("check the database", None)

    # -- the pad and the panel ---------------------------------------------------------------
    @property
    def tr(self) -> Tr:
        return Tr(self.kiosk.strings, self.lang)

    def toggle_language(self) -> None:
        langs = self.kiosk.config.languages
        self.lang = langs[(langs.index(self.lang) + 1) % len(langs)]

    @property
    def layer(self) -> object:
        """The PIN pad or the panel while one is open, else None."""
        return self.kiosk.journey.layer

    def open(self, name: str) -> None:
        self.kiosk.journey.open_layer(name)

    def close(self) -> None:
        journey = self.kiosk.journey
        if journey.layer is not None and journey.layer.name == "staff":
            self.audit("panel_closed")
        journey.layer = None
        self.gesture.reset()
        self.kiosk.idle.touch()

    def pin_entered(self, pin: str) -> str:
        """Check a PIN from the pad; returns the message to show (empty when accepted)."""
        verdict = self.pin_guard.check(pin, self.kiosk.clock.now())
        if verdict == "ok":
            self.audit("staff_login")
            self.open("staff")
            return ""
        self.audit("pin_wrong" if verdict == "wrong" else "pin_locked")
        if verdict == "locked":
            log.warning("staff PIN pad locked after repeated wrong PINs")
            return ""
        return self.tr("staff.pin_wrong")

    def pin_locked_for(self) -> float:
        """Seconds until the pad takes PINs again (0 when it does)."""
        return self.pin_guard.locked_for(self.kiosk.clock.now())

    def audit(self, action: str, detail: str = "") -> None:
        log.info("staff: %s %s", action, detail)
        db_safe("audit", self.kiosk.store.audit, action, self.kiosk.wall(), detail)

    # -- what the panel shows ----------------------------------------------------------------
    def today(self) -> date:
        """The carnival's local day now: stock and game switches belong to it."""
        return local_date(self.kiosk.wall(), self.kiosk.config.utc_offset_hours)

    def refresh_readings(self) -> None:
        """Ask the writer thread for today's counts and the file's health; the panel shows
        the last ones until :meth:`poll_readings` says fresh ones arrived."""
        start, end = day_bounds(self.today(), self.kiosk.config.utc_offset_hours)
        submit = self.kiosk.store.submit
        self._counts.request(submit, lambda s: s.outcomes_by_game(start, end))
        self._health.request(submit, _health)

    def poll_readings(self) -> bool:
        counts, health = self._counts.poll(), self._health.poll()
        return counts or health

    def today_counts(self) -> dict[str, dict[str, int]]:
        return self._counts.value

    def store_health(self) -> dict[str, Any] | None:
        return self._health.value

    def display_status(self) -> str:
        """How frames reach the screen (kiosk/booth/display.py), for the panel."""
        return self.kiosk.display_status()

    def fleet_status(self) -> str:
        """One line about the fleet sync: rows waiting, when the centre last took them, and
        the trouble if any (the log has it whole); empty for a booth with no fleet."""
        sync = self.kiosk.fleet_sync
        if sync is None:
            return ""
        last_ok, tr = sync.last_ok_at, self.tr
        if last_ok is None:
            when = tr("staff.fleet_never")
        else:
            offset = timedelta(hours=self.kiosk.config.utc_offset_hours)
            when = (last_ok + offset).strftime("%H:%M")
        waiting = "?" if sync.backlog is None else sync.backlog
        if sync.quarantined:  # they need someone: the log names each and the centre's reason
            line = tr("staff.fleet_set_aside", waiting=waiting, n=sync.quarantined, when=when)
        else:
            line = tr("staff.fleet", waiting=waiting, when=when)
        problem = sync.last_error
        return line if not problem else f"{line} · {problem.split(':', 1)[0]}"

    def store_warnings(self) -> str:
        """One line for the staff panel about database or clock trouble, or empty."""
        store = self.kiosk.store
        parts = self.clock_warnings() + list(store.notices)
        if store.pending:
            parts.append(self.tr("staff.pending", n=store.pending))
        if "prizes" in vars(self.kiosk) and self.kiosk.prizes.problem:
            parts.append(self.kiosk.prizes.problem)
        return " · ".join(parts)

    def clock_warnings(self) -> list[str]:
        """The "set the clock" line while it is unset; each jump until acknowledged."""
        kiosk, tr = self.kiosk, self.tr
        offset = timedelta(hours=kiosk.config.utc_offset_hours)
        parts = []
        if kiosk.clock_watch.unset:
            when = (kiosk.wall() + offset).strftime("%Y-%m-%d %H:%M")
            parts.append(tr("staff.clock_unset", when=when))
        for jump in kiosk.clock_jumps:
            sign = "−" if jump.jump_s < 0 else "+"
            delta = f"{sign}{timedelta(seconds=round(abs(jump.jump_s)))}"
            when = (jump.wall + offset).strftime("%H:%M")
            parts.append(tr("staff.clock_jumped", delta=delta, when=when))
        return parts

    def prize_stock(self) -> list[StockLine]:
        """Each tier's stock left today, for the staff panel (empty if unavailable); from
        the prize ledger in memory."""
        return db_safe("read stock", self._stock) or []

    def _stock(self) -> list[StockLine]:
        prizes = self.kiosk.prizes
        return prizes.stock(prizes.today(self.kiosk.wall()))

    @property
    def paused(self) -> bool:
        return self.kiosk.journey.scene.name == "paused"

    # -- games on today's menu ---------------------------------------------------------------
    def menu(self) -> list[GameSpec]:
        """The games on today's menu: all enabled ones, minus what staff switched off."""
        switches = self._today_switches()
        return [g for g in self.kiosk.all_games if switches.get(g.id, True)]

    def enabled_game_ids(self) -> set[str]:
        return {g.id for g in self.menu()}

    def _today_switches(self) -> dict[str, bool]:
        day, store = self.today(), self.kiosk.store
        if day != self._switch_day:  # a new day: yesterday's switches no longer apply
            key, first = day.isoformat(), self._switch_day is None
            self._switch_day = day
            if first:  # at start-up, before any frame: worth waiting for
                self._switches = db_safe("read switches", store.game_switches, key) or {}
            else:  # at midnight: read by the writer thread, all games on until then
                self._switches = {}
                self._switch_read = Reading("read switches", {})
                self._switch_read.request(store.submit, lambda s: s.game_switches(key))
        if self._switch_read is not None and self._switch_read.poll():
            # Switches staff flipped since the read was asked for win over what it found.
            self._switches = {**self._switch_read.value, **self._switches}
            self._switch_read = None
        return self._switches

    # -- actions -----------------------------------------------------------------------------
    def set_game(self, game_id: str, on: bool, by: str = "") -> bool:
        """Switch a game on or off for today; refuses to switch off the last one. ``by``:
        who asked, when not staff here (``remote``), for the audit row."""
        if not on and self.enabled_game_ids() == {game_id}:
            return False
        self._today_switches()[game_id] = on
        day = self.today().isoformat()
        db_safe("switch", self.kiosk.store.set_game_enabled, day, game_id, on)
        self.audit("game_on" if on else "game_off", f"{game_id} {by}".strip())
        return True

    def adjust_stock(
        self, tier: str, delta: int, day: date | None = None, note: str = "staff panel"
    ) -> None:
        """Counted at once by the prize ledger; saved by the writer thread. ``day``: today
        unless given (the fleet's stock entries name theirs)."""

        def adjust() -> None:
            prizes, now = self.kiosk.prizes, self.kiosk.wall()
            prizes.adjust(day or prizes.today(now), tier, delta, now, note)

        db_safe("adjust stock", adjust)
        self.audit("stock", f"{tier} {delta:+d}" + ("" if note == "staff panel" else f" {note}"))

    def acknowledge(self) -> None:
        self.audit("acknowledge", self.store_warnings()[:200])
        self.kiosk.store.acknowledge()
        self.kiosk.clock_jumps.clear()

    def pause(self, by: str = "") -> None:
        """ "Back soon" until resumed; ``by``: who asked, when not staff here (``remote``)."""
        self.audit("pause", by)
        self.kiosk.drop_visit("abandoned")
        self.kiosk.journey.go("paused")

    def resume(self, by: str = "") -> None:
        self.audit("resume", by)
        self.kiosk.journey.go("attract")

    def reset(self) -> None:
        self.audit("reset")
        self.kiosk.drop_visit("abandoned")
        self.close()
        self.kiosk.journey.go("attract")

    def volume(self, delta: float) -> None:
        """Louder or softer until the next visitor, who gets the configured volume again."""
        volume = round(min(1.0, max(0.0, self.speech.volume + delta)), 2)
        self.speech.set_volume(volume)
        self.kiosk.sfx.set_volume(volume)
        self.audit("volume", f"{volume:.0%}")

    def toggle_mute(self) -> None:
        muted = not self.speech.muted
        self.speech.set_muted(muted)
        self.kiosk.sfx.muted = muted
        self.audit("mute" if muted else "unmute")

    def test_speech(self) -> None:
        self.audit("test_speech")
        self.speech.say(self.lang, self.tr("staff.test_phrase"))

    def quit(self) -> None:
        self.audit("quit")
        self.kiosk.exit_code = STAFF_QUIT_EXIT
        self.kiosk.running = False


def _health(store: PlayLog) -> dict[str, Any]:
    """The file's health, on the writer thread; a failing check is itself the answer."""
    try:
        return store.health()
    except Exception as exc:
        log.exception("database health check failed")
        return {"ok": False, "check": str(exc)}
