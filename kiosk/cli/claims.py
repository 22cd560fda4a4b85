"""Prize-claim tools: `smartizen keys …`, `smartizen claims …`, `smartizen serve-claims`.

``keys new`` makes the event's signing pair (private key for the kiosks, public key for the
claim server). ``claims verify`` and ``claims redeem`` do what the prize desk page does, for
a desk without a browser; they use the claim server's settings and database, and may run
while the server does. ``serve-claims`` runs the server (Flask app on waitress).
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from pathlib import Path

import click

DEFAULT_SETTINGS = Path("claims.toml")


# -- keys ----------------------------------------------------------------------------------------
@click.group()
def keys() -> None:
    """The event's Ed25519 signing keys."""


@keys.command("new")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("event.key"),
    show_default=True,
    help="Private key file to write (mode 0600); the public key goes beside it as .pub.",
)
@click.option("--force", is_flag=True, help="Replace an existing key (old codes stop verifying).")
def keys_new(out: Path, force: bool) -> None:
    """Make a new event key pair."""
    from kiosk.prizes.claimcode import format_key_id
    from kiosk.prizes.eventkey import generate, public_path

    try:
        key = generate(out, force=force)
    except FileExistsError as exc:
        raise click.ClickException(f"{exc} (use --force to replace it)") from None
    click.echo(f"private key  {out}  (mode 0600: install on every kiosk as [prizes] key_file)")
    click.echo(f"public key   {public_path(out)}  (public_key in the claim server's claims.toml)")
    click.echo(f"key id       {format_key_id(key.key_id)}  (fingerprint {key.fingerprint})")
    click.echo("Never commit the private key or copy it anywhere but the kiosks.")


@keys.command("show")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def keys_show(path: Path) -> None:
    """Print a key file's key id and fingerprint (either half of the pair)."""
    from kiosk.prizes.claimcode import format_key_id, key_id
    from kiosk.prizes.eventkey import (
        KeyFileError,
        fingerprint,
        is_development,
        load_private,
        load_public,
    )

    try:
        if b"PRIVATE KEY" in path.read_bytes():
            public = load_private(path).public
            kind = "private"
        else:
            public = load_public(path)
            kind = "public"
    except KeyFileError as exc:
        raise click.ClickException(str(exc)) from None
    dev = " — DEVELOPMENT key, not for an event" if is_development(path) else ""
    click.echo(f"{path}: {kind} key, key id {format_key_id(key_id(public))}{dev}")
    click.echo(f"fingerprint  {fingerprint(public)}")


# -- claims --------------------------------------------------------------------------------------
settings_option = click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Claim server settings (default: ./claims.toml).",
)


def _settings(config_path: Path | None):
    from kiosk.claims.settings import ClaimsSettings, SettingsError

    path = config_path
    if path is None and DEFAULT_SETTINGS.exists():
        path = DEFAULT_SETTINGS
    try:
        return ClaimsSettings.load(path)
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None


def _desk(config_path: Path | None):
    from kiosk.claims.desk import ClaimDesk
    from kiosk.prizes.eventkey import KeyFileError, is_development, load_public

    settings = _settings(config_path)
    folder = Path(settings.database).absolute().parent
    if not settings.postgres.dsn and not folder.is_dir():
        raise click.ClickException(
            f"database {settings.database}: the folder {folder} does not exist (claims.toml)"
        )
    try:
        public = load_public(settings.public_key)
    except KeyFileError as exc:
        raise click.ClickException(f"{exc} (set public_key in claims.toml)") from None
    if is_development(settings.public_key):
        click.echo(
            f"warning: {settings.public_key} is a kiosk's DEVELOPMENT key; "
            "use the event's key at a real event",
            err=True,
        )
    return ClaimDesk(settings, public, _store(settings))


def _store(settings):
    """The store claims.toml names; a PostgreSQL that cannot be reached is one clear line."""
    from kiosk.claims.backend import StoreUnavailable, open_store

    try:
        return open_store(settings)
    except StoreUnavailable as exc:
        raise click.ClickException(str(exc)) from None


