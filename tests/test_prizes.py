"""Prizes on the kiosk: tiers, stock in the ledger and the state file, serials, keys, the screen."""

from __future__ import annotations

import logging
import os
import stat
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pygame
import pytest
import zxingcpp

from kiosk.config import Config, ConfigError, PrizeTier
from kiosk.playlog.store import PlayStore
from kiosk.playlog.writer import Inline
from kiosk.prizes import claimcode, eventkey, ledger, statefile
from kiosk.prizes.awards import Prizes
from tests.journeykit import run_for, tap, tap_button

TIERS = [PrizeTier("gold", 85, 2), PrizeTier("silver", 60, 1), PrizeTier("thanks", 0, 1)]
NOON_HK = datetime(2026, 7, 18, 4, 0, tzinfo=UTC)


@pytest.fixture
def key(tmp_path: Path) -> eventkey.SigningKey:
    return eventkey.generate(tmp_path / "keys" / "event.key")


@pytest.fixture
def store(tmp_path: Path):
    with PlayStore(tmp_path / "scores.db", "K07") as s:
        yield s


def make_prizes(store, key, tiers=TIERS, **kw) -> Prizes:
    """Prizes on a plain store: the jobs run at once (no frame loop to keep free)."""
    args = {
        "jobs": Inline(store),
        "state_path": statefile.path_for(store.path),
        "key": key,
        "tiers": tiers,
        "event_id": 2026,
        "kiosk_id": "K07",
        "claim_url": "HTTPS://CLAIM.EXAMPLE.HK/C/",
        "utc_offset_hours": 8.0,
        "now": lambda: NOON_HK,
    }
    args.update(kw)
    return Prizes(**args)


def completed_play(store, score: int, ended: datetime = NOON_HK) -> str:
    play_id = store.start_play("recycle_right", "en", "adult", ended - timedelta(seconds=60))
    store.finish_play(play_id, "completed", ended, score, {})
    return play_id


def give(prizes: Prizes, store, score: int, ended: datetime = NOON_HK, lang: str = "en"):
    """A completed play and its award, once saved."""
    return prizes.award(completed_play(store, score, ended), lang, score, ended).result()


def test_the_best_tier_a_score_reaches_is_earned(store, key) -> None:
    prizes = make_prizes(store, key)
    assert [prizes.earned_tier(s) for s in (100, 85, 84, 60, 59, 0)] == [
        "gold",
        "gold",
        "silver",
        "silver",
        "thanks",
        "thanks",
    ]
    strict = make_prizes(store, key, tiers=[PrizeTier("gold", 85, 5)])
    assert strict.earned_tier(50) is None


def test_an_award_is_recorded_on_the_play_and_its_code_verifies(store, key) -> None:
    prizes = make_prizes(store, key)
    play_id = completed_play(store, 90)
    award = prizes.award(play_id, "zh-HK", 90, NOON_HK).result()
    assert (award.earned, award.tier, award.serial, award.ref) == ("gold", "gold", 1, "K07-0001")
    assert award.url == "HTTPS://CLAIM.EXAMPLE.HK/C/" + award.code
    row = store.get(play_id)
    assert (row["prize_tier"], row["prize_serial"], row["prize_ref"], row["prize_code"]) == (
        "gold",
        1,
        "K07-0001",
        award.code,
    )
    claim = claimcode.verify(award.url, key.public, 2026).claim
    assert (claim.kiosk, claim.serial, claim.tier, claim.lang) == ("K07", 1, "gold", "zh-HK")
    assert claim.issued == date(2026, 7, 18)  # local (HK) date of the award
    assert claimcode.qr_version(award.url) <= 7


def test_a_second_claim_for_the_same_play_returns_the_same_award(store, key) -> None:
    prizes = make_prizes(store, key)
    play_id = completed_play(store, 90)
    first = prizes.award(play_id, "en", 90, NOON_HK).result()
    assert prizes.award(play_id, "en", 90, NOON_HK).result() == first
    assert store.prizes_awarded(NOON_HK - timedelta(hours=12), NOON_HK + timedelta(hours=12)) == {
        "gold": 1
    }


def test_an_award_the_database_cannot_take_is_kept_and_still_counts(store, key, caplog) -> None:
    prizes = make_prizes(store, key, tiers=[PrizeTier("gold", 0, 1)])
    running = store.start_play("recycle_right", "en", "adult", NOON_HK)
    with caplog.at_level(logging.ERROR):
        award = prizes.award(running, "en", 90, NOON_HK).result()  # not completed in the db
    assert award.tier == "gold" and store.get(running)["prize_code"] is None
    assert "kept in scores.db.state.json" in caplog.text
    assert give(prizes, store, 90).sold_out  # the one gold was given all the same


