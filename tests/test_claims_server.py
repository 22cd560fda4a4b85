"""The claim server: visitors' pages, the prize desk, atomic redemption, and the CLI twins.

Every test on a desk runs on both stores (``claims_dsn``): the SQLite file and the central
PostgreSQL."""

from __future__ import annotations

import http.client
import re
import threading
import tomllib
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import flask
import pytest
import werkzeug.test
from click.testing import CliRunner

from kiosk.claims.backend import open_store
from kiosk.claims.desk import COLLECTED, EXPIRED, HANDED_OVER, INVALID, READY, ClaimDesk
from kiosk.claims.phones import PHONE_COOKIE
from kiosk.claims.settings import EXAMPLE, ClaimsSettings, SettingsError
from kiosk.claims.web import create_app
from kiosk.cli import cli
from kiosk.pin import hash_pin
from kiosk.prizes import claimcode, eventkey
from kiosk.prizes.claimcode import Claim
from tests.claimkit import write_config
from tests.serverkit import local_server

PIN = "4321"
PIN_HASH = hash_pin(PIN, iterations=1000)  # fast for tests; the CLI uses the full count
ISSUED = date(2026, 7, 18)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 7, 18, 6, 0, tzinfo=UTC)  # 14:00 in Hong Kong

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def key(tmp_path: Path) -> eventkey.SigningKey:
    return eventkey.generate(tmp_path / "event.key")


@pytest.fixture
def settings(tmp_path: Path, key, claims_dsn: str) -> ClaimsSettings:
    s = ClaimsSettings(
        public_key=str(eventkey.public_path(key.path)),
        database=str(tmp_path / "claims.db"),
        pin_hash=PIN_HASH,
        max_pin_failures=3,
        postgres={"dsn": claims_dsn},
    )
    s.validate()
    return s


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def desk(settings, clock):
    desk = ClaimDesk(
        settings,
        eventkey.load_public(settings.public_key),
        open_store(settings),
        now=clock,
    )
    yield desk
    desk.close()


@pytest.fixture
def app(desk):
    app = create_app(desk)
    app.testing = True
    return app


def make_code(key, serial: int = 153, **kw) -> str:
    values = {
        "event": 2026,
        "key_id": key.key_id,
        "kiosk": "K07",
        "serial": serial,
        "tier": "gold",
        "issued": ISSUED,
        "lang": "en",
        "nonce": 1000 + serial,
    }
    values.update(kw)
    return claimcode.sign(Claim(**values), key.private)


def url(code: str) -> str:
    return "HTTPS://CLAIM.EXAMPLE.HK/C/" + code


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def login(client, pin: str = PIN, desk_name: str = "Desk A"):
    token = csrf_of(client.get("/desk").text)
    return client.post("/desk/login", data={"pin": pin, "desk": desk_name, "csrf": token})


# -- verdicts --------------------------------------------------------------------------------------
def test_a_fresh_code_is_ready_then_handed_over_once(desk, key) -> None:
    code = make_code(key)
    assert desk.check(url(code)).status == READY
    assert desk.redeem(url(code), "Desk A").status == HANDED_OVER
    again = desk.redeem(code, "Desk B")
    assert again.status == COLLECTED and again.reason == "collected"
    assert again.redemption.desk == "Desk A" and "Desk A" in again.detail


def test_every_rejection_names_its_reason_to_staff(desk, key, tmp_path: Path, clock) -> None:
    code = make_code(key)
    changed = code[:40] + ("A" if code[40] != "A" else "B") + code[41:]
    other = eventkey.generate(tmp_path / "other.key")
    cases = {
        "bad_signature": changed,
        "wrong_key": make_code(other),
        "malformed": "HTTPS://CLAIM.EXAMPLE.HK/C/HELLO-WORLD",
        "unknown_desk_code": "K07-0153-ABCD",
    }
    for reason, text in cases.items():
        verdict = desk.check(text)
        assert (verdict.status, verdict.reason) == (INVALID, reason), reason
        assert verdict.headline and verdict.detail
    assert desk.check(make_code(key, event=2025)).reason == "wrong_key"
    clock.now += timedelta(days=3)  # window: the 18th, 19th and 20th
    expired = desk.check(code)
    assert (expired.status, expired.reason) == (EXPIRED, "expired")
    assert desk.redeem(code, "Desk A").status == EXPIRED


def test_the_claim_window_counts_local_days(desk, key, clock) -> None:
    code = make_code(key)
    clock.now = datetime(2026, 7, 20, 15, 59, tzinfo=UTC)  # 23:59 on the 20th in HK
    assert desk.check(code).status == READY
    clock.now = datetime(2026, 7, 20, 16, 1, tzinfo=UTC)  # 00:01 on the 21st
    assert desk.check(code).status == EXPIRED


