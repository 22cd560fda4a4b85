"""What the claim server keeps, as one interface both of its databases satisfy.

:class:`ClaimStore` is everything the desk (desk.py), the phone notes (notes.py), the PIN
back-off (security.py) and the staff sessions (sessions.py) ask of storage. The rules — how
long a client waits, when a session is idle, which verdict a code gets — live in those
modules once; a store only keeps rows, and makes the few steps that must be atomic atomic
(one hand-over per code, one PIN try counted at a time per client).

Two stores satisfy it:

* :class:`kiosk.claims.redemptions.RedemptionStore` — a SQLite file: the embedded default,
  for one desk machine (any number of server processes on that machine share the file);
* :class:`kiosk.claims.pgstore.PgClaimStore` — the carnival's central PostgreSQL (the
  ``[postgres] dsn`` in claims.toml): any number of desk processes on any machines agree,
  and the claim events (opened / collected / refused) land in ``claim_events`` for the
  organisers' dashboard.

:func:`kiosk.claims.backend.open_store` picks one from the settings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


class StoreDown(Exception):
    """The store does not answer now (the central database is unreachable or overloaded);
    the server answers "try again in a minute" and carries on."""


MAX_PHONES = 5  # phones recorded per code: "5 or more" is all the desk needs to know


@dataclass(frozen=True)
class Redemption:
    code: str
    ref: str
    tier: str
    redeemed_at: datetime
    desk: str


@dataclass(frozen=True)
class SessionRow:
    """A staff session as stored: times are wall-clock seconds (shared by processes)."""

    desk: str
    started_at: float
    seen_at: float
    ended_why: str | None


class ClaimStore(Protocol):
    """Storage for the claim server; every method is safe from any thread."""

    # -- hand-overs ---------------------------------------------------------------------------
    def redemption(self, code: str) -> Redemption | None:
        """The hand-over of ``code``, if there was one."""

    def redeem(
        self, *, code: str, ref: str, tier: str, kiosk: str, event: int, at: datetime, desk: str
    ) -> tuple[bool, Redemption]:
        """Record a hand-over. ``(True, row)`` for the one that counts, ``(False, existing)``
        for every other attempt on the same code, however concurrent, from any process."""

    def note_refused(self, *, ref: str, kiosk: str, desk: str, reason: str, at: datetime) -> None:
        """A desk refused to hand over a genuine code (already collected, expired …)."""

    def count(self) -> int:
        """How many prizes were handed over."""

    # -- claim pages opened -------------------------------------------------------------------
    def note_opened(self, code: str, desk_key: str, at: datetime, *, ref: str, kiosk: str) -> None:
        """A phone opened ``code``'s page (only the first time counts): keep its desk key."""

    def codes_for_desk_key(self, desk_key: str) -> list[str]:
        """Opened codes whose typeable desk code has this key."""

    def note_phones(self, notes: list[tuple[str, str, datetime]]) -> set[str]:
        """Record (code, phone id, time) notes, at most ``MAX_PHONES`` phones per code; may
        skip the disk flush (a power cut may lose them). Returns the codes now full."""

    def phones(self, code: str) -> int:
        """How many different phones have opened ``code``'s claim page."""

    # -- the desk's door ----------------------------------------------------------------------
    def secret(self, name: str) -> bytes:
        """A random secret made once per store and shared by every server process on it."""

    def count_login_attempt(
        self, client: str, now: float, forget_s: float, wait: Callable[[int, float], float]
    ) -> float:
        """One PIN try, atomically per client across processes: with the client's recent
        ``(failures, last_at)`` (``(0, now)`` when none within ``forget_s``), ``wait`` says
        how long it must still wait; above 0 that is returned and nothing changes, else the
        try is counted as a failure at ``now`` (rows older than ``forget_s`` are dropped) and
        0 is returned."""

    def login_failures(self, client: str) -> tuple[int, float] | None:
        """``(failures, last_at)`` of ``client``, or ``None``."""

    def forget_login_failures(self, client: str) -> None:
        """The client typed the right PIN: its count starts again."""

    def start_session(self, token_hash: str, desk: str, now: float) -> None: ...

    def session(self, token_hash: str) -> SessionRow | None: ...

    def touch_session(self, token_hash: str, now: float) -> None: ...

    def end_session(self, token_hash: str, now: float, why: str) -> None:
        """Close a session for good; a no-op for an unknown or already closed one."""

    def close(self) -> None: ...