def test_when_a_tier_runs_out_the_next_one_down_is_given(store, key) -> None:
    prizes = make_prizes(store, key)
    awards = [give(prizes, store, 95) for _ in range(5)]
    assert [a.tier for a in awards] == ["gold", "gold", "silver", "thanks", None]
    assert [a.downgraded for a in awards] == [False, False, True, True, False]
    assert awards[-1].sold_out and awards[-1].code is None
    assert [a.serial for a in awards[:4]] == [1, 2, 3, 4]
    # A silver earner finds silver gone and the gift gone too: nothing, kindly.
    late = give(prizes, store, 70)
    assert late.sold_out and late.earned == "silver"
    assert [line.remaining for line in prizes.stock(date(2026, 7, 18))] == [0, 0, 0]


def test_stock_survives_a_restart(tmp_path: Path, key) -> None:
    with PlayStore(tmp_path / "scores.db", "K07") as first:
        prizes = make_prizes(first, key)
        assert give(prizes, first, 99).tier == "gold"
        assert give(prizes, first, 99).tier == "gold"
    with PlayStore(tmp_path / "scores.db", "K07") as again:  # the kiosk restarted
        prizes = make_prizes(again, eventkey.load_private(key.path))
        award = give(prizes, again, 99)
        # Gold still gone; serials go on above the block the first run reserved.
        assert award.tier == "silver" and award.serial == 1 + ledger.BLOCK


def test_a_fresh_database_repeats_no_serial_and_forgets_no_stock(tmp_path: Path, key) -> None:
    db = tmp_path / "scores.db"
    with PlayStore(db, "K07") as first:
        given = [give(make_prizes(first, key), first, 99)]
        given.append(give(make_prizes(first, key), first, 99))
    for leftover in tmp_path.glob("scores.db*"):
        if not leftover.name.endswith((".state.json", ".lock")):
            leftover.unlink()  # moved aside after corruption, or replaced by hand
    with PlayStore(db, "K07") as fresh:
        assert fresh.issued_prizes() == []
        prizes = make_prizes(fresh, key)
        award = give(prizes, fresh, 99)
    assert award.tier == "silver"  # today's two golds are remembered
    assert award.serial not in {a.serial for a in given}
    assert award.ref not in {a.ref for a in given}


def test_an_unreadable_state_file_is_kept_aside_and_the_database_counts(store, key, caplog) -> None:
    prizes = make_prizes(store, key)
    first = give(prizes, store, 99)
    state = statefile.path_for(store.path)
    state.write_text('{"version": 1, "serial_res')  # torn by hand: rename never leaves this
    with caplog.at_level(logging.ERROR):
        again = make_prizes(store, key)
    assert "unreadable" in caplog.text
    assert list(state.parent.glob("scores.db.state.json.corrupt-*"))
    award = give(again, store, 99)
    assert award.tier == "gold" and award.serial > first.serial  # from the database's records
    assert again.stock(date(2026, 7, 18))[0].remaining == 0
    assert statefile.load(state)["serial_reserved"] >= award.serial  # a good file again


def test_staff_stock_adjustments_are_counted(store, key) -> None:
    prizes = make_prizes(store, key)
    day = date(2026, 7, 18)
    prizes.adjust(day, "gold", -2, NOON_HK, "box arrived damaged")
    assert give(prizes, store, 99).tier == "silver"
    prizes.adjust(day, "gold", +3, NOON_HK, "delivery")
    assert give(prizes, store, 99).tier == "gold"
    assert store.stock_adjustments(day.isoformat()) == {"gold": 1}
    gold = prizes.stock(day)[0]
    assert (gold.daily, gold.adjusted, gold.awarded, gold.remaining) == (2, 1, 1, 2)
    assert store.stock_adjustments("2026-07-19") == {}
    again = make_prizes(store, key)  # a restart reads them back
    assert again.stock(day)[0] == gold


def test_stock_is_per_local_day(store, key) -> None:
    prizes = make_prizes(store, key)
    before_midnight = datetime(2026, 7, 18, 15, 59, 59, tzinfo=UTC)  # 23:59:59 in HK
    after_midnight = datetime(2026, 7, 18, 16, 0, 1, tzinfo=UTC)  # 00:00:01 next day
    for _ in range(2):
        give(prizes, store, 99, before_midnight)
    award = give(prizes, store, 99, after_midnight)
    assert award.tier == "gold"  # a new day, a new stock
    assert claimcode.parse(award.code).claim.issued == date(2026, 7, 19)


