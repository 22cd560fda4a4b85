"""The prize desk's door: PIN back-off per client behind a TLS proxy, sessions that logging out
revokes, phones counted per code, and desk names that cannot forge log lines.

Browser tests drive the real pages in headless Chromium against waitress on a local port;
each test runs on both stores (``claims_dsn``): a real SQLite file, and the central
PostgreSQL, shared by two app instances where a test plays two server processes
(tests/test_claims_desks.py runs them as real processes).
"""

from __future__ import annotations

import http.client
import logging
import re
import threading
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner

from kiosk.claims.backend import open_store
from kiosk.claims.desk import ClaimDesk
from kiosk.claims.names import clean_desk_name
from kiosk.claims.phones import PHONE_COOKIE, phone_id
from kiosk.claims.security import FORGET_S, LoginThrottle
from kiosk.claims.settings import ClaimsSettings, SettingsError
from kiosk.claims.store import MAX_PHONES
from kiosk.claims.web import create_app
from kiosk.cli import cli
from kiosk.pin import hash_pin
from kiosk.prizes import eventkey
from kiosk.proxies import waitress_options
from tests.claimkit import make_code, rows, write_config
from tests.serverkit import local_server

PIN = "4815162342"  # ten digits: desk PINs may be longer than the kiosk pad's
PIN_HASH = hash_pin(PIN, iterations=1000)


@pytest.fixture
def key(tmp_path: Path) -> eventkey.SigningKey:
    return eventkey.generate(tmp_path / "event.key")


def make_settings(tmp_path: Path, key, dsn: str = "", **kw) -> ClaimsSettings:
    values = {
        "public_key": str(eventkey.public_path(key.path)),
        "database": str(tmp_path / "claims.db"),
        "pin_hash": PIN_HASH,
        "max_pin_failures": 3,
        "postgres": {"dsn": dsn},
    }
    values.update(kw)
    settings = ClaimsSettings(**values)
    settings.validate()
    return settings


def make_desk(settings: ClaimsSettings) -> ClaimDesk:
    def now() -> datetime:
        return datetime(2026, 7, 18, 6, 0, tzinfo=UTC)

    store = open_store(settings)
    return ClaimDesk(settings, eventkey.load_public(settings.public_key), store, now=now)


@pytest.fixture
def browser(chromium):
    yield chromium
    for context in chromium.contexts:
        context.close()


def log_in(page, base: str, pin: str = PIN, desk: str = "Desk A") -> None:
    page.goto(f"{base}/desk")
    page.fill("#pin", pin)
    page.fill("#desk", desk)
    page.click("button[type=submit]")


# -- back-off per client ---------------------------------------------------------------------------
def test_waits_grow_per_client_are_shared_by_processes_and_survive_a_restart(
    tmp_path: Path, key, claims_dsn: str
) -> None:
    now = [1_000_000.0]
    settings = make_settings(tmp_path, key, claims_dsn)
    first = open_store(settings)
    second = open_store(settings)  # another server process on the same store
    a = LoginThrottle(first, free_failures=3, max_delay_s=600, clock=lambda: now[0])
    b = LoginThrottle(second, free_failures=3, max_delay_s=600, clock=lambda: now[0])
    for _ in range(3):
        assert a.attempt("10.1.1.1") == 0  # three free tries
    waits = []
    for _ in range(12):
        wait = b.attempt("10.1.1.1")  # the other process sees the same count
        assert wait > 0
        now[0] += wait
        assert a.attempt("10.1.1.1") == 0
        waits.append(wait)
    assert waits[:5] == [1, 2, 4, 8, 16] and max(waits) == 600  # doubling, capped
    assert a.attempt("10.2.2.2") == 0  # another desk is never slowed
    first.close()
    restarted = LoginThrottle(open_store(settings), 3, 600, clock=lambda: now[0])
    assert restarted.attempt("10.1.1.1") == 600  # a restart forgets nothing
    now[0] += FORGET_S + 1
    assert restarted.attempt("10.1.1.1") == 0  # a day later it is forgotten
    restarted.succeeded("10.1.1.1")
    assert restarted.failures("10.1.1.1") == 0
    second.close()
    restarted.store.close()


def test_behind_the_proxy_one_client_guessing_never_locks_another_desk(
    tmp_path: Path, key, browser, claims_dsn: str
) -> None:
    """Every request comes from the proxy (127.0.0.1 here); the proxy names the client."""
    settings = make_settings(tmp_path, key, claims_dsn, trusted_proxies=["127.0.0.1"])
    desk = make_desk(settings)
    app = create_app(desk, clock=lambda: 1_000_000.0)  # still time: no wait ever runs out
    with local_server(app, **waitress_options(settings.trusted_proxies)) as base:
        guesser = browser.new_context(extra_http_headers={"X-Forwarded-For": "203.0.113.66"})
        page = guesser.new_page()
        statuses = []
        for guess in ("000000", "111111", "222222", "333333", "444444"):
            page.goto(f"{base}/desk")
            page.fill("#pin", guess)
            with page.expect_response(f"{base}/desk/login") as answer:
                page.click("button[type=submit]")
            statuses.append(answer.value.status)
        assert statuses == [403, 403, 429, 429, 429]
        assert "Too many wrong PINs" in page.locator(".error").inner_text()
        staff = browser.new_context(extra_http_headers={"X-Forwarded-For": "203.0.113.7"})
        desk_page = staff.new_page()
        log_in(desk_page, base)
        desk_page.wait_for_selector("#code:focus")  # the other desk logs straight in
        failures = dict(rows(desk.store, "login_failures", "client, failures"))
        assert failures == {"203.0.113.66": 3}
    desk.close()


