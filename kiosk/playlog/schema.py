"""What a kiosk database holds: table names, the plays columns, schema migrations, and the
one text format of a timestamp.

Schema versions go through :class:`sqlite_utils.migrations.Migrations` (set ``smartizen``);
add a new function with ``@_migration()`` to change the schema, never edit an applied one.
``MIGRATIONS`` is made when first asked for: importing sqlite_utils (numpy with it) cost an
organiser's command such as ``smartizen report`` 0.14 s that only reads constants from here.
Timestamps are stored as UTC ISO 8601 text with milliseconds and ``Z`` (:func:`utc_iso`),
so they sort and compare like the instants they name.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from kiosk.sync import outbox

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

log = logging.getLogger(__name__)

OUTCOMES = ("completed", "abandoned", "error")
IN_PROGRESS = "in_progress"

PLAYS = "plays"
AUDIT = "audit"
GAME_SWITCHES = "game_switches"
STOCK_ADJUSTMENTS = "stock_adjustments"
VISITS = "visits"
DAILY_STOCK = "daily_stock"
# The plays columns organisers' tools read from any log, old or new (export, merge).
PLAY_COLUMNS: dict[str, type] = {
    "id": str,
    "kiosk_id": str,
    "game": str,
    "language": str,
    "difficulty": str,
    "started_at": str,
    "ended_at": str,
    "duration_s": float,
    "score": int,
    "outcome": str,
    "details": str,
    "prize_tier": str,
    "prize_serial": int,
    "prize_ref": str,
    "prize_code": str,
}
#: Plays columns added since, which an older file (a merged fleet file from last year) lacks.
LATER_PLAY_COLUMNS: dict[str, type] = {
    "earned_tier": str,  # the tier the score earned; prize_tier is the one given (stock)
}

#: One visitor's path at the booth (docs/fleet-contract.md): when each stage was reached,
#: the language and game chosen, the play; nothing about the person.
VISIT_COLUMNS: dict[str, type] = {
    "id": str,
    "kiosk_id": str,
    "touched_at": str,
    "language_chosen_at": str,
    "language": str,
    "game_chosen_at": str,
    "game": str,
    "play_started_at": str,
    "play_id": str,
    "finished_at": str,  # the round ended, completed or not
    "qr_shown_at": str,
    "left_at": str,  # back to attract: done, walked away, a failure, staff
    "last_stage": str,  # the furthest stage reached: VISIT_PROGRESS
}
#: Stages in the order a visitor reaches them; ``last_stage`` is the furthest one reached
#: (leaving sets ``left_at`` and keeps it, so the funnel's drop-off point stays readable).
VISIT_PROGRESS = ("touched", "language", "game", "started", "completed", "qr")
#: The stages a visit is updated with after its touch: the time column each sets, and the
#: column its value goes in ("finished" carries the play's outcome, kept on the play).
VISIT_STAGES: dict[str, tuple[str, str | None]] = {
    "language": ("language_chosen_at", "language"),
    "game": ("game_chosen_at", "game"),
    "started": ("play_started_at", "play_id"),
    "finished": ("finished_at", None),
    "qr": ("qr_shown_at", None),
    "left": ("left_at", None),
}

#: The migration functions in the order they apply: ``MIGRATIONS`` registers them.
_MIGRATION_FUNCTIONS: list[Callable[[Database], None]] = []


def _migration() -> Callable[[Callable[[Database], None]], Callable[[Database], None]]:
    """Register a migration, as ``@MIGRATIONS()`` would, without importing sqlite_utils."""

    def register(fn: Callable[[Database], None]) -> Callable[[Database], None]:
        _MIGRATION_FUNCTIONS.append(fn)
        return fn

    return register


_built: list[Migrations] = []


def __getattr__(name: str) -> Migrations:
    """``MIGRATIONS``: the set of schema migrations, made on first use."""
    if name != "MIGRATIONS":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    if not _built:
        from sqlite_utils.migrations import Migrations

        migrations = Migrations("smartizen")
        for fn in _MIGRATION_FUNCTIONS:
            migrations()(fn)
        _built.append(migrations)
    return _built[0]


@_migration()
def create_plays(db: Database) -> None:
    """First schema: the plays table and the indexes the daily tallies filter on."""
    plays = db.table(PLAYS)
    plays.create(
        PLAY_COLUMNS,
        pk="id",
        not_null=["kiosk_id", "game", "language", "difficulty", "started_at", "outcome"],
        strict=True,  # a typo'd type (score "87") fails loudly instead of skewing tallies
    )
    plays.create_index(["started_at"], index_name="idx_plays_started_at")
    plays.create_index(["game", "started_at"], index_name="idx_plays_game_started_at")
    plays.create_index(["outcome"], index_name="idx_plays_outcome")
    plays.create_index(["kiosk_id", "outcome"], index_name="idx_plays_kiosk_outcome")


@_migration()
def create_staff_tables(db: Database) -> None:
    """Staff actions (audit) and today's per-game switches; never a PIN or visitor data."""
    db.table(AUDIT).create(
        {"id": int, "at": str, "kiosk_id": str, "action": str, "detail": str},
        pk="id",
        not_null=["at", "kiosk_id", "action"],
        strict=True,
    )
    db.table(AUDIT).create_index(["at"], index_name="idx_audit_at")
    db.table(GAME_SWITCHES).create(
        {"day": str, "kiosk_id": str, "game": str, "enabled": int},
        pk=("day", "kiosk_id", "game"),
        not_null=["enabled"],
        strict=True,
    )


