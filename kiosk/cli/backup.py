"""`smartizen backup`: a consistent copy of a live scores.db, safe while the kiosk runs."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import click

from kiosk.cli.database import database_options


def backup_database(source: Path, target: Path) -> int:
    """Copy ``source`` into ``target`` with SQLite's online backup API; returns the pages copied.

    Never copy a live WAL database file by file: the -wal file holds committed plays the
    main file does not have yet, and a copy taken between the two is inconsistent.
    """
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=10)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
        return dst.execute("PRAGMA page_count").fetchone()[0]
    finally:
        dst.close()
        src.close()


@click.command()
@database_options("The kiosk's live database", exists=True)
@click.option(
    "--to",
    "target",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the copy (default: scores-backup-<UTC time>.db beside it).",
)
def backup(db: Path, target: Path | None) -> None:
    """Back up a kiosk database while the kiosk keeps running."""
    if target is None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        target = db.with_name(f"{db.stem}-backup-{stamp}.db")
    if target.exists():
        raise click.ClickException(f"{target} exists; choose another --to")
    pages = backup_database(db, target)
    check = sqlite3.connect(target).execute("PRAGMA integrity_check").fetchone()[0]
    click.echo(f"backed up {db} to {target} ({pages} pages, integrity {check})")


def register(group: click.Group) -> None:
    group.add_command(backup)
