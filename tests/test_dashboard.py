"""The organisers' live dashboard on a real PostgreSQL: the numbers it shows for a seeded
afternoon (tests/dashboardkit.py), its door, its forms, and both languages' strings."""

from __future__ import annotations

import re
import tomllib
from datetime import timedelta

import psycopg
import pytest

from kiosk.fleet.dashboard.text import STRINGS_DIR, dashboard_strings
from kiosk.fleet.dashboard.today import compute
from kiosk.fleet.desired import get_desired
from kiosk.i18n import LANGUAGES
from tests.dashboardkit import NOW, PASSWORD, hk, log_in, make_app, seed


@pytest.fixture
def dash(central_db):
    seed(central_db)
    app, pool = make_app(central_db)
    yield app, pool, central_db
    pool.close()


@pytest.fixture
def client(dash):
    app, _, _ = dash
    c = app.test_client()
    assert log_in(c).status_code == 303
    return c


def text_of(html: str, element_id: str) -> str:
    """The visible text of the element with this id (tags dropped, spaces squeezed)."""
    match = re.search(rf'<(\w+)[^>]*id="{re.escape(element_id)}"[^>]*>(.*?)</\1>', html, re.S)
    assert match, f"no element {element_id}"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(2)).split())


def _from(app, address: str):
    """A client at another address (the back-off is per client)."""
    c = app.test_client()
    c.environ_base["REMOTE_ADDR"] = address
    return c


# -- the door -----------------------------------------------------------------------------


