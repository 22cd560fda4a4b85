"""Kiosk settings: defaults here, overridden by kiosk.toml, overridden by command-line flags.

``kiosk.example.toml`` documents every key. Unknown keys are reported, not fatal: a typo in
a booth's config must not keep the booth dark.
"""

from __future__ import annotations

import logging
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from kiosk.i18n import LANGUAGES

log = logging.getLogger(__name__)

MIN_COUNTDOWN_S = 20.0  # WCAG 2.2.1: at least 20 s to extend with one simple action
# The prize QR's own countdown: long enough to find and open a phone's camera, short enough
# that the code is gone before the next person walks up.
QR_S_RANGE = (45.0, 120.0)
ORIENTATIONS = ("auto", "landscape", "portrait")  # the canvas: kiosk/ui/frame.py


CONFIG_FILE = "kiosk.toml"


def find_config(path: Path | None) -> Path | None:
    """The config to read: ``path`` if given, else ./kiosk.toml if present, else None
    (the defaults)."""
    if path is not None:
        return path
    default = Path.cwd() / CONFIG_FILE
    return default if default.exists() else None


class ConfigError(Exception):
    """kiosk.toml cannot be read; the message says which file and why."""


@dataclass
class IdleLimits:
    menu_s: float = 30.0  # language, menu and how-to screens
    result_s: float = 20.0  # result and thanks screens (the prize QR counts down qr_s)
    countdown_s: float = 20.0  # the "Still playing?" countdown before returning to start


@dataclass
class Audio:
    volume: float = 0.8
    muted: bool = False
    speech_rate: int = 160
    speech_cache: str = ".cache/speech"


# PIN 2468: fine for a demo, never for an event. The launcher warns while it is in use.
DEFAULT_PIN_HASH = (
    "pbkdf2_sha256$200000$736d617274697a656e7061726b323032$"
    "26a85f811aa5ff07680c1d9410b615a062d55661ec3e5b6807226a535ea764c0"
)


@dataclass
class Staff:
    pin_hash: str = DEFAULT_PIN_HASH


@dataclass
class PrizeTier:
    id: str  # also the string key prize.<id> and what the claim code carries (≤ 15 chars)
    min_score: int  # the lowest score (0–100) that earns this tier
    daily_stock: int  # prizes of this tier this kiosk may give out per local day


def _default_tiers() -> list[PrizeTier]:
    return [
        PrizeTier("gold", 85, 20),
        PrizeTier("silver", 60, 60),
        PrizeTier("thanks", 0, 200),  # a thank-you gift for any completed play
    ]


@dataclass
class Prizes:
    event_id: int = 2026  # written into every claim code; the claim server accepts only its own
    key_file: str = ".cache/keys/event.key"  # Ed25519 private key, mode 0600; never in the repo
    qr_s: float = 50.0  # seconds the claim QR is on screen; then thanks, and it never returns
    desk: dict[str, str] = field(default_factory=dict)  # where the desk is, per language
    tiers: list[PrizeTier] = field(default_factory=_default_tiers)

    def validate(self) -> None:
        """Tiers from TOML arrive as tables: check them and keep them best first."""
        low, high = QR_S_RANGE
        if not low <= self.qr_s <= high:
            raise ConfigError(f"[prizes] qr_s = {self.qr_s!r}: use {low:.0f} to {high:.0f} seconds")
        tiers = []
        for raw in self.tiers:
            if isinstance(raw, PrizeTier):
                tiers.append(raw)
                continue
            if not isinstance(raw, dict) or not {"id", "min_score", "daily_stock"} <= set(raw):
                raise ConfigError("[[prizes.tiers]] needs id, min_score and daily_stock")
            extra = set(raw) - {"id", "min_score", "daily_stock"}
            if extra:
                log.warning("[[prizes.tiers]] %s: unknown keys %s ignored", raw["id"], extra)
            tiers.append(PrizeTier(str(raw["id"]), int(raw["min_score"]), int(raw["daily_stock"])))
        ids = [t.id for t in tiers]
        if len(set(ids)) != len(ids):
            raise ConfigError(f"[[prizes.tiers]] ids must be unique, got {ids}")
        for t in tiers:
            if not re.fullmatch(r"[A-Za-z0-9_-]{1,15}", t.id):
                raise ConfigError(f"prize tier id {t.id!r}: use 1–15 of A–Z a–z 0–9 - _")
            if not 0 <= t.min_score <= 100 or t.daily_stock < 0:
                raise ConfigError(f"prize tier {t.id}: min_score 0–100, daily_stock ≥ 0")
        self.tiers = sorted(tiers, key=lambda t: -t.min_score)


@dataclass
class Config:
    kiosk_id: str = "K01"
    database: str = "scores.db"
    languages: list[str] = field(default_factory=lambda: list(LANGUAGES))
    games: list[str] = field(default_factory=list)  # enabled games in menu order; empty = all
    claim_url: str = "HTTPS://CLAIM.EXAMPLE.HK/C/"  # uppercase: the QR stays alphanumeric
    fps: int = 60
    orientation: str = "auto"  # "auto" follows the screen's shape; "landscape" | "portrait"
    log_dir: str = "logs"
    utc_offset_hours: float = 8.0  # local time for "today" on the staff panel (HK: UTC+8)
    idle: IdleLimits = field(default_factory=IdleLimits)
    audio: Audio = field(default_factory=Audio)
    staff: Staff = field(default_factory=Staff)
    prizes: Prizes = field(default_factory=Prizes)

    @classmethod
    def load(cls, path: Path | None) -> Config:
        """Read ``path`` if given (missing explicit file is an error), else defaults."""
        config = cls()
        if path is None:
            return config
        try:
            with Path(path).open("rb") as f:
                data = tomllib.load(f)
        except FileNotFoundError as exc:
            raise ConfigError(f"config file {path} not found") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc
        _apply(config, data, str(path))
        config.validate()
        return config

    def validate(self) -> None:
        if self.idle.countdown_s < MIN_COUNTDOWN_S:
            log.warning(
                "idle.countdown_s %.0f is below WCAG's 20 s; using 20", self.idle.countdown_s
            )
            self.idle.countdown_s = MIN_COUNTDOWN_S
        unknown = [lang for lang in self.languages if lang not in LANGUAGES]
        if unknown:
            log.warning("languages %s have no string tables; ignored", unknown)
        self.languages = [lang for lang in self.languages if lang in LANGUAGES] or list(LANGUAGES)
        if self.orientation not in ORIENTATIONS:
            log.warning(
                "orientation %r is not one of %s; using auto (the screen's shape)",
                self.orientation,
                ", ".join(ORIENTATIONS),
            )
            self.orientation = "auto"
        self.audio.volume = min(max(float(self.audio.volume), 0.0), 1.0)
        self.prizes.validate()


def _apply(target: Any, data: dict[str, Any], where: str) -> None:
    known = {f.name: f for f in fields(target)}
    for key, value in data.items():
        if key not in known:
            log.warning("%s: unknown key %r ignored", where, key)
            continue
        current = getattr(target, key)
        if hasattr(current, "__dataclass_fields__"):
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: [{key}] must be a table")
            _apply(current, value, f"{where} [{key}]")
        else:
            setattr(target, key, type(current)(value) if current is not None else value)
