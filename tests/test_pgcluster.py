"""kiosk/fleet/pgcluster.py: extra server settings reach the throwaway server (the fleet
benchmark tries group commit and WAL settings this way), and the log is still flushed; the
production settings in deploy/postgresql-fleet.conf start a real server."""

from __future__ import annotations

from pathlib import Path

import psycopg

from kiosk import ROOT
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


def _conf(path: Path) -> dict[str, str]:
    settings = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, value = line.partition("=")
            settings[name.strip()] = value.strip()
    return settings


def test_the_deployed_postgresql_settings_start_a_real_server_and_keep_commits_durable() -> None:
    """deploy/postgresql-fleet.conf: every setting is one this PostgreSQL takes (a typo or a
    value out of range stops the server), and nothing in it trades durability for speed."""
    settings = _conf(ROOT / "deploy" / "postgresql-fleet.conf")
    assert settings["synchronous_commit"] == "on" and settings["fsync"] == "on"
    with Cluster(settings=settings) as cluster, psycopg.connect(cluster.dsn()) as conn:
        shown = {name: conn.execute(f"SHOW {name}").fetchone()[0] for name in settings}
    assert shown["wal_compression"] == "lz4"
    assert shown["checkpoint_timeout"] == "15min" and shown["wal_buffers"] == "16MB"
    assert (shown["fsync"], shown["synchronous_commit"], shown["full_page_writes"]) == (
        "on",
        "on",
        "on",
    )
