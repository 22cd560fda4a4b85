"""Prizes on the kiosk: which tier a score earns, what is left in stock, and the claim code.

The flow for one completed play, on the claim screen (:meth:`Prizes.award`):

1. The score earns the best tier whose ``min_score`` it reaches (``[[prizes.tiers]]``).
2. Inside one ``BEGIN IMMEDIATE`` transaction (:meth:`PlayStore.award_prize`): today's stock
   of each tier is ``daily_stock`` + staff adjustments − prizes already awarded today, all
   counted from the database; the earned tier, or the next one down that has stock left, is
   given; the next serial is allocated; the code is signed; the play row records tier,
   serial, reference and code. Then the transaction commits.
3. Everything out of stock: no code, and the screen thanks the visitor all the same.

"Today" is the local date (``utc_offset_hours``) on which the play ended, so the stock and
the code's issue date agree even for a play that ends a second before midnight.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from kiosk import localday
from kiosk.config import PrizeTier
from kiosk.prizes import claimcode, qr
from kiosk.prizes.claimcode import Claim
from kiosk.prizes.eventkey import SigningKey, load_or_create

if TYPE_CHECKING:
    from kiosk.config import Config
    from kiosk.playlog.api import PlayLog

log = logging.getLogger(__name__)


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
    def __init__(
        self,
        *,
        store: PlayLog,
        key: SigningKey,
        tiers: list[PrizeTier],
        event_id: int,
        kiosk_id: str,
        claim_url: str,
        utc_offset_hours: float,
        nonce: Callable[[], int] = lambda: secrets.randbits(32),
    ) -> None:
        self.store = store
        self.key = key
        self.tiers = sorted(tiers, key=lambda t: -t.min_score)
        self.event_id = event_id
        self.kiosk_id = kiosk_id
        self.claim_url = claimcode.normalise_claim_url(claim_url)
        self.utc_offset_hours = utc_offset_hours
        self.nonce = nonce
        self._check_qr_budget()

    @classmethod
    def from_config(cls, config: Config, store: PlayLog) -> Prizes:
        """Load (or, on a fresh machine, create a development) key as the config says."""
        return cls(
            store=store,
            key=load_or_create(config.prizes.key_file),
            tiers=config.prizes.tiers,
            event_id=config.prizes.event_id,
            kiosk_id=config.kiosk_id,
            claim_url=config.claim_url,
            utc_offset_hours=config.utc_offset_hours,
        )

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

    # -- tiers and stock ---------------------------------------------------------------------
    def earned_tier(self, score: int) -> str | None:
        for tier in self.tiers:
            if score >= tier.min_score:
                return tier.id
        return None

    def stock(self, day: date) -> list[StockLine]:
        """Each tier's stock for a local date, best tier first (for staff screens)."""
        awarded = self.store.prizes_awarded(*localday.day_bounds(day, self.utc_offset_hours))
        adjusted = self.store.stock_adjustments(day.isoformat())
        return [
            StockLine(t.id, t.daily_stock, adjusted.get(t.id, 0), awarded.get(t.id, 0))
            for t in self.tiers
        ]

    # -- the award -----------------------------------------------------------------------------
    def award(self, play_id: str, lang: str) -> Award:
        """Give a completed play its prize (once; a second call returns the same award).

        :raises KeyError: no such play
        :raises ValueError: the play is not completed
        """
        if self.store.pending:  # the booth's log buffered plays a bad moment refused:
            self.store.flush()  # this play's own row may be among them
        play = self.store.get(play_id)
        if play is None:
            raise KeyError(play_id)
        if play["outcome"] != "completed" or play["ended_at"] is None:
            raise ValueError(f"play {play_id} is {play['outcome']}, not completed")
        earned = self.earned_tier(play["score"] or 0)
        if play["prize_code"] is not None:
            return self._award_from(play, earned)
        if earned is None:
            return Award(earned=None, tier=None)
        ended = datetime.fromisoformat(play["ended_at"])
        issued = localday.local_date(ended, self.utc_offset_hours)
        since, until = localday.day_bounds(issued, self.utc_offset_hours)
        candidates = self.tiers[[t.id for t in self.tiers].index(earned) :]

        def issue(
            serial: int, awarded: dict[str, int], adjusted: dict[str, int]
        ) -> dict[str, Any] | None:
            for tier in candidates:
                left = tier.daily_stock + adjusted.get(tier.id, 0) - awarded.get(tier.id, 0)
                if left > 0:
                    claim = Claim(
                        event=self.event_id,
                        key_id=self.key.key_id,
                        kiosk=self.kiosk_id,
                        serial=serial,
                        tier=tier.id,
                        issued=issued,
                        lang=lang,
                        nonce=self.nonce(),
                    )
                    code = claimcode.sign(claim, self.key.private)
                    return {"prize_tier": tier.id, "prize_ref": claim.ref, "prize_code": code}
            return None

        row = self.store.award_prize(play_id, since, until, issued.isoformat(), issue)
        if row is None:
            log.info(
                "play %s earned %s but every tier down from it is out of stock", play_id, earned
            )
            return Award(earned=earned, tier=None)
        award = self._award_from(row, earned)
        if award.downgraded:
            log.info("%s is out of stock; play %s gets %s", earned, play_id, award.tier)
        return award

    def _award_from(self, row: dict, earned: str | None) -> Award:
        return Award(
            earned=earned,
            tier=row["prize_tier"],
            serial=row["prize_serial"],
            ref=row["prize_ref"],
            code=row["prize_code"],
            url=claimcode.claim_link(self.claim_url, row["prize_code"]),
        )
