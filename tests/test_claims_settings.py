"""claims.toml: every key typed and range-checked; the server refuses a bad one in one line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk import ROOT
from kiosk.claims.settings import ClaimsSettings, SettingsError
from kiosk.pin import hash_pin

PIN_HASH = hash_pin("135790", iterations=1000)

# Each mistake the reliability issue found, the key and value the message must quote and the
# words saying what is allowed.
MISTAKES = [
    ("port = 70000", "port = 70000", "1 to 65535"),
    ("port = 0", "port = 0", "1 to 65535"),
    ('port = "eighty"', 'port = "eighty"', "1 to 65535"),
    ("threads = 0", "threads = 0", "1 to 64"),
    ("lockout_minutes = 0", "lockout_minutes = 0", "1 to 1440 minutes"),
    ("session_minutes = -1", "session_minutes = -1", "1 to 1440 minutes"),
    ("max_pin_failures = 0", "max_pin_failures = 0", "1 to 100"),
    ("claim_days = 0", "claim_days = 0", "1 to 100000 days"),
    ("event_id = 70000", "event_id = 70000", "0 to 65535"),
    ('pin_hash = "1234"', 'pin_hash = "1234"', "smartizen staff hash-pin"),
    ('desk_name = "Desk\\r\\nforged"', "desk_name", "one line"),
    ("cookie_secure = 2", "cookie_secure = 2", "true or false"),
    ('claim_url = "HTTPS://CLAIM.EXAMPLE.HK"', "claim_url", "with a path"),
    ("portt = 8080", "unknown key portt", "known here: event_id"),
    ('[desk]\nfr = "ici"', 'desk cannot have the key "fr"', "'en' or 'zh-HK'"),
]


@pytest.mark.parametrize(("text", "named", "allowed"), MISTAKES)
def test_a_mistake_is_one_line_naming_key_value_and_what_is_allowed(
    tmp_path: Path, text: str, named: str, allowed: str
) -> None:
    path = tmp_path / "claims.toml"
    path.write_text(text + "\n", encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        ClaimsSettings.load(path)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"{path}: ")
    assert named in message and allowed in message


def test_valid_settings_load_and_normalise_the_claim_url(tmp_path: Path) -> None:
    path = tmp_path / "claims.toml"
    path.write_text(
        f'port = 8443\nthreads = 8\npin_hash = "{PIN_HASH}"\nclaim_url = "https://c.hk/c"\n'
        'cookie_secure = "yes"\n[desk]\nen = "Hall 3"\n',
        encoding="utf-8",
    )
    settings = ClaimsSettings.load(path)
    assert (settings.port, settings.threads, settings.cookie_secure) == (8443, 8, True)
    assert settings.claim_url == "HTTPS://C.HK/C/" and settings.claim_path == "/C/"
    assert settings.desk == {"en": "Hall 3"}


def test_settings_changed_in_code_are_checked_by_validate() -> None:
    settings = ClaimsSettings()
    settings.validate()
    settings.threads = 0
    with pytest.raises(SettingsError, match="threads = 0"):
        settings.validate()


def serve(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "serve-claims", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("port = 70000\n", "port = 70000: allowed is a whole number 1 to 65535"),
        ("threads = 0\n", "threads = 0: allowed is a whole number 1 to 64"),
        ("lockout_minutes = 0\n", "lockout_minutes = 0"),
        (f'pin_hash = "{PIN_HASH}"\ndatabase = "gone/claims.db"\n', "does not exist"),
    ],
)
def test_the_server_refuses_bad_settings_in_one_line(
    tmp_path: Path, text: str, expected: str
) -> None:
    (tmp_path / "claims.toml").write_text(text, encoding="utf-8")
    proc = serve("--config", "claims.toml", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("Error: ")
    assert expected in proc.stderr
    assert not (tmp_path / "gone").exists()
