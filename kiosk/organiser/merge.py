"""Combine many kiosks' play logs into one fleet file (``smartizen merge``).

* Inputs are only ever opened read-only (``file:…?mode=ro``, attached to the fleet
  connection; ``immutable`` when no ``-wal`` lies beside them, so nothing appears beside a
  copied file), so their bytes never change; plays a running kiosk has committed to its
  WAL are included. Every input is checked before anything is written: one file that is not a
  kiosk database stops the merge with nothing changed.
* The fleet file is a kiosk database (created and migrated by
  :class:`kiosk.playlog.store.PlayStore`), so every tally command works on it, and it can itself be
  merged again. A new one has the merged file's layout (:mod:`kiosk.organiser.fleetfile`):
  only the plays indexes organisers' tools use, built once at the end.
* Plays are keyed by their id (a UUID made on the kiosk), so merging twice, or merging
  overlapping copies of one kiosk's file, counts every play once. When two copies of a play
  differ, the more finished one wins, by :data:`CONFLICT_RULE`; the choice never depends on
  the order of the inputs.
* Staff logs (``audit``, ``stock_adjustments``) are carried over once each row, compared by
  content, since their integer ids are only unique within one kiosk. Per-kiosk settings
  (``game_switches``, the configured ``daily_stock``: the central store has them from each
  kiosk's own file) and sqlite-utils' migration bookkeeping are not fleet data and are
  left out; the fleet file records its own migrations.
* Prize serials are unique per kiosk id. Two different plays with the same kiosk id and
  serial (two booths configured with one kiosk id) stop the merge with a message naming
  them, rather than silently dropping a prize.
* Rows are copied by SQLite itself (``INSERT … SELECT``). A new fleet file is built under
  a temporary name and renamed into place when complete; its plays are appended with no
  index and copies of one play settled afterwards, with the same counts and winners.
  Merging into an existing one first gives it the unique indexes an upsert needs
  (:func:`kiosk.organiser.fleetfile.add_upsert_indexes`), then takes one ``BEGIN
  IMMEDIATE`` transaction per batch of attached files (SQLite attaches at most ten at a
  time); an interrupted merge is completed by running it again.
"""

from __future__ import annotations

import os
import sqlite3
from bisect import bisect_left
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from itertools import accumulate, groupby
from pathlib import Path

from kiosk.organiser import fleetfile
from kiosk.organiser.background_sync import BackgroundSync
from kiosk.organiser.play_ids import IdsRead
from kiosk.playlog.access import (
    BUSY_TIMEOUT_S,
    DatabaseBusy,
    NotAKioskDatabase,
    check_file,
    file_uri,
    open_read,
    plays_columns,
)
from kiosk.playlog.schema import AUDIT, DAILY_STOCK, GAME_SWITCHES, PLAYS, VISIT_COLUMNS, VISITS
from kiosk.playlog.transaction import WriteLockBusy, immediate
from kiosk.sync import outbox

# numpy and the kiosk store (sqlite_utils) are imported where a merge needs them, not with
# this module: every ``smartizen`` command imports it, and ``report`` paid 0.14 s for them.

#: How a conflict between two copies of one play is settled: compare these in order and keep
#: the greater. Outcome first (a finished play beats one in progress; an outcome the kiosk
#: recorded beats ``abandoned``, which a restart or ``smartizen reset`` infers), then whether
#: a prize was issued, then the later ``ended_at``; the last resort compares the whole row,
#: so the result is the same whatever order the files are given in.
CONFLICT_RULE = (
    "outcome: completed > error > abandoned > in_progress",
    "a prize issued > none",
    "later ended_at",
    "whole row, as text (a tie-break that ignores input order)",
)
OUTCOME_RANK = {"completed": 3, "error": 2, "abandoned": 1, "in_progress": 0}
PRIZE_COLUMNS = ("prize_tier", "prize_serial", "prize_ref", "prize_code")

