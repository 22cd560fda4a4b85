"""kiosk/fleet/pgcluster.py: extra server settings reach the throwaway server (the fleet
benchmark tries group commit and WAL settings this way), and the log is still flushed."""

from __future__ import annotations

import psycopg

from kiosk.fleet.pgcluster import Cluster


def test_extra_settings_are_applied_and_fsync_stays_on() -> None:
    settings = {"commit_delay": "7", "wal_compression": "pglz"}
    with Cluster(settings=settings) as cluster, psycopg.connect(cluster.dsn()) as conn:
        shown = {
            name: conn.execute(f"SHOW {name}").fetchone()[0]
            for name in ("commit_delay", "wal_compression", "fsync", "synchronous_commit")
        }
    assert shown == {
        "commit_delay": "7",
        "wal_compression": "pglz",
        "fsync": "on",
        "synchronous_commit": "on",
    }
