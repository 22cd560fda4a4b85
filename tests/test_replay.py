"""Start-up never fails because of a buffered write (issue 11, item 1: the boot loop).

A finish buffered while the database refused writes, a crash, the database moved aside:
the next start must recreate the play from the record, keep anything that can never apply
in the rejected file with its reason, and serve.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from kiosk.playlog.resilient import ResilientStore
from tests.bootkit import launch
from tests.playlogkit import T0, now, stored_plays
from tools.dbfaults import move_aside


def buffered_finish_then_crash(db: Path) -> str:
    """The issue's sequence up to the crash: a play starts, the database refuses its finish
    (buffered in the side file), the kiosk dies without flushing. Returns the play's id."""
    store = ResilientStore(db, "K07", now=now)
    play = store.start_play("smart_commute", "zh-HK", "senior", T0)
    store._store._conn.execute("PRAGMA query_only = ON")  # the file refuses writes
    store.finish_play(play, "completed", T0 + timedelta(seconds=42), 77, {"taps": 9})
    assert store.pending == 1
    store._store.close()  # dies: no flush, no tidy close
    store._lock.release()  # (the kernel does this for a dead process)
    return play


def one_journey(db: Path):
    """``launch.py`` for one autoplayed journey on ``db``, run in its folder; it must serve
    and end cleanly."""
    proc = launch(
        "--headless", "--fast", "--mute", "--autoplay", "1", "--seed", "3", "--db", str(db),
        cwd=db.parent,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    return proc


def test_a_buffered_finish_whose_play_went_with_the_database_recreates_it(tmp_path: Path) -> None:
    db = tmp_path / "scores.db"
    play = buffered_finish_then_crash(db)
    record = json.loads((tmp_path / "scores.db.pending.jsonl").read_text())
    assert record["play"] == {
        "game": "smart_commute",
        "language": "zh-HK",
        "difficulty": "senior",
        "started_at": "2026-07-18T02:00:00.000Z",
    }
    move_aside(db)

    store = ResilientStore(db, "K07", now=now)  # used to raise KeyError here, every start
    assert store.pending == 0 and not (tmp_path / "scores.db.rejected.jsonl").exists()
    (row,) = stored_plays(db)
    assert row["id"] == play and row["outcome"] == "completed" and row["score"] == 77
    assert (row["game"], row["language"], row["difficulty"]) == ("smart_commute", "zh-HK", "senior")
    assert (row["started_at"], row["ended_at"]) == (
        "2026-07-18T02:00:00.000Z",
        "2026-07-18T02:00:42.000Z",
    )
    assert row["duration_s"] == 42.0 and json.loads(row["details"]) == {"taps": 9}
    store.close()


def test_writes_that_can_never_apply_are_kept_with_the_reason_and_the_rest_go_in(
    tmp_path: Path,
) -> None:
    db = tmp_path / "scores.db"
    ResilientStore(db, "K07", now=now).close()
    old_finish = {  # a record from before finishes carried their play
        "op": "finish_play",
        "args": ["0" * 32, "completed", "2026-07-18T02:01:00.000Z", 50, None],
    }
    lines = [
        json.dumps({"op": "audit", "args": ["pause", "2026-07-18T02:00:00.000Z", ""]}),
        json.dumps(old_finish),
        '{"op": "audit", "args": ["res',  # a power cut mid-line
        json.dumps({"op": "format_disk", "args": []}),  # no such write
        json.dumps(  # a score the strict schema refuses: must not block the queue forever
            {
                "op": "start_play",
                "args": ["recycle_right", "en", "adult", "2026-07-18T02:02:00.000Z", "1" * 32],
            }
        ),
        json.dumps(
            {
                "op": "finish_play",
                "args": ["1" * 32, "completed", "2026-07-18T02:03:00.000Z", "eighty", None],
            }
        ),
        json.dumps({"op": "audit", "args": ["resume", "2026-07-18T02:04:00.000Z", ""]}),
    ]
    (tmp_path / "scores.db.pending.jsonl").write_text("\n".join(lines) + "\n")

    store = ResilientStore(db, "K07", now=now)
    assert store.pending == 0
    assert [r["action"] for r in reversed(store.audit_rows())] == ["pause", "resume"]
    assert [(p["id"], p["outcome"]) for p in stored_plays(db)] == [("1" * 32, "in_progress")]
    rejected = [
        json.loads(line)
        for line in (tmp_path / "scores.db.rejected.jsonl").read_text().splitlines()
    ]
    reasons = [r["reason"] for r in rejected]
    assert len(rejected) == 4
    assert rejected[0]["record"] == {"line": '{"op": "audit", "args": ["res'}
    assert "cut short" in reasons[0]
    assert rejected[1]["record"] == old_finish and "cannot be recreated" in reasons[1]
    assert rejected[2]["record"]["op"] == "format_disk"
    assert rejected[3]["record"]["args"][3] == "eighty" and "IntegrityError" in reasons[3]
    assert all(r["rejected_at"] == "2026-07-18T02:00:00.000Z" for r in rejected)
    assert any("rejected.jsonl" in n for n in store.notices)  # staff are told
    store.close()

    again = ResilientStore(db, "K07", now=now)  # nothing replays twice
    assert len(again.audit_rows()) == 2 and len(rejected) == 4
    again.close()


def test_a_live_finish_of_a_play_the_database_lost_recreates_it(tmp_path: Path) -> None:
    """The database replaced between a play's start and its finish (e.g. staff restored a
    file): the finish still lands, with what the kiosk knows about the play."""
    db = tmp_path / "scores.db"
    store = ResilientStore(db, "K07", now=now)
    play = store.start_play("park_smart", "en", "child", T0)
    with store._store._write() as conn:
        conn.execute("DELETE FROM plays")
    store.finish_play(play, "abandoned", T0 + timedelta(seconds=5))
    assert [(p["id"], p["outcome"], p["game"]) for p in stored_plays(db)] == [
        (play, "abandoned", "park_smart")
    ]
    store.close()


def test_the_kiosk_boots_and_serves_after_the_boot_loop_sequence(tmp_path: Path) -> None:
    db = tmp_path / "scores.db"
    play = buffered_finish_then_crash(db)
    move_aside(db)
    proc = one_journey(db)
    assert f"play {play} was missing from the database; recreated it" in proc.stderr
    rows = stored_plays(db)
    assert [r["outcome"] for r in rows] == ["completed", "completed"]
    assert rows[0]["id"] == play and rows[0]["score"] == 77
    assert not (tmp_path / "scores.db.pending.jsonl").exists()


def test_a_kiosk_whose_database_cannot_be_opened_serves_and_keeps_its_plays(
    tmp_path: Path,
) -> None:
    db = tmp_path / "scores.db"
    db.mkdir()  # a folder where the database should be: SQLite cannot open it
    proc = one_journey(db)
    assert "database unavailable" in proc.stderr
    waiting = [json.loads(line) for line in (tmp_path / "scores.db.pending.jsonl").open()]
    plays = [r for r in waiting if r["op"].endswith("_play")]
    assert [r["op"] for r in plays] == ["start_play", "finish_play"]
    assert plays[1]["args"][1] == "completed"
    visit = [(r["op"], r["args"][1]) for r in waiting if r["op"].endswith("_visit")]
    assert visit[0][0] == "start_visit" and ("update_visit", "left") in visit
