"""Desired settings (kiosk/fleet/desired.py): checked documents, revisions that never skip
or repeat, even with two organisers saving at once."""

from __future__ import annotations

import threading
from datetime import date

import psycopg
import pytest

from kiosk.fleet.desired import DesiredError, change_desired, get_desired, set_desired
from kiosk.fleet.kiosks import add_kiosk


@pytest.fixture
def conn(central_db: str):
    with psycopg.connect(central_db, autocommit=True) as c:
        add_kiosk(c, "booth-07")
        yield c


def test_nothing_set_is_none_and_each_save_bumps_the_revision(conn) -> None:
    assert get_desired(conn, "booth-07") is None
    assert set_desired(conn, "booth-07", {"paused": True}, by="amy") == 1
    assert set_desired(conn, "booth-07", {"paused": False, "volume": 0.3}, by="ben") == 2
    assert get_desired(conn, "booth-07") == {
        "revision": 2,
        "paused": False,
        "games": {},
        "volume": 0.3,
        "stock": [],
    }
    assert conn.execute("SELECT updated_by FROM desired_settings").fetchone() == ("ben",)


@pytest.mark.parametrize(
    ("settings", "reason"),
    [
        ({"volume": 1.5}, "volume = 1.5: allowed is 0.0 to 1.0"),
        ({"pause": True}, "unknown key pause"),
        ({"games": {"park_smart": "maybe"}}, "games.park_smart"),
        ({"stock": [{"id": "x", "tier": "gold", "delta": 5}]}, "stock[0].day is missing"),
    ],
)
def test_a_wrong_document_is_refused_and_nothing_changes(conn, settings, reason) -> None:
    set_desired(conn, "booth-07", {"paused": True}, by="amy")
    with pytest.raises(DesiredError, match=reason.replace("[", r"\[").replace("]", r"\]")):
        set_desired(conn, "booth-07", settings, by="amy")
    assert get_desired(conn, "booth-07")["revision"] == 1


def test_an_unregistered_booth_is_refused(conn) -> None:
    with pytest.raises(DesiredError, match="no kiosk 'booth-99'"):
        set_desired(conn, "booth-99", {"paused": True}, by="amy")


def test_change_merges_games_and_appends_stock_with_fresh_ids(conn) -> None:
    change_desired(conn, "booth-07", "amy", games={"park_smart": False, "recycle_right": True})
    change_desired(conn, "booth-07", "amy", games={"recycle_right": False}, paused=True)
    day = date(2026, 7, 18)
    change_desired(conn, "booth-07", "amy", add_stock=[("gold", 5, day), ("silver", -2, day)])
    rev = change_desired(conn, "booth-07", "amy", add_stock=[("gold", 5, day)])
    desired = get_desired(conn, "booth-07")
    assert rev == desired["revision"] == 4
    assert desired["games"] == {"park_smart": False, "recycle_right": False}
    assert desired["paused"] is True
    assert [(s["tier"], s["delta"]) for s in desired["stock"]] == [
        ("gold", 5),
        ("silver", -2),
        ("gold", 5),
    ]
    assert len({s["id"] for s in desired["stock"]}) == 3  # the same top-up twice: two ids


def test_organisers_saving_at_once_get_distinct_revisions_and_keep_every_change(
    central_db: str, conn
) -> None:
    revisions: list[int] = []

    def organiser(i: int) -> None:
        with psycopg.connect(central_db, autocommit=True) as own:
            for j in range(5):
                revisions.append(
                    change_desired(own, "booth-07", f"org{i}", games={f"g{i}_{j}": True})
                )

    threads = [threading.Thread(target=organiser, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(revisions) == list(range(1, 21))
    assert len(get_desired(conn, "booth-07")["games"]) == 20  # no change lost
