"""Verdicts on claim codes, for the web pages and the command line alike.

:meth:`ClaimDesk.check` answers what a code is worth right now; :meth:`ClaimDesk.redeem`
hands it over. Either takes what a USB scanner types (the whole URL), a bare code, or a
desk code a person typed (``K07-0153-7KQ4``).

Order of judgement: the signature and event first (:func:`kiosk.prizes.claimcode.verify`: any
changed character, another event's key, a development key), then "already collected"
(a fact worth telling even after the window closed), then the issue date (a code dated
after tomorrow comes from a kiosk whose clock runs ahead: honouring it would let it be
collected until months from now), then the claim window.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from kiosk import localday
from kiosk.claims.names import clean_desk_name
from kiosk.claims.notes import PhoneNotes
from kiosk.claims.settings import ClaimsSettings
from kiosk.claims.store import ClaimStore, Redemption
from kiosk.prizes import claimcode
from kiosk.prizes.claimcode import Claim, CodeRejected

log = logging.getLogger(__name__)

READY = "ready"
HANDED_OVER = "handed_over"
COLLECTED = "collected"
EXPIRED = "expired"
INVALID = "invalid"

STAFF_REASONS = {
    "malformed": "Malformed: not a Smartizen claim code",
    "bad_signature": "Bad signature: the code was changed or forged",
    "wrong_key": "Another event's key",
    "expired": "Expired",
    "collected": "Already collected",
    "unknown_desk_code": "Desk code not found",
    "issued_in_future": "Dated in the future: the kiosk's clock is wrong",
}


@dataclass(frozen=True)
class Verdict:
    status: str  # READY, HANDED_OVER, COLLECTED, EXPIRED or INVALID
    reason: str | None = None  # why not, for staff: a key of STAFF_REASONS
    detail: str = ""  # staff-facing explanation; never shown to visitors
    claim: Claim | None = None
    code: str | None = None
    redemption: Redemption | None = None
    last_day: date | None = None

    @property
    def ok(self) -> bool:
        return self.status in (READY, HANDED_OVER)

    @property
    def headline(self) -> str:
        """One line for staff: "READY", "HANDED OVER", or the rejection's reason."""
        if self.status in (READY, HANDED_OVER):
            return self.status.replace("_", " ").upper()
        return STAFF_REASONS.get(self.reason or "", "Not valid")


