"""The fleet's remote control on the booth, and the status the booth reports back.

The heartbeat client (``kiosk.sync.heartbeat.Heartbeat``, docs/fleet-contract.md "Inside
the booth") runs on its own thread: it posts :meth:`Remote.status` every ~15 s and keeps
the centre's latest answer. This module is the booth's side of it, driven by the frame loop
(:meth:`Remote.tick`, every frame, doing real work once a second of kiosk time):

* **Settings** (``answer["desired"]``) are applied only between visitors (the attract or
  paused screen, nobody touching, no staff layer open), once per revision: pause and resume
  with the "Back soon" screen, games on and off for today, stock entries (each ``id`` once,
  ever: it becomes the ``stock_adjustments`` note ``remote:<id>``), the default volume.
  Each applied revision leaves a ``remote_settings`` audit row; its number goes back in
  the status (``applied_revision``). Games and pause go through the staff desk's own
  actions (kiosk/booth/staff.py), so both paths audit and behave alike.
* **Status**: a snapshot built once a second into a lock-guarded holder, so the heartbeat
  thread reads it without touching the kiosk: screen, database and speech health, backlog,
  stock left per tier and when each sold out, paused, the revision, warnings.
* **Played today**: the fleet's count from the answer, or this booth's own count of today's
  plays (read by the writer thread after each visitor) when the centre is out of reach.

A bad answer never stops the booth: each setting is checked on its own, what cannot be
applied is logged and reported in ``warnings``, the rest goes ahead.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from datetime import date, datetime
from importlib import metadata
from typing import TYPE_CHECKING, Any, Protocol

from kiosk.booth.dbsafe import db_safe
from kiosk.booth.readings import Reading
from kiosk.localday import day_bounds, local_date
from kiosk.playlog.schema import utc_iso

if TYPE_CHECKING:
    from games.base import GameSpec
    from kiosk.booth.journey import Journey
    from kiosk.booth.staff import StaffDesk
    from kiosk.clock import Clock, WallClockWatch
    from kiosk.config import Config
    from kiosk.playlog.api import PlayLog
    from kiosk.playlog.queued import QueuedLog
    from kiosk.prizes.awards import Prizes
    from kiosk.speech import Speech

log = logging.getLogger(__name__)

REFRESH_S = 1.0  # kiosk seconds between status snapshots and looks at the answer
STOCK_NOTE = "remote:"  # + the stock entry's id: the local key that makes it apply once
AUDIT_ACTION = "remote_settings"
BETWEEN_VISITORS = ("attract", "paused")
WARNINGS_KEPT = 8
HISTORY_RETRY_S = 30.0  # kiosk seconds between asks of a database that could not answer
STOCK_WAITS = "fleet stock entries wait: the database cannot say which were applied"


class HeartbeatLink(Protocol):
    """What the booth uses of the heartbeat client (kiosk/sync/heartbeat.py)."""

    def latest(self) -> dict | None:
        """The centre's whole latest answer, or None before the first one."""
        ...

    def played_today(self) -> int | None:
        """Plays across the carnival today; None offline or stale."""
        ...


class RemoteHost(Protocol):
    """What the remote control needs of the kiosk."""

    config: Config
    store: QueuedLog
    speech: Speech
    clock: Clock
    wall: Callable[[], datetime]
    journey: Journey
    staff: StaffDesk
    all_games: list[GameSpec]
    visit: object | None
    asking: bool
    volume_default: float
    clock_watch: WallClockWatch

    def set_output_volume(self, level: float) -> None: ...

    @property
    def prizes(self) -> Prizes: ...


