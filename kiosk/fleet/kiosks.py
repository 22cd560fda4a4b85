"""Booth credentials: one bearer token per booth, stored only as its SHA-256, revocable.

``smartizen fleet add-kiosk ID`` makes a token (shown once, for the booth's token file);
the service finds the booth by the token's hash. The token itself is never stored or
compared: the lookup is by a hash of 256 random bits, so its timing tells an attacker
nothing about any token, and the final equality check is constant-time anyway.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Any

import psycopg

from kiosk.fleet.ingest import KIOSK_ID
from kiosk.tokens import token_hash


class KioskError(Exception):
    """An organiser's kiosk command cannot be done; the message says why."""


@dataclass(frozen=True)
class Kiosk:
    kiosk_id: str
    revoked: bool


def check_kiosk_id(kiosk_id: str) -> str:
    """``kiosk_id`` if it is a booth id as kiosk.toml allows (1–15 of A–Z a–z 0–9 - _)."""
    if not KIOSK_ID.match(kiosk_id):
        raise KioskError(f"kiosk id {kiosk_id!r}: allowed is 1–15 of A–Z a–z 0–9 - _")
    return kiosk_id


def add_kiosk(
    conn: psycopg.Connection[Any], kiosk_id: str, name: str = "", *, new_token: bool = False
) -> str:
    """Register ``kiosk_id`` with a fresh token and return the token (only time it is seen).

    An existing booth gets a new token (the old one stops working, a revocation is lifted)
    only with ``new_token``; otherwise :class:`KioskError`. A booth known only from an import
    (no token yet) is given one.
    """
    check_kiosk_id(kiosk_id)
    token = secrets.token_urlsafe(32)
    with conn.transaction():
        row = conn.execute(
            "SELECT token_hash FROM kiosks WHERE kiosk_id = %s FOR UPDATE", (kiosk_id,)
        ).fetchone()
        if row is None:
            conn.execute(
                "INSERT INTO kiosks (kiosk_id, name, token_hash) VALUES (%s, %s, %s)",
                (kiosk_id, name, token_hash(token)),
            )
        elif row[0] is not None and not new_token:
            raise KioskError(
                f"kiosk {kiosk_id} already has a token (use --new-token to replace it)"
            )
        else:
            conn.execute(
                "UPDATE kiosks SET token_hash = %s, revoked_at = NULL,"
                " name = CASE WHEN %s = '' THEN name ELSE %s END WHERE kiosk_id = %s",
                (token_hash(token), name, name, kiosk_id),
            )
    return token


def ensure_kiosk(conn: psycopg.Connection[Any], kiosk_id: str) -> None:
    """Make ``kiosk_id`` known (without a token) if it is not: an import names booths the
    centre has not met, and the dashboard lists every booth it holds rows for."""
    conn.execute("INSERT INTO kiosks (kiosk_id) VALUES (%s) ON CONFLICT DO NOTHING", (kiosk_id,))


def revoke(conn: psycopg.Connection[Any], kiosk_id: str) -> bool:
    """Refuse the booth's pushes from now on (403); False if there is no such booth."""
    with conn.transaction():
        cur = conn.execute(
            "UPDATE kiosks SET revoked_at = COALESCE(revoked_at, now()) WHERE kiosk_id = %s",
            (kiosk_id,),
        )
    return cur.rowcount == 1


def authenticate(conn: psycopg.Connection[Any], token: str) -> Kiosk | None:
    """The booth holding ``token``, or None for a token no booth holds."""
    digest = token_hash(token)
    row = conn.execute(
        "SELECT kiosk_id, token_hash, revoked_at FROM kiosks WHERE token_hash = %s", (digest,)
    ).fetchone()
    if row is None or not hmac.compare_digest(row[1], digest):
        return None
    return Kiosk(kiosk_id=row[0], revoked=row[2] is not None)
