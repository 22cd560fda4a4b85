"""Prizes on the kiosk: which tier a score earns, what is left in stock, and the claim code.

The flow for one completed play, on the claim screen (:meth:`Prizes.award`), all on the
frame thread and in microseconds (the database is never asked):

1. The score earns the best tier whose ``min_score`` it reaches (``[[prizes.tiers]]``).
2. The ledger (kiosk/prizes/ledger.py) gives the earned tier, or the next one down with
   stock left today (``daily_stock`` + staff adjustments − prizes issued), and the next
   serial from a block already reserved in the state file; the code is signed.
3. The writer thread (kiosk/playlog/writer.py) saves the state file first (urgent: the
   visitor is waiting) and the returned future completes; the screen shows the QR then.
   It writes the prize on the play row afterwards, in order behind the play's own writes;
   an award the database refuses stays in the state file and is retried between visitors.
4. Everything out of stock: no code, and the screen thanks the visitor all the same.

"Today" is the local date (``utc_offset_hours``) of the award, never earlier than the
latest day already seen (a clock stepped back after midnight must not reopen yesterday's
stock); the stock and the code's issue date always agree.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import sqlite3
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk import localday
from kiosk.config import PrizeTier
from kiosk.prizes import claimcode, qr, statefile
from kiosk.prizes.claimcode import Claim, CodeRejected
from kiosk.prizes.eventkey import SigningKey, load_or_create
from kiosk.prizes.ledger import BLOCK, Ledger

if TYPE_CHECKING:
    from kiosk.config import Config
    from kiosk.playlog.api import PlayLog
    from kiosk.playlog.writer import Jobs

log = logging.getLogger(__name__)


class NoSerial(RuntimeError):
    """No reserved serial is left: the state file could not be written for a while."""


@dataclass(frozen=True)
class Award:
    """What the claim screen shows for one play."""

    earned: str | None  # the tier the score reached (None: no tier's minimum)
    tier: str | None  # the tier given (None: nothing left in stock, or nothing earned)
    serial: int | None = None
    ref: str | None = None  # K07-0153
    code: str | None = None  # the signed claim code
    url: str | None = None  # claim_url + code: what the QR encodes

    @property
    def downgraded(self) -> bool:
        return self.tier is not None and self.earned is not None and self.tier != self.earned

    @property
    def sold_out(self) -> bool:
        return self.tier is None and self.earned is not None


@dataclass(frozen=True)
class StockLine:
    tier: str
    daily: int
    adjusted: int
    awarded: int

    @property
    def remaining(self) -> int:
        return max(0, self.daily + self.adjusted - self.awarded)


class Prizes:
    """Awards on a play log reached through ``jobs`` (the booth's writer thread, or
    :class:`kiosk.playlog.writer.Inline` for a plain store), with the state file at
    ``state_path``. Loading (state file, the prizes on record, today's stock corrections,
    the first serial block) happens here, once, before any frame is drawn."""

    def __init__(
        self,
        *,
        jobs: Jobs,
        state_path: str | Path,
        key: SigningKey,
        tiers: list[PrizeTier],
        event_id: int,
        kiosk_id: str,
        claim_url: str,
        utc_offset_hours: float,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        nonce: Callable[[], int] = lambda: secrets.randbits(32),
    ) -> None:
        self.jobs = jobs
        self.state_path = Path(state_path)
        self.key = key
        self.tiers = sorted(tiers, key=lambda t: -t.min_score)
        self.event_id = event_id
        self.kiosk_id = kiosk_id
        self.claim_url = claimcode.normalise_claim_url(claim_url)
        self.utc_offset_hours = utc_offset_hours
        self.nonce = nonce
        self.problem = ""  # for the staff panel: the state file cannot be written
        self._given: dict[str, Award] = {}  # this run's awards by play: a second claim
        self.sold_out: dict[str, dict[str, datetime]] = {}  # day -> tier -> when (this run)
        self._days_read: set[str] = set()
        self._reserving = False
        self._check_qr_budget()
        self.ledger = Ledger(statefile.load(self.state_path))
        self._load(now())

    @classmethod
    def from_config(
        cls, config: Config, jobs: Jobs, now: Callable[[], datetime] | None = None
    ) -> Prizes:
        """Load (or, on a fresh machine, create a development) key as the config says; the
        state file lies beside the booth's database."""
        return cls(
            jobs=jobs,
            state_path=statefile.path_for(jobs.path),
            key=load_or_create(config.prizes.key_file),
            tiers=config.prizes.tiers,
            event_id=config.prizes.event_id,
            kiosk_id=config.kiosk_id,
            claim_url=config.claim_url,
            utc_offset_hours=config.utc_offset_hours,
            now=now or (lambda: datetime.now(UTC)),
        )

    def _load(self, now: datetime) -> None:
        try:
            rows = self.jobs.call(lambda s: s.issued_prizes())
        except Exception as exc:  # a database unavailable at start: the state file must do
            log.error(
                "prizes on record unreadable (%s); counting from %s", exc, self.state_path.name
            )
        else:
            self.ledger.merge_records(self._issued(rows))
        today = self.ledger.today(localday.local_date(now, self.utc_offset_hours))
        self._read_adjustments(today, wait=True)
        self._record_stock(today, now)
        mark = self.ledger.reservation()
        if mark is not None:
            # A failure is logged; no code can be made until a later reservation succeeds.
            with contextlib.suppress(OSError):
                self._reserve(mark)
        self.retry()

    def _issued(self, rows: list[dict]) -> list[tuple[int, str, date]]:
        """(serial, tier, day issued) of the prizes on record; the day is read from the
        signed code, which is what the visitor holds (the play's end may be on a clock that
        stepped back)."""
        out = []
        for row in rows:
            try:
                day = claimcode.parse(row["prize_code"]).claim.issued
            except (CodeRejected, TypeError):
                log.warning("prize %s has an unreadable code; its serial still counts", row)
                day = date.min
            out.append((row["prize_serial"], row["prize_tier"], day))
        return out

    def _check_qr_budget(self) -> None:
        if not self.tiers:
            return
        longest = max(self.tiers, key=lambda t: len(t.id)).id
        try:
            sample = Claim(
                event=self.event_id,
                key_id=self.key.key_id,
                kiosk=self.kiosk_id,
                serial=claimcode.MAX_SERIAL,
                tier=longest,
                issued=claimcode.EPOCH,  # any date is as long: the length alone is checked here
                lang="en",
                nonce=0,
            )
            qr.claim_matrix(self.claim_url + claimcode.sign(sample, self.key.private))
        except ValueError as exc:
            log.error(
                "prize codes will not fit the QR budget (%s): shorten claim_url %r to %d "
                "characters or the kiosk/tier ids",
                exc,
                self.claim_url,
                claimcode.max_claim_url_length(self.kiosk_id, [t.id for t in self.tiers]),
            )

    # -- tiers, today and stock ----------------------------------------------------------------
    def earned_tier(self, score: int) -> str | None:
        for tier in self.tiers:
            if score >= tier.min_score:
                return tier.id
        return None

    def today(self, now: datetime) -> date:
        """The stock day at wall time ``now``: its local date, never a day back."""
        day = self.ledger.today(localday.local_date(now, self.utc_offset_hours))
        if day.isoformat() not in self._days_read:
            self._read_adjustments(day)
            self._record_stock(day, now)
        return day

    def stock(self, day: date) -> list[StockLine]:
        """Each tier's stock for a local date, best tier first (from memory: the staff
        panel may call it every frame)."""
        ledger = self.ledger
        return [
            StockLine(t.id, t.daily_stock, ledger.adjustment(day, t.id), ledger.given(day, t.id))
            for t in self.tiers
        ]

    def adjust(self, day: date, tier: str, delta: int, at: datetime, note: str = "") -> None:
        """Staff correct a tier's stock for ``day``: counted at once, saved in the state
        file and the database by the writer thread."""
        self.ledger.adjust(day, tier, delta)
        self.jobs.submit(lambda s: self._save(), what="save the prize state")
        self.jobs.submit(
            lambda s: s.adjust_stock(day.isoformat(), tier, delta, at, note), what="adjust stock"
        )

    def _read_adjustments(self, day: date, wait: bool = False) -> None:
        """Staff corrections for a day this run has not seen yet, from the database (the
        state file has them too whenever this booth made them)."""
        key = day.isoformat()
        if key in self._days_read:
            return
        self._days_read.add(key)

        def read(s: PlayLog) -> None:
            self.ledger.merge_adjustments(key, s.stock_adjustments(key))

        try:
            if wait:
                self.jobs.call(read)
            else:
                self.jobs.submit(read, what="read stock corrections")
        except Exception as exc:
            log.error("stock corrections for %s unreadable (%s)", key, exc)

    def _record_stock(self, day: date, now: datetime) -> None:
        """Each tier's configured daily stock for a day this run starts, as data in the play
        log (synced: the centre's stock per booth and tier starts from it). At start-up, so a
        kiosk.toml edited and restarted is recorded; unchanged numbers write nothing."""
        stock = {t.id: t.daily_stock for t in self.tiers}
        key = day.isoformat()
        self.jobs.submit(
            lambda s: s.record_daily_stock(key, stock, now), what="record the daily stock"
        )

    # -- the award -----------------------------------------------------------------------------
    def award(self, play_id: str, lang: str, score: int, now: datetime) -> Future[Award]:
        """Give a completed play its prize (once: a second call returns the same award).

        Decided at once from the ledger; the future completes when the award is safe in
        the state file (or saving it failed, logged: the visitor still gets the code).

        :raises NoSerial: no reserved serial left
        """
        if play_id in self._given:
            return _done(self._given[play_id])
        earned = self.earned_tier(score)
        if earned is None:
            return _done(Award(earned=None, tier=None))
        day = self.today(now)
        candidates = self.tiers[[t.id for t in self.tiers].index(earned) :]
        taken = self.ledger.take(day, candidates)
        if taken is None:
            self._top_up()
            if self.ledger.serials_left == 0:
                raise NoSerial(f"no prize serial reserved for play {play_id}")
            log.info(
                "play %s earned %s but every tier down from it is out of stock", play_id, earned
            )
            self.jobs.submit(
                lambda s: _record_earned(s, play_id, earned), what="record the tier earned"
            )
            return _done(Award(earned=earned, tier=None))
        tier, serial = taken
        claim = Claim(
            event=self.event_id,
            key_id=self.key.key_id,
            kiosk=self.kiosk_id,
            serial=serial,
            tier=tier.id,
            issued=day,
            lang=lang,
            nonce=self.nonce(),
        )
        code = claimcode.sign(claim, self.key.private)
        prize = {
            "earned_tier": earned,
            "prize_tier": tier.id,
            "prize_serial": serial,
            "prize_ref": claim.ref,
            "prize_code": code,
        }
        award = Award(
            earned, tier.id, serial, claim.ref, code, claimcode.claim_link(self.claim_url, code)
        )
        if award.downgraded:
            log.info("%s is out of stock; play %s gets %s", earned, play_id, award.tier)
        if self.ledger.left(day, tier) == 0:
            self._sold_out(day, tier.id, now)
        self._given[play_id] = award
        self.ledger.pend(play_id, prize)
        shown = self.jobs.submit(
            lambda s: self._save(award), urgent=True, what="save the prize state"
        )
        self.jobs.submit(lambda s: self._record(s, play_id, prize), what="record a prize")
        self._top_up()
        return shown

    def _sold_out(self, day: date, tier: str, now: datetime) -> None:
        """The last of a tier went: when, kept for the heartbeat and audited as data."""
        self.sold_out.setdefault(day.isoformat(), {})[tier] = now
        log.info("%s sold out for %s", tier, day)
        detail = f"{day.isoformat()} {tier}"
        self.jobs.submit(lambda s: s.audit("sold_out", now, detail), what="audit a sell-out")

    def sold_out_at(self, day: date) -> dict[str, datetime]:
        """Tiers with nothing left on ``day`` and when their last one went (this run)."""
        left = {line.tier: line.remaining for line in self.stock(day)}
        times = self.sold_out.get(day.isoformat(), {})
        return {tier: at for tier, at in times.items() if left.get(tier, 0) == 0}

    def retry(self) -> None:
        """Between visitors: write awards the database refused earlier."""
        for play_id, prize in self.ledger.waiting().items():
            self.jobs.submit(
                lambda s, p=play_id, z=prize: self._record(s, p, z), what="record a prize"
            )

    # -- on the writer thread ----------------------------------------------------------------
    def _save(self, result: Any = None) -> Any:
        """Save the ledger in the state file; a failure is logged and shown to staff, and
        the visitor still gets the code (``result``)."""
        try:
            with statefile.locked(self.state_path):
                self._write_state(0)
        except OSError:
            pass  # logged by _write_state
        return result

    def _write_state(self, mark: int) -> None:
        """Under the state file's lock: never lower a mark another process saved."""
        theirs = int(statefile.load(self.state_path).get("serial_reserved", 0))
        try:
            statefile.save(self.state_path, self.ledger.state(max(mark, theirs)))
        except OSError as exc:
            self.problem = f"prize state {self.state_path.name} not saved ({exc})"
            log.error("%s", self.problem)
            raise
        self.problem = ""

    def _record(self, s: PlayLog, play_id: str, prize: dict[str, Any]) -> None:
        if play_id not in self.ledger.unrecorded:
            return  # recorded by an earlier attempt
        if s.pending:  # the play's own start and finish may be waiting there
            s.flush()
        try:
            s.record_prize(play_id, prize)
        except (KeyError, ValueError, sqlite3.IntegrityError) as exc:
            if s.pending and not isinstance(exc, sqlite3.IntegrityError):
                log.info("prize %s waits for play %s to be written", prize["prize_ref"], play_id)
                return
            log.error(
                "prize %s cannot go on play %s (%s); it is kept in %s only",
                prize["prize_ref"],
                play_id,
                exc,
                self.state_path.name,
            )
        except Exception as exc:
            log.warning("prize %s not written yet (%s); retried later", prize["prize_ref"], exc)
            return
        self.ledger.recorded(play_id)

    def _top_up(self) -> None:
        """Reserve the next serial block, on the writer thread, when this one runs low."""
        mark = self.ledger.reservation()
        if mark is None or self._reserving:
            return
        self._reserving = True
        self.jobs.submit(lambda s: self._reserve(mark), urgent=True, what="reserve serials")

    def _reserve(self, mark: int) -> None:
        try:
            with statefile.locked(self.state_path):
                # Another process on the same files (a second kiosk by mistake, a test) may
                # have reserved since we read: go on above its mark, never into it.
                theirs = int(statefile.load(self.state_path).get("serial_reserved", 0))
                self.ledger.skip_to(theirs + 1)
                mark = max(mark, theirs + BLOCK)
                self._write_state(mark)
            self.ledger.reserved(mark)
        finally:
            self._reserving = False


def _record_earned(s: PlayLog, play_id: str, earned: str) -> None:
    """The tier a sold-out visitor earned, on their play (statistics only: a play the
    database has not taken yet is logged and left)."""
    try:
        s.record_prize(play_id, {"earned_tier": earned})
    except (KeyError, ValueError) as exc:
        log.info("tier earned by play %s not recorded (%s)", play_id, exc)


def _done(award: Award) -> Future[Award]:
    future: Future[Award] = Future()
    future.set_result(award)
    return future
