"""The sync thread: pushes the outbox's backlog to the fleet service, at least once.

``POST /fleet/v1/sync`` per docs/fleet-contract.md: up to 500 of the oldest changes after
the in-memory cursor ``sent``, asking for a durable-position acknowledgement (``"ack":
"durable-lsn"``): the centre commits without waiting for its disk and answers with its log
positions. The batch then waits in :class:`~kiosk.sync.durable.Unconfirmed` and the next
batch follows at once; the stored ``acked`` in ``sync_state`` moves only to batches whose
commit the centre has since reported flushed (``flushed`` ≥ their ``lsn``, in the same WAL
epoch), learned from the next push's answer or, with nothing new to push, from an empty push
``confirm_s`` later. So ``acked`` never passes what the centre holds on disk: a power cut at
the centre loses only rows the booth still has as "sent, not yet safe", and a centre
restarted after a crash (a new epoch) gets them again. On restart ``sent = acked``: the
unconfirmed rows are pushed again and the centre's upsert takes the repeat as a no-op.
At most ``max_unconfirmed`` batches, or ``max_unconfirmed_s`` seconds of them, wait: past
that the pusher only asks how far the centre has flushed (state "waiting for the centre's
disk"), so a centre whose disk never flushes cannot let the booth run ahead unboundedly.
An old centre that answers ``{"acked": n}`` (it ignores ``ack``) committed synchronously:
``acked`` is stored at once, as before. With nothing to push it looks again every
``idle_s``. A failure (the service down,
unreachable, refusing the token, answering 5xx) waits an exponential back-off with jitter
(1 s … 60 s) and tries the same batch again; the rows stay in the booth's file meanwhile,
so nothing is lost, and the centre's version-guarded upsert takes a repeat as a no-op, so
nothing counts twice (a SIGKILL between the centre's commit and ``acked`` only repeats).

A batch the centre refuses for a row's own values (400 with ``"bad_rows": true``: a value
PostgreSQL will not take) would be refused for ever, and everything behind it with it. The
pusher halves it, as it halves a batch that is too large (413), at once and without a
back-off, until the refused batch is one row; that row is set aside in the file's
quarantine (kiosk/sync/outbox.py: kept in its table, never deleted, not pushed again,
logged once with the centre's reason) and the rest of the backlog flows on. Setting a row
aside moves ``acked`` past it, so it waits until every batch sent before it is confirmed
(``acked`` = ``sent``): ``acked`` never skips an unconfirmed batch.
:attr:`Pusher.quarantined` counts the rows set aside, for the heartbeat and the staff panel.
If many rows in a row are refused with no batch taken in between, the fault is not in the
rows: the pusher stops setting them aside and backs off as for any refusal.

It has its own SQLite connection, opened each round (so a file moved aside and replaced by
the play log is followed), reads in one snapshot and writes only ``sync_state`` and the
quarantine. A locked or damaged database skips the round with one log line. It never runs
on the frame loop: the booth reads :attr:`Pusher.backlog` (rows not sent yet),
:attr:`unconfirmed` (rows sent, not yet on the centre's disk), :attr:`last_ok_at`,
:attr:`last_error` and :attr:`quarantined`, plain values this thread replaces.
"""

from __future__ import annotations

import logging
import random
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from kiosk.sync import outbox
from kiosk.sync.durable import Taken, Unconfirmed, positions
from kiosk.sync.transport import (
    UNREACHABLE,
    Answer,
    Backoff,
    Rounds,
    StateLog,
    describe,
    post_json,
    utc_iso,
)

log = logging.getLogger("kiosk.sync")

SYNC_PATH = "/fleet/v1/sync"
IDLE_S = 2.0  # play end → centre within a few seconds (the dashboard's budget is 20 s)
TIMEOUT_S = 10.0  # one request; a 500-row batch is a few hundred KB
DB_TIMEOUT_S = 1.0  # waiting for the play log's write lock to store ``acked``
# Rows set aside one after another with no batch taken between them: past this, the centre
# is refusing everything (a bug, a schema mismatch), and setting the backlog aside row by
# row would hide it. The pusher then backs off instead and says so.
QUARANTINE_RUN = 20
DURABLE_LSN = "durable-lsn"  # the body's "ack": answer with log positions, commit unflushed
# The centre's walwriter flushes asynchronous commits within wal_writer_delay (200 ms by
# default): an empty push this long after the last answer usually confirms everything.
CONFIRM_S = 0.4
# Unconfirmed batches the booth may have out at once (16 × 500 rows: a 10,000-row backlog
# catching up never waits on it while the centre's disk flushes at all) …
MAX_UNCONFIRMED = 16
# … and how long the oldest may wait before the pusher stops sending new ones (a disk stall
# of most of a second is normal on a shared virtual disk; ten seconds is a broken centre).
MAX_UNCONFIRMED_S = 10.0