def test_a_clock_stepped_back_after_midnight_does_not_reopen_yesterdays_stock(store, key) -> None:
    prizes = make_prizes(store, key, tiers=[PrizeTier("gold", 0, 3)])
    yesterday_evening = datetime(2026, 7, 18, 15, 30, tzinfo=UTC)  # 23:30 in HK
    for _ in range(3):
        give(prizes, store, 99, yesterday_evening)
    just_after = datetime(2026, 7, 18, 16, 30, tzinfo=UTC)  # 00:30 on the 19th
    today = [give(prizes, store, 99, just_after) for _ in range(3)]
    assert [a.tier for a in today] == ["gold"] * 3
    stepped_back = just_after - timedelta(hours=1)  # NTP steps the clock back an hour
    late = give(prizes, store, 99, stepped_back)
    assert late.sold_out  # 3 given today already: not 3 more from the 18th's shelf
    assert prizes.today(stepped_back) == date(2026, 7, 19)
    restarted = make_prizes(store, key, tiers=[PrizeTier("gold", 0, 3)])
    assert restarted.today(stepped_back) == date(2026, 7, 19)  # the floor is in the state file
    months_ahead_fixed = datetime(2026, 2, 1, 4, 0, tzinfo=UTC)
    assert restarted.today(months_ahead_fixed) == date(2026, 2, 1)  # a clock corrected


