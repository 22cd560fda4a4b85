"""The central store's plumbing: a throwaway cluster from Debian's binaries and the
versioned migrations (applied once, in order, safely from two processes at once)."""

from __future__ import annotations

import threading
from pathlib import Path

import psycopg
import pytest

from kiosk.fleet.migrate import migrate, migration_files


def test_migrations_apply_once_and_record_themselves(pg_cluster) -> None:
    dsn = pg_cluster.create_database("migrate_once")
    first = migrate(dsn)
    assert first == [f"{n:04d}_{name}" for n, name, _ in migration_files()]
    assert migrate(dsn) == []
    with psycopg.connect(dsn) as conn:
        rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = {r[0] for r in rows}
    assert {"plays", "visits", "audit", "kiosks", "booth_status", "schema_migrations"} <= tables


def test_migrate_upto_stops_at_that_number_and_the_rest_follows_later(pg_cluster) -> None:
    dsn = pg_cluster.create_database("migrate_upto")
    names = [f"{n:04d}_{name}" for n, name, _ in migration_files()]
    assert migrate(dsn, upto=3) == names[:3]
    assert migrate(dsn, upto=3) == []
    assert migrate(dsn) == names[3:]
    with psycopg.connect(dsn) as conn:
        versions = [r[0] for r in conn.execute("SELECT version FROM schema_migrations ORDER BY 1")]
    assert versions == [n for n, _, _ in migration_files()]


def test_two_services_starting_together_migrate_once(pg_cluster) -> None:
    dsn = pg_cluster.create_database("migrate_race")
    results: list[list[str]] = []
    threads = [threading.Thread(target=lambda: results.append(migrate(dsn))) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(len(r) for r in results) == [0, 0, len(migration_files())]


def test_a_badly_named_migration_is_refused(tmp_path: Path) -> None:
    (tmp_path / "1_first.sql").write_text("SELECT 1")
    with pytest.raises(ValueError, match=r"NNNN_name\.sql"):
        migration_files(tmp_path)


def test_a_failing_migration_leaves_nothing_half_applied(pg_cluster, tmp_path: Path) -> None:
    dsn = pg_cluster.create_database("migrate_fail")
    (tmp_path / "0001_good.sql").write_text("CREATE TABLE good (x int)")
    (tmp_path / "0002_bad.sql").write_text("CREATE TABLE bad (x nonsense_type)")
    with pytest.raises(psycopg.errors.UndefinedObject):
        migrate(dsn, tmp_path)
    with psycopg.connect(dsn) as conn:
        assert conn.execute("SELECT to_regclass('good')").fetchone() == (None,)


def test_the_central_db_fixture_is_fresh_and_migrated(central_db: str) -> None:
    with psycopg.connect(central_db) as conn:
        assert conn.execute("SELECT count(*) FROM plays").fetchone() == (0,)