class Pusher(Rounds):
    """The booth's sync thread (``.start()``, ``.stop()``), or one round at a time
    (:meth:`step`) for tools and tests.

    ``sleep(seconds) -> bool`` waits between rounds and says whether to stop (default:
    the stop event's wait); ``wall`` stamps :attr:`last_ok_at`. Tests inject both to play
    minutes of an outage without waiting them."""

    thread_name = "fleet-sync"

    def __init__(
        self,
        db_path: str | Path,
        url: str,
        token: str,
        kiosk_id: str,
        *,
        batch_rows: int = outbox.BATCH_ROWS,
        idle_s: float = IDLE_S,
        timeout_s: float = TIMEOUT_S,
        sleep: Callable[[float], bool] | None = None,
        wall: Callable[[], datetime] = lambda: datetime.now(UTC),
        rng: random.Random | None = None,
        confirm_s: float = CONFIRM_S,
        max_unconfirmed: int = MAX_UNCONFIRMED,
        max_unconfirmed_s: float = MAX_UNCONFIRMED_S,
    ) -> None:
        self.db_path = Path(db_path)
        self.url = url.rstrip("/") + SYNC_PATH
        self.token = token
        self.kiosk_id = kiosk_id
        self.max_rows = self.batch_rows = max(1, min(batch_rows, outbox.BATCH_ROWS))
        self.idle_s = idle_s
        self.timeout_s = timeout_s
        self.wall = wall
        super().__init__(sleep)
        self.backoff = Backoff(rng=rng)
        self.states = StateLog(f"fleet sync to {url}")
        # What the booth reads (one attribute each, replaced whole: no lock needed).
        self.backlog: int | None = None  # None until the first round has read the file
        self.last_ok_at: datetime | None = None
        self.last_error: str | None = None
        self.pushed = 0  # rows the centre confirmed (on its disk) since start
        self.unconfirmed = 0  # rows sent, answered, not yet confirmed on the centre's disk
        self.confirm_s = confirm_s
        self.max_unconfirmed = max(1, max_unconfirmed)
        self.max_unconfirmed_s = max_unconfirmed_s
        self.waiting = Unconfirmed()
        self._sent: int | None = None  # None: read ``acked`` from the file (start, restart)
        self._file: str | None = None  # the file the cursor belongs to
        self.quarantined: int | None = None  # rows set aside in the file (None: not read yet)
        self._narrowing = False  # halving a refused batch down to its bad row
        self._rows_before = self.batch_rows  # the batch size to go back to after it
        self._set_aside_run = 0  # rows set aside since the centre last took a batch

    # -- the thread (kiosk/sync/transport.py Rounds) -----------------------------------------
    def round(self) -> float:
        return self.step()

    def after_crash(self) -> float:
        return self.backoff.next()

    # -- one round ---------------------------------------------------------------------------
    def step(self) -> float:
        """Push one batch, or ask how far the centre has flushed, or find nothing to do;
        returns the seconds to wait before the next round: 0 when more is waiting,
        ``confirm_s`` while sent batches wait for the centre's disk, ``idle_s`` when in
        sync, a back-off after a failure."""
        try:
            conn = self._connect()
        except sqlite3.Error as exc:
            return self._db_trouble(exc)
        try:
            try:
                conn.execute("BEGIN")  # one snapshot across the tables
                try:
                    sent = self._cursor(conn)
                    hold = self._hold()
                    batch = None if hold else outbox.read_batch(conn, sent, self.batch_rows)
                    self.backlog = outbox.backlog(conn, after=sent) if batch or hold else 0
                    self.quarantined = outbox.quarantined(conn)
                finally:
                    conn.execute("COMMIT")
            except sqlite3.Error as exc:
                return self._db_trouble(exc)
            if batch is None:
                if not self.waiting:
                    self._ok("in sync")
                    return self.idle_s
                return self._ask_flushed(conn, sent)
            body = batch.body(self.kiosk_id) | {"ack": DURABLE_LSN}
            try:
                answer = post_json(self.url, self.token, body, self.timeout_s)
            except UNREACHABLE as exc:
                return self._failed("centre unreachable", describe(exc))
            if answer.status == 413 and self.batch_rows > 1:
                self.batch_rows = max(1, self.batch_rows // 2)
                return self._failed("batch too large", f"trying {self.batch_rows} rows")
            if _bad_rows(answer):
                if self._set_aside_run < QUARANTINE_RUN:
                    return self._narrow(conn, batch, answer)
                self._narrowing = False  # too many: a plain refusal, backed off below
            if answer.status != 200:
                state = "refused" if answer.status in (400, 401, 403, 413) else "centre error"
                return self._failed(state, answer.reason())
            try:
                if not self._taken(conn, batch, answer):
                    return self._failed("bad answer", answer.reason())
            except sqlite3.Error as exc:  # the centre has them: the next round only repeats
                return self._db_trouble(exc)
        finally:
            conn.close()
        self.backlog = max(0, (self.backlog or 0) - batch.count)
        self._set_aside_run = 0
        if not self._narrowing:  # after a 413 or a set-aside row, grow back
            self.batch_rows = min(self.max_rows, self.batch_rows * 2)
        more = self.backlog > 0  # rows written since the snapshot wait for the next look
        self._ok("pushing" if more else "in sync")
        if more and not self._hold():
            return 0.0
        return self.confirm_s if self.waiting else self.idle_s

    # -- sent, answered, confirmed -----------------------------------------------------------
    def _cursor(self, conn: sqlite3.Connection) -> int:
        """``sent``: where the next batch reads from. ``acked`` (stored) at start, after the
        file was replaced, and whenever the stored value is ahead (set aside, another tool)."""
        acked = outbox.acked(conn)
        file = outbox.file_id(conn)
        if file != self._file:
            if self._file is not None and self.waiting.clear():
                log.warning("fleet sync: the file changed; pushing from its own acknowledgement")
            self._file, self._sent = file, None
        if self._sent is None or self._sent < acked:
            self._sent = acked
        self.unconfirmed = self.waiting.rows
        return self._sent

    def _hold(self) -> bool:
        """Send no new batch now: confirm first. The queue is full or its oldest batch has
        waited too long, or a refused row is about to be set aside (which moves ``acked``
        past it: everything before it must be confirmed first)."""
        oldest = self.waiting.oldest_at
        if oldest is None:
            return False
        return (
            len(self.waiting) >= self.max_unconfirmed
            or self._clock() - oldest >= self.max_unconfirmed_s
            or (self._narrowing and self.batch_rows == 1)
        )

    def _clock(self) -> float:
        return self.wall().timestamp()

    def _taken(self, conn: sqlite3.Connection, batch: outbox.Batch, answer: Answer) -> bool:
        """The centre answered 200 for ``batch``: note it as waiting (a durable-position
        answer) or store ``acked`` at once (an old centre's synchronous ``{"acked": n}``).
        False for an answer that is neither."""
        where = positions(answer.body)
        if where is not None and where[0] > 0:
            lsn, flushed, epoch = where
            self.waiting.add(Taken(batch.through, batch.count, lsn, epoch, self._clock()))
            self._sent = batch.through
            self._flushed(conn, flushed, epoch)
            return True
        through = answer.body.get("acked") if isinstance(answer.body, dict) else None
        if type(through) is not int or through < batch.after:
            return False
        through = min(through, batch.through)  # never past what was sent
        done = self.waiting.acked(through)
        self._sent = max(self._sent or 0, through)
        self._store(conn, through, batch.count + done.rows)
        return True

    def _ask_flushed(self, conn: sqlite3.Connection, sent: int) -> float:
        """An empty push: how far is the centre's log on disk? Confirms waiting batches."""
        body = {"kiosk_id": self.kiosk_id, "through": sent, "rows": {}, "ack": DURABLE_LSN}
        if self._file is not None:
            body["file_id"] = self._file
        try:
            answer = post_json(self.url, self.token, body, self.timeout_s)
        except UNREACHABLE as exc:
            return self._failed("centre unreachable", describe(exc))
        where = positions(answer.body) if answer.status == 200 else None
        if answer.status != 200:
            state = "refused" if answer.status in (400, 401, 403) else "centre error"
            return self._failed(state, answer.reason())
        try:
            if where is None:
                # Not a flush position: a centre replaced by an older one, which has no empty
                # push. Nothing waiting can be confirmed by it: send it all again, and its
                # synchronous {"acked": n} answers take over.
                self.waiting.clear()
                self._sent = outbox.acked(conn)
                self.backlog = outbox.backlog(conn, after=self._sent)
                self.unconfirmed = 0
                return self._failed("bad answer", answer.reason())
            self._flushed(conn, where[1], where[2])
        except sqlite3.Error as exc:
            return self._db_trouble(exc)
        if not self.waiting:
            more = (self.backlog or 0) > 0
            self._ok("pushing" if more else "in sync")
            return 0.0 if more else self.idle_s
        oldest = self.waiting.oldest_at or self._clock()
        if self._clock() - oldest >= self.max_unconfirmed_s:
            # Still answering, but not flushing: a centre with a sick disk. Keep asking,
            # slowly, and say so on the staff panel; nothing new is sent meanwhile.
            self.last_error = (
                f"waiting for the centre's disk: {self.waiting.rows} rows unconfirmed for "
                f"{self._clock() - oldest:.0f} s"
            )
            self.states.set("waiting for the centre's disk", self.last_error)
            return self.idle_s
        return self.confirm_s

    def _flushed(self, conn: sqlite3.Connection, flushed: int, epoch: str) -> None:
        """The centre's log is on disk up to ``flushed`` in ``epoch``: store ``acked`` for
        the batches that covers; after a crash at the centre, send the rest again."""
        done = self.waiting.flushed(flushed, epoch)
        if done.lost:
            self._sent = outbox.acked(conn)
            self.backlog = outbox.backlog(conn, after=self._sent)  # not sent, again
            log.warning(
                "fleet sync: the centre's database restarted after a crash (new WAL epoch); "
                "sending %d unconfirmed batch(es) again",
                done.lost,
            )
        if done.through is not None:
            self._store(conn, done.through, done.rows)
        self.unconfirmed = self.waiting.rows

    def _store(self, conn: sqlite3.Connection, through: int, rows: int) -> None:
        outbox.store_acked(conn, through)
        self.pushed += rows
        if self.quarantined:  # a row set aside, changed since, now taken: mended
            outbox.release_mended(conn, through)
            self.quarantined = outbox.quarantined(conn)
        self.unconfirmed = self.waiting.rows

    def _narrow(self, conn: sqlite3.Connection, batch: outbox.Batch, answer: Answer) -> float:
        """The centre refused a row of ``batch``: try the first half next, at once, or set
        the row aside when the batch is that one row."""
        if batch.count > 1:
            if not self._narrowing:
                self._narrowing, self._rows_before = True, self.batch_rows
            self.batch_rows = max(1, batch.count // 2)
            self.states.set(
                "narrowing", f"{answer.reason()}; trying {self.batch_rows} rows", logging.INFO
            )
            return 0.0
        if self.waiting:
            # Setting it aside moves ``acked`` to it: first the batches before it must be
            # on the centre's disk (the next rounds only ask, see _hold), then it goes again.
            return self.confirm_s
        if batch.after != outbox.acked(conn):  # not read from ``acked``: read it again
            self._sent = None
            return 0.0
        table, row = batch.only()
        try:
            new = outbox.quarantine(conn, batch, answer.reason(), utc_iso(self.wall()))
            self._sent = batch.through
            self.quarantined = outbox.quarantined(conn)
        except sqlite3.Error as exc:
            return self._db_trouble(exc)
        if new:
            log.warning(
                "fleet sync: the centre refused %s row %s (version %d); it stays in the "
                "file, set aside and not pushed again: %s",
                table,
                outbox.row_key(table, row),
                row["version"],
                answer.reason(),
            )
        if self._narrowing:  # the rest of the backlog goes in full batches again
            self._narrowing, self.batch_rows = False, self._rows_before
        self._set_aside_run += 1
        self.backlog = max(0, (self.backlog or 0) - 1)
        # The centre answered at once and for good: no back-off, the next batch follows.
        self.backoff.reset()
        self.last_error = None
        self.states.set("set a row aside", f"{self.quarantined} in all", level=logging.INFO)
        return 0.0

    def _connect(self) -> sqlite3.Connection:
        # mode=rw: a database that is gone is not silently created empty here.
        uri = "file:" + quote(str(self.db_path.resolve())) + "?mode=rw"
        return sqlite3.connect(uri, uri=True, timeout=DB_TIMEOUT_S, isolation_level=None)

    def _ok(self, state: str) -> None:
        recovered = self.backoff.failures
        self.backoff.reset()
        self.last_ok_at = self.wall()
        self.last_error = None
        detail = f"backlog {self.backlog}" + (
            f", after {recovered} failed tries" if recovered else ""
        )
        # "pushing" ↔ "in sync" is routine: logged at INFO, once per change.
        self.states.set(state, detail, level=logging.INFO)

    def _failed(self, state: str, detail: str) -> float:
        self.last_error = f"{state}: {detail}"
        self.states.set(state, detail)
        return self.backoff.next()

    def _db_trouble(self, exc: sqlite3.Error) -> float:
        # Locked past the timeout, damaged, moved: skip this round, the play log copes.
        return self._failed("database unavailable", describe(exc))


def _bad_rows(answer: Answer) -> bool:
    """A 400 the centre gave for a row's own values (docs/fleet-contract.md)."""
    return (
        answer.status == 400
        and isinstance(answer.body, dict)
        and answer.body.get("bad_rows") is True
    )
