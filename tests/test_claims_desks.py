"""Several prize desks on one truth: real ``smartizen serve-claims`` processes (waitress, each
with its own connection pool) on one central PostgreSQL.

Exactly one of fifty hand-overs of a code racing on three desk processes succeeds; a staff
session started on one process works and ends on the others; wrong PINs typed at one
process slow the guesser at the other; and every code opened, collected or refused is a
``claim_events`` row naming its desk, for the organisers' dashboard. A database that goes
away for a while is "try again in a minute", never a crash.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import psycopg.conninfo
import pytest
from click.testing import CliRunner

from kiosk.claims.backend import StoreUnavailable, open_store
from kiosk.claims.desk import COLLECTED, EXPIRED, HANDED_OVER, ClaimDesk
from kiosk.claims.pgstore import PgClaimStore
from kiosk.claims.settings import ClaimsSettings
from kiosk.claims.web import create_app
from kiosk.cli import cli
from kiosk.pin import hash_pin
from kiosk.prizes import eventkey
from tests.claimkit import DeskClient, claim_server, make_code, write_config

PIN = "2468013579"
DESKS = 3
ATTEMPTS = 50


@pytest.fixture
def key(tmp_path: Path) -> eventkey.SigningKey:
    return eventkey.generate(tmp_path / "event.key")


def desk_config(tmp_path: Path, key, dsn: str) -> Path:
    """claims.toml for the desk processes: the real clock runs, so a long claim window."""
    settings = make_settings(tmp_path, key, dsn)
    return write_config(tmp_path / "claims.toml", settings, claim_days=100_000, max_pin_failures=3)


def make_settings(tmp_path: Path, key, dsn: str) -> ClaimsSettings:
    settings = ClaimsSettings(
        public_key=str(eventkey.public_path(key.path)),
        database=str(tmp_path / "unused.db"),
        pin_hash=hash_pin(PIN, iterations=1000),
        max_pin_failures=3,
        postgres={"dsn": dsn},
    )
    settings.validate()
    return settings


def events(dsn: str) -> list[tuple[str, str, str | None, str | None]]:
    with psycopg.connect(dsn) as conn:
        return conn.execute(
            "SELECT event, prize_ref, desk, reason FROM claim_events ORDER BY id"
        ).fetchall()


def test_three_desk_processes_racing_fifty_hand_overs_of_one_code_give_exactly_one(
    tmp_path: Path, key, central_db: str
) -> None:
    config = desk_config(tmp_path, key, central_db)
    code = make_code(key)
    with claim_server(config) as a, claim_server(config) as b, claim_server(config) as c:
        desks = [DeskClient(base) for base in (a, b, c)]
        for n, desk in enumerate(desks):
            assert desk.log_in(PIN, f"Desk {n + 1}") == 200
        barrier = threading.Barrier(ATTEMPTS)
        verdicts: list[str] = []
        lock = threading.Lock()

        def attempt(i: int) -> None:
            desk = desks[i % DESKS]
            barrier.wait()
            status, html = desk.post("/desk/redeem", {"code": code})
            assert status == 200, html[:300]
            with lock:
                verdicts.append(DeskClient.headline(html))

        threads = [threading.Thread(target=attempt, args=(i,)) for i in range(ATTEMPTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert verdicts.count("HANDED OVER") == 1
    assert verdicts.count("Already collected") == ATTEMPTS - 1
    with psycopg.connect(central_db) as conn:
        ((rows, desk),) = conn.execute(
            "SELECT count(*), min(desk) FROM claim_redemptions GROUP BY code"
        ).fetchall()
    assert rows == 1 and desk in {"Desk 1", "Desk 2", "Desk 3"}
    seen = events(central_db)
    assert [e for e in seen if e[0] == "collected"] == [("collected", "K07-0153", desk, None)]
    refused = [e for e in seen if e[0] == "refused"]
    assert len(refused) == ATTEMPTS - 1
    assert {e[3] for e in refused} == {"collected"}
    assert {e[2] for e in refused} == {"Desk 1", "Desk 2", "Desk 3"}  # every desk tried
    logs = [log.read_text() for log in tmp_path.glob("serve-claims-*.log")]
    assert len(logs) == DESKS
    assert all("PostgreSQL postgres@127.0.0.1:" in log for log in logs)  # never a password
    assert sum(log.count("handed over K07-0153") for log in logs) == 1


def test_a_staff_session_and_the_pin_back_off_are_shared_by_two_server_processes(
    tmp_path: Path, key, central_db: str
) -> None:
    config = desk_config(tmp_path, key, central_db)
    first, second = make_code(key, 1), make_code(key, 2)
    with claim_server(config) as a, claim_server(config) as b:
        staff = DeskClient(a)
        assert staff.log_in(PIN, "Desk A") == 200
        elsewhere = staff.moved_to(b)  # the same cookie, sent to the other process
        status, html = elsewhere.post("/desk/redeem", {"code": first})
        assert status == 200 and DeskClient.headline(html) == "HANDED OVER"
        assert "Desk A" in elsewhere.get("/desk")[1]  # the session's desk, on process B
        assert elsewhere.post("/desk/logout", {})[0] == 303  # logged out on B …
        status, html = staff.post("/desk/redeem", {"code": second})
        assert status == 303  # … is logged out on A: sent to the login page, nothing done
        assert "logged out" in staff.get("/desk")[1]

        guesser_a, guesser_b = DeskClient(a), DeskClient(b)
        statuses = [guesser_a.log_in(wrong, "x") for wrong in ("000000", "111111", "222222")]
        assert statuses == [403, 403, 429]  # the third wrong PIN starts the waits
        assert guesser_b.log_in("333333", "x") == 429  # the other process makes it wait too
        assert "Try again in" in guesser_b.last
    with psycopg.connect(central_db) as conn:
        assert conn.execute("SELECT count(*) FROM claim_redemptions").fetchone() == (1,)
        (failures,) = conn.execute(
            "SELECT failures FROM claim_login_failures WHERE client = '127.0.0.1'"
        ).fetchone()
        assert failures >= 3
        (why,) = conn.execute("SELECT ended_why FROM claim_desk_sessions").fetchone()
        assert why == "logout"


def test_claim_events_say_opened_collected_and_refused_and_at_which_desk(
    tmp_path: Path, key, central_db: str
) -> None:
    settings = make_settings(tmp_path, key, central_db)  # three days to collect
    clock = [datetime(2026, 7, 18, 6, 0, tzinfo=UTC)]
    public = eventkey.load_public(settings.public_key)
    desk = ClaimDesk(settings, public, open_store(settings), now=lambda: clock[0])
    code, late = make_code(key, 10), make_code(key, 11)
    with closing(desk):
        for phone in ("phone-a", "phone-b", "phone-a"):
            desk.check(code, opened=True, phone=phone)  # one "opened" per code, whoever opens
        assert desk.redeem(code, "Desk North").status == HANDED_OVER
        assert desk.redeem(code, "Desk South").status == COLLECTED
        assert desk.redeem("K07-0000-ZZZZ", "Desk South").claim is None  # not a code: uncounted
        clock[0] = datetime(2026, 7, 25, 6, 0, tzinfo=UTC)
        assert desk.redeem(late, "Desk South").status == EXPIRED
    assert events(central_db) == [
        ("opened", "K07-0010", None, None),
        ("collected", "K07-0010", "Desk North", None),
        ("refused", "K07-0010", "Desk South", "collected"),
        ("refused", "K07-0011", "Desk South", "expired"),
    ]


def test_an_unreachable_postgres_is_one_clear_line_before_serving(tmp_path: Path, key) -> None:
    settings = make_settings(tmp_path, key, "postgresql://claims@127.0.0.1:1/nowhere")
    with pytest.raises(StoreUnavailable, match=r"^\[postgres\] dsn: cannot use the database"):
        open_store(settings)
    config = write_config(tmp_path / "claims.toml", settings)
    done = CliRunner().invoke(cli, ["serve-claims", "--config", str(config)])
    assert done.exit_code == 1 and "[postgres] dsn: cannot use the database" in done.output
    assert "Traceback" not in done.output
    (tmp_path / "bad.toml").write_text('[postgres]\ndsn = "db.park.lan"\n')
    bad = CliRunner().invoke(cli, ["claims", "verify", "x", "--config", str(tmp_path / "bad.toml")])
    assert bad.exit_code == 1 and "postgres.dsn" in bad.output


def until(condition: Callable[[], bool], tries: int = 60) -> bool:
    """``condition`` came true within ``tries`` half-second polls."""
    for _ in range(tries):
        if condition():
            return True
        time.sleep(0.5)
    return False


def test_a_database_gone_away_is_try_again_in_both_languages_then_the_desk_carries_on(
    tmp_path: Path, key, central_db: str
) -> None:
    """Every pooled connection cut and no new ones allowed (as while the database restarts):
    pages answer 503 "try again in a minute" with nothing recorded; back, they serve."""
    settings = make_settings(tmp_path, key, central_db)
    public = eventkey.load_public(settings.public_key)
    clock = datetime(2026, 7, 18, 6, 0, tzinfo=UTC)
    code = make_code(key)
    name = psycopg.conninfo.conninfo_to_dict(central_db)["dbname"]
    admin_dsn = psycopg.conninfo.make_conninfo(central_db, dbname="postgres")
    store = PgClaimStore(central_db, pool_size=2, timeout_s=1.0)
    desk = ClaimDesk(settings, public, store, now=lambda: clock)
    with closing(desk), psycopg.connect(admin_dsn, autocommit=True) as admin:
        client = create_app(desk).test_client()
        assert client.get(f"/C/{code}").status_code == 200
        assert desk.phones(code) == 1  # the page's note is written (the desk waits for it)
        token = re.search(r'name="csrf" value="([^"]+)"', client.get("/desk").text).group(1)
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
        backends = "SELECT count(*) FROM pg_stat_activity WHERE datname = %s"
        assert until(lambda: admin.execute(backends, [name]).fetchone() == (0,))  # all gone
        try:
            down = client.get(f"/C/{code}")
            assert down.status_code == 503 and down.headers["Retry-After"] == "30"
            assert "Please try again in a minute" in down.text and "請一分鐘後再試" in down.text
            assert "Traceback" not in down.text
            login = client.post("/desk/login", data={"pin": PIN, "desk": "A", "csrf": token})
            assert login.status_code == 503
        finally:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        # The pool reconnects on its own back-off: the pages come back without a restart.
        assert until(lambda: client.get(f"/C/{code}").status_code == 200)
        login = client.post("/desk/login", data={"pin": PIN, "desk": "A", "csrf": token})
        assert login.status_code == 303  # logged in: the door works again
        assert store.redemption(code) is None and desk.phones(code) == 1  # nothing lost
