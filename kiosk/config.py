"""Kiosk settings: defaults here, overridden by kiosk.toml, overridden by command-line flags.

``kiosk.example.toml`` documents every key. Every key is typed and range-checked when the file
is read (:mod:`kiosk.typedtoml`): a typo, an unknown key or a value out of range stops the
launcher with one line naming the key, the value and what is allowed, before a visitor sees a
booth that looks ready and then fails every prize.
"""

from __future__ import annotations

import logging
import re
from dataclasses import field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, ConfigDict, Field, field_validator
from pydantic.dataclasses import dataclass

from kiosk import typedtoml
from kiosk.i18n import LANGUAGES

log = logging.getLogger(__name__)

MIN_COUNTDOWN_S = 20.0  # WCAG 2.2.1: at least 20 s to extend with one simple action
# The prize QR's own countdown: long enough to find and open a phone's camera, short enough
# that the code is gone before the next person walks up.
QR_S_RANGE = (45.0, 120.0)
ORIENTATIONS = ("auto", "landscape", "portrait")  # the canvas: kiosk/ui/frame.py

CONFIG_FILE = "kiosk.toml"

# Unknown keys are errors: a misspelt key would otherwise be silently ignored.
SCHEMA = ConfigDict(extra="forbid")


def find_config(path: Path | None) -> Path | None:
    """The config to read: ``path`` if given, else ./kiosk.toml if present, else None
    (the defaults)."""
    if path is not None:
        return path
    default = Path.cwd() / CONFIG_FILE
    return default if default.exists() else None


class ConfigError(Exception):
    """kiosk.toml cannot be used; the message (one line) says which file, key and why."""


# -- value types shared with the claim server's settings ----------------------------------------
# What a claim code can carry for a kiosk or tier id (kiosk/prizes/claimcode.py TEXT_ALPHABET).
CODE_TEXT = r"[A-Za-z0-9_-]{1,15}"
# The QR alphanumeric set (claim links must stay in it: kiosk/prizes/qr.py), uppercased.
_CLAIM_URL = re.compile(r"HTTPS?://[A-Z0-9.-]+(:[0-9]{1,5})?/[A-Z0-9$%*+./:-]*")
_PIN_HASH = re.compile(r"pbkdf2_sha256\$[1-9][0-9]{0,8}\$(?:[0-9a-f]{2})+\$[0-9a-f]{64}")


def _claim_url(value: str) -> str:
    if not _CLAIM_URL.fullmatch(value.strip().upper()):
        raise ValueError(
            "allowed is an http(s) URL with a path, such as HTTPS://CLAIM.EXAMPLE.HK/C/, using "
            "only A–Z 0–9 and $ % * + - . / : (the QR's compact alphanumeric set)"
        )
    return value


def check_pin_hash(value: str) -> str:
    """``value`` if it is a PIN hash :func:`kiosk.pin.pin_matches` can use, else ValueError."""
    if not _PIN_HASH.fullmatch(value):
        raise ValueError(
            "allowed is a hash made by `smartizen staff hash-pin` "
            "(pbkdf2_sha256$<iterations>$<salt hex>$<64 hex digits>)"
        )
    return value


def _no_control_characters(value: str) -> str:
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise ValueError("allowed is text on one line, without control characters")
    return value


ClaimUrl = Annotated[str, AfterValidator(_claim_url), Field(description="an http(s) URL")]
PinHash = Annotated[str, AfterValidator(check_pin_hash)]
OneLine = Annotated[str, AfterValidator(_no_control_characters)]
Language = Literal[LANGUAGES]  # type: ignore[valid-type]  # the languages with string tables
UtcOffset = Annotated[float, Field(ge=-12, le=14, description="hours from UTC, -12 to 14")]
FilePath = Annotated[str, Field(min_length=1, description="a file or folder path")]
Desk = dict[Language, Annotated[OneLine, Field(max_length=80)]]


# -- kiosk.toml ---------------------------------------------------------------------------------
@dataclass(config=SCHEMA)
class IdleLimits:
    menu_s: Annotated[float, Field(ge=5, le=3600, description="seconds, 5 to 3600")] = (
        30.0  # language, menu and how-to screens
    )
    result_s: Annotated[float, Field(ge=5, le=3600, description="seconds, 5 to 3600")] = (
        20.0  # result and thanks screens (the prize QR counts down qr_s)
    )
    # The "Still playing?" countdown before returning to start; below 20 s it is raised to 20.
    countdown_s: Annotated[float, Field(gt=0, le=600, description="seconds, 20 to 600")] = 20.0

    @field_validator("countdown_s")
    @classmethod
    def _wcag(cls, value: float) -> float:
        if value < MIN_COUNTDOWN_S:
            log.warning("idle.countdown_s %.0f is below WCAG's 20 s; using 20", value)
            return MIN_COUNTDOWN_S
        return value


@dataclass(config=SCHEMA)
class Audio:
    volume: Annotated[float, Field(ge=0, le=1, description="0.0 to 1.0")] = 0.8
    muted: Annotated[bool, Field(description="true or false")] = False
    speech_rate: Annotated[
        int, Field(ge=80, le=450, description="espeak-ng words per minute, 80 to 450")
    ] = 160
    speech_cache: FilePath = ".cache/speech"


