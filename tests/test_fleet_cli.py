"""`smartizen fleet …` against a real PostgreSQL: migrate, add-kiosk, revoke, settings."""

from __future__ import annotations

from pathlib import Path

import psycopg
from click.testing import CliRunner

from kiosk.cli import cli
from kiosk.fleet.kiosks import authenticate
from kiosk.fleet.settings import EXAMPLE, FleetSettings


def _run(*args: str):
    return CliRunner().invoke(cli, ["fleet", *args], catch_exceptions=False)


def test_migrate_reports_up_to_date_on_a_migrated_store(central_db: str) -> None:
    result = _run("--dsn", central_db, "migrate")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "schema is up to date"


def test_add_kiosk_prints_a_token_that_authenticates_and_revoke_refuses_it(central_db) -> None:
    result = _run("--dsn", central_db, "add-kiosk", "booth-07", "--name", "Zone B north")
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert len(token) >= 40
    with psycopg.connect(central_db) as conn:
        kiosk = authenticate(conn, token)
        assert kiosk is not None and (kiosk.kiosk_id, kiosk.revoked) == ("booth-07", False)
        assert conn.execute("SELECT name, token_hash <> %s FROM kiosks", (token,)).fetchone() == (
            "Zone B north",
            True,
        )
    again = _run("--dsn", central_db, "add-kiosk", "booth-07")
    assert again.exit_code == 1
    assert "already has a token (use --new-token" in again.output
    assert _run("--dsn", central_db, "revoke", "booth-07").exit_code == 0
    with psycopg.connect(central_db) as conn:
        assert authenticate(conn, token).revoked is True
    assert "no kiosk 'booth-99'" in _run("--dsn", central_db, "revoke", "booth-99").output


def test_a_new_token_replaces_the_old_one_and_lifts_a_revocation(central_db, tmp_path) -> None:
    first = _run("--dsn", central_db, "add-kiosk", "booth-07").output.strip()
    _run("--dsn", central_db, "revoke", "booth-07")
    token_file = tmp_path / "booth-07.token"
    result = _run(
        "--dsn", central_db, "add-kiosk", "booth-07", "--new-token", "--token-file", str(token_file)
    )
    assert result.exit_code == 0, result.output
    assert token_file.stat().st_mode & 0o777 == 0o600
    second = token_file.read_text().strip()
    with psycopg.connect(central_db) as conn:
        assert authenticate(conn, first) is None
        kiosk = authenticate(conn, second)
        assert kiosk is not None and not kiosk.revoked


def test_a_bad_kiosk_id_is_refused_in_one_line(central_db) -> None:
    result = _run("--dsn", central_db, "add-kiosk", "booth 7!")
    assert result.exit_code == 1
    assert "kiosk id 'booth 7!': allowed is 1–15 of A–Z a–z 0–9 - _" in result.output


def test_fleet_toml_is_read_and_a_mistake_named(tmp_path: Path, central_db: str) -> None:
    assert FleetSettings.load(EXAMPLE).port == 8700
    config = tmp_path / "fleet.toml"
    config.write_text(f'dsn = "{central_db}"\nport = 99999\n')
    result = _run("--config", str(config), "migrate")
    assert result.exit_code == 1
    assert "port = 99999: allowed is a whole number 1 to 65535" in result.output
    config.write_text(f'dsn = "{central_db}"\nportt = 8700\n')
    assert "unknown key portt" in _run("--config", str(config), "migrate").output
    config.write_text(f'dsn = "{central_db}"\n')
    assert _run("--config", str(config), "migrate").output.strip() == "schema is up to date"


def test_an_unreachable_store_is_one_line(tmp_path: Path) -> None:
    result = _run("--dsn", "host=127.0.0.1 port=1 dbname=x connect_timeout=2", "add-kiosk", "b1")
    assert result.exit_code == 1
    assert result.output.startswith("Error: central store host=127.0.0.1 port=1")


def test_serve_with_an_unreachable_store_says_so_in_one_line() -> None:
    result = _run("--dsn", "host=127.0.0.1 port=1 dbname=x connect_timeout=2", "serve")
    assert result.exit_code == 1
    assert result.output.startswith("Error: central store host=127.0.0.1 port=1")
    assert "Traceback" not in result.output
