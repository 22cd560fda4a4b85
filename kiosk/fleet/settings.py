"""fleet.toml: the fleet service's settings, defaults here (``example.toml`` documents them).

Read through :mod:`kiosk.typedtoml` like claims.toml: an unknown key or a value out of range
stops ``smartizen fleet …`` with one line naming the key, the value and what is allowed.
"""

from __future__ import annotations

from dataclasses import asdict, field
from pathlib import Path
from typing import Annotated

from pydantic import ConfigDict, Field
from pydantic.dataclasses import dataclass

from kiosk import typedtoml
from kiosk.config import UtcOffset
from kiosk.proxies import ProxyAddresses

EXAMPLE = Path(__file__).with_name("example.toml")


class SettingsError(Exception):
    """fleet.toml cannot be used; the message (one line) says which file, key and why."""


@dataclass(config=ConfigDict(extra="forbid"))
class FleetSettings:
    dsn: Annotated[
        str,
        Field(
            min_length=1,
            description='a libpq connection string or URL, e.g. "postgresql://fleet@db/fleet"',
        ),
    ] = "postgresql:///smartizen_fleet"
    host: Annotated[str, Field(min_length=1, description="an address such as 0.0.0.0")] = (
        "127.0.0.1"
    )
    port: Annotated[int, typedtoml.whole(1, 65535)] = 8700
    threads: Annotated[int, typedtoml.whole(1, 64)] = 32  # example.toml says why
    utc_offset_hours: UtcOffset = 8.0
    max_body_mb: Annotated[int, typedtoml.whole(1, 256, "MB")] = 16
    played_today_cache_s: Annotated[float, Field(ge=0, le=300, description="seconds, 0 to 300")] = (
        5.0
    )
    # Behind the TLS proxy (deploy/nginx): the organisers' session cookie only over HTTPS.
    cookie_secure: bool = False
    # Behind the TLS proxy every organiser arrives from its address; from these addresses the
    # client's own is read from X-Forwarded-For, so wrong passwords slow only whoever typed them.
    trusted_proxies: ProxyAddresses = field(default_factory=list)
    proxy_hops: Annotated[int, typedtoml.whole(1, 10)] = 1

    @classmethod
    def load(cls, path: str | Path | None) -> FleetSettings:
        """``path`` read and checked (a missing explicit file is an error); ``None``: the
        defaults. :class:`SettingsError` says which key is wrong and why."""
        return cls() if path is None else typedtoml.load(Path(path), cls, SettingsError)

    def validate(self) -> None:
        """Values set in code checked as a file's would be (:class:`SettingsError`)."""
        typedtoml.build(type(self), asdict(self), "settings", SettingsError)