def test_fifty_concurrent_redemptions_give_exactly_one_success(desk, key) -> None:
    code = make_code(key)
    barrier = threading.Barrier(50)
    results: list[str] = []
    lock = threading.Lock()

    def attempt(i: int) -> None:
        barrier.wait()
        status = desk.redeem(url(code), f"Desk {i}").status
        with lock:
            results.append(status)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(HANDED_OVER) == 1 and results.count(COLLECTED) == 49
    assert desk.store.count() == 1


def test_fifty_concurrent_http_hand_overs_give_exactly_one(app, key) -> None:
    """Through waitress and real sockets, as fifty desks pressing "Hand over" at once."""
    with local_server(app) as base:
        port = int(base.rsplit(":", 1)[1])
        client = app.test_client()  # log in once, share the session cookie and token
        login(client)
        token = csrf_of(client.get("/desk").text)
        cookie = client.get_cookie("szp_desk").value
        code = make_code(key)
        body = urlencode({"code": url(code), "csrf": token})
        barrier = threading.Barrier(50)
        verdicts: list[str] = []
        lock = threading.Lock()

        def attempt() -> None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            barrier.wait()
            conn.request(
                "POST",
                "/desk/redeem",
                body,
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": f"szp_desk={cookie}",
                },
            )
            response = conn.getresponse()
            html = response.read().decode()
            assert response.status == 200, (response.status, html[:500])
            headline = re.search(r'<p class="headline">([^<]+)</p>', html).group(1)
            with lock:
                verdicts.append(headline)

        threads = [threading.Thread(target=attempt) for _ in range(50)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert verdicts.count("HANDED OVER") == 1
    assert verdicts.count("Already collected") == 49


# -- the visitor's page ----------------------------------------------------------------------------
def test_the_claim_page_shows_prize_status_reference_and_a_qr(app, key) -> None:
    code = make_code(key, lang="zh-HK")
    page = app.test_client().get("/C/" + code)
    assert page.status_code == 200
    html = page.text
    assert 'lang="zh-HK"' in html and "金獎" in html and "可以領取" in html
    assert "K07-0153" in html and claimcode.desk_code(code) in html
    assert "<svg" in html and "<script" not in html
    assert page.headers["Cache-Control"] == "no-store"
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["Referrer-Policy"] == "no-referrer"
    english = app.test_client().get(f"/C/{code}?lang=en").text
    assert "Gold prize" in english and "Ready to collect" in english


def test_the_page_answers_in_any_letter_case(app, key) -> None:
    code = make_code(key)
    assert app.test_client().get("/c/" + code.lower()).status_code == 200


def test_a_collected_code_says_when_and_where(app, desk, key) -> None:
    code = make_code(key)
    desk.redeem(code, "Desk A")
    html = app.test_client().get("/C/" + code).text
    assert "Already collected" in html and "2026-07-18 14:00" in html and "Desk A" in html


def test_a_bad_code_is_not_valid_and_says_nothing_more(app, key, tmp_path: Path) -> None:
    code = make_code(key)
    other = eventkey.generate(tmp_path / "other.key")
    for text in (code[:-5] + "AAAAA", make_code(other), "NOTACODE"):
        page = app.test_client().get("/C/" + text)
        assert page.status_code == 404
        assert "Not a valid code" in page.text and "無效的領獎碼" in page.text
        for word in ("signature", "key", "event", "malformed", "forged"):
            assert word not in page.text.lower().replace("keyword", "")


def _answer(client, path: str, cookie: str | None) -> tuple[str, bytes, list[tuple[str, str]]]:
    """Status, body and headers, the phone id and the cookie's expiry second left out."""
    if cookie:
        client.set_cookie(PHONE_COOKIE, cookie)
    response = client.get(path)
    headers = []
    for name, value in response.headers.items():
        if name == "Set-Cookie":
            value = re.sub(r"szp_phone=[^;]+", "szp_phone=<id>", value)
            value = re.sub(r"Expires=[^;]+", "Expires=<date>", value)
        headers.append((name, value))
    return response.status, response.data, headers


@pytest.mark.parametrize("cookie", [None, "A" * 22, "not-a-phone-id"])
@pytest.mark.parametrize("path", ["/C/{code}", "/c/{lower}", "/C/{zh}"])
def test_a_reloaded_claim_page_comes_before_flask_the_same_as_from_flask(app, key, path, cookie):
    """A plain GET of a page already rendered skips Flask (kiosk/claims/fastpage.py): the
    visitor gets the same status, page and headers, cookie included, as Flask gives."""
    code, zh = make_code(key), make_code(key, serial=154, lang="zh-HK")
    path = path.format(code=code, lower=code.lower(), zh=zh)
    started: list[object] = []
    flask.request_started.connect(started.append, app, weak=False)
    try:
        first = _answer(app.test_client(), path, cookie)  # renders, through Flask
        assert len(started) == 1
        fast = _answer(app.test_client(), path, cookie)
        assert len(started) == 1  # no Flask request this time
        through_flask = _answer(werkzeug.test.Client(app.wsgi_app.app), path, cookie)
        assert len(started) == 2
    finally:
        flask.request_started.disconnect(started.append, app)
    assert fast == through_flask == first
    assert fast[0] == "200 OK" and b"<svg" in fast[1]
    assert any(name == "Set-Cookie" for name, _ in fast[2]) == (cookie != "A" * 22)


def test_phones_opening_a_rendered_page_are_each_noted_once(app, desk, key) -> None:
    code = make_code(key)
    client = app.test_client()
    client.get("/C/" + code)  # renders it
    for _ in range(3):
        client.get("/C/" + code)  # the same phone reloads, through the fast path
    assert desk.phones(code) == 1
    fresh = app.test_client().get("/C/" + code)  # another phone, no cookie yet
    assert PHONE_COOKIE in fresh.headers["Set-Cookie"]
    assert desk.phones(code) == 2


def test_anything_but_a_plain_code_get_is_left_to_flask(app, key) -> None:
    code = make_code(key)
    app.test_client().get("/C/" + code)
    started: list[object] = []
    flask.request_started.connect(started.append, app, weak=False)
    try:
        client = app.test_client()
        assert client.get(f"/C/{code}?lang=zh-HK").status_code == 200
        assert client.head("/C/" + code).status_code == 200
        assert client.get("/C/" + code[:-5] + "AAAAA").status_code == 404  # not a genuine code
        assert client.get("/C/" + claimcode.desk_code(code)).status_code == 200  # typed
        assert client.get("/healthz").status_code == 200
    finally:
        flask.request_started.disconnect(started.append, app)
    assert len(started) == 5


def test_opening_the_page_lets_staff_type_the_desk_code(app, desk, key) -> None:
    code = make_code(key)
    typed = claimcode.desk_code(code).lower().replace("-", " ")
    assert desk.check(typed).reason == "unknown_desk_code"  # no phone has opened it yet
    app.test_client().get("/C/" + code)
    verdict = desk.check(typed)
    assert verdict.status == READY and verdict.code == code
    assert desk.redeem(typed, "Desk A").status == HANDED_OVER


# -- the prize desk --------------------------------------------------------------------------------
def test_staff_log_in_check_hand_over_and_see_already_collected(app, key) -> None:
    client = app.test_client()
    assert "PIN" in client.get("/desk").text
    assert login(client).status_code == 303
    page = client.get("/desk").text
    assert 'id="code"' in page and "autofocus" in page
    code = make_code(key)
    token = csrf_of(page)
    verdict = client.post("/desk/check", data={"code": url(code), "csrf": token}).text
    assert "READY" in verdict and "Gold prize · 金獎" in verdict and "Hand over" in verdict
    done = client.post("/desk/redeem", data={"code": code, "csrf": token}).text
    assert "HANDED OVER" in done and "verdict-handed_over" in done
    again = client.post("/desk/check", data={"code": url(code), "csrf": token}).text
    assert "Already collected" in again and "Desk A" in again and "Hand over" not in again


def test_desk_forms_need_the_session_and_its_csrf_token(app, key) -> None:
    client = app.test_client()
    code = make_code(key)
    assert client.post("/desk/redeem", data={"code": code}).status_code == 303  # not logged in
    login(client)
    assert client.post("/desk/redeem", data={"code": code, "csrf": "forged"}).status_code == 400
    assert client.post("/desk/login", data={"pin": PIN}).status_code == 400


def test_wrong_pins_make_the_client_wait(app) -> None:
    client = app.test_client()
    assert login(client, "0000").status_code == 403
    assert login(client, "1111").status_code == 403
    third = login(client, "2222")  # max_pin_failures = 3: now this client waits 1 s
    assert third.status_code == 429 and "Try again in 1 s" in third.text
    locked = login(client, PIN)  # even the right PIN, for that second
    assert locked.status_code == 429 and "Too many wrong PINs" in locked.text


def test_idle_sessions_expire(desk, key) -> None:
    now = [1_000_000.0]
    app = create_app(desk, clock=lambda: now[0])
    client = app.test_client()
    login(client)
    assert 'id="code"' in client.get("/desk").text
    now[0] += 29 * 60
    assert 'id="code"' in client.get("/desk").text  # each request restarts the idle timer
    now[0] += 31 * 60
    page = client.get("/desk").text
    assert "Session expired" in page and 'id="pin"' in page


def test_logout_ends_the_session(app) -> None:
    client = app.test_client()
    login(client)
    token = csrf_of(client.get("/desk").text)
    client.post("/desk/logout", data={"csrf": token})
    assert 'id="pin"' in client.get("/desk").text


# -- settings and the command line -----------------------------------------------------------------
def test_example_settings_document_the_defaults() -> None:
    with EXAMPLE.open("rb") as f:
        assert tomllib.load(f) == asdict(ClaimsSettings())
    assert ClaimsSettings.load(EXAMPLE) == ClaimsSettings(claim_url="HTTPS://CLAIM.EXAMPLE.HK/C/")
    assert ClaimsSettings().claim_path == "/C/"


def test_bad_settings_are_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "claims.toml"
    path.write_text("claim_days = 0\n")
    with pytest.raises(SettingsError, match="claim_days"):
        ClaimsSettings.load(path)
    path.write_text("port = 'eighty'\n")
    with pytest.raises(SettingsError, match="port"):
        ClaimsSettings.load(path)


def test_cli_verify_and_redeem(tmp_path: Path, settings, key) -> None:
    config = write_config(tmp_path / "claims.toml", settings, claim_days=3000)
    code = make_code(key)
    runner = CliRunner()
    ok = runner.invoke(cli, ["claims", "verify", url(code), "--config", str(config)])
    assert ok.exit_code == 0, ok.output
    assert ok.output.startswith("READY — Gold prize · 金獎") and "K07-0153" in ok.output
    done = runner.invoke(cli, ["claims", "redeem", url(code), "--config", str(config)])
    assert done.exit_code == 0 and done.output.startswith("HANDED OVER")
    again = runner.invoke(cli, ["claims", "redeem", code, "--config", str(config)])
    assert again.exit_code == 1 and "REJECTED — Already collected" in again.output
    changed = code[:-1] + ("Q" if code[-1] != "Q" else "R")
    bad = runner.invoke(cli, ["claims", "verify", changed, "--config", str(config)])
    assert bad.exit_code == 1 and "Bad signature" in bad.output


def test_cli_keys_new_and_show(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "k" / "event.key"
    made = runner.invoke(cli, ["keys", "new", "--out", str(out)])
    assert made.exit_code == 0 and "key id" in made.output
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    assert runner.invoke(cli, ["keys", "new", "--out", str(out)]).exit_code == 1
    shown = runner.invoke(cli, ["keys", "show", str(out.with_suffix(".pub"))])
    assert shown.exit_code == 0 and "public key, key id" in shown.output


def test_serve_claims_refuses_without_a_pin_or_with_a_private_key(tmp_path: Path, key) -> None:
    runner = CliRunner()
    config = tmp_path / "claims.toml"
    config.write_text(f'public_key = "{eventkey.public_path(key.path)}"\n')
    no_pin = runner.invoke(cli, ["serve-claims", "--config", str(config)])
    assert no_pin.exit_code == 1 and "pin_hash" in no_pin.output
    config.write_text(
        f'public_key = "{key.path}"\npin_hash = "{PIN_HASH}"\n'
        f'database = "{tmp_path / "claims.db"}"\n'
    )
    private = runner.invoke(cli, ["serve-claims", "--config", str(config)])
    assert private.exit_code == 1 and "private key" in private.output


def test_a_code_dated_after_tomorrow_is_refused_with_the_reason(desk, key, app, clock) -> None:
    """A kiosk whose clock ran months ahead signs codes dated then: the desk refuses them
    (naming the kiosk and its clock) instead of honouring them until next year."""
    tomorrow = make_code(key, serial=7, issued=ISSUED + timedelta(days=1))
    assert desk.check(tomorrow).status == READY  # a clock a little ahead, or near midnight
    ahead = make_code(key, serial=8, issued=ISSUED + timedelta(days=210))
    verdict = desk.check(url(ahead))
    assert (verdict.status, verdict.reason) == (INVALID, "issued_in_future")
    assert "clock" in verdict.headline
    assert "K07" in verdict.detail and "2027-02-13" in verdict.detail
    assert desk.redeem(ahead, "Desk A").status == INVALID
    page = app.test_client().get("/C/" + ahead)
    assert "Please ask our staff" in page.text and "expired" not in page.text.lower()
    clock.now += timedelta(days=208)  # two days before its date: still refused
    assert desk.check(ahead).reason == "issued_in_future"
    clock.now += timedelta(days=1)  # its date is tomorrow now
    assert desk.check(ahead).status == READY
