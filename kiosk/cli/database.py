"""``--db`` and ``--config`` for every command that opens a kiosk's play log.

Which file, first found: ``--db``; the ``database`` key of ``--config PATH``;
``$SMARTIZEN_DB`` (tally commands); the ``database`` of ``./kiosk.toml`` when there is one,
so staff on a booth PC type nothing and open the very file the booth writes; ``scores.db``.
Like the booth, a relative path is taken from the working directory.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

F = TypeVar("F", bound=Callable)

_CONFIG_KEY = "kiosk_config"


def database_from_config(config_path: Path | None) -> Path:
    """The ``database`` of ``config_path`` (or of ./kiosk.toml if present), else the default.

    :raises click.ClickException: the config file is missing or unreadable
    """
    # Imported here: the config schema (pydantic) is only built when a kiosk.toml is read.
    from kiosk.config import Config, ConfigError, find_config

    try:
        return Path(Config.load(find_config(config_path)).database)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


def _remember_config(ctx: click.Context, param: click.Parameter, value: Path | None) -> None:
    ctx.meta[_CONFIG_KEY] = value


def database_options(
    what: str, *, envvar: str | None = None, exists: bool = False
) -> Callable[[F], F]:
    """Add ``--db`` and ``--config`` to a command; it receives the chosen file as ``db``.

    ``what`` starts ``--db``'s help. ``exists``: refuse a file that is not there, with
    click's own message.
    """
    path_type = click.Path(exists=exists, dir_okay=False, path_type=Path)

    def resolve(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path:
        config_path = ctx.meta.get(_CONFIG_KEY)
        from_env = ctx.get_parameter_source("db") == click.core.ParameterSource.ENVIRONMENT
        if value is not None and not (from_env and config_path is not None):
            return value
        found = database_from_config(config_path)
        return path_type.convert(str(found), param, ctx)

    env_note = f"env: {envvar}; " if envvar else ""

    def decorate(fn: F) -> F:
        fn = click.option(
            "--config",
            "config_path",
            type=click.Path(dir_okay=False, path_type=Path),
            is_eager=True,  # read before --db falls back on it
            expose_value=False,
            callback=_remember_config,
            help="kiosk.toml whose database to use when --db is not given "
            "[default: ./kiosk.toml if present].",
        )(fn)
        return click.option(
            "--db",
            "db",
            envvar=envvar,
            type=path_type,
            callback=resolve,
            help=f"{what} [{env_note}default: database in kiosk.toml, else scores.db].",
        )(fn)

    return decorate
