"""The fleet's centre: `smartizen fleet migrate|serve|add-kiosk|revoke|import|stock`.

Settings come from ``--config fleet.toml`` (default ./fleet.toml when present;
kiosk/fleet/example.toml documents every key); ``--dsn`` overrides the store for one command.
psycopg and Flask are imported inside the commands: a booth PC without the ``fleet`` extra
still has every other command.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

DEFAULT_SETTINGS = Path("fleet.toml")


def _settings(ctx: click.Context) -> Any:
    from kiosk.fleet.settings import FleetSettings, SettingsError

    config_path, dsn = ctx.obj
    path = config_path
    if path is None and DEFAULT_SETTINGS.exists():
        path = DEFAULT_SETTINGS
    try:
        settings = FleetSettings.load(path)
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None
    return replace(settings, dsn=dsn) if dsn else settings


def _unreachable(dsn: str, exc: Exception) -> click.ClickException:
    """The store did not answer: its first line, not psycopg's paragraph."""
    first = (str(exc).strip().splitlines() or ["cannot connect"])[0]
    return click.ClickException(f"central store {dsn}: {first}")


def _connect(ctx: click.Context) -> Any:
    import psycopg

    settings = _settings(ctx)
    try:
        return psycopg.connect(settings.dsn, autocommit=True)
    except psycopg.OperationalError as exc:
        raise _unreachable(settings.dsn, exc) from None


@click.group()
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Fleet settings (default: ./fleet.toml).",
)
@click.option("--dsn", help="The central PostgreSQL store, instead of fleet.toml's dsn.")
@click.pass_context
def fleet(ctx: click.Context, config_path: Path | None, dsn: str | None) -> None:
    """The central store and the booths' fleet service (issue 14)."""
    ctx.obj = (config_path, dsn)


@fleet.command()
@click.pass_context
def migrate(ctx: click.Context) -> None:
    """Create or upgrade the central schema (safe to run again, or from two machines)."""
    import psycopg

    from kiosk.fleet.migrate import migrate as run

    settings = _settings(ctx)
    try:
        applied = run(settings.dsn)
    except psycopg.OperationalError as exc:
        raise _unreachable(settings.dsn, exc) from None
    click.echo("applied: " + ", ".join(applied) if applied else "schema is up to date")


@fleet.command()
@click.option("--host", help="Listen address (default: fleet.toml's host).")
@click.option("--port", type=click.IntRange(1, 65535), help="Port (default: fleet.toml's).")
@click.pass_context
def serve(ctx: click.Context, host: str | None, port: int | None) -> None:
    """Run the fleet service for the booths (waitress) until Ctrl-C."""
    from kiosk.fleet.migrate import migrate as run
    from kiosk.fleet.service import serve as run_service

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    import psycopg

    settings = _settings(ctx)
    try:
        run(settings.dsn)  # a service never runs on a schema older than its code
    except psycopg.OperationalError as exc:
        raise _unreachable(settings.dsn, exc) from None
    where = f"http://{host or settings.host}:{port or settings.port}/fleet/v1/"
    click.echo(f"fleet service on {where}", err=True)
    run_service(settings, host, port)


