"""One token hash for every server-side token store (kiosk/tokens.py): a prize desk's staff
session and a booth's fleet credential are both kept under it, so neither room keeps a copy."""

from __future__ import annotations

import hashlib

import psycopg

from kiosk.claims.redemptions import RedemptionStore
from kiosk.claims.sessions import StaffSessions
from kiosk.fleet import kiosks
from kiosk.tokens import token_hash
from tests.claimkit import rows


def test_the_hash_is_sha256_hex_of_the_utf8_token() -> None:
    assert token_hash("abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
    assert token_hash("茶") == hashlib.sha256("茶".encode()).hexdigest()


def test_a_desk_session_is_stored_under_the_shared_hash(tmp_path) -> None:
    with RedemptionStore(tmp_path / "claims.db") as store:
        sessions = StaffSessions(store, idle_s=600, max_s=3600, clock=lambda: 1000.0)
        token = sessions.start("desk-1")
        assert rows(store, "desk_sessions", "token_hash, desk") == [(token_hash(token), "desk-1")]
        assert sessions.check(token)[0] is not None


def test_a_booth_credential_is_stored_under_the_shared_hash(central_db) -> None:
    with psycopg.connect(central_db) as conn:
        token = kiosks.add_kiosk(conn, "K01")
        stored = conn.execute("SELECT token_hash FROM kiosks WHERE kiosk_id = 'K01'").fetchone()
    assert stored == (token_hash(token),)
    with psycopg.connect(central_db) as conn:
        assert kiosks.authenticate(conn, token) == kiosks.Kiosk("K01", revoked=False)
