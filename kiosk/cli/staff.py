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
@click.option(
    "--desk",
    is_flag=True,
    help="For the claim server's prize desk (claims.toml): 6 to 12 digits.",
)
def hash_pin_command(pin: str, desk: bool) -> None:
    """Print the pin_hash line for kiosk.toml's [staff] (or claims.toml with --desk); the PIN
    itself is stored nowhere."""
    if desk:
        low, high, why = 6, 12, "the desk page can be reached from any phone"
    else:
        low, high, why = 4, 8, "the kiosk's pad takes at most 8"
    if not pin.isdigit() or not low <= len(pin) <= high:
        raise click.BadParameter(f"use {low} to {high} digits ({why})", param_hint="--pin")
    click.echo(f'pin_hash = "{hash_pin(pin)}"')


def register(group: click.Group) -> None:
    group.add_command(staff)