def test_forwarded_for_from_anyone_but_the_trusted_proxy_is_ignored(
    tmp_path: Path, key, claims_dsn: str
) -> None:
    """Without the proxy configured, a guesser cannot pick a fresh address per guess."""
    settings = make_settings(tmp_path, key, claims_dsn)  # no trusted_proxies
    desk = make_desk(settings)
    app = create_app(desk, clock=lambda: 1_000_000.0)
    with local_server(app, clear_untrusted_proxy_headers=False) as base:  # the app must judge
        port = int(base.rsplit(":", 1)[1])
        statuses = []
        for i in range(5):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", "/desk", headers={"X-Forwarded-For": f"198.51.100.{i}"})
            response = conn.getresponse()
            html = response.read().decode()
            cookie = response.getheader("Set-Cookie").split(";")[0]
            token = re.search(r'name="csrf" value="([^"]+)"', html).group(1)
            body = urlencode({"pin": f"00000{i}", "csrf": token})
            conn.request(
                "POST",
                "/desk/login",
                body,
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": cookie,
                    "X-Forwarded-For": f"198.51.100.{i}",
                },
            )
            response = conn.getresponse()
            response.read()
            statuses.append(response.status)
            conn.close()
    assert statuses == [403, 403, 429, 429, 429]
    clients = [c for (c,) in rows(desk.store, "login_failures", "client")]
    assert clients == ["127.0.0.1"]
    desk.close()