class ClaimDesk:
    def __init__(
        self,
        settings: ClaimsSettings,
        public_key: Ed25519PublicKey,
        store: ClaimStore,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.settings = settings
        self.public_key = public_key
        self.store = store
        self.now = now
        # Codes and (code, phone) pairs already noted, so repeat page views stay read-only.
        self._opened: set[str] = set()
        self._phones: set[tuple[str, str]] = set()
        self._full: set[str] = set()  # codes with as many phones noted as are recorded
        self._notes = PhoneNotes(store, self._code_full)
        self._opened_lock = threading.Lock()
        # A code's signature verdict never changes: remember genuine ones (phones reload).
        self._verify = lru_cache(maxsize=4096)(self._verify_uncached)

    def close(self) -> None:
        """Write the queued phone notes, stop their thread, then close the database (never
        the other way round: closing a connection another thread is committing on can crash
        the process)."""
        self._notes.stop()
        self.store.close()

    def _verify_uncached(self, code: str) -> claimcode.Parsed:
        return claimcode.verify(code, self.public_key, self.settings.event_id)

    # -- helpers ---------------------------------------------------------------------------
    def today(self) -> date:
        return localday.local_date(self.now(), self.settings.utc_offset_hours)

    def local_time(self, when: datetime) -> str:
        local = localday.local_time(when, self.settings.utc_offset_hours)
        return local.strftime("%Y-%m-%d %H:%M")

    def link(self, code: str) -> str:
        return claimcode.claim_link(self.settings.claim_url, code)

    def resolve(self, text: str) -> str:
        """The full code behind a scan or a typed desk code.

        :raises CodeRejected: ``unknown_desk_code`` if a typed code matches no opened code
        """
        if not claimcode.looks_like_desk_code(text):
            return text
        key = claimcode.desk_key(text)
        codes = self.store.codes_for_desk_key(key)
        if len(codes) == 1:
            return codes[0]
        if len(codes) > 1:  # two codes with one desk code: ask for the QR, never guess
            raise CodeRejected("unknown_desk_code", "two codes share this desk code; scan the QR")
        raise CodeRejected(
            "unknown_desk_code",
            f"no opened claim page has desk code {text.strip().upper()}: scan the QR on the "
            "visitor's phone, or ask them to open the link from the kiosk first",
        )

    # -- verdicts --------------------------------------------------------------------------
    def check(self, text: str, *, opened: bool = False, phone: str | None = None) -> Verdict:
        """What a code is worth now. ``opened``: a visitor's phone is showing it (note its
        desk code so staff can type it later, and ``phone``, the phone's random id)."""
        try:
            parsed = self._verify(claimcode.extract(self.resolve(text)))
        except CodeRejected as exc:
            return Verdict(INVALID, exc.reason, exc.detail)
        claim, code = parsed.claim, parsed.text
        if opened:
            self._note_opened(code, claim)
            if phone is not None:
                self._note_phone(code, phone)
        last_day = claim.last_day(self.settings.claim_days)
        redemption = self.store.redemption(code)
        if redemption is not None:
            return Verdict(
                COLLECTED,
                "collected",
                f"collected {self.local_time(redemption.redeemed_at)} at {redemption.desk}",
                claim,
                code,
                redemption,
                last_day,
            )
        tomorrow = self.today() + timedelta(days=1)  # one day of slack for clocks and zones
        if claim.issued > tomorrow:
            log.warning(
                "code %s from kiosk %s is dated %s, after tomorrow: that kiosk's clock is "
                "ahead; set it",
                claim.ref,
                claim.kiosk,
                claim.issued,
            )
            return Verdict(
                INVALID,
                "issued_in_future",
                f"dated {claim.issued}, after tomorrow ({tomorrow}): kiosk {claim.kiosk}'s "
                "clock is ahead. Set that kiosk's clock; decide this prize by hand",
                claim,
                code,
                last_day=last_day,
            )
        if self.today() > last_day:
            return Verdict(
                EXPIRED,
                "expired",
                f"issued {claim.issued}; could be collected until {last_day}",
                claim,
                code,
                last_day=last_day,
            )
        return Verdict(READY, None, f"valid until {last_day}", claim, code, last_day=last_day)

    def phones(self, code: str | None) -> int:
        """How many different phones opened ``code``'s claim page (0: none, or not a code)."""
        if code is None:
            return 0
        self._notes.flush()
        return self.store.phones(code)

    def redeem(self, text: str, desk: str) -> Verdict:
        """Hand the prize over: exactly one success per code, however many desks try."""
        desk = clean_desk_name(desk, self.settings.desk_name)
        verdict = self.check(text)
        if verdict.status != READY:
            self._note_refused(verdict, desk)
            return verdict
        claim = verdict.claim
        won, row = self.store.redeem(
            code=verdict.code,
            ref=claim.ref,
            tier=claim.tier,
            kiosk=claim.kiosk,
            event=claim.event,
            at=self.now(),
            desk=desk,
        )
        if not won:  # another desk was quicker, a moment ago
            lost = Verdict(
                COLLECTED,
                "collected",
                f"collected {self.local_time(row.redeemed_at)} at {row.desk}",
                claim,
                verdict.code,
                row,
                verdict.last_day,
            )
            self._note_refused(lost, desk)
            return lost
        log.info("handed over %s (%s) at %s", claim.ref, claim.tier, desk)
        return Verdict(
            HANDED_OVER,
            None,
            f"handed over {self.local_time(row.redeemed_at)} at {desk}",
            claim,
            verdict.code,
            row,
            verdict.last_day,
        )

    def _note_opened(self, code: str, claim: Claim) -> None:
        with self._opened_lock:
            if code in self._opened:
                return
            if len(self._opened) > 100_000:
                self._opened.clear()  # bounded memory; the database ignores repeats anyway
            self._opened.add(code)
        self.store.note_opened(
            code,
            claimcode.desk_key(claimcode.desk_code(code)),
            self.now(),
            ref=claim.ref,
            kiosk=claim.kiosk,
        )

    def _note_refused(self, verdict: Verdict, desk: str) -> None:
        """A genuine code the desk would not hand over, for the organisers' claim counts
        (a forged or malformed one has no reference to count it under)."""
        if verdict.claim is None:
            return
        try:
            self.store.note_refused(
                ref=verdict.claim.ref,
                kiosk=verdict.claim.kiosk,
                desk=desk,
                reason=verdict.reason or verdict.status,
                at=self.now(),
            )
        except Exception:  # a count, not the verdict: the desk still gets its answer
            log.exception("could not record the refusal of %s", verdict.claim.ref)

    def _note_phone(self, code: str, phone: str) -> None:
        with self._opened_lock:
            if (code, phone) in self._phones or code in self._full:
                return
            if len(self._phones) > 100_000:
                self._phones.clear()
                self._full.clear()
            self._phones.add((code, phone))
        self._notes.add(code, phone, self.now())

    def _code_full(self, code: str) -> None:
        with self._opened_lock:
            self._full.add(code)  # as many phones as the desk is told of: stop noting
