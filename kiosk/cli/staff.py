"""`smartizen staff …`: tools for booth staff."""

from __future__ import annotations

import click

from kiosk.pin import hash_pin


@click.group()
def staff() -> None:
    """Booth staff tools."""


@staff.command("hash-pin")
@click.option(
    "--pin",
    prompt="New staff PIN",
    hide_input=True,
    confirmation_prompt=True,
    help="The PIN to hash (prompted, hidden, if not given).",
)
def hash_pin_command(pin: str) -> None:
    """Print the [staff] pin_hash line for kiosk.toml; the PIN itself is stored nowhere."""
    if not pin.isdigit() or not 4 <= len(pin) <= 8:
        raise click.BadParameter("use 4 to 8 digits (the pad has digits only)", param_hint="--pin")
    click.echo(f'pin_hash = "{hash_pin(pin)}"')


def register(group: click.Group) -> None:
    group.add_command(staff)
