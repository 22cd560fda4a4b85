"""Daily stock as data (issue 14): the booth records each tier's configured stock per local
day in its play log, the outbox syncs it, the centre upserts it (migration 0005), and the
dashboard's stock section reads configured, corrections, given, left, sell-out times and
downgrades from the central store alone, so a restart of the fleet service loses nothing.

Real SQLite files, the real fleet service's sync endpoint, a real PostgreSQL."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from kiosk.cli import cli
from kiosk.config import PrizeTier
from kiosk.fleet.dashboard.stock import stock_of_day
from kiosk.fleet.kiosks import add_kiosk
from kiosk.fleet.service import POOL_KEY, create_app
from kiosk.fleet.settings import FleetSettings
from kiosk.playlog.resilient import ResilientStore
from kiosk.playlog.store import PlayStore
from kiosk.playlog.writer import Inline
from kiosk.prizes import eventkey, statefile
from kiosk.prizes.awards import Prizes
from kiosk.sync import outbox
from tests.dashboardkit import log_in, make_app, seed
from tests.test_dashboard import text_of

TIERS = [PrizeTier("gold", 85, 2), PrizeTier("silver", 60, 1), PrizeTier("thanks", 0, 1)]
NOON_HK = datetime(2026, 7, 18, 4, 0, tzinfo=UTC)
DAY = date(2026, 7, 18)
KIOSK = "K07"


@pytest.fixture
def key(tmp_path: Path) -> eventkey.SigningKey:
    return eventkey.generate(tmp_path / "keys" / "event.key")


@pytest.fixture
def store(tmp_path: Path):
    with PlayStore(tmp_path / "scores.db", KIOSK) as s:
        yield s


def make_prizes(store: PlayStore, key, tiers=TIERS, now: datetime = NOON_HK) -> Prizes:
    return Prizes(
        jobs=Inline(store), state_path=statefile.path_for(store.path), key=key, tiers=tiers,
        event_id=2026, kiosk_id=KIOSK, claim_url="HTTPS://CLAIM.EXAMPLE.HK/C/",
        utc_offset_hours=8.0, now=lambda: now,
    )


def give(prizes: Prizes, store: PlayStore, score: int, ended: datetime):
    play_id = store.start_play("recycle_right", "en", "adult", ended - timedelta(seconds=60))
    store.finish_play(play_id, "completed", ended, score, {})
    return prizes.award(play_id, "en", score, ended).result()


def local_stock(path: Path) -> dict[tuple[str, str], tuple[int, int]]:
    """(day, tier) → (configured, version) in the booth's file."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT day, tier, configured, version FROM daily_stock").fetchall()
    return {(d, t): (n, v) for d, t, n, v in rows}


# -- the booth -------------------------------------------------------------------------------


def test_the_booth_records_each_tiers_daily_stock_at_start_and_for_each_new_day(store, key):
    make_prizes(store, key)
    first = local_stock(store.path)
    assert {k: n for k, (n, _) in first.items()} == {
        ("2026-07-18", "gold"): 2, ("2026-07-18", "silver"): 1, ("2026-07-18", "thanks"): 1,
    }
    backlog = outbox.backlog(store.db)
    assert backlog >= 3  # synced: every row has a version above the (nothing) acked

    make_prizes(store, key)  # a restart with the same kiosk.toml writes nothing new
    assert local_stock(store.path) == first
    assert outbox.backlog(store.db) == backlog

    # kiosk.toml edited (gold 5, thanks taken out) and the booth restarted the same day.
    edited = [PrizeTier("gold", 85, 5), PrizeTier("silver", 60, 1)]
    prizes = make_prizes(store, key, tiers=edited)
    now = local_stock(store.path)
    assert now[("2026-07-18", "gold")][0] == 5 and now[("2026-07-18", "thanks")][0] == 0
    assert now[("2026-07-18", "gold")][1] > first[("2026-07-18", "gold")][1]
    assert now[("2026-07-18", "silver")] == first[("2026-07-18", "silver")]  # unchanged

    # Running past midnight: the first look at the new day records it.
    prizes.today(NOON_HK + timedelta(days=1))
    assert {t: n for (d, t), (n, _) in local_stock(store.path).items() if d == "2026-07-19"} == {
        "gold": 5, "silver": 1,
    }


