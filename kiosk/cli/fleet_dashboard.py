"""Organiser accounts for the live dashboard: `smartizen fleet add-organiser NAME` and
`smartizen fleet disable-organiser NAME`.

Accounts rather than one shared PIN: each organiser's changes to a booth are recorded under
their name (``desired_settings.updated_by``), one person leaving is one account disabled, and
a password is typed on a laptop or tablet keyboard, not a kiosk's PIN pad. The commands join
the ``fleet`` group (kiosk/cli/fleet.py: its fleet.toml / ``--dsn`` name the store); without
that module they bring a small group of their own with ``--dsn``.
"""

from __future__ import annotations

import sys
from typing import Any

import click


def _dsn(ctx: click.Context) -> str:
    try:
        from kiosk.cli.fleet import _settings  # the fleet group's own settings
    except ImportError:
        dsn = (ctx.obj or (None, None))[1]
        if not dsn:
            raise click.ClickException("name the central store: smartizen fleet --dsn …") from None
        return str(dsn)
    return str(_settings(ctx).dsn)


def _pool(ctx: click.Context) -> Any:
    import psycopg
    from psycopg_pool import ConnectionPool

    dsn = _dsn(ctx)
    try:
        return ConnectionPool(dsn, min_size=1, max_size=1, open=True, timeout=10)
    except (psycopg.OperationalError, Exception) as exc:  # pool timeouts are their own class
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "cannot connect"
        raise click.ClickException(f"central store {dsn}: {first}") from None


@click.command("add-organiser")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.pass_context
def add_organiser(ctx: click.Context, name: str, password_stdin: bool) -> None:
    """Create a dashboard account NAME, or give it a new password (ending its sessions)."""
    from kiosk.fleet.dashboard.auth import add_organiser as add

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt(
            f"Password for {name}", hide_input=True, confirmation_prompt=True
        )
    pool = _pool(ctx)
    try:
        created = add(pool, name, password)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        pool.close()
    click.echo(f"organiser {name.strip()} {'added' if created else 'has a new password'}")


@click.command("disable-organiser")
@click.argument("name")
@click.pass_context
def disable_organiser(ctx: click.Context, name: str) -> None:
    """Refuse NAME's logins from now on and end the sessions open under it."""
    from kiosk.fleet.dashboard.auth import disable_organiser as disable

    pool = _pool(ctx)
    try:
        found = disable(pool, name)
    finally:
        pool.close()
    if not found:
        raise click.ClickException(f"no organiser {name!r}")
    click.echo(f"organiser {name} disabled")


def register(cli: click.Group) -> None:
    group = cli.commands.get("fleet")
    if not isinstance(group, click.Group):

        @cli.group("fleet")
        @click.option("--dsn", help="The central PostgreSQL store.")
        @click.pass_context
        def fleet(ctx: click.Context, dsn: str | None) -> None:
            """The central store (issue 14)."""
            ctx.obj = (None, dsn)

        group = fleet
    group.add_command(add_organiser)
    group.add_command(disable_organiser)
