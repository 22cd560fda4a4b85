"""claims.toml: the claim server's settings, defaults here (``example.toml`` documents them).

Relative paths are relative to the working directory, as in kiosk.toml.
"""

from __future__ import annotations

import ipaddress
import logging
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kiosk.claims.names import DESK_NAME_MAX, clean_desk_name
from kiosk.prizes.claimcode import normalise_claim_url

log = logging.getLogger(__name__)

EXAMPLE = Path(__file__).with_name("example.toml")


class SettingsError(Exception):
    """claims.toml cannot be used; the message says which file and why."""


@dataclass
class ClaimsSettings:
    event_id: int = 2026
    public_key: str = "event.pub"
    database: str = "claims.db"
    host: str = "127.0.0.1"
    port: int = 8080
    threads: int = 4
    pin_hash: str = ""
    claim_days: int = 3
    utc_offset_hours: float = 8.0
    claim_url: str = "HTTPS://CLAIM.EXAMPLE.HK/C/"
    desk_name: str = "Prize desk"
    session_minutes: int = 30
    max_pin_failures: int = 5
    lockout_minutes: int = 10
    cookie_secure: bool = False
    trusted_proxies: list[str] = field(default_factory=list)
    proxy_hops: int = 1
    desk: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path | None) -> ClaimsSettings:
        """Read ``path`` (a missing explicit file is an error); ``None`` gives the defaults."""
        settings = cls()
        if path is None:
            return settings
        try:
            with Path(path).open("rb") as f:
                data = tomllib.load(f)
        except FileNotFoundError:
            raise SettingsError(f"settings file {path} not found") from None
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"settings file {path} is not valid TOML: {exc}") from None
        known = {f.name for f in fields(settings)}
        for key, value in data.items():
            if key not in known:
                log.warning("%s: unknown key %r ignored", path, key)
                continue
            current: Any = getattr(settings, key)
            try:
                setattr(settings, key, type(current)(value))
            except (TypeError, ValueError):
                kind = type(current).__name__
                raise SettingsError(f"{path}: {key} = {value!r} is not a {kind}") from None
        settings.validate()
        return settings

    def validate(self) -> None:
        if not 0 <= self.event_id < 2**16:
            raise SettingsError(f"event_id {self.event_id} must be 0–65535")
        if self.claim_days < 1:
            raise SettingsError("claim_days must be at least 1 (the day of issue)")
        self.claim_url = normalise_claim_url(self.claim_url)
        if not urlsplit(self.claim_url).path.startswith("/"):
            raise SettingsError(f"claim_url {self.claim_url!r} needs a path such as /C/")
        if clean_desk_name(self.desk_name, "") != self.desk_name:
            raise SettingsError(
                f"desk_name {self.desk_name!r}: one line of at most {DESK_NAME_MAX} characters"
            )
        for address in self.trusted_proxies:
            try:
                ipaddress.ip_address(address)
            except ValueError:
                raise SettingsError(
                    f"trusted_proxies: {address!r} is not an IP address "
                    '(write a list, e.g. trusted_proxies = ["127.0.0.1"])'
                ) from None
        if self.proxy_hops < 1:
            raise SettingsError(f"proxy_hops {self.proxy_hops} must be at least 1")

    @property
    def claim_path(self) -> str:
        """The path codes arrive on, e.g. ``/C/`` for ``HTTPS://CLAIM.EXAMPLE.HK/C/``."""
        return urlsplit(normalise_claim_url(self.claim_url)).path
