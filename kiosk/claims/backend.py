"""Which claim store claims.toml names: the SQLite file, or the central PostgreSQL."""

from __future__ import annotations

from kiosk.claims.settings import ClaimsSettings
from kiosk.claims.store import ClaimStore


class StoreUnavailable(Exception):
    """The store claims.toml names cannot be opened; the message (one line) says why."""


def open_store(settings: ClaimsSettings) -> ClaimStore:
    """The store claims.toml names: PostgreSQL when ``[postgres] dsn`` is set (migrating the
    central schema first), else the SQLite file ``database``."""
    if settings.postgres.dsn:
        return _open_postgres(settings.postgres.dsn, pool_size=settings.threads + 2)
    from kiosk.claims.redemptions import RedemptionStore

    return RedemptionStore(settings.database)


def _open_postgres(dsn: str, pool_size: int) -> ClaimStore:
    try:
        import psycopg
        import psycopg_pool

        from kiosk.claims.pgstore import PgClaimStore
    except ImportError as exc:
        raise StoreUnavailable(
            f"[postgres] dsn is set but {exc.name} is not installed: "
            "pip install 'smartizen-kiosk[claims,fleet]'"
        ) from None
    try:
        return PgClaimStore(dsn, pool_size=pool_size)
    except (psycopg.Error, psycopg_pool.PoolTimeout) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise StoreUnavailable(f"[postgres] dsn: cannot use the database: {reason}") from None