def test_serials_never_repeat_across_concurrent_writers(tmp_path: Path, key) -> None:
    path = tmp_path / "scores.db"
    with PlayStore(path, "K07") as setup:
        plays = [completed_play(setup, 50) for _ in range(40)]
    big = [PrizeTier("thanks", 0, 1000)]
    serials: list[int] = []
    lock = threading.Lock()

    def worker(ids: list[str]) -> None:
        with PlayStore(path, "K07") as mine:
            prizes = make_prizes(mine, key, tiers=big)
            for play_id in ids:
                serial = prizes.award(play_id, "en", 50, NOON_HK).result().serial
                with lock:
                    serials.append(serial)

    threads = [threading.Thread(target=worker, args=(plays[i::4],)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(serials) == 40 and len(set(serials)) == 40
    with PlayStore(path, "K07") as check:
        assert sorted(r["prize_serial"] for r in check.issued_prizes()) == sorted(serials)


# -- keys ----------------------------------------------------------------------------------------
def test_a_missing_key_becomes_a_marked_development_key(tmp_path: Path, caplog) -> None:
    path = tmp_path / "fresh" / "event.key"
    with caplog.at_level(logging.WARNING):
        key = eventkey.load_or_create(path)
    assert key.development
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert eventkey.public_path(path).exists()
    assert eventkey.is_development(eventkey.public_path(path))
    assert "DEVELOPMENT key" in caplog.text and str(path) in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        again = eventkey.load_or_create(path)
    assert again.key_id == key.key_id and "DEVELOPMENT" in caplog.text


def test_a_real_key_is_not_marked_and_loose_permissions_are_fixed(tmp_path: Path, caplog) -> None:
    key = eventkey.generate(tmp_path / "event.key")
    assert not key.development
    os.chmod(key.path, 0o644)
    with caplog.at_level(logging.WARNING):
        loaded = eventkey.load_or_create(key.path)
    assert not loaded.development and loaded.key_id == key.key_id
    assert stat.S_IMODE(key.path.stat().st_mode) == 0o600
    assert "0600" in caplog.text


def test_a_broken_key_file_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "event.key"
    path.write_text("not a key")
    with pytest.raises(eventkey.KeyFileError, match="not a readable"):
        eventkey.load_or_create(path)
    assert path.read_text() == "not a key"
    with pytest.raises(FileExistsError):
        eventkey.generate(path)


def test_the_claim_server_refuses_a_private_key_as_its_public_key(key) -> None:
    with pytest.raises(eventkey.KeyFileError, match="private key"):
        eventkey.load_public(key.path)
    assert claimcode.key_id(eventkey.load_public(eventkey.public_path(key.path))) == key.key_id


# -- configuration ------------------------------------------------------------------------------
def test_prize_config_is_read_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text(
        "[prizes]\nevent_id = 7\n[prizes.desk]\nen = 'Hall 3'\n"
        "[[prizes.tiers]]\nid = 'bronze'\nmin_score = 10\ndaily_stock = 5\n"
        "[[prizes.tiers]]\nid = 'star'\nmin_score = 90\ndaily_stock = 1\n"
    )
    prizes = Config.load(path).prizes
    assert prizes.event_id == 7 and prizes.desk == {"en": "Hall 3"}
    assert prizes.tiers == [PrizeTier("star", 90, 1), PrizeTier("bronze", 10, 5)]
    for bad in (
        "[[prizes.tiers]]\nid = 'x'\nmin_score = 10\n",
        "[[prizes.tiers]]\nid = 'no spaces'\nmin_score = 10\ndaily_stock = 1\n",
        "[[prizes.tiers]]\nid = 'a'\nmin_score = 1\ndaily_stock = 1\n" * 2,
        "[[prizes.tiers]]\nid = 'a'\nmin_score = 101\ndaily_stock = 1\n",
    ):
        path.write_text(bad)
        with pytest.raises(ConfigError):
            Config.load(path)


def test_a_claim_url_too_long_for_the_qr_budget_is_logged(store, key, caplog) -> None:
    with caplog.at_level(logging.ERROR):
        make_prizes(store, key, claim_url="https://" + "x" * 40 + ".example.hk/claim/")
    assert "QR budget" in caplog.text and "37" in caplog.text


# -- the claim screen ---------------------------------------------------------------------------
def to_claim_screen(app) -> None:
    tap(app, 960, 540)
    tap_button(app, 0)
    tap_button(app, 0)
    tap(app, *app.scene.start.rect.center)
    app.scene.game.finished = True  # time is up: whatever the score, every tier has stock
    for _ in range(400):
        if app.scene.name == "result":
            break
        run_for(app, 0.05)
    assert app.scene.name == "result"
    tap(app, *app.scene.next.rect.center)
    assert app.scene.name == "claim"


def kiosk_config(tmp_path: Path, tiers=None) -> Config:
    config = Config()
    config.prizes.key_file = str(tmp_path / "keys" / "event.key")
    if tiers is not None:
        config.prizes.tiers = tiers
    return config


def test_the_claim_screen_shows_a_qr_a_phone_can_read(make_kiosk, tmp_path: Path) -> None:
    app = make_kiosk(config=kiosk_config(tmp_path))
    to_claim_screen(app)
    award = app.scene.award
    assert award.code and app.scene.qr.get_width() >= 400
    app.draw()
    pixels = pygame.surfarray.array3d(app.canvas).transpose(1, 0, 2)
    (barcode,) = zxingcpp.read_barcodes(np.ascontiguousarray(pixels))
    assert barcode.text == award.url
    (row,) = app.store.plays()
    assert row["prize_code"] == award.code and row["prize_ref"] == award.ref


def test_sold_out_screen_has_no_qr_and_still_thanks(make_kiosk, tmp_path: Path) -> None:
    app = make_kiosk(config=kiosk_config(tmp_path, tiers=[PrizeTier("thanks", 0, 0)]))
    to_claim_screen(app)
    assert app.scene.award.sold_out and app.scene.qr is None
    app.draw()
    assert app.scene.done in app.scene.buttons
    (row,) = app.store.plays()
    assert row["prize_tier"] is None and row["prize_code"] is None


def test_without_a_reserved_serial_the_visitor_is_sent_to_the_desk(
    make_kiosk, tmp_path: Path, caplog
) -> None:
    (tmp_path / "scores.db.state.json.tmp").mkdir()  # the state file can never be replaced
    app = make_kiosk(config=kiosk_config(tmp_path))
    with caplog.at_level(logging.WARNING):
        to_claim_screen(app)
    assert app.scene.award is None and app.scene.qr is None
    app.draw()
    assert "not saved" in caplog.text and "no prize code for play" in caplog.text
    assert "not saved" in app.staff.store_warnings()


def test_the_claim_qr_is_made_by_a_worker_not_in_a_frame(
    make_kiosk, tmp_path: Path, monkeypatch
) -> None:
    """The QR (5 ms of encoding and drawing) is made off the frame thread once the award is
    saved (issue 13); the frame that shows it only takes it."""
    import threading

    from kiosk.booth.scenes import claim

    made: list[str] = []
    make = claim.claim_qr_surface

    def recording(url: str, size_px: int = claim.QR_PX) -> pygame.Surface:
        made.append(threading.current_thread().name)
        return make(url, size_px)

    monkeypatch.setattr(claim, "claim_qr_surface", recording)
    app = make_kiosk(config=kiosk_config(tmp_path))
    to_claim_screen(app)
    for _ in range(100):
        if app.scene.ready:
            break
        run_for(app, 0.05)
    assert app.scene.qr is not None and made == ["claim-qr"]
    assert app.scene.qr is app.scene.qr_ahead.result()