def test_every_page_and_form_refuses_without_a_login(dash):
    app, _, dsn = dash
    c = app.test_client()
    page = c.get("/dashboard/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'type="password"' in html
    assert "booth-02" not in html and "kpi-plays" not in html
    other = c.get("/dashboard/booth/booth-03").get_data(as_text=True)
    assert 'type="password"' in other and "disk nearly full" not in other
    refused = c.post(
        "/dashboard/booth/booth-01/settings", data={"action": "pause", "csrf": "x"}
    )
    assert refused.status_code == 403
    with psycopg.connect(dsn) as conn:
        assert get_desired(conn, "booth-01") is None
    # A made-up session cookie opens nothing either.
    c.set_cookie("szp_dash", "forged", path="/dashboard")
    assert 'type="password"' in c.get("/dashboard/").get_data(as_text=True)


def test_login_sets_a_strict_httponly_cookie_and_logout_ends_the_session(dash):
    app, _, _ = dash
    c = app.test_client()
    done = log_in(c)
    assert done.status_code == 303
    cookie = next(h for h in done.headers.getlist("Set-Cookie") if h.startswith("szp_dash="))
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/dashboard" in cookie
    token = cookie.split(";", 1)[0].split("=", 1)[1]
    page = c.get("/dashboard/").get_data(as_text=True)
    assert "kpi-plays" in page
    assert c.get("/dashboard/").headers["Content-Security-Policy"].startswith("default-src 'none'")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    # Logout needs the form's token, then ends the session in the database: the same cookie
    # copied elsewhere opens nothing.
    assert c.post("/dashboard/logout", data={"csrf": "wrong"}).status_code == 400
    assert c.post("/dashboard/logout", data={"csrf": csrf}).status_code == 303
    other = app.test_client()
    other.set_cookie("szp_dash", token, path="/dashboard")
    assert 'type="password"' in other.get("/dashboard/").get_data(as_text=True)


def test_login_needs_its_form_token(dash):
    app, _, _ = dash
    c = app.test_client()
    c.get("/dashboard/")
    refused = c.post(
        "/dashboard/login", data={"username": "ada", "password": PASSWORD, "csrf": "guess"}
    )
    assert refused.status_code == 400
    assert not any(h.startswith("szp_dash=") for h in refused.headers.getlist("Set-Cookie"))


def test_wrong_passwords_slow_that_client_down(dash):
    app, _, _ = dash
    c = app.test_client()
    for _ in range(4):  # five free failures: the fifth already makes it wait
        answer = log_in(c, password="not-it")
        assert answer.status_code == 403
        assert "Wrong name or password." in answer.get_data(as_text=True)
    answer = log_in(c, password="not-it")
    assert answer.status_code == 429
    assert "Try again in 1 s" in answer.get_data(as_text=True)
    # The right password during the wait is refused too (the wait is the point).
    answer = log_in(c)
    assert answer.status_code == 429 and "Too many wrong passwords" in answer.get_data(
        as_text=True
    )
    # An unknown name is "wrong name or password", like a wrong password.
    other = _from(app, "10.0.0.9")
    answer = log_in(other, username="mallory")
    assert answer.status_code == 403 and "Wrong name or password." in answer.get_data(
        as_text=True
    )
    assert log_in(_from(app, "10.0.0.8")).status_code == 303


def test_a_disabled_organiser_is_refused_and_loses_open_sessions(dash):
    from kiosk.fleet.dashboard.auth import disable_organiser

    app, pool, _ = dash
    c = app.test_client()
    assert log_in(c).status_code == 303
    assert disable_organiser(pool, "ada")
    assert 'type="password"' in c.get("/dashboard/").get_data(as_text=True)
    assert log_in(_from(app, "10.0.0.7")).status_code == 403


# -- the numbers ------------------------------------------------------------------------------


def test_overview_shows_today_only(client):
    page = client.get("/dashboard/").get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="10">' in page
    assert text_of(page, "kpi-plays") == "10"  # yesterday's two plays are not today's
    assert text_of(page, "kpi-visitors") == "10"
    assert text_of(page, "kpi-online") == "3"  # 01, 03, 04; 02 offline, 05 never seen
    assert text_of(page, "kpi-collected") == "3"
    assert text_of(page, "kpi-issued") == "of 7 issued"
    assert "booth-99" not in page  # revoked


def test_booth_offline_since_and_alerts(client):
    page = client.get("/dashboard/").get_data(as_text=True)
    tile = text_of(page, "booth-booth-02")
    assert "Offline" in tile and "Offline since 14:20 · 10 min" in tile
    assert "Online" in text_of(page, "booth-Main gate".replace("Main gate", "booth-01"))
    alerts = re.search(r'<ul class="alerts">(.*?)</ul>', page, re.S).group(1)
    lines = [" ".join(re.sub(r"<[^>]+>", " ", li).split()) for li in alerts.split("</li>")[:-1]]
    assert lines[0] == "booth-02 Offline since 14:20 (10 min)"
    assert "booth-03 Database: disk nearly full (92%)" in lines
    assert "booth-03 Gold prize sold out at 13:12" in lines
    assert "booth-03 speech engine restarted" in lines
    assert "booth-05 Registered, never connected" in lines
    assert not any("booth-04" in x or "Main gate" in x for x in lines)


def test_stock_left_and_sell_out_time(client):
    page = client.get("/dashboard/").get_data(as_text=True)
    assert text_of(page, "stock-booth-03-gold") == "0 Sold out 13:12"
    assert text_of(page, "stock-booth-03-silver") == "7"
    assert text_of(page, "stock-booth-02-silver") == "2"


def test_funnel_counts_and_issued_vs_collected(dash, client):
    _, pool, _ = dash
    today = compute(pool, NOW.date(), 8.0, NOW)
    assert today.funnel == {
        "touched": 10, "language": 8, "game": 7, "started": 6, "completed": 4, "qr": 3,
    }
    assert today.issued == {"gold": 3, "silver": 3, "thanks": 1}
    assert today.collected == {"gold": 2, "silver": 1, "thanks": 0}
    page = client.get("/dashboard/").get_data(as_text=True)
    funnel = re.search(r'<svg class="chart funnel".*?</svg>', page, re.S).group(0)
    assert re.findall(r"<title>[^<:]+: (\d+)</title>", funnel) == ["10", "8", "7", "6", "4", "3"]
    prizes = re.search(r'<svg class="chart prizes".*?</svg>', page, re.S).group(0)
    labels = re.findall(r'<tspan font-weight="bold">(\d+)</tspan><tspan[^>]*> / (\d+)', prizes)
    assert labels == [("2", "3"), ("1", "3"), ("0", "1")]  # gold, silver, thanks


def test_plays_by_booth_game_and_hour(dash, client):
    _, pool, _ = dash
    today = compute(pool, NOW.date(), 8.0, NOW)
    assert today.by("booth")[("booth-01", 10)] == 2
    assert today.by("game")[("park_smart", 14)] == 1
    assert today.per_booth() == {"booth-01": 4, "booth-02": 2, "booth-03": 3, "booth-04": 1}
    assert today.completed == 7
    page = client.get("/dashboard/").get_data(as_text=True)
    heat = re.search(r'<svg class="chart heat" role="img" aria-label="Booth × hour".*?</svg>',
                     page, re.S).group(0)
    assert "<title>Main gate 10:00 · 2</title>" in heat
    assert "<title>booth-03 13:00 · 2</title>" in heat


def test_a_half_hour_offset_still_counts_local_hours(dash):
    _, pool, _ = dash
    today = compute(pool, NOW.date(), 8.5, NOW)  # local = HK + 30 min
    by_hour = today.by("booth")
    assert by_hour[("booth-01", 10)] == 2  # 10:35 and 10:50 local
    assert by_hour[("booth-01", 11)] == 1  # 11:30
    assert ("booth-01", 13) not in by_hour and by_hour[("booth-01", 14)] == 1  # 14:15


def test_downtime_counts_silences_over_a_minute(dash, client):
    _, pool, _ = dash
    today = compute(pool, NOW.date(), 8.0, NOW)
    assert today.downtime["booth-01"].gaps == 1
    assert today.downtime["booth-01"].seconds == pytest.approx(300)  # 12:00:00 → 12:05:00
    assert "booth-03" not in today.downtime  # never silent for over a minute
    page = client.get("/dashboard/").get_data(as_text=True)
    # booth-02 has no silence between heartbeats, but has been offline 10 minutes now.
    assert text_of(page, "down-booth-02").startswith("booth-02 still offline 10 min 1 10 min")
    assert text_of(page, "down-booth-01") == "Main gate 5 min 1 5 min"
    booth = client.get("/dashboard/booth/booth-01").get_data(as_text=True)
    assert "12:00:00 → 12:05:00 (5 min)" in booth


def test_a_new_local_day_starts_from_zero(dash):
    later = NOW + timedelta(hours=10)  # 00:30 on the 19th in Hong Kong
    app2, pool2 = make_app(dash[2], clock=lambda: later, organiser=None)
    try:
        c = app2.test_client()
        assert log_in(c).status_code == 303
        page = c.get("/dashboard/").get_data(as_text=True)
        assert text_of(page, "kpi-plays") == "0"
        assert "No plays yet today." in page
    finally:
        pool2.close()


def test_viewers_share_one_rendered_overview_until_it_ages_or_a_setting_changes(central_db):
    seed(central_db)
    app, pool = make_app(central_db, view_max_age_s=3600, snapshot_max_age_s=3600)
    try:
        ada, bob = app.test_client(), app.test_client()
        assert log_in(ada).status_code == 303
        from kiosk.fleet.dashboard.auth import add_organiser

        add_organiser(pool, "bob", PASSWORD, iterations=1000)
        assert log_in(bob, "bob").status_code == 303
        first = ada.get("/dashboard/").get_data(as_text=True)
        with psycopg.connect(central_db) as conn:
            conn.execute("UPDATE booth_status SET seen_at = %s WHERE kiosk_id = 'booth-02'",
                         (NOW,))
        second = bob.get("/dashboard/").get_data(as_text=True)
        assert "Signed in as bob" in second and "Signed in as ada" in first
        assert "Offline since 14:20" in text_of(second, "booth-booth-02")  # the shared copy
        csrf = _csrf(ada.get("/dashboard/booth/booth-01").get_data(as_text=True))
        ada.post("/dashboard/booth/booth-01/settings", data={"action": "pause", "csrf": csrf})
        third = bob.get("/dashboard/").get_data(as_text=True)
        assert "Online" in text_of(third, "booth-booth-02")
        assert _csrf(third) != csrf  # each viewer's own form token, never the shared one's
    finally:
        pool.close()


# -- the controls ----------------------------------------------------------------------------


def _csrf(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def test_forms_change_the_desired_settings(dash, client):
    _, _, dsn = dash
    page = client.get("/dashboard/booth/booth-01").get_data(as_text=True)
    csrf = _csrf(page)
    url = "/dashboard/booth/booth-01/settings"
    for form in (
        {"action": "pause"},
        {"action": "game_off", "game": "park_smart"},
        {"action": "stock", "tier": "gold", "delta": "5"},
        {"action": "stock", "tier": "silver", "delta": "-1"},
        {"action": "volume", "volume": "75"},
    ):
        done = client.post(url, data={**form, "csrf": csrf})
        assert done.status_code == 303, form
        assert done.headers["Location"].startswith("/dashboard/booth/booth-01?done=")
    with psycopg.connect(dsn) as conn:
        settings = get_desired(conn, "booth-01")
        revision = settings["revision"]
        by = conn.execute("SELECT updated_by FROM desired_settings").fetchone()[0]
    assert revision == 5 and by == "ada"
    assert settings["paused"] is True
    assert settings["games"] == {"park_smart": False}
    assert settings["volume"] == 0.75
    assert [(s["tier"], s["delta"], s["day"]) for s in settings["stock"]] == [
        ("gold", 5, "2026-07-18"), ("silver", -1, "2026-07-18"),
    ]
    assert len({s["id"] for s in settings["stock"]}) == 2
    page = client.get("/dashboard/booth/booth-01?done=pause").get_data(as_text=True)
    assert "Resume booth" in page and "Saved." in page
    assert "Revision 5; the booth has applied 0." in page


def test_forms_refuse_a_missing_token_and_nonsense(dash, client):
    _, _, dsn = dash
    url = "/dashboard/booth/booth-01/settings"
    assert client.post(url, data={"action": "pause"}).status_code == 400
    csrf = _csrf(client.get("/dashboard/booth/booth-01").get_data(as_text=True))
    for bad in (
        {"action": "explode"},
        {"action": "stock", "tier": "gold", "delta": "lots"},
        {"action": "stock", "tier": "gold", "delta": "1000"},
        {"action": "volume", "volume": "150"},
        {"action": "game_off", "game": "not_a_game"},
    ):
        assert client.post(url, data={**bad, "csrf": csrf}).status_code == 400, bad
    assert (
        client.post("/dashboard/booth/nobody/settings", data={"action": "pause", "csrf": csrf})
        .status_code == 404
    )
    with psycopg.connect(dsn) as conn:
        assert get_desired(conn, "booth-01") is None


# -- languages ------------------------------------------------------------------------------


def test_every_dashboard_string_is_in_both_languages():
    strings = dashboard_strings()
    assert strings.missing() == {}
    # …and every {placeholder} of a key is the same in both.
    tables = {lang: strings.tables[lang] for lang in LANGUAGES}
    for key, value in tables["en"].items():
        if key.startswith("game."):
            continue
        fields = set(re.findall(r"{(\w+)}", value))
        assert fields == set(re.findall(r"{(\w+)}", tables["zh-HK"][key])), key


def test_a_missing_translation_is_caught(tmp_path):
    for lang in LANGUAGES:
        data = (STRINGS_DIR / f"{lang}.toml").read_text(encoding="utf-8")
        if lang == "zh-HK":
            data = data.replace('logout = "登出"\n', "")
        (tmp_path / f"{lang}.toml").write_text(data, encoding="utf-8")
        tomllib.loads(data)
    from kiosk.i18n import Strings

    assert Strings(strings_dir=tmp_path).missing() == {"zh-HK": {"logout"}}


def test_the_language_switch_shows_chinese(client):
    switched = client.get("/dashboard/lang/zh-HK?next=/dashboard/booth/booth-02")
    assert switched.status_code == 303
    assert switched.headers["Location"] == "/dashboard/booth/booth-02"
    page = client.get("/dashboard/").get_data(as_text=True)
    assert '<html lang="zh-HK">' in page
    assert "自 14:20 起離線 · 10 分鐘" in text_of(page, "booth-booth-02")
    assert text_of(page, "stock-booth-03-gold") == "0 13:12 派完"
    assert "金獎於 13:12 派完" in page
    assert "環保分類" in page and "Recycle Right" not in page  # titles from the games' files
    # Never an open redirect.
    away = client.get("/dashboard/lang/en?next=https://evil.example/")
    assert away.headers["Location"] == "/dashboard/"


def test_booth_page_of_an_unknown_booth_is_404(client):
    assert client.get("/dashboard/booth/nobody").status_code == 404


def test_hk_helper():
    assert hk(14, 20).hour == 6


# -- accounts --------------------------------------------------------------------------------


def test_add_organiser_command_then_log_in(central_db):
    from click.testing import CliRunner

    from kiosk.cli import cli

    runner = CliRunner()
    done = runner.invoke(
        cli, ["fleet", "--dsn", central_db, "add-organiser", "grace"],
        input="short\nshort\n",
    )
    assert done.exit_code == 1 and "at least 8 characters" in done.output
    done = runner.invoke(
        cli, ["fleet", "--dsn", central_db, "add-organiser", "grace"],
        input="lantern-festival\nlantern-festival\n",
    )
    assert done.exit_code == 0, done.output
    assert "organiser grace added" in done.output
    with psycopg.connect(central_db) as conn:
        stored = conn.execute(
            "SELECT password_hash FROM dashboard_users WHERE username = 'grace'"
        ).fetchone()[0]
    assert stored.startswith("pbkdf2_sha256$200000$") and "lantern" not in stored
    app, pool = make_app(central_db, organiser=None)
    try:
        c = app.test_client()
        assert log_in(c, "grace", "lantern-festival").status_code == 303
        done = runner.invoke(
            cli, ["fleet", "--dsn", central_db, "disable-organiser", "grace"]
        )
        assert done.exit_code == 0, done.output
        assert 'type="password"' in c.get("/dashboard/").get_data(as_text=True)
    finally:
        pool.close()
    done = runner.invoke(cli, ["fleet", "--dsn", central_db, "disable-organiser", "nobody"])
    assert done.exit_code == 1 and "no organiser 'nobody'" in done.output


def test_shared_value_is_served_stale_while_one_thread_refreshes_it():
    import threading
    import time

    from kiosk.fleet.dashboard.snapshot import Shared

    made: list[str] = []
    release = threading.Event()
    now = [0.0]

    def make(key: str) -> int:
        made.append(key)
        if len(made) == 2:
            release.wait(10)  # the background refresh takes its time
        return len(made)

    shared = Shared(make, max_age_s=5, stale_s=60, clock=lambda: now[0])
    assert shared.get("en") == 1
    now[0] = 10.0  # old: served at once, one refresh starts behind
    assert [shared.get("en") for _ in range(5)] == [1] * 5
    for _ in range(200):
        if len(made) == 2:
            break
        time.sleep(0.01)
    assert made == ["en", "en"]  # one refresh, however many viewers
    release.set()
    for _ in range(200):
        if shared.get("en") == 2:
            break
        time.sleep(0.01)
    assert shared.get("en") == 2
    now[0] = 500.0  # far too old: the viewer waits for a fresh one
    assert shared.get("en") == 3
    shared.forget()
    assert shared.get("en") == 4 and shared.get("zh-HK") == 5


def test_the_blueprint_mounts_on_the_fleet_service(central_db):
    """On the fleet service's own app (kiosk/fleet/service.py), beside /fleet/v1/*, with its
    pool; the heartbeat the service records shows up on the dashboard."""
    from kiosk.fleet.dashboard.auth import add_organiser
    from kiosk.fleet.kiosks import add_kiosk
    from kiosk.fleet.service import POOL_KEY, create_app
    from kiosk.fleet.settings import FleetSettings

    fresh = dict(view_max_age_s=-1, view_stale_s=0, snapshot_max_age_s=0, snapshot_stale_s=0)
    app = create_app(FleetSettings(dsn=central_db, threads=2), dashboard_options=fresh)
    pool = app.extensions[POOL_KEY]
    try:
        with pool.connection() as conn:
            token = add_kiosk(conn, "booth-42")
        add_organiser(pool, "ada", PASSWORD, iterations=1000)
        c = app.test_client()
        beat = c.post(
            "/fleet/v1/heartbeat", headers={"Authorization": f"Bearer {token}"},
            json={"kiosk_id": "booth-42", "screen": "attract", "backlog": 0,
                  "stock_left": {"gold": 0}, "paused": False, "applied_revision": 0,
                  "warnings": []},
        )
        assert beat.status_code == 200, beat.get_data(as_text=True)
        assert log_in(c).status_code == 303
        page = c.get("/dashboard/").get_data(as_text=True)
        tile = text_of(page, "booth-booth-42")
        assert "Needs a look" in tile and "Last heartbeat" in tile  # online, gold is out
        assert text_of(page, "stock-booth-42-gold") == "0"
        assert c.get("/dashboard/static/dashboard.css").status_code == 200
    finally:
        pool.close()