# PIN 2468: fine for a demo, never for an event. The launcher warns while it is in use.
DEFAULT_PIN_HASH = (
    "pbkdf2_sha256$200000$736d617274697a656e7061726b323032$"
    "26a85f811aa5ff07680c1d9410b615a062d55661ec3e5b6807226a535ea764c0"
)


@dataclass(config=SCHEMA)
class Staff:
    pin_hash: PinHash = DEFAULT_PIN_HASH


_FLEET_URL = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?")


def _fleet_url(value: str) -> str:
    if value and not _FLEET_URL.fullmatch(value):
        raise ValueError(
            "allowed is empty (no fleet) or an http(s) URL of the fleet service such as "
            "http://fleet.park.lan:8700"
        )
    return value


@dataclass(config=SCHEMA)
class Fleet:
    """The carnival's fleet service (docs/fleet-contract.md); an empty url: an island."""

    url: Annotated[str, AfterValidator(_fleet_url)] = ""
    # The booth's own bearer token, one line (`smartizen fleet add-kiosk ID`). A missing or
    # unreadable file is a warning at start-up, not an error: the booth serves regardless.
    token_file: FilePath = "/etc/smartizen/fleet.token"


@dataclass(config=SCHEMA)
class PrizeTier:
    # Also the string key prize.<id> and what the claim code carries.
    id: Annotated[str, Field(pattern=f"^{CODE_TEXT}$", description="1–15 of A–Z a–z 0–9 - _")]
    # The lowest score that earns this tier.
    min_score: Annotated[int, Field(ge=0, le=100, description="a whole number 0 to 100")]
    # Prizes of this tier this kiosk may give out per local day.
    daily_stock: Annotated[
        int, Field(ge=0, le=1_000_000, description="a whole number 0 to 1000000")
    ]


def _default_tiers() -> list[PrizeTier]:
    return [
        PrizeTier("gold", 85, 20),
        PrizeTier("silver", 60, 60),
        PrizeTier("thanks", 0, 200),  # a thank-you gift for any completed play
    ]


@dataclass(config=SCHEMA)
class Prizes:
    # Written into every claim code (16 bits); the claim server accepts only its own.
    event_id: Annotated[int, Field(ge=0, le=65535, description="a whole number 0 to 65535")] = 2026
    key_file: FilePath = ".cache/keys/event.key"  # Ed25519 private key, mode 0600
    # Seconds the claim QR is on screen; then thanks, and it never returns.
    qr_s: Annotated[
        float,
        Field(
            ge=QR_S_RANGE[0],
            le=QR_S_RANGE[1],
            description=f"seconds, {QR_S_RANGE[0]:.0f} to {QR_S_RANGE[1]:.0f}",
        ),
    ] = 50.0
    desk: Desk = field(default_factory=dict)  # where the desk is, per language
    tiers: Annotated[list[PrizeTier], Field(description="a list of [[prizes.tiers]] tables")] = (
        field(default_factory=_default_tiers)
    )

    @field_validator("tiers")
    @classmethod
    def _best_first(cls, tiers: list[PrizeTier]) -> list[PrizeTier]:
        ids = [t.id for t in tiers]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"each tier id may be used once; repeated: {', '.join(repeated)}")
        return sorted(tiers, key=lambda t: -t.min_score)


@dataclass(config=SCHEMA)
class Config:
    # Shown to staff, written on every play row and carried in every claim code.
    kiosk_id: Annotated[
        str, Field(pattern=f"^{CODE_TEXT}$", description="1–15 of A–Z a–z 0–9 - _")
    ] = "K01"
    database: FilePath = "scores.db"
    languages: Annotated[
        list[Language], Field(min_length=1, description=f"a list of {', '.join(LANGUAGES)}")
    ] = field(default_factory=lambda: list(LANGUAGES))
    # Enabled games in menu order; empty = all.
    games: Annotated[
        list[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]],
        Field(description='a list of game ids such as ["recycle_right"]; [] for all'),
    ] = field(default_factory=list)
    claim_url: ClaimUrl = "HTTPS://CLAIM.EXAMPLE.HK/C/"  # uppercase: the QR stays alphanumeric
    fps: Annotated[int, Field(ge=10, le=240, description="a whole number 10 to 240")] = 60
    # "auto" follows the screen's shape; "landscape" or "portrait" forces one.
    orientation: Annotated[
        Literal[ORIENTATIONS],  # type: ignore[valid-type]
        Field(description="one of " + ", ".join(ORIENTATIONS)),
    ] = "auto"
    log_dir: FilePath = "logs"
    utc_offset_hours: UtcOffset = 8.0  # local time for "today" on the staff panel (HK: UTC+8)
    idle: IdleLimits = field(default_factory=IdleLimits)
    audio: Audio = field(default_factory=Audio)
    staff: Staff = field(default_factory=Staff)
    fleet: Fleet = field(default_factory=Fleet)
    prizes: Prizes = field(default_factory=Prizes)

    @field_validator("languages", "games")
    @classmethod
    def _no_repeats(cls, items: list[str]) -> list[str]:
        if len(set(items)) != len(items):
            raise ValueError("allowed is a list without repeats")
        return items

    @classmethod
    def load(cls, path: Path | None) -> Config:
        """Read ``path`` if given (a missing explicit file is an error), else the defaults.

        :raises ConfigError: one line naming the file, the key, the value and what is allowed
        """
        if path is None:
            return cls()
        return typedtoml.load(Path(path), cls, ConfigError)
