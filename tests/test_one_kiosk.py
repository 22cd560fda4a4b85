"""One kiosk per database (issue 11, item 6): a second one exits with one line, touching nothing.

The second kiosk used to close the first one's live play as abandoned at its start-up, and
that visitor lost the prize. The first kiosk here is a real process holding the booth's play
log with a play in progress; the second is ``launch.py`` as systemd or a person would run it.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kiosk.booth.launcher import ALREADY_RUNNING_EXIT
from kiosk.playlog.instance import AlreadyRunning
from kiosk.playlog.resilient import ResilientStore
from kiosk.playlog.store import PlayStore
from tests.bootkit import launch
from tests.playlogkit import T0, now

FIRST_KIOSK = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime
    from kiosk.playlog.resilient import ResilientStore

    t0 = datetime(2026, 7, 18, 2, 0, tzinfo=UTC)
    store = ResilientStore(sys.argv[1], "K07", now=lambda: t0)
    play = store.start_play("recycle_right", "en", "adult", t0)
    print(play, flush=True)
    sys.stdin.readline()  # the visitor is still playing until the test says so
    store.finish_play(play, "completed", datetime(2026, 7, 18, 2, 1, tzinfo=UTC), 91)
    store.close()
    print("closed", flush=True)
    """
)


def outcome(db: Path, play: str) -> str:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT outcome FROM plays WHERE id = ?", [play]).fetchone()[0]
    finally:
        conn.close()


def test_a_second_store_on_the_same_database_is_refused_until_the_first_closes(
    tmp_path: Path,
) -> None:
    db = tmp_path / "scores.db"
    first = ResilientStore(db, "K07", now=now)
    play = first.start_play("recycle_right", "en", "adult", T0)
    with pytest.raises(AlreadyRunning, match=r"already using .*scores\.db; one kiosk per database"):
        ResilientStore(db, "K07", now=now)
    with PlayStore(db, "K07") as staff_tool:  # staff commands are not kiosks: never locked out
        assert staff_tool.get(play)["outcome"] == "in_progress"
    first.close()
    second = ResilientStore(db, "K07", now=now)  # the lock went with the first
    assert second.close_stale(T0) == 1
    second.close()


def test_a_second_kiosk_process_exits_with_one_line_and_leaves_the_first_alone(
    tmp_path: Path,
) -> None:
    db = tmp_path / "scores.db"
    first = subprocess.Popen(
        [sys.executable, "-c", FIRST_KIOSK, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        play = first.stdout.readline().strip()
        assert len(play) == 32, "the first kiosk did not start"

        second = launch("--headless", "--fast", "--mute", "--autoplay", "1", "--db", str(db),
                        cwd=tmp_path)  # fmt: skip
        assert second.returncode == ALREADY_RUNNING_EXIT != 0
        lines = second.stderr.strip().splitlines()
        assert len(lines) == 1, second.stderr
        assert lines[0] == (
            f"smartizen kiosk: another kiosk (process {first.pid}) is already using {db}; "
            "one kiosk per database"
        )
        assert outcome(db, play) == "in_progress"  # not closed as abandoned under the visitor

        first.stdin.write("\n")
        first.stdin.flush()
        assert first.stdout.readline().strip() == "closed"
    finally:
        first.stdin.close()
        first.wait(timeout=30)
    assert first.returncode == 0
    assert outcome(db, play) == "completed"
