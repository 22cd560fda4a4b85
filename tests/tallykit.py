"""A play log to tally: plays at the edges of hours and days, written through PlayStore.

The organisers' tests (tally, report, merge) check their numbers against this one set of
plays, worked out by hand below.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from kiosk.playlog.store import PlayStore

HK = timezone(timedelta(hours=8))


def hk(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """A moment in July 2026, Hong Kong time."""
    return datetime(2026, 7, day, hour, minute, second, tzinfo=HK)


# Plays at the edges of hours and days, HKT:
#  K01 recycle_right  en     18th 09:59:59  completed 80, gold   (UTC 01:59 on the 18th)
#  K01 recycle_right  zh-HK  18th 10:00:00  completed 60, silver
#  K01 park_smart     zh-HK  18th 10:30:00  abandoned
#  K02 park_smart     en     18th 23:59:59  completed 40, no prize (UTC 15:59 on the 18th)
#  K02 recycle_right  zh-HK  19th 00:00:00  error                  (UTC 16:00 on the 18th!)
#  K02 park_smart     zh-HK  19th 10:15:00  still in progress
PLAYS = [
    ("K01", "recycle_right", "en", hk(18, 9, 59, 59), "completed", 80, "gold"),
    ("K01", "recycle_right", "zh-HK", hk(18, 10), "completed", 60, "silver"),
    ("K01", "park_smart", "zh-HK", hk(18, 10, 30), "abandoned", None, None),
    ("K02", "park_smart", "en", hk(18, 23, 59, 59), "completed", 40, None),
    ("K02", "recycle_right", "zh-HK", hk(19, 0), "error", None, None),
    ("K02", "park_smart", "zh-HK", hk(19, 10, 15), "in_progress", None, None),
]


def write_plays(path: Path, plays=PLAYS) -> dict[str, list[str]]:
    """Log ``plays`` through PlayStore, one store per kiosk as on the booths; prizes are
    recorded as the prize desk would (serials per kiosk). Returns play ids per kiosk."""
    ids: dict[str, list[str]] = {}
    serials: dict[str, int] = {}
    for kiosk, game, lang, start, outcome, score, tier in plays:
        with PlayStore(path, kiosk_id=kiosk) as store:
            play_id = store.start_play(game, lang, "adult", start)
            if outcome != "in_progress":
                store.finish_play(
                    play_id, outcome, start + timedelta(seconds=45), score, {"hits": 3}
                )
            if tier:
                serials[kiosk] = serials.get(kiosk, 0) + 1
                give_prize(store, play_id, tier, serials[kiosk])
        ids.setdefault(kiosk, []).append(play_id)
    return ids


def give_prize(store: PlayStore, play_id: str, tier: str, serial: int) -> None:
    store.db.execute(
        "UPDATE plays SET prize_tier = ?, prize_serial = ?, prize_ref = ?, prize_code = ? "
        "WHERE id = ?",
        [tier, serial, f"{store.kiosk_id}-{play_id[:6].upper()}", f"CODE{serial:04d}", play_id],
    )
