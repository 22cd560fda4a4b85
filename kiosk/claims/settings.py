"""claims.toml: the claim server's settings, defaults here (``example.toml`` documents them).

Every key is typed and range-checked when the file is read (:mod:`kiosk.typedtoml`): a typo,
an unknown key or a value out of range is one line naming the key, the value and what is
allowed, before the server listens. Relative paths are relative to the working directory.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, field
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import ConfigDict, Field, field_validator
from pydantic.dataclasses import dataclass

from kiosk import typedtoml
from kiosk.claims.names import DESK_NAME_MAX, clean_desk_name
from kiosk.config import ClaimUrl, Desk, FilePath, UtcOffset, check_pin_hash
from kiosk.prizes.claimcode import normalise_claim_url
from kiosk.proxies import ProxyAddresses

log = logging.getLogger(__name__)

EXAMPLE = Path(__file__).with_name("example.toml")


class SettingsError(Exception):
    """claims.toml cannot be used; the message (one line) says which file, key and why."""


def _whole(low: int, high: int, unit: str = "") -> object:
    unit = f" {unit}" if unit else ""
    return Field(ge=low, le=high, description=f"a whole number {low} to {high}{unit}")


@dataclass(config=ConfigDict(extra="forbid"))
class PostgresSettings:
    """``[postgres]``: the carnival's central PostgreSQL, shared by every prize desk."""

    # A libpq connection string or URL; empty: the SQLite file ``database`` (one desk).
    dsn: Annotated[
        str, Field(description='a PostgreSQL URL such as "postgresql://claims@db/park"')
    ] = ""

    @field_validator("dsn")
    @classmethod
    def _dsn(cls, value: str) -> str:
        if value and not value.startswith(("postgresql://", "postgres://")) and "=" not in value:
            raise ValueError(
                'allowed is a PostgreSQL URL ("postgresql://user@host/db") or libpq '
                '"key=value" settings'
            )
        return value


@dataclass(config=ConfigDict(extra="forbid"))
class ClaimsSettings:
    event_id: Annotated[int, _whole(0, 65535)] = 2026
    public_key: FilePath = "event.pub"
    database: FilePath = "claims.db"
    host: Annotated[str, Field(min_length=1, description="an address such as 127.0.0.1")] = (
        "127.0.0.1"
    )
    port: Annotated[int, _whole(1, 65535)] = 8080
    threads: Annotated[int, _whole(1, 64)] = 4
    pin_hash: str = ""  # empty: the server refuses to start
    claim_days: Annotated[int, _whole(1, 100_000, "days")] = 3  # more would pass year 9999
    utc_offset_hours: UtcOffset = 8.0
    claim_url: ClaimUrl = "HTTPS://CLAIM.EXAMPLE.HK/C/"
    desk_name: str = "Prize desk"
    session_minutes: Annotated[int, _whole(1, 1440, "minutes")] = 30
    max_pin_failures: Annotated[int, _whole(1, 100)] = 5
    lockout_minutes: Annotated[int, _whole(1, 1440, "minutes")] = 10
    cookie_secure: Annotated[bool, Field(description="true or false")] = False
    trusted_proxies: ProxyAddresses = field(default_factory=list)
    proxy_hops: Annotated[int, _whole(1, 10)] = 1
    desk: Desk = field(default_factory=dict)
    postgres: PostgresSettings = field(default_factory=PostgresSettings)

    @field_validator("pin_hash")
    @classmethod
    def _pin_hash(cls, value: str) -> str:
        return check_pin_hash(value) if value else value

    @field_validator("desk_name")
    @classmethod
    def _desk_name(cls, value: str) -> str:
        if clean_desk_name(value, "") != value:
            raise ValueError(f"allowed is one line of 1 to {DESK_NAME_MAX} characters")
        return value

    @field_validator("claim_url")
    @classmethod
    def _normalised(cls, value: str) -> str:
        return normalise_claim_url(value)

    @classmethod
    def load(cls, path: str | Path | None) -> ClaimsSettings:
        """Read ``path`` (a missing explicit file is an error); ``None`` gives the defaults.

        :raises SettingsError: one line naming the file, the key, the value and what is allowed
        """
        if path is None:
            return cls()
        return typedtoml.load(Path(path), cls, SettingsError)

    def validate(self) -> None:
        """Check values set in code after construction as a file's values are checked."""
        typedtoml.build(ClaimsSettings, asdict(self), "settings", SettingsError)

    @property
    def claim_path(self) -> str:
        """The path codes arrive on, e.g. ``/C/`` for ``HTTPS://CLAIM.EXAMPLE.HK/C/``."""
        return urlsplit(normalise_claim_url(self.claim_url)).path
