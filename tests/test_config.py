"""kiosk.toml: documented, forgiving of typos, strict about what would harm visitors."""

from __future__ import annotations

import logging
import tomllib
from dataclasses import asdict
from pathlib import Path

import pytest

from kiosk import ROOT
from kiosk.config import Config, ConfigError

EXAMPLE = ROOT / "kiosk.example.toml"


def test_example_documents_every_key_with_the_default_value() -> None:
    with EXAMPLE.open("rb") as f:
        example = tomllib.load(f)
    defaults = asdict(Config())
    assert example == defaults
    for line in EXAMPLE.read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith("#"):
            # each key is preceded by a comment saying what it does
            assert line.split("=")[0].strip()


def test_loading_the_example_gives_the_defaults() -> None:
    assert Config.load(EXAMPLE) == Config()


def test_countdown_can_never_drop_below_wcag_twenty_seconds(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text("[idle]\ncountdown_s = 5\n")
    assert Config.load(path).idle.countdown_s == 20


def test_unknown_keys_are_reported_not_fatal(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text('kiosk_idd = "K9"\nkiosk_id = "K02"\n')
    with caplog.at_level(logging.WARNING):
        config = Config.load(path)
    assert config.kiosk_id == "K02"
    assert "kiosk_idd" in caplog.text


def test_broken_or_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "kiosk.toml"
    bad.write_text("kiosk_id = \n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        Config.load(bad)
    with pytest.raises(ConfigError, match="not found"):
        Config.load(tmp_path / "nope.toml")


@pytest.mark.parametrize("value", [10, 44, 121])
def test_the_prize_qr_countdown_stays_long_enough_to_scan_and_short(tmp_path: Path, value) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text(f"[prizes]\nqr_s = {value}\n")
    with pytest.raises(ConfigError, match="qr_s"):
        Config.load(path)
    path.write_text("[prizes]\nqr_s = 60\n")
    assert Config.load(path).prizes.qr_s == 60