def test_a_refused_daily_stock_write_waits_in_the_side_file_and_lands_after_a_restart(
    tmp_path,
):
    path = tmp_path / "scores.db"
    s = ResilientStore(path, KIOSK, now=lambda: NOON_HK)
    s._store._conn.execute("PRAGMA query_only = ON")  # the file refuses writes
    s.record_daily_stock("2026-07-18", {"gold": 4, "silver": 9}, NOON_HK)
    assert s.pending == 1 and s.side_file.exists()
    s.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM daily_stock").fetchone()[0] == 0
    again = ResilientStore(path, KIOSK, now=lambda: NOON_HK)  # the next start replays it
    try:
        again.flush()
        assert again.pending == 0
    finally:
        again.close()
    assert {t: n for (_, t), (n, _) in local_stock(path).items()} == {"gold": 4, "silver": 9}


# -- the centre ------------------------------------------------------------------------------


def a_busy_day(store: PlayStore, key) -> Prizes:
    """Gold (2) sells out at 12:02, silver (1) at 12:03, thanks (1) at 12:04; one more gold
    earner gets nothing at 12:05; staff add 3 gold at 12:10 and one goes at 12:11."""
    prizes = make_prizes(store, key)
    minute = timedelta(minutes=1)
    tiers = [give(prizes, store, 95, NOON_HK + i * minute).tier for i in range(1, 6)]
    assert tiers == ["gold", "gold", "silver", "thanks", None]
    prizes.adjust(DAY, "gold", 3, NOON_HK + 10 * minute, "delivery")
    assert give(prizes, store, 95, NOON_HK + 11 * minute).tier == "gold"
    return prizes


def push_all(client, path: Path, token: str) -> dict:
    """Everything in the booth's outbox, through the fleet service's sync endpoint."""
    db = sqlite3.connect(path)
    applied: dict[str, int] = {}
    try:
        after = outbox.acked(db)
        while (batch := outbox.read_batch(db, after)) is not None:
            answer = client.post(
                "/fleet/v1/sync", json=batch.body(KIOSK),
                headers={"Authorization": f"Bearer {token}"},
            )
            assert answer.status_code == 200, answer.get_data(as_text=True)
            for table, n in (answer.get_json().get("applied") or {}).items():
                applied[table] = applied.get(table, 0) + n
            outbox.store_acked(db, answer.get_json()["acked"])
            db.commit()
            after = batch.through
    finally:
        db.close()
    return applied


@pytest.fixture
def service(central_db):
    with psycopg.connect(central_db, autocommit=True) as conn:
        token = add_kiosk(conn, KIOSK)
    app = create_app(FleetSettings(dsn=central_db, threads=2))
    yield app.test_client(), token, central_db
    app.extensions[POOL_KEY].close()


def test_daily_stock_syncs_and_the_centre_counts_the_day_as_the_booth_does(store, key, service):
    client, token, dsn = service
    prizes = a_busy_day(store, key)
    push_all(client, store.path, token)
    with psycopg.connect(dsn) as conn:
        central = conn.execute(
            "SELECT day::text, tier, configured, version FROM daily_stock WHERE kiosk_id = %s",
            (KIOSK,),
        ).fetchall()
        assert {(d, t): (n, v) for d, t, n, v in central} == local_stock(store.path)
        cells = stock_of_day(conn, DAY, 8.0)

    gold, silver, thanks = (cells[KIOSK, t] for t in ("gold", "silver", "thanks"))
    assert (gold.configured, gold.adjusted, gold.given, gold.left) == (2, 3, 3, 2)
    assert gold.total == 5
    assert (gold.downgraded, gold.missed) == (2, 1)  # earned gold: silver, thanks, nothing
    assert gold.sold_out_at is None and gold.restocked_after == NOON_HK + timedelta(minutes=2)
    assert (silver.configured, silver.given, silver.left) == (1, 1, 0)
    assert silver.sold_out_at == NOON_HK + timedelta(minutes=3)
    assert thanks.sold_out_at == NOON_HK + timedelta(minutes=4)
    # The centre agrees with the booth's own ledger, tier by tier.
    assert {t: cells[KIOSK, t].left for t in ("gold", "silver", "thanks")} == {
        line.tier: line.remaining for line in prizes.stock(DAY)
    }
    # The day before and after: nothing.
    with psycopg.connect(dsn) as conn:
        assert stock_of_day(conn, DAY - timedelta(days=1), 8.0) == {}