@fleet.command("add-kiosk")
@click.argument("kiosk_id")
@click.option("--name", default="", help="A name organisers recognise, e.g. 'Zone B north'.")
@click.option(
    "--token-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the token here (mode 0600) for the booth's [fleet] token_file.",
)
@click.option("--new-token", is_flag=True, help="Replace an existing booth's token.")
@click.pass_context
def add_kiosk(
    ctx: click.Context, kiosk_id: str, name: str, token_file: Path | None, new_token: bool
) -> None:
    """Register a booth and print its token (shown once: keep it for the booth)."""
    from kiosk.fleet.kiosks import KioskError
    from kiosk.fleet.kiosks import add_kiosk as add

    with _connect(ctx) as conn:
        try:
            token = add(conn, kiosk_id, name, new_token=new_token)
        except KioskError as exc:
            raise click.ClickException(str(exc)) from None
    if token_file is None:
        click.echo(token)
        return
    fd = os.open(token_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(token + "\n")
    click.echo(f"kiosk {kiosk_id}: token written to {token_file} (mode 0600)")


@fleet.command()
@click.argument("kiosk_id")
@click.pass_context
def revoke(ctx: click.Context, kiosk_id: str) -> None:
    """Refuse a booth's pushes and heartbeats from now on (403)."""
    from kiosk.fleet.kiosks import revoke as run

    with _connect(ctx) as conn:
        if not run(conn, kiosk_id):
            raise click.ClickException(f"no kiosk {kiosk_id!r} is registered")
    click.echo(f"kiosk {kiosk_id}: revoked (add-kiosk {kiosk_id} --new-token to readmit it)")


@fleet.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def import_files(ctx: click.Context, files: tuple[Path, ...]) -> None:
    """Import kiosk files (scores.db) with the live sync's upsert: never double-counts."""
    from kiosk.fleet.kioskfile import ImportRefused, import_file

    failed = 0
    with _connect(ctx) as conn:
        for path in files:
            try:
                result = import_file(conn, path)
            except ImportRefused as exc:
                click.echo(f"error: {exc}", err=True)
                failed += 1
                continue
            read = ", ".join(f"{n} {t}" for t, n in result.read.items())
            new = sum(result.applied.values())
            kiosks = ", ".join(sorted(result.kiosks)) or "no kiosk"
            click.echo(f"{path}: {kiosks}: read {read}; {new} new or newer")
            for table, columns in result.ignored_columns.items():
                click.echo(f"  note: {table}: columns not kept centrally: {', '.join(columns)}")
    if failed:
        sys.exit(1)


@fleet.command()
@click.option(
    "--date", "day", default="today", metavar="YYYY-MM-DD",
    help="The carnival's local day (fleet.toml's utc_offset_hours); default today.",
)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@click.pass_context
def stock(ctx: click.Context, day: str, fmt: str) -> None:
    """Stock per booth and tier for one day, from the central store: configured, staff and
    remote corrections, given, left, when it sold out (local time), downgrades (earned this
    tier, given a lower one) and visitors who earned it when nothing was left."""
    import json
    from datetime import UTC, date, datetime

    from kiosk.cli.tally import _table
    from kiosk.fleet.dashboard.stock import stock_of_day
    from kiosk.localday import local_date, local_time

    offset = _settings(ctx).utc_offset_hours
    try:
        wanted = (
            local_date(datetime.now(UTC), offset) if day == "today" else date.fromisoformat(day)
        )
    except ValueError:
        raise click.BadParameter(
            f"{day!r} is not today or YYYY-MM-DD", param_hint="--date"
        ) from None
    with _connect(ctx) as conn:
        cells = stock_of_day(conn, wanted, offset)

    def clock(moment: datetime | None) -> str | None:
        return None if moment is None else local_time(moment, offset).strftime("%H:%M")

    rows = [
        {
            "kiosk_id": c.kiosk_id, "tier": c.tier, "configured": c.configured,
            "adjusted": c.adjusted, "given": c.given, "left": c.left,
            "sold_out_at": clock(c.sold_out_at), "first_sold_out": clock(c.first_sold_out),
            "downgraded": c.downgraded, "missed": c.missed,
        }
        for c in cells.values()
    ]
    if fmt == "json":
        click.echo(json.dumps({"day": wanted.isoformat(), "utc_offset_hours": offset,
                               "stock": rows}, indent=2))
        return
    if not rows:
        click.echo(f"no stock data for {wanted.isoformat()}")
        return
    headers = ["booth", "tier", "configured", "adjusted", "given", "left", "sold out",
               "first sold out", "downgraded", "missed"]
    table = (
        [r["kiosk_id"], r["tier"], r["configured"],
         f"{r['adjusted']:+d}" if r["adjusted"] else 0, r["given"], r["left"],
         r["sold_out_at"], r["first_sold_out"], r["downgraded"], r["missed"]]
        for r in rows
    )
    title = f"Stock on {wanted.isoformat()} (times at UTC{offset:+g})"
    click.echo(_table(headers, table, title=title))


def register(group: click.Group) -> None:
    group.add_command(fleet)