@_migration()
def create_prize_tables(db: Database) -> None:
    """Prize stock corrections by staff, and the indexes prize awards rely on: serials are
    unique per kiosk (NULLs allowed: plays without a prize) and today's awards are counted
    by ``ended_at``."""
    db.table(STOCK_ADJUSTMENTS).create(
        {
            "id": int,
            "at": str,
            "kiosk_id": str,
            "day": str,
            "tier": str,
            "delta": int,
            "note": str,
        },
        pk="id",
        not_null=["at", "kiosk_id", "day", "tier", "delta"],
        strict=True,
    )
    db.table(STOCK_ADJUSTMENTS).create_index(
        ["kiosk_id", "day"], index_name="idx_stock_adjustments_kiosk_day"
    )
    plays = db.table(PLAYS)
    plays.create_index(
        ["kiosk_id", "prize_serial"], index_name="idx_plays_prize_serial", unique=True
    )
    plays.create_index(["kiosk_id", "ended_at"], index_name="idx_plays_kiosk_ended_at")


@_migration()
def add_sync_outbox(db: Database) -> None:
    """The fleet outbox (kiosk/sync/outbox.py): a ``version`` on every synced row, set by
    triggers from one counter, and ``sync_state``. A later migration that creates a synced
    table calls :func:`kiosk.sync.outbox.install` again (it is re-runnable)."""
    outbox.install(db)


#: The UTC hour of a play's start, as the organisers' report groups by it: the text of
#: :data:`REPORT_HOUR_INDEX`'s first column, which a query must repeat exactly to use it.
HOUR_OF_START = "substr(started_at, 1, 13)"
REPORT_HOUR_INDEX = "idx_plays_report_hour"
KIOSK_OUTCOME_INDEX = "idx_plays_kiosk_outcome_started"


@_migration()
def add_report_indexes(db: Database) -> None:
    """Indexes that let ``smartizen report`` read a million plays in index order instead of
    sorting them (kiosk/organiser/reportdata.py): every number per hour, game, outcome,
    tier and score comes from walking the first, already grouped; which kiosks played on
    which day are a few lookups in the second. ``(kiosk_id, outcome)`` becomes a prefix of
    the second, so it goes."""
    db.execute(
        f"CREATE INDEX {REPORT_HOUR_INDEX} ON {PLAYS} "
        f"({HOUR_OF_START}, game, outcome, prize_tier, score, started_at)"
    )
    db.execute("DROP INDEX IF EXISTS idx_plays_kiosk_outcome")
    db.execute(f"CREATE INDEX {KIOSK_OUTCOME_INDEX} ON {PLAYS} (kiosk_id, outcome, started_at)")


@_migration()
def create_visits(db: Database) -> None:
    """Visits (one row per visitor, for the funnel) and the tier a play earned beside the
    tier it was given, so a day's downgrades are data, not a guess."""
    db.table(VISITS).create(
        VISIT_COLUMNS,
        pk="id",
        not_null=["kiosk_id", "touched_at", "last_stage"],
        strict=True,
    )
    db.table(VISITS).create_index(["touched_at"], index_name="idx_visits_touched_at")
    plays = db.table(PLAYS)
    for column, kind in LATER_PLAY_COLUMNS.items():
        if column not in plays.columns_dict:
            plays.add_column(column, kind)
    outbox.install(db)  # visits is synced: its version column and triggers


@_migration()
def create_daily_stock(db: Database) -> None:
    """The daily stock each tier was configured with (kiosk.toml's ``daily_stock``) per local
    day, so a day's stock (configured + adjustments − given) is data the centre can read
    after the booth or the fleet service restarted. No visitor data; synced like the rest."""
    db.table(DAILY_STOCK).create(
        {"day": str, "kiosk_id": str, "tier": str, "configured": int, "set_at": str},
        pk=("day", "kiosk_id", "tier"),
        not_null=["configured", "set_at"],
        strict=True,
    )
    outbox.install(db)  # daily_stock is synced: its version column and triggers


def utc_iso(dt: datetime) -> str:
    """Format ``dt`` as ``2026-11-24T22:30:01.123Z``.

    One fixed width and zone makes the text sort and compare like the instant it names, so
    SQL range filters on ``started_at`` work without date functions. Naive datetimes are
    refused because guessing their zone would silently shift a whole day's log.
    """
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"timestamp must be timezone-aware, got naive {dt!r}")
    dt = dt.astimezone(UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text)  # Python 3.11+ accepts the trailing "Z"


def duration_s(started_iso: str, ended_iso: str, play_id: str) -> float:
    """Seconds between the stored timestamps, so the row is consistent with itself."""
    seconds = (parse_iso(ended_iso) - parse_iso(started_iso)).total_seconds()
    if seconds < 0:
        # A clock jump must not put negative time into the organisers' averages.
        log.warning("play %s ended %.3f s before it started; recording 0", play_id, -seconds)
        seconds = 0.0
    return round(seconds, 3)
