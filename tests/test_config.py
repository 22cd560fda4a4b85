"""kiosk.toml: documented, every key typed and range-checked, every mistake one clear line."""

from __future__ import annotations

import tomllib
from dataclasses import asdict
from pathlib import Path

import pytest

from kiosk import ROOT
from kiosk.config import Config, ConfigError, PrizeTier
from tests.bootkit import launch

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


def load_text(tmp_path: Path, text: str) -> Config:
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return Config.load(path)


def test_countdown_can_never_drop_below_wcag_twenty_seconds(tmp_path: Path) -> None:
    assert load_text(tmp_path, "[idle]\ncountdown_s = 5\n").idle.countdown_s == 20


# Each typo the reliability issue found, the key the message must name and the value it quotes.
TYPOS = [
    ('fps = "sixty"', "fps", '"sixty"', "10 to 240"),
    ("fps = 0", "fps", "0", "10 to 240"),
    ('[idle]\nmenu_s = "thirty"', "idle.menu_s", '"thirty"', "5 to 3600"),
    ("[idle]\nmenu_s = 0", "idle.menu_s", "0", "5 to 3600"),
    ("[idle]\nmenu_s = -5", "idle.menu_s", "-5", "5 to 3600"),
    ("[idle]\nresult_s = -1", "idle.result_s", "-1", "5 to 3600"),
    (
        '[[prizes.tiers]]\nid = "gold"\nmin_score = 80\ndaily_stock = "three"',
        "prizes.tiers[0].daily_stock",
        '"three"',
        "0 to 1000000",
    ),
    ("[prizes]\ntiers = 5", "prizes.tiers", "5", "[[prizes.tiers]]"),
    ('games = "recycle_right"', "games", '"recycle_right"', "list of game ids"),
    ('kiosk_id = "攤位七"', "kiosk_id", '"攤位七"', "1–15 of A–Z"),
    ('kiosk_id = "K' + "0" * 28 + '"', "kiosk_id", "K000", "1–15 of A–Z"),
    ("[prizes]\nevent_id = 70000", "prizes.event_id", "70000", "0 to 65535"),
    ('[staff]\npin_hash = "2468"', "staff.pin_hash", '"2468"', "smartizen staff hash-pin"),
    ('[staff]\npin_hash = "pbkdf2_sha256$x$00$11"', "staff.pin_hash", "pbkdf2", "hash-pin"),
    ('[audio]\nmuted = "maybe"', "audio.muted", '"maybe"', "true or false"),
    ("[audio]\nvolume = 3", "audio.volume", "3", "0.0 to 1.0"),
    ('languages = ["en", "fr"]', "languages[1]", '"fr"', "en, zh-HK"),
    ("languages = []", "languages", "[]", "en, zh-HK"),
    ('claim_url = "https://claim.example.hk/c?id="', "claim_url", "claim.example", "A–Z 0–9"),
    ("utc_offset_hours = 80", "utc_offset_hours", "80", "-12 to 14"),
    ('database = ""', "database", '""', "path"),
    (
        '[[prizes.tiers]]\nid = "gold"\nmin_score = 101\ndaily_stock = 1',
        "prizes.tiers[0].min_score",
        "101",
        "0 to 100",
    ),
]


@pytest.mark.parametrize(("text", "key", "value", "allowed"), TYPOS)
def test_a_typo_is_one_line_naming_the_key_the_value_and_what_is_allowed(
    tmp_path: Path, text: str, key: str, value: str, allowed: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_text(tmp_path, text + "\n")
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{tmp_path / 'kiosk.toml'}: {key} ")
    assert value in message and allowed in message


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('kiosk_idd = "K9"', "kiosk_idd"),
        ("[idle]\nmenu_sec = 30", "idle.menu_sec"),
        ("[audio]\nmute = true", "audio.mute"),
        ('[[prizes.tiers]]\nid = "a"\nmin_score = 1\ndaily_stock = 1\nstock = 2', "tiers[0].stock"),
        ("[sound]\nvolume = 1", "sound"),
    ],
)
def test_an_unknown_key_is_an_error_naming_it_and_the_known_ones(
    tmp_path: Path, text: str, key: str
) -> None:
    with pytest.raises(ConfigError, match="unknown key") as caught:
        load_text(tmp_path, text + "\n")
    assert key in str(caught.value) and "known here:" in str(caught.value)


def test_a_tier_without_its_stock_or_twice_the_same_id_is_named(tmp_path: Path) -> None:
    tier = '[[prizes.tiers]]\nid = "gold"\nmin_score = 80\n'
    with pytest.raises(ConfigError, match=r"prizes\.tiers\[0\]\.daily_stock is missing"):
        load_text(tmp_path, tier)
    with pytest.raises(ConfigError, match="repeated: gold"):
        load_text(tmp_path, (tier + "daily_stock = 1\n") * 2)


@pytest.mark.parametrize(
    ("written", "muted"),
    [("false", False), ('"false"', False), ('"no"', False), ("true", True), ('"yes"', True)],
)
def test_muted_means_what_the_words_say(tmp_path: Path, written: str, muted: bool) -> None:
    assert load_text(tmp_path, f"[audio]\nmuted = {written}\n").audio.muted is muted


def test_tiers_in_code_are_checked_and_kept_best_first() -> None:
    with pytest.raises(ValueError):
        PrizeTier("no spaces", 10, 1)
    config = Config()
    assert [t.id for t in config.prizes.tiers] == ["gold", "silver", "thanks"]


def test_broken_or_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "kiosk.toml"
    bad.write_text("kiosk_id = \n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        Config.load(bad)
    with pytest.raises(ConfigError, match="not found"):
        Config.load(tmp_path / "nope.toml")
    with pytest.raises(ConfigError, match="cannot be read"):
        Config.load(tmp_path)  # a folder


# -- the launcher, as systemd runs it -------------------------------------------------------------
def one_error_line(proc) -> str:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    ours = [line for line in proc.stderr.splitlines() if line.startswith("smartizen kiosk:")]
    assert len(ours) == 1, proc.stderr
    return ours[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('fps = "sixty"\n', 'fps = "sixty": allowed is a whole number 10 to 240'),
        ("[idle]\nmenu_s = 0\n", "idle.menu_s = 0"),
        ("[prizes]\ntiers = 5\n", "prizes.tiers = 5"),
        ('games = ["recycle_rigth"]\n', "no such game"),
        ('claim_url = "HTTPS://CLAIM.EXAMPLE.HK/' + "X" * 30 + '/"\n', "fit the prize QR"),
    ],
)
def test_the_launcher_refuses_a_bad_config_in_one_line(
    tmp_path: Path, text: str, expected: str
) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text(text, encoding="utf-8")
    line = one_error_line(
        launch("--headless", "--config", str(config), "--db", str(tmp_path / "s"))
    )
    assert expected in line


def test_a_database_in_a_missing_folder_is_refused_before_ready(tmp_path: Path) -> None:
    proc = launch("--headless", "--db", str(tmp_path / "gone" / "scores.db"))
    line = one_error_line(proc)
    assert f"the folder {tmp_path / 'gone'} does not exist" in line
    assert "ready" not in proc.stderr
    assert not (tmp_path / "gone").exists()


@pytest.mark.parametrize("value", [10, 44, 121])
def test_the_prize_qr_countdown_stays_long_enough_to_scan_and_short(tmp_path: Path, value) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text(f"[prizes]\nqr_s = {value}\n")
    with pytest.raises(ConfigError, match="qr_s"):
        Config.load(path)
    path.write_text("[prizes]\nqr_s = 60\n")
    assert Config.load(path).prizes.qr_s == 60