def _print_verdict(desk, verdict) -> None:
    from kiosk.i18n import Strings
    from kiosk.prizes.claimcode import desk_code

    colour = "green" if verdict.ok else ("yellow" if verdict.status == "collected" else "red")
    head = verdict.headline if verdict.ok else f"REJECTED — {verdict.headline}"
    claim = verdict.claim
    if claim is not None:
        strings = Strings()
        names = []
        for lang in ("en", "zh-HK"):
            key = f"prize.{claim.tier}"
            names.append(strings.get(lang, key) if key in strings.tables[lang] else claim.tier)
        head += f" — {' · '.join(names)}"
    click.secho(head, fg=colour, bold=True)
    if claim is not None:
        click.echo(f"  reference  {claim.ref}   desk code {desk_code(verdict.code)}")
        click.echo(
            f"  kiosk {claim.kiosk} · tier {claim.tier} · issued {claim.issued} · "
            f"language {claim.lang} · event {claim.event}"
        )
    click.echo(f"  {verdict.detail}")
    phones = desk.phones(verdict.code)
    if phones > 1:
        click.secho(
            f"  opened on {phones} different phones: ask the visitor which booth and game "
            "they played before handing over",
            fg="yellow",
        )
    elif verdict.code is not None:
        click.echo(f"  opened on {phones} phone{'' if phones == 1 else 's'}")


@click.group()
def claims() -> None:
    """Check and hand over prize claims from a terminal (the desk page's twin)."""


@claims.command("verify")
@click.argument("code_or_url")
@settings_option
def claims_verify(code_or_url: str, config_path: Path | None) -> None:
    """Say what a code (scanned URL, bare code or typed desk code) is worth; records nothing.

    Exit status 0: ready to hand over; 1: not (the first line says why).
    """
    desk = _desk(config_path)
    verdict = desk.check(code_or_url)
    _print_verdict(desk, verdict)
    desk.close()
    sys.exit(0 if verdict.ok else 1)


@claims.command("redeem")
@click.argument("code_or_url")
@settings_option
@click.option("--desk", "desk_name", help="Desk name to record (default: desk_name + terminal).")
def claims_redeem(code_or_url: str, config_path: Path | None, desk_name: str | None) -> None:
    """Hand a prize over: record the redemption, once per code ever.

    Exit status 0: handed over now; 1: not (already collected, expired or not valid).
    """
    desk = _desk(config_path)
    verdict = desk.redeem(code_or_url, desk_name or f"{desk.settings.desk_name} (terminal)")
    _print_verdict(desk, verdict)
    desk.close()
    sys.exit(0 if verdict.ok else 1)


# -- the server ----------------------------------------------------------------------------------
@click.command("serve-claims")
@settings_option
@click.option("--host", help="Address to listen on (overrides claims.toml).")
@click.option(
    "--port", type=click.IntRange(1, 65535), help="Port to listen on (overrides claims.toml)."
)
def serve_claims(config_path: Path | None, host: str | None, port: int | None) -> None:
    """Run the claim server: visitors' prize pages and the /desk page for staff."""
    from waitress import serve

    from kiosk.claims.web import create_app
    from kiosk.prizes.claimcode import format_key_id, key_id
    from kiosk.proxies import waitress_options

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if not _settings(config_path).pin_hash:  # before the database file is made
        raise click.ClickException(
            "no desk PIN: set pin_hash in claims.toml "
            "(make one with `smartizen staff hash-pin --desk`)"
        )
    desk = _desk(config_path)
    settings = desk.settings
    host = host or settings.host
    port = port or settings.port
    click.echo(
        f"claims for event {settings.event_id}, key id {format_key_id(key_id(desk.public_key))}, "
        f"window {settings.claim_days} day(s), {_where(settings)}"
    )
    click.echo(f"visitors: http://{host}:{port}{settings.claim_path}<code>   staff: /desk")

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # systemd's stop ends the server as Ctrl-C does

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop)
    try:
        serve(
            create_app(desk),
            host=host,
            port=port,
            threads=settings.threads,
            ident="smartizen",
            **waitress_options(settings.trusted_proxies),
        )
    except KeyboardInterrupt:  # waitress usually ends its loop on it and returns
        pass
    finally:
        desk.close()  # the phone-notes writer and the store's connections
    click.echo("claim server stopped")


def _where(settings) -> str:
    """Where the redemptions are, for the start line (never the DSN's password)."""
    if not settings.postgres.dsn:
        return f"database {settings.database}"
    from psycopg.conninfo import conninfo_to_dict

    parts = conninfo_to_dict(settings.postgres.dsn)
    return (
        f"PostgreSQL {parts.get('user', '')}@{parts.get('host', 'localhost')}:"
        f"{parts.get('port', 5432)}/{parts.get('dbname', '')}"
    )


def register(group: click.Group) -> None:
    group.add_command(keys)
    group.add_command(claims)
    group.add_command(serve_claims)