# -- sessions --------------------------------------------------------------------------------------
def test_logging_out_revokes_the_cookie_even_a_captured_copy(
    tmp_path: Path, key, browser, claims_dsn: str
) -> None:
    settings = make_settings(tmp_path, key, claims_dsn)
    desk = make_desk(settings)
    other_process = create_app(make_desk(settings))  # a second server on the same database
    code = make_code(key)
    with local_server(create_app(desk)) as base, local_server(other_process) as other:
        staff = browser.new_context()
        page = staff.new_page()
        log_in(page, base)
        page.wait_for_selector("#code:focus")
        stolen = staff.cookies()
        token = page.locator("input[name=csrf]").first.get_attribute("value")

        def replay(where: str) -> tuple[int, str]:
            """The captured cookie and form token, sent from somewhere else."""
            port = int(where.rsplit(":", 1)[1])
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            (cookie,) = [f"{c['name']}={c['value']}" for c in stolen]
            conn.request(
                "POST",
                "/desk/redeem",
                urlencode({"code": code, "csrf": token}),
                {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
            )
            response = conn.getresponse()
            text = response.read().decode()
            conn.close()
            return response.status, text

        status, html = replay(other)  # before logout the copy works, on either process
        assert status == 200 and "HANDED OVER" in html
        page.click("text=Log out")
        page.wait_for_selector("#pin")
        for where in (base, other):
            status, html = replay(where)
            assert status == 303, html[:300]  # sent to the login page, nothing done
        thief = browser.new_context()
        thief.add_cookies(stolen)
        thief_page = thief.new_page()
        thief_page.goto(f"{base}/desk")
        assert thief_page.locator("#pin").count() == 1
        assert "logged out" in thief_page.locator(".error").inner_text()
    assert desk.store.count() == 1  # only the hand-over made before logout
    ((why,),) = rows(desk.store, "desk_sessions", "ended_why")
    assert why == "logout"
    desk.close()


# -- phones per code -------------------------------------------------------------------------------
def test_the_desk_sees_how_many_different_phones_opened_a_code(
    tmp_path: Path, key, browser, claims_dsn: str
) -> None:
    settings = make_settings(tmp_path, key, claims_dsn)
    desk = make_desk(settings)
    code = make_code(key)
    with local_server(create_app(desk)) as base:
        visitor = browser.new_context(java_script_enabled=False)
        visitor.new_page().goto(f"{base}/C/{code}")
        visitor.new_page().goto(f"{base}/C/{code}")  # the same phone again: still one
        (cookie,) = visitor.cookies()
        assert cookie["name"] == PHONE_COOKIE and cookie["httpOnly"]
        assert re.fullmatch(r"[A-Za-z0-9_-]{22}", cookie["value"])
        staff = browser.new_context().new_page()
        log_in(staff, base)
        staff.wait_for_selector("#code:focus")
        staff.keyboard.type(code)
        staff.keyboard.press("Enter")
        staff.wait_for_selector(".verdict")
        assert staff.locator(".phones").inner_text() == "Opened on 1 phone"
        stranger = browser.new_context(java_script_enabled=False)  # scanned the kiosk screen
        stranger.new_page().goto(f"{base}/c/{code.lower()}")
        staff.keyboard.type(code)
        staff.keyboard.press("Enter")
        staff.wait_for_selector(".phones-many")
        assert "Opened on 2 different phones" in staff.locator(".phones").inner_text()
    config = write_config(tmp_path / "claims.toml", settings, claim_days=3000)
    verify = CliRunner().invoke(cli, ["claims", "verify", code, "--config", str(config)])
    assert verify.exit_code == 0 and "opened on 2 different phones" in verify.output
    noted = rows(desk.store, "opened_by", "*")
    assert len(noted) == 2 and {r[0] for r in noted} == {code}
    assert all(len(r) == 3 for r in noted)  # code, random id, time: nothing else
    other = make_code(key, serial=154)
    for _ in range(30):  # a client refusing cookies is a new phone at every request
        desk.check(other, opened=True, phone=phone_id(None)[0])
    assert desk.phones(other) == MAX_PHONES  # the table stays small
    desk.close()


# -- desk names ------------------------------------------------------------------------------------
FORGED = "Desk A\r\n2026-07-18 14:00:00 INFO kiosk.claims.desk: handed over K07-9999"


def test_a_desk_name_cannot_forge_a_log_line(tmp_path: Path, key, caplog, claims_dsn: str) -> None:
    """A browser strips line breaks from the field; a crafted POST does not."""
    settings = make_settings(tmp_path, key, claims_dsn)
    desk = make_desk(settings)
    code = make_code(key)
    client = create_app(desk).test_client()
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/desk").text).group(1)
    with caplog.at_level(logging.INFO):
        client.post("/desk/login", data={"pin": PIN, "desk": FORGED, "csrf": token})
        token = re.search(r'name="csrf" value="([^"]+)"', client.get("/desk").text).group(1)
        done = client.post("/desk/redeem", data={"code": code, "csrf": token})
    assert "HANDED OVER" in done.text
    recorded = desk.store.redemption(code).desk
    assert recorded == "Desk A 2026-07-18 14:00:00 INFO kiosk.cl"  # one line, 40 characters
    handed = [r.getMessage() for r in caplog.records if "handed over" in r.getMessage()]
    assert len(handed) == 1 and "\n" not in handed[0] and "\r" not in handed[0]
    assert clean_desk_name("a\u2028b\x1b[31m\tc") == "a b [31m c"
    assert clean_desk_name("\r\n", "Prize desk") == "Prize desk"
    desk.close()


def test_desk_names_from_the_terminal_and_the_settings_are_one_line(
    tmp_path: Path, key, claims_dsn: str
) -> None:
    settings = make_settings(tmp_path, key, claims_dsn)
    config = write_config(tmp_path / "claims.toml", settings, claim_days=3000)
    code = make_code(key)
    done = CliRunner().invoke(
        cli, ["claims", "redeem", code, "--config", str(config), "--desk", FORGED]
    )
    assert done.exit_code == 0, done.output
    store = open_store(settings)
    assert "\n" not in store.redemption(code).desk
    store.close()
    config.write_text('desk_name = "Desk A\\nforged"\n')
    with pytest.raises(SettingsError, match="desk_name"):
        ClaimsSettings.load(config)
    config.write_text('trusted_proxies = "127.0.0.1"\n')
    with pytest.raises(SettingsError, match="trusted_proxies"):
        ClaimsSettings.load(config)


def test_desk_pins_are_six_to_twelve_digits(tmp_path: Path) -> None:
    runner = CliRunner()
    made = runner.invoke(cli, ["staff", "hash-pin", "--desk", "--pin", "481516234201"])
    assert made.exit_code == 0 and made.output.startswith('pin_hash = "pbkdf2_sha256$')
    short = runner.invoke(cli, ["staff", "hash-pin", "--desk", "--pin", "2468"])
    assert short.exit_code == 2 and "6 to 12 digits" in short.output
    kiosk = runner.invoke(cli, ["staff", "hash-pin", "--pin", "481516234201"])
    assert kiosk.exit_code == 2 and "4 to 8 digits" in kiosk.output


def test_closing_the_desk_writes_the_queued_phone_notes_before_the_database_closes(
    tmp_path: Path, key, claims_dsn: str
) -> None:
    """The notes thread commits on its own connection: the desk stops it before closing the
    database (closing a connection mid-commit from another thread can crash the server)."""
    settings = make_settings(tmp_path, key, claims_dsn)
    desk = make_desk(settings)
    code = make_code(key)
    for n in range(40):
        desk.check(code, opened=True, phone=f"phone-{n:02d}")
    desk.close()
    assert not any(t.name == "phone-notes" for t in threading.enumerate())
    reopened = make_desk(settings)
    assert reopened.phones(code) == MAX_PHONES  # every note queued before the close, capped
    reopened.close()
