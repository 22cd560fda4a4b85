"""The database deleted or replaced while the kiosk runs (issue 11, item 2).

``rm scores.db`` used to leave the kiosk "committing" to the unlinked file, every later play
lost at exit. Between visitors the store now compares the path with the file it opened: a
deleted file is put back from the open copy, a replaced one is kept aside and the new file
used; staff get a notice either way and no play is lost.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from kiosk.playlog.resilient import ResilientStore
from kiosk.playlog.store import PlayStore
from tests.journeykit import open_panel, play_through, run_for, settle, tap, tap_button
from tests.playlogkit import T0, now, stored_plays


def plays(db: Path) -> list[tuple]:
    return [(p["id"], p["kiosk_id"], p["outcome"]) for p in stored_plays(db)]


def play_once(store: ResilientStore, score: int = 80, at: datetime = T0) -> str:
    play = store.start_play("recycle_right", "en", "adult", at)
    store.finish_play(play, "completed", at + timedelta(seconds=30), score)
    return play


def test_nothing_happens_while_the_file_stays_put(tmp_path: Path) -> None:
    store = ResilientStore(tmp_path / "scores.db", "K07", now=now)
    play_once(store)
    assert store.check_file() is False and store.notices == []
    store.close()


def test_a_deleted_database_is_put_back_with_every_play(tmp_path: Path) -> None:
    db = tmp_path / "scores.db"
    store = ResilientStore(db, "K07", now=now)
    before = [play_once(store, at=T0 + timedelta(minutes=i)) for i in range(3)]
    db.unlink()  # staff, or a clean-up script; the -wal and -shm stay behind
    during = play_once(store, at=T0 + timedelta(minutes=5))  # lands in the unlinked file

    assert store.check_file() is True
    assert [p[0] for p in plays(db)] == [*before, during]
    assert any("deleted while the kiosk ran" in n and "(4 plays)" in n for n in store.notices)
    assert not list(tmp_path.glob("scores.db.deleted-*"))  # the copy became scores.db
    after = play_once(store, at=T0 + timedelta(minutes=9))
    assert store.check_file() is False
    store.close()
    assert [p[0] for p in plays(db)] == [*before, during, after]


def test_a_replaced_database_is_kept_aside_and_the_new_file_used(tmp_path: Path) -> None:
    db = tmp_path / "scores.db"
    store = ResilientStore(db, "K07", now=now)
    ours = play_once(store)
    live = store.start_play("park_smart", "zh-HK", "child", T0 + timedelta(minutes=1))
    with PlayStore(tmp_path / "restored.db", "K07") as other:  # e.g. staff restore a backup
        theirs = other.start_play("smart_commute", "en", "adult", T0 - timedelta(hours=1))
        other.finish_play(theirs, "completed", T0 - timedelta(minutes=59), 50)
    (tmp_path / "restored.db").rename(db)

    assert store.check_file() is True
    (kept,) = [p for p in tmp_path.glob("scores.db.replaced-*") if "-wal" not in p.name]
    assert kept.name == "scores.db.replaced-20260718T020000Z"
    assert [p[0] for p in plays(kept)] == [ours, live]  # nothing of ours is lost
    assert any(kept.name in n for n in store.notices)
    # The visitor playing through the swap still has their play, in the file now in use.
    store.finish_play(live, "completed", T0 + timedelta(minutes=2), 70)
    assert plays(db) == [(theirs, "K07", "completed"), (live, "K07", "completed")]
    store.close()


def test_a_kiosk_notices_between_visitors_and_loses_no_play(make_kiosk, tmp_path: Path) -> None:
    app = make_kiosk()
    db = tmp_path / "scores.db"
    db.unlink()  # at the attract screen, before the next visitor
    play_through(app)
    tap_button(app, 0)
    tap(app, *app.scene.done.rect.center)
    run_for(app, 6)
    settle(app)  # the check runs on the writer thread
    assert app.scene.name == "attract"  # the visit ended: the file was checked
    (row,) = plays(db)
    assert row[2] == "completed"
    assert app.store.get(row[0])["prize_code"] is not None  # the prize went with it
    open_panel(app)
    assert "deleted while the kiosk ran" in app.layer.warnings