class StatusBoard:
    """The latest status snapshot, handed between the frame loop and the heartbeat thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._snapshot: dict[str, Any] = {}

    def publish(self, snapshot: dict[str, Any]) -> None:
        with self._lock:
            self._snapshot = snapshot

    def __call__(self) -> dict[str, Any]:
        """A copy of the last snapshot (the heartbeat's ``status`` callable)."""
        with self._lock:
            return dict(self._snapshot)


class Remote:
    def __init__(self, kiosk: RemoteHost, link: HeartbeatLink | None = None) -> None:
        self.kiosk = kiosk
        self.link = link
        self.status = StatusBoard()
        self.backlog: Callable[[], int | None] = lambda: None  # the outbox pusher's, if any
        self.quarantined: Callable[[], int | None] = lambda: None  # rows it set aside
        self.applied_revision = 0
        self.warnings: list[str] = []
        self._started = kiosk.clock.now()
        self._next = self._started  # the first tick refreshes at once
        self._applied_day: date | None = None
        self._today = local_date(kiosk.wall(), kiosk.config.utc_offset_hours)
        self._paused_by_remote = False
        self._stock_done: set[str] = set()
        self._history: Future[tuple[int, set[str]]] | None = None
        self._history_unread = False  # the database could not say: stock entries wait
        self._history_retry = 0.0
        self._local = Reading[int | None]("count today's plays", None)
        self._local_day: date | None = None
        self._played: int | None = None
        self._version = _software_version()
        self._ask_history()

    def attach(self, link: HeartbeatLink) -> None:
        """The heartbeat client, started after the kiosk (it reads :attr:`status`)."""
        self.link = link

    # -- every frame ----------------------------------------------------------------------------
    def tick(self) -> None:
        """Cheap every frame; once a second: the answer (between visitors), the counts, the
        status snapshot."""
        now = self.kiosk.clock.now()
        if now < self._next:
            return
        self._next = now + REFRESH_S
        try:
            # The local day once per refresh: every part below uses it.
            self._today = local_date(self.kiosk.wall(), self.kiosk.config.utc_offset_hours)
            if self._between_visitors():
                self._apply_latest()
            self._count_played()
            self.status.publish(self.snapshot())
        except Exception:  # a bug here must never cost a visitor the booth
            log.exception("remote control: refresh failed")

    def played_today(self) -> int | None:
        """For the attract screen: the fleet's count, else this booth's own (cached)."""
        return self._played

    def visitor_left(self) -> None:
        """A visit ended: this booth's own count of today's plays is read again."""
        self._local_day = None

    # -- settings -----------------------------------------------------------------------------
    def _between_visitors(self) -> bool:
        kiosk = self.kiosk
        return (
            kiosk.visit is None
            and kiosk.journey.layer is None
            and not kiosk.asking
            and kiosk.journey.scene.name in BETWEEN_VISITORS
        )

    def _apply_latest(self) -> None:
        if self.link is None or not self._history_known():
            return
        answer = self.link.latest()
        desired = answer.get("desired") if isinstance(answer, dict) else None
        if not isinstance(desired, dict):
            return
        try:
            revision = int(desired.get("revision", 0))
        except (TypeError, ValueError):
            self._warn(f"remote settings with a bad revision {desired.get('revision')!r}")
            return
        if revision > self.applied_revision:
            self.apply(revision, desired)
        elif revision and self._applied_day != self._today:
            # The first look this run, or a new day: the revision applied before still
            # holds (a restart must not lift a pause; game switches belong to one day).
            # Not audited again; stock entries stay once per id.
            self._apply_settings(desired)
            self._applied_day = self._today

    def apply(self, revision: int, desired: dict[str, Any]) -> None:
        """Apply one revision of the desired settings and audit it."""
        done = self._apply_settings(desired)
        self.applied_revision = revision
        self._applied_day = self._today
        detail = json.dumps({"revision": revision, "applied": done}, ensure_ascii=False)
        log.info("remote settings revision %d applied: %s", revision, ", ".join(done) or "-")
        db_safe("audit", self.kiosk.store.audit, AUDIT_ACTION, self.kiosk.wall(), detail)

    def _apply_settings(self, desired: dict[str, Any]) -> list[str]:
        """Each setting on its own (a bad one is a warning); what changed, for the audit."""
        done: list[str] = []
        self._apply_pause(desired.get("paused"), done)
        self._apply_games(desired.get("games"), done)
        self._apply_volume(desired.get("volume"), done)
        self._apply_stock(desired.get("stock"), done)
        return done

    def _apply_pause(self, paused: Any, done: list[str]) -> None:
        if paused is None:
            return
        if not isinstance(paused, bool):
            self._warn(f"remote 'paused' is not true or false: {paused!r}")
            return
        staff, on_pause = self.kiosk.staff, self.kiosk.journey.scene.name == "paused"
        if paused and not on_pause:
            staff.pause(by="remote")
            self._paused_by_remote = True
            done.append("paused")
        elif not paused and on_pause and self._paused_by_remote:
            staff.resume(by="remote")  # staff who paused it here decide for themselves
            self._paused_by_remote = False
            done.append("resumed")

    def _apply_games(self, games: Any, done: list[str]) -> None:
        if games is None:
            return
        if not isinstance(games, dict):
            self._warn(f"remote 'games' is not a table of game: on/off: {games!r}")
            return
        staff = self.kiosk.staff
        known = {g.id for g in self.kiosk.all_games}
        for game_id, on in games.items():
            if game_id not in known or not isinstance(on, bool):
                self._warn(f"remote game switch {game_id}={on!r} ignored: no such game here")
                continue
            if (game_id in staff.enabled_game_ids()) == on:
                continue
            if staff.set_game(game_id, on, by="remote"):
                done.append(f"{game_id} {'on' if on else 'off'}")
            else:
                self._warn(f"remote switch-off of {game_id} refused: the last game on the menu")

    def _apply_volume(self, volume: Any, done: list[str]) -> None:
        if volume is None:
            return
        if isinstance(volume, bool) or not isinstance(volume, int | float) or not 0 <= volume <= 1:
            self._warn(f"remote volume {volume!r} ignored: a number from 0.0 to 1.0")
            return
        level = round(float(volume), 2)
        if level != self.kiosk.volume_default:
            self.kiosk.volume_default = level
            self.kiosk.set_output_volume(level)
            done.append(f"volume {level:.0%}")

    def _apply_stock(self, entries: Any, done: list[str]) -> None:
        if entries is None:
            return
        if not isinstance(entries, list):
            self._warn(f"remote 'stock' is not a list: {entries!r}")
            return
        if self._history_unread and entries:
            # Which entries an earlier run applied is in the database that cannot be read
            # now: waiting is better than stock counted twice. Asked again every half minute.
            self._warn(STOCK_WAITS)
            return
        tiers = {t.id for t in self.kiosk.config.prizes.tiers}
        for entry in entries:
            checked = _stock_entry(entry, tiers)
            if isinstance(checked, str):
                self._warn(checked)
                continue
            key, tier, delta, day = checked
            if key in self._stock_done:
                continue
            self._stock_done.add(key)
            self.kiosk.staff.adjust_stock(tier, delta, day=day, note=key)
            done.append(f"stock {tier} {delta:+d} ({key})")

    def _warn(self, message: str) -> None:
        if message not in self.warnings:
            log.warning("%s", message)
            self.warnings = [*self.warnings[-(WARNINGS_KEPT - 1) :], message]

    # -- what was applied before this run ------------------------------------------------------
    def _ask_history(self) -> None:
        def read(s: PlayLog) -> tuple[int, set[str]]:
            row = s.last_audit(AUDIT_ACTION)
            revision = json.loads(row["detail"]).get("revision", 0) if row else 0
            return int(revision), s.stock_notes(STOCK_NOTE)

        self._history = db_safe(
            "read the remote settings applied", lambda: self.kiosk.store.submit(read)
        )

    def _history_known(self) -> bool:
        """Is the revision and the stock entries applied before this run known? Until the
        first answer nothing is applied; if the database cannot answer, settings apply
        without it but stock entries wait (:meth:`_apply_stock`) and it is asked again."""
        history, now = self._history, self.kiosk.clock.now()
        if history is None:
            if self._history_unread and now >= self._history_retry:
                self._ask_history()
            return True
        if not history.done():
            return self._history_unread
        self._history = None
        if history.exception() is not None:
            if not self._history_unread:
                log.warning("remote settings applied before unknown (%s)", history.exception())
            self._history_unread, self._history_retry = True, now + HISTORY_RETRY_S
            return True
        revision, notes = history.result()
        self.applied_revision = max(self.applied_revision, revision)
        self._stock_done |= notes
        if self._history_unread:
            self._history_unread = False
            self._applied_day = None  # the held-back stock entries go in at the next look
            self.warnings = [w for w in self.warnings if w != STOCK_WAITS]
        return True

    # -- counts and status ---------------------------------------------------------------------
    def _count_played(self) -> None:
        kiosk, day = self.kiosk, self._today
        if day != self._local_day:
            self._local_day = day
            start, end = day_bounds(day, kiosk.config.utc_offset_hours)
            self._local.request(
                kiosk.store.submit,
                lambda s: sum(sum(n.values()) for n in s.outcomes_by_game(start, end).values()),
            )
        self._local.poll()
        fleet = None if self.link is None else self.link.played_today()
        self._played = fleet if fleet is not None else self._local.value

    def snapshot(self) -> dict[str, Any]:
        """What the heartbeat sends (docs/fleet-contract.md) but ``booth_clock``, which the
        heartbeat stamps as it sends; cheap: no database, no I/O."""
        kiosk = self.kiosk
        journey, store = kiosk.journey, kiosk.store
        layer = journey.layer
        notices = store.notices
        pending = store.pending
        db_health = "; ".join(notices) if notices else "ok"
        if pending:
            db_health = f"{db_health}; {pending} writes waiting".removeprefix("ok; ")
        # "ready (espeak; voices; muted)" is health, not news: the dashboard alerts on
        # anything but "ok", as it does for the database.
        speech = kiosk.speech.status
        speech_health = "ok" if speech.startswith("ready") else speech
        stock_left, sold_out = self._stock()
        warnings = list(notices) + list(self.warnings)
        if kiosk.clock_watch.unset:
            warnings.append("the booth's clock is not set")
        prizes = vars(kiosk).get("prizes")
        if prizes is not None and prizes.problem:
            warnings.append(prizes.problem)
        return {
            "kiosk_id": kiosk.config.kiosk_id,
            "software_version": self._version,
            "uptime_s": round(kiosk.clock.now() - self._started, 1),
            "screen": layer.name if layer is not None else journey.scene.name,
            "db_health": db_health,
            "speech_health": speech_health,
            "backlog": self.backlog(),
            "quarantined": self.quarantined(),
            "stock_left": stock_left,
            "sold_out": sold_out,
            "paused": journey.scene.name == "paused",
            "applied_revision": self.applied_revision,
            "warnings": warnings,
        }

    def _stock(self) -> tuple[dict[str, int], dict[str, str]]:
        """Each tier's stock left today and when the sold-out ones went, straight from the
        prize ledger's counts (StockLine objects for the panel cost several times more)."""
        prizes = vars(self.kiosk).get("prizes")  # built at start-up by the launcher
        if prizes is None:
            return {}, {}
        ledger = prizes.ledger
        day = ledger.today(self._today)  # the same offset: both from kiosk.toml
        left = {tier.id: ledger.left(day, tier) for tier in prizes.tiers}
        went = prizes.sold_out.get(day.isoformat())
        sold = {t: utc_iso(at) for t, at in went.items() if left.get(t) == 0} if went else {}
        return left, sold


def _stock_entry(entry: Any, tiers: set[str]) -> tuple[str, str, int, date | None] | str:
    """A stock entry's (note key, tier, delta, day), or why it cannot be applied."""
    if not isinstance(entry, dict) or not entry.get("id"):
        return f"remote stock entry without an id ignored: {entry!r}"
    key = f"{STOCK_NOTE}{entry['id']}"
    tier, delta = entry.get("tier"), entry.get("delta")
    if tier not in tiers:
        return f"remote stock entry {entry['id']} ignored: no tier {tier!r} here"
    if isinstance(delta, bool) or not isinstance(delta, int):
        return f"remote stock entry {entry['id']} ignored: delta {delta!r} is not a whole number"
    day = None
    if entry.get("day") is not None:
        try:
            day = date.fromisoformat(str(entry["day"]))
        except ValueError:
            return f"remote stock entry {entry['id']} ignored: day {entry['day']!r}"
    return key, tier, delta, day


def _software_version() -> str:
    try:
        return metadata.version("smartizen-kiosk")
    except metadata.PackageNotFoundError:
        return "unknown"