def test_a_repeated_push_and_an_old_version_change_nothing_centrally(store, key, service):
    client, token, dsn = service
    make_prizes(store, key)
    push_all(client, store.path, token)
    batch = outbox.read_batch(sqlite3.connect(store.path), 0)
    assert batch is not None and "daily_stock" in batch.rows
    again = client.post("/fleet/v1/sync", json=batch.body(KIOSK),
                        headers={"Authorization": f"Bearer {token}"})
    assert again.status_code == 200
    stale = [{**row, "configured": 99, "version": row["version"] - 1}
             for row in batch.rows["daily_stock"]]
    client.post("/fleet/v1/sync", json={"kiosk_id": KIOSK, "through": 1,
                                        "rows": {"daily_stock": stale}},
                headers={"Authorization": f"Bearer {token}"})
    with psycopg.connect(dsn) as conn:
        rows = conn.execute("SELECT tier, configured FROM daily_stock ORDER BY tier").fetchall()
    assert rows == [("gold", 2), ("silver", 1), ("thanks", 1)]


def test_a_bad_daily_stock_row_is_refused_with_a_reason(service):
    client, token, _ = service
    answer = client.post(
        "/fleet/v1/sync",
        json={"kiosk_id": KIOSK, "through": 5, "rows": {"daily_stock": [
            {"day": "2026-07-18", "tier": "gold", "configured": "lots",
             "set_at": "2026-07-18T04:00:00.000Z", "version": 5}]}},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 400
    assert "daily_stock" in answer.get_data(as_text=True)


# -- the dashboard ---------------------------------------------------------------------------


def test_the_stock_section_reads_the_store_and_survives_a_service_restart(store, key, service):
    client, token, dsn = service
    a_busy_day(store, key)
    push_all(client, store.path, token)
    seen = NOON_HK + timedelta(minutes=30)

    def overview(organiser: str | None, lang: str = "en") -> str:
        app, pool = make_app(dsn, clock=lambda: seen, organiser=organiser)
        try:
            c = app.test_client()
            assert log_in(c).status_code == 303
            if lang != "en":
                c.get(f"/dashboard/lang/{lang}")
            return c.get("/dashboard/").get_data(as_text=True)
        finally:
            pool.close()

    page = overview("ada")
    assert text_of(page, f"stock-{KIOSK}-silver") == "0 of 1 1 given Sold out 12:03"
    assert text_of(page, f"stock-{KIOSK}-gold") == (
        "2 of 5 (2 +3) 3 given Ran out 12:02, restocked 2 given a lower tier 1 got none left"
    )
    assert f'id="stock-{KIOSK}-thanks"' in page and 'class="num out"' in page

    # The booth never sent a heartbeat (no booth_status row at all) and the service is a
    # new process on the same store: the sell-out times are still there.
    with psycopg.connect(dsn) as conn:
        assert conn.execute("SELECT count(*) FROM booth_status").fetchone()[0] == 0
    again = overview(None)
    assert text_of(again, f"stock-{KIOSK}-silver") == "0 of 1 1 given Sold out 12:03"
    chinese = overview(None, "zh-HK")
    assert text_of(chinese, f"stock-{KIOSK}-silver") == "0 共 1 份 已派 1 份 12:03 派完"


def test_a_booth_without_stock_data_still_shows_its_heartbeat_count(central_db):
    """Software from before daily stock was data: the heartbeat's numbers, as before."""
    seed(central_db)
    app, pool = make_app(central_db)
    try:
        c = app.test_client()
        assert log_in(c).status_code == 303
        page = c.get("/dashboard/").get_data(as_text=True)
    finally:
        pool.close()
    assert text_of(page, "stock-booth-03-gold") == "0 Sold out 13:12"
    assert text_of(page, "stock-booth-01-silver") == "30"


# -- the organisers' command -----------------------------------------------------------------


def test_fleet_stock_command_prints_the_days_stock_from_the_store(store, key, service):
    client, token, dsn = service
    a_busy_day(store, key)
    push_all(client, store.path, token)
    run = CliRunner()
    table = run.invoke(cli, ["fleet", "--dsn", dsn, "stock", "--date", "2026-07-18"])
    assert table.exit_code == 0, table.output
    lines = {line.split()[1]: line.split() for line in table.output.splitlines()
             if line.startswith(KIOSK)}
    #                    booth  tier    conf adj  given left sold   first  down missed
    assert lines["gold"] == [KIOSK, "gold", "2", "+3", "3", "2", "—", "12:02", "2", "1"]
    assert lines["silver"] == [KIOSK, "silver", "1", "0", "1", "0", "12:03", "12:03", "0", "0"]
    assert "times at UTC+8" in table.output

    answer = run.invoke(cli, ["fleet", "--dsn", dsn, "stock", "--date", "2026-07-18",
                              "--format", "json"])
    data = json.loads(answer.output)
    assert data["day"] == "2026-07-18"
    thanks = next(r for r in data["stock"] if r["tier"] == "thanks")
    assert (thanks["left"], thanks["sold_out_at"]) == (0, "12:04")

    empty = run.invoke(cli, ["fleet", "--dsn", dsn, "stock", "--date", "2026-07-17"])
    assert empty.exit_code == 0 and "no stock data for 2026-07-17" in empty.output
    bad = run.invoke(cli, ["fleet", "--dsn", dsn, "stock", "--date", "yesterday"])
    assert bad.exit_code == 2 and "'yesterday' is not today or YYYY-MM-DD" in bad.output


def test_a_restarted_booth_s_sell_out_alert_gets_its_time_from_the_store(store, key, service):
    """The booth's own sell-out times last one run: after a restart its heartbeat says
    silver 0 with no time. The alert and the tile read the time from the synced audit."""
    client, token, dsn = service
    a_busy_day(store, key)
    push_all(client, store.path, token)
    seen = NOON_HK + timedelta(minutes=30)
    with psycopg.connect(dsn) as conn:
        conn.execute(
            "INSERT INTO booth_status (kiosk_id, seen_at, screen, db_health, speech_health,"
            " stock_left, sold_out) VALUES (%s, %s, 'attract', 'ok', 'ok',"
            " '{\"gold\": 2, \"silver\": 0}', '{}')",
            (KIOSK, seen - timedelta(seconds=5)),
        )
    app, pool = make_app(dsn, clock=lambda: seen)
    try:
        c = app.test_client()
        assert log_in(c).status_code == 303
        page = c.get("/dashboard/").get_data(as_text=True)
        booth_page = c.get(f"/dashboard/booth/{KIOSK}").get_data(as_text=True)
    finally:
        pool.close()
    alerts = re.search(r'<ul class="alerts">(.*?)</ul>', page, re.S).group(1)
    lines = [" ".join(re.sub(r"<[^>]+>", " ", li).split()) for li in alerts.split("</li>")[:-1]]
    # silver from the heartbeat (0) with the store's time; thanks, which the heartbeat
    # left out, entirely from the store.
    assert f"{KIOSK} Silver prize sold out at 12:03" in lines
    assert f"{KIOSK} Thank-you gift sold out at 12:04" in lines
    assert not any("Gold" in x for x in lines)
    assert "0 left" in booth_page and "2 left" in booth_page
