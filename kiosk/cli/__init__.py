"""The `smartizen` command for staff and organisers.

Each module in ``kiosk/cli/`` adds its commands through ``register(group)``, so the
tally tools and the prize-claim tools grow independently. Commands that open a kiosk's log
take ``--db``/``--config`` from kiosk/cli/database.py. Every install has this command, so
modules import an extra's packages (Flask, tabulate) inside the command that needs them.

May import: every room but the booth and speech; never pygame (checked by ``lint-imports``).
"""

from __future__ import annotations

import importlib
import pkgutil

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="smartizen-kiosk")
def cli() -> None:
    """Smartizen Park kiosk tools: tallies, exports, fleet merges, reports and prize claims."""


def _register_commands() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):  # __main__ runs the command; it registers none
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(cli)


_register_commands()


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
