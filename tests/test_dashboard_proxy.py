"""The dashboard behind the TLS proxy, served by the fleet service on a real waitress: every
request arrives from the proxy's address, and wrong passwords must still slow down only the
organiser who typed them (the back-off is counted per client address)."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from kiosk.fleet.dashboard.auth import add_organiser
from kiosk.fleet.service import POOL_KEY, create_app
from kiosk.fleet.settings import FleetSettings, SettingsError
from kiosk.proxies import waitress_options
from tests.dashboardkit import PASSWORD
from tests.serverkit import local_server


def _log_in(base: str, forwarded_for: str, password: str) -> int:
    """One organiser's browser: open the login page, post the form; the answer's status."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
        urllib.request.HTTPRedirectHandler(),
    )
    opener.addheaders = [("X-Forwarded-For", forwarded_for)]
    with opener.open(f"{base}/dashboard/", timeout=30) as page:
        token = re.search(r'name="csrf" value="([^"]+)"', page.read().decode()).group(1)
    form = urllib.parse.urlencode({"username": "ada", "password": password, "csrf": token})
    try:
        with opener.open(f"{base}/dashboard/login", form.encode(), timeout=30) as answer:
            return answer.status
    except urllib.error.HTTPError as refused:
        return refused.code


def _serve(dsn: str, **settings):
    config = FleetSettings(dsn=dsn, **settings)
    app = create_app(config)
    add_organiser(app.extensions[POOL_KEY], "ada", PASSWORD, iterations=1000)
    return app, local_server(app, **waitress_options(config.trusted_proxies))


def test_behind_the_proxy_one_organisers_typos_never_lock_out_another(central_db):
    app, server = _serve(central_db, trusted_proxies=["127.0.0.1"])
    with server as base:
        statuses = [_log_in(base, "192.168.5.66", "not-it") for _ in range(6)]
        assert statuses[:4] == [403] * 4 and statuses[-1] == 429
        # Another organiser's laptop, through the same proxy, logs straight in (303 → 200).
        assert _log_in(base, "192.168.5.7", PASSWORD) == 200
        with app.extensions[POOL_KEY].connection() as conn:
            clients = dict(conn.execute("SELECT client, failures FROM dashboard_login_failures"))
    assert set(clients) == {"192.168.5.66"}
    app.extensions[POOL_KEY].close()


def test_forwarded_for_is_believed_only_from_the_configured_proxy(central_db):
    """No proxy configured: a guesser cannot dodge the back-off by naming a new address."""
    app, server = _serve(central_db)
    with server as base:
        statuses = [_log_in(base, f"198.51.100.{i}", "not-it") for i in range(6)]
        assert statuses[-1] == 429
        with app.extensions[POOL_KEY].connection() as conn:
            clients = [c for (c,) in conn.execute("SELECT client FROM dashboard_login_failures")]
    assert clients == ["127.0.0.1"]
    app.extensions[POOL_KEY].close()


def test_a_proxy_that_is_not_an_address_is_refused_with_the_key_named(tmp_path):
    config = tmp_path / "fleet.toml"
    config.write_text('trusted_proxies = ["the-proxy"]\n')
    with pytest.raises(SettingsError, match=r"trusted_proxies.*not an IP address"):
        FleetSettings.load(config)