#: Append-only staff logs, merged row by row (``stock_adjustments`` comes with the prize
#: tables; a file without it simply has nothing to add).
LOG_TABLES = (AUDIT, "stock_adjustments")
#: Tables that are per-kiosk state or bookkeeping, not fleet data: left out without comment.
#: So are the outbox's counter, acknowledgements, file identity and rows set aside
#: (kiosk/sync/outbox.py; the fleet file has its own); the plays' ``version`` is copied like
#: any column, so a fleet file keeps each kiosk's play versions.
NOT_MERGED = {
    GAME_SWITCHES,
    DAILY_STOCK,
    "_sqlite_migrations",
    outbox.CLOCK,
    outbox.STATE,
    outbox.IDENTITY,
    outbox.QUARANTINE,
}


class MergeConflict(Exception):
    """Two different plays claim the same kiosk id and prize serial; the batch was undone."""


class MergeRefused(Exception):
    """Some inputs (or the target) cannot be merged; nothing was written."""

    def __init__(self, problems: list[NotAKioskDatabase]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class Counts:
    read: int = 0
    added: int = 0
    updated: int = 0

    @property
    def unchanged(self) -> int:
        return self.read - self.added - self.updated


@dataclass
class SourceResult:
    path: Path
    kiosks: list[str]
    plays: Counts = field(default_factory=Counts)
    logs: dict[str, Counts] = field(default_factory=dict)  # audit, stock_adjustments
    visits: Counts = field(default_factory=Counts)
    skipped_columns: list[str] = field(default_factory=list)
    skipped_tables: list[str] = field(default_factory=list)


@dataclass
class MergeResult:
    into: Path
    sources: list[SourceResult]
    plays: int  # in the fleet file afterwards
    kiosks: int


@dataclass
class _Source:
    path: Path
    columns: list[str]
    tables: set[str]
    kiosks: list[str]


#: How one input's plays go into the fleet file: (connection, input's alias, fleet file's
#: plays columns, input's plays columns) → counts.
PlaysStep = Callable[[sqlite3.Connection, str, list[str], list[str]], Counts]


def merge(inputs: Sequence[str | Path], into: str | Path) -> MergeResult:
    """Merge ``inputs`` into ``into`` (created if missing). Raises :class:`MergeRefused`
    before writing anything if any file is unfit, :class:`MergeConflict` for a prize serial
    clash (that batch, or a new fleet file, is not written), :class:`DatabaseBusy` if the
    fleet file stays locked."""
    into = Path(into)
    sources, problems = _inspect(_unique(inputs), into)
    if problems:
        raise MergeRefused(problems)
    if not into.exists():
        return _build_new(sources, into)
    from kiosk.playlog.store import PlayStore

    PlayStore(into, kiosk_id="fleet").close()  # migrate to the current schema
    conn = _connect(into)
    try:
        conn.execute("PRAGMA synchronous=FULL")
        try:
            fleetfile.add_upsert_indexes(conn)
        except WriteLockBusy as exc:
            raise DatabaseBusy(f"fleet file is busy ({exc}); try again in a moment") from None
        except sqlite3.IntegrityError as exc:
            message = _describe_duplicate(conn, sources, exc)
            raise MergeConflict(f"{message}; nothing was merged") from None
        results = _merge_all(conn, sources, _upsert_plays)
        return _result(conn, into, results)
    finally:
        conn.close()


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(
        file_uri(path, read_only=False),
        uri=True,  # lets ATTACH take the inputs' read-only URIs
        timeout=BUSY_TIMEOUT_S,
        isolation_level=None,
    )
    # Measured on a million plays: a 128 MiB cache holds the id index's hot pages; sorter
    # helper threads (PRAGMA threads) only cost more on a busy two-core machine. Reads are
    # not memory-mapped: on a virtual machine each page's first touch is a page fault, and
    # a new fleet file took 0.4 s longer with mmap_size=1 GiB (2.2 s against 1.8).
    conn.execute("PRAGMA cache_size=-131072")
    conn.execute("PRAGMA temp_store=MEMORY")
    return conn


def _build_new(sources: list[_Source], into: Path) -> MergeResult:
    """A new fleet file is built beside its destination and renamed into place when
    complete, so it appears whole or not at all. It has the merged file's own layout
    (:mod:`kiosk.organiser.fleetfile`): every input's plays are appended with no index or
    trigger at all, copies of one play are then settled by :data:`CONFLICT_RULE`, and the
    one index a merged file is built with is made once, sorted.

    What the booth's unique indexes would check is checked on the way instead: one row per
    play id (64-bit fingerprints of the ids, read by a worker while the plays are copied,
    all differ: :mod:`kiosk.organiser.play_ids`; else copies are settled by id), and no
    kiosk's prize serial on two plays (only inputs sharing a kiosk, or one not keeping its
    own serials unique, can bring that)."""
    partial = into.with_name(f".{into.name}.merging")
    _remove_db(partial)  # left by an interrupted run
    pending = fleetfile.create(partial)
    conn = _connect(partial)
    shared = _share_kiosks(sources)  # then copies are settled by id whatever the ids say
    ids = None if shared else IdsRead([source.path for source in sources])
    early: BackgroundSync | None = None
    try:
        # Written once, and deleted on any failure: no journal on disk and no syncs until
        # the end. A journal in memory still undoes a statement that fails.
        conn.execute("PRAGMA journal_mode=MEMORY")
        conn.execute("PRAGMA synchronous=OFF")
        appended = _Appended()
        results = _merge_all(conn, sources, appended.append)
        early = BackgroundSync(partial)  # the plays' pages to disk while the index is built
        settled = ids is None or not ids.distinct([r.plays.read for r in results])
        if settled:
            _settle_copies(conn, results)
        if shared or not appended.serials_unique:
            _check_serials(conn, sources)
        for _, sql in pending.indexes:
            conn.execute(sql)
        pending.add_triggers(conn, appended.unversioned)
        conn.execute("PRAGMA journal_mode=WAL")  # the kiosk's mode, for readers alongside
        if settled:  # a loser may have been a kiosk's only play (under an edited kiosk id)
            result = _result(conn, into, results)
        else:  # every row appended stayed: no need to count a million of them again
            result = MergeResult(into, results, appended.rows, len(appended.kiosks))
    except BaseException:
        conn.close()
        if ids is not None:
            ids.stop()
        if early is not None:
            early.wait()
        _remove_db(partial)
        raise
    conn.close()
    if early is not None:
        early.wait()
    with open(partial, "rb+") as handle:
        os.fsync(handle.fileno())
    for suffix in ("-wal", "-shm"):  # empty: every page was written before WAL mode
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    os.replace(partial, into)
    return result


def _check_serials(conn: sqlite3.Connection, sources: list[_Source]) -> None:
    """What the unique ``(kiosk_id, prize_serial)`` index checks, once for a new file."""
    clash = conn.execute(
        f"SELECT 1 FROM {PLAYS} WHERE prize_serial IS NOT NULL "
        "GROUP BY kiosk_id, prize_serial HAVING count(*) > 1 LIMIT 1"
    ).fetchone()
    if clash:
        message = _describe_duplicate(conn, sources, None)
        raise MergeConflict(f"{message}; nothing was merged")


def _share_kiosks(sources: list[_Source]) -> bool:
    kiosks = [k for source in sources for k in source.kiosks]
    return len(kiosks) != len(set(kiosks))


def _settle_copies(conn: sqlite3.Connection, results: list[SourceResult]) -> None:
    """Keep one row per play id, the copy :data:`CONFLICT_RULE` ranks highest, and count as
    if the inputs had been merged one after another: a play's first copy is new, a later
    one that outranks every copy before it is an update, any other is unchanged.

    Rows were appended input by input to an empty table, which numbers them 1, 2, 3… in
    that order, so a rowid says which input a copy came from."""
    columns = plays_columns(conn, "fleet file")
    last_rowids = list(accumulate(r.plays.read for r in results))
    copies = conn.execute(
        f"SELECT rowid, id, {_rank_sql(PLAYS, columns)} FROM {PLAYS} "
        f"WHERE id IN (SELECT id FROM {PLAYS} GROUP BY id HAVING count(*) > 1) "
        "ORDER BY id, rowid"
    )
    losers = []
    for _, group in groupby(copies, key=lambda row: row[1]):
        best, *later = group
        for row in later:
            counts = results[bisect_left(last_rowids, row[0])].plays
            counts.added -= 1
            if row[2:] > best[2:]:  # the rank's terms, compared as SQL compares the row value
                counts.updated += 1
                losers.append(best[0])
                best = row
            else:
                losers.append(row[0])
    conn.executemany(f"DELETE FROM {PLAYS} WHERE rowid = ?", [(rowid,) for rowid in losers])


def _remove_db(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _merge_all(
    conn: sqlite3.Connection, sources: list[_Source], plays: PlaysStep
) -> list[SourceResult]:
    results = []
    batch_size = max(1, conn.getlimit(sqlite3.SQLITE_LIMIT_ATTACHED))
    for start in range(0, len(sources), batch_size):
        results += _merge_batch(conn, sources[start : start + batch_size], plays)
    return results


def _result(conn: sqlite3.Connection, into: Path, results: list[SourceResult]) -> MergeResult:
    plays, kiosks = conn.execute(
        f"SELECT count(*), count(DISTINCT kiosk_id) FROM {PLAYS}"
    ).fetchone()
    return MergeResult(into, results, plays, kiosks)


def _unique(paths: Sequence[str | Path]) -> list[Path]:
    seen: set[Path] = set()
    out = []
    for raw in paths:
        path = Path(raw)
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            out.append(path)
    return out


def _inspect(paths: list[Path], into: Path) -> tuple[list[_Source], list[NotAKioskDatabase]]:
    problems: list[NotAKioskDatabase] = []
    if not into.parent.is_dir():
        problems.append(NotAKioskDatabase(into, "--into is in a folder that does not exist"))
    elif into.exists():
        if into.is_file() and into.stat().st_size > 0:
            try:
                open_read(into).close()
            except NotAKioskDatabase as exc:
                problems.append(NotAKioskDatabase(into, f"--into {exc.reason}"))
        elif not into.is_file():
            problems.append(NotAKioskDatabase(into, "--into is not a file"))
    sources = []
    for path in paths:
        if into.exists() and path.exists() and path.resolve() == into.resolve():
            problems.append(
                NotAKioskDatabase(path, "is also the --into file; inputs stay untouched")
            )
            continue
        try:
            conn = open_read(path)
        except NotAKioskDatabase as exc:
            problems.append(exc)
            continue
        try:
            columns = plays_columns(conn, path)
            tables = {
                name
                for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            kiosks = _kiosk_ids(conn, "main")
        except sqlite3.DatabaseError as exc:
            problems.append(NotAKioskDatabase(path, f"cannot be read ({exc})"))
            continue
        finally:
            conn.close()
        sources.append(_Source(path, columns, tables, kiosks))
    return sources, problems


def _kiosk_ids(conn: sqlite3.Connection, schema: str) -> list[str | None]:
    """The distinct kiosk ids of ``schema``'s plays, in order (None first, if any play has
    none). Where an index starts with ``kiosk_id`` (a booth's file has several) it is
    walked from one kiosk to the next, a few pages each, not read through: that read was
    as dear as every other check of a merge together."""
    plays = f"{schema}.{PLAYS}"
    indexed = any(
        conn.execute(f'PRAGMA {schema}.index_info("{name}")').fetchone()[2] == "kiosk_id"
        for _, name, *_ in conn.execute(f"PRAGMA {schema}.index_list({PLAYS})").fetchall()
    )
    if not indexed:
        return [k for (k,) in conn.execute(f"SELECT DISTINCT kiosk_id FROM {plays} ORDER BY 1")]
    walk = conn.execute(
        f"""
        WITH RECURSIVE k(id) AS (
            SELECT min(kiosk_id) FROM {plays}
            UNION ALL
            SELECT (SELECT min(kiosk_id) FROM {plays} WHERE kiosk_id > k.id)
            FROM k WHERE k.id IS NOT NULL
        )
        SELECT id FROM k WHERE id IS NOT NULL
        """
    )
    kiosks: list[str | None] = [k for (k,) in walk]
    if conn.execute(f"SELECT 1 FROM {plays} WHERE kiosk_id IS NULL LIMIT 1").fetchone():
        kiosks.insert(0, None)
    return kiosks


def _merge_batch(
    conn: sqlite3.Connection, batch: list[_Source], plays: PlaysStep
) -> list[SourceResult]:
    aliases = [f"src{i}" for i in range(len(batch))]
    for source, alias in zip(batch, aliases, strict=True):
        check_file(source.path)  # still there since inspection
        conn.execute("ATTACH DATABASE ? AS " + alias, [file_uri(source.path)])
    try:
        with immediate(conn):
            results = []
            for source, alias in zip(batch, aliases, strict=True):
                try:
                    results.append(_merge_source(conn, source, alias, plays))
                except sqlite3.IntegrityError as exc:
                    undone = ", ".join(str(s.path) for s in batch)
                    raise MergeConflict(
                        f"{_describe_clash(conn, source, alias, exc)}; nothing from "
                        f"{undone} was merged"
                    ) from None
    except WriteLockBusy as exc:
        raise DatabaseBusy(f"fleet file is busy ({exc}); try again in a moment") from None
    finally:
        for alias in aliases:
            conn.execute("DETACH DATABASE " + alias)
    return results


def _merge_source(
    conn: sqlite3.Connection, source: _Source, alias: str, plays: PlaysStep
) -> SourceResult:
    result = SourceResult(source.path, source.kiosks)
    fleet_columns = plays_columns(conn, "fleet file")
    columns = plays_columns(conn, source.path, schema=alias)
    result.skipped_columns = [c for c in columns if c not in fleet_columns]
    result.plays = plays(conn, alias, fleet_columns, columns)
    for table in LOG_TABLES:
        if table in source.tables:
            result.logs[table] = _append_distinct(conn, alias, table)
    if VISITS in source.tables:
        result.visits = _merge_visits(conn, alias)
    result.skipped_tables = sorted(
        t
        for t in source.tables
        if t not in {PLAYS, VISITS, *LOG_TABLES, *NOT_MERGED} and not t.startswith("sqlite_")
    )
    return result


def _upsert_plays(
    conn: sqlite3.Connection, alias: str, fleet_columns: list[str], columns: list[str]
) -> Counts:
    """Into an existing fleet file: a play found again is updated only if it outranks the
    copy already there (:data:`CONFLICT_RULE`)."""
    return _upsert(
        conn,
        f"""
        INSERT INTO main.{PLAYS} ({", ".join(fleet_columns)})
        SELECT {_select(fleet_columns, columns)}
        FROM {alias}.{PLAYS} WHERE true
        ON CONFLICT(id) DO UPDATE SET
            {", ".join(f"{c} = excluded.{c}" for c in fleet_columns if c != "id")}
        WHERE ({_row_sql("excluded", fleet_columns)}) IS NOT ({_row_sql(PLAYS, fleet_columns)})
          AND ({_rank_sql("excluded", fleet_columns)}) > ({_rank_sql(PLAYS, fleet_columns)})
        """,
        f"{alias}.{PLAYS}",
        f"main.{PLAYS}",
    )


class _Appended:
    """Appends each input's plays to a new fleet file (no index yet: copies of one play
    included, :func:`_settle_copies` keeps one of each) and notes, from the same reads,
    what the file's missing unique indexes and the outbox's version stamps depend on."""

    def __init__(self) -> None:
        self.rows = 0
        self.unversioned = False  # some play came without an outbox version
        self.serials_unique = True  # every input keeps (kiosk_id, prize_serial) unique
        self.kiosks: set[str] = set()  # the kiosk ids of the plays appended

    def append(
        self, conn: sqlite3.Connection, alias: str, fleet_columns: list[str], columns: list[str]
    ) -> Counts:
        order = ", ".join(c for c in fleetfile.APPEND_ORDER if c in columns or "(" in c)
        added = conn.execute(
            f"INSERT INTO main.{PLAYS} ({', '.join(fleet_columns)}) "
            f"SELECT {_select(fleet_columns, columns)} FROM {alias}.{PLAYS} ORDER BY {order}"
        ).rowcount
        self.rows += added
        self.unversioned = self.unversioned or (
            "version" not in columns
            or conn.execute(
                f"SELECT 1 FROM {alias}.{PLAYS} WHERE version IS NULL LIMIT 1"
            ).fetchone()
            is not None
        )
        # Read in the copy's transaction, so the same plays.
        self.kiosks.update(k for k in _kiosk_ids(conn, alias) if k is not None)
        unique = fleetfile.unique_indexes(conn, alias)
        self.serials_unique = self.serials_unique and ["kiosk_id", "prize_serial"] in unique
        return Counts(read=added, added=added)


def _select(fleet_columns: list[str], columns: list[str]) -> str:
    """The fleet file's plays columns from an input's (NULL for those it lacks)."""
    return ", ".join(c if c in columns else "NULL" for c in fleet_columns)


def _merge_visits(conn: sqlite3.Connection, alias: str) -> Counts:
    """Visits by id; a copy that saw more of the visit (more stages stamped) wins, so a
    file merged before the visitor left is completed by a later copy, never undone."""
    source = {name for name, _, _ in _table_info(conn, alias, VISITS)}
    columns = [c for c in VISIT_COLUMNS if c in source]
    stamped = [c for c in VISIT_COLUMNS if c.endswith("_at") and c in source]

    def seen(table: str) -> str:
        return " + ".join(f"({table}.{c} IS NOT NULL)" for c in stamped)

    return _upsert(
        conn,
        f"""
        INSERT INTO main.{VISITS} ({", ".join(columns)})
        SELECT {", ".join(columns)} FROM {alias}.{VISITS} WHERE true
        ON CONFLICT(id) DO UPDATE SET
            {", ".join(f"{c} = excluded.{c}" for c in columns if c != "id")}
        WHERE {seen("excluded")} > {seen(VISITS)}
        """,
        f"{alias}.{VISITS}",
        f"main.{VISITS}",
    )


def _describe_duplicate(
    conn: sqlite3.Connection, sources: list[_Source], exc: sqlite3.IntegrityError | None
) -> str:
    clash = conn.execute(
        f"SELECT kiosk_id, prize_serial, group_concat(id, ' and ') FROM {PLAYS} "
        "WHERE prize_serial IS NOT NULL GROUP BY 1, 2 HAVING count(*) > 1 LIMIT 1"
    ).fetchone()
    if clash is None:
        return f"fleet file: {exc}"
    kiosk, serial, plays = clash
    files = []
    for source in sources:
        with closing(open_read(source.path)) as src:
            found = src.execute(
                f"SELECT 1 FROM {PLAYS} WHERE kiosk_id = ? AND prize_serial = ?", [kiosk, serial]
            ).fetchone()
        if found:
            files.append(str(source.path))
    return (
        f"plays {plays} (in {', '.join(files)}) both have kiosk id {kiosk} and prize serial "
        f"{serial}; are two kiosks set to the same kiosk_id?"
    )


def _describe_clash(
    conn: sqlite3.Connection, source: _Source, alias: str, exc: sqlite3.IntegrityError
) -> str:
    if "prize_serial" in source.columns:
        clash = conn.execute(
            f"SELECT s.id, s.kiosk_id, s.prize_serial, f.id FROM {alias}.{PLAYS} s "
            f"JOIN main.{PLAYS} f ON f.kiosk_id = s.kiosk_id AND f.prize_serial = s.prize_serial "
            "AND f.id != s.id LIMIT 1"
        ).fetchone()
        if clash:
            play, kiosk, serial, other = clash
            return (
                f"{source.path}: play {play} and play {other} (merged earlier) both have "
                f"kiosk id {kiosk} and prize serial {serial}; are two kiosks set to the same "
                "kiosk_id?"
            )
    return f"{source.path}: {exc}"


def _row_sql(table: str, columns: list[str]) -> str:
    """The whole row as a row value: a cheap first test that skips identical copies (a
    re-run) before the rank, which builds JSON, is computed."""
    return ", ".join(f"{table}.{c}" for c in columns)


def _rank_sql(table: str, columns: list[str]) -> str:
    """The row value that :data:`CONFLICT_RULE` compares, for ``table``'s row."""
    outcome = " ".join(f"WHEN '{o}' THEN {r}" for o, r in OUTCOME_RANK.items())
    prizes = [f"{table}.{c} IS NOT NULL" for c in PRIZE_COLUMNS if c in columns] or ["0"]
    ended = f"coalesce({table}.ended_at, '')" if "ended_at" in columns else "''"
    whole = "json_array(" + ", ".join(f"{table}.{c}" for c in columns) + ")"
    return f"CASE {table}.outcome {outcome} ELSE -1 END, ({' OR '.join(prizes)}), {ended}, {whole}"


def _upsert(conn: sqlite3.Connection, sql: str, source: str, target: str) -> Counts:
    # New rows take rowids above the current maximum (the table never deletes), so the
    # maximum's growth counts them without scanning a million-row index.
    read = conn.execute(f"SELECT count(*) FROM {source}").fetchone()[0]
    top = f"SELECT coalesce(max(rowid), 0) FROM {target}"
    before = conn.execute(top).fetchone()[0]
    # rowcount, not total_changes: the outbox's triggers (kiosk/sync/outbox.py) stamp a
    # version on a row that arrives without one, and total_changes counts that too.
    changed = conn.execute(sql).rowcount
    added = conn.execute(top).fetchone()[0] - before
    return Counts(read=read, added=added, updated=changed - added)


def _append_distinct(conn: sqlite3.Connection, alias: str, table: str) -> Counts:
    """Copy rows not already present (compared on every column but an integer row id)."""
    if not conn.execute(
        "SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = ?", [table]
    ).fetchone():
        create = conn.execute(
            f"SELECT sql FROM {alias}.sqlite_master WHERE type = 'table' AND name = ?", [table]
        ).fetchone()[0]
        conn.execute(create)
    target = _table_info(conn, "main", table)
    source = {name for name, _, _ in _table_info(conn, alias, table)}
    rowid_alias = [n for n, kind, pk in target if pk == 1 and kind.upper() == "INTEGER"]
    if sum(1 for _, _, pk in target if pk) != 1:
        rowid_alias = []
    # Not ``version`` either: a kiosk's outbox stamps it (kiosk/sync/outbox.py), so a copy
    # merged before the kiosk's upgrade would otherwise not match the same row after it.
    skip = {*rowid_alias, "version"}
    cols = [n for n, _, _ in target if n in source and n not in skip]
    names = ", ".join(cols)
    read = conn.execute(f"SELECT count(*) FROM {alias}.{table}").fetchone()[0]
    added = conn.execute(
        f"INSERT INTO main.{table} ({names}) "
        f"SELECT {names} FROM {alias}.{table} EXCEPT SELECT {names} FROM main.{table}"
    ).rowcount
    return Counts(read=read, added=added)


def _table_info(conn: sqlite3.Connection, schema: str, table: str) -> list[tuple[str, str, int]]:
    return [(r[1], r[2], r[5]) for r in conn.execute(f"PRAGMA {schema}.table_info({table})")]
