"""Claim codes: the payload format, Ed25519 signing, and every way a code is refused."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import replace
from datetime import date

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.prizes import claimcode, qr
from kiosk.prizes.claimcode import Claim, CodeRejected

URL = "HTTPS://CLAIM.EXAMPLE.HK/C/"
B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def fixed_key(seed: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(seed.encode()).digest())


KEY = fixed_key("event 2026")
OTHER_KEY = fixed_key("someone else")


def a_claim(key: Ed25519PrivateKey = KEY, **kw) -> Claim:
    values = {
        "event": 2026,
        "key_id": claimcode.key_id(key.public_key()),
        "kiosk": "K07",
        "serial": 153,
        "tier": "silver",
        "issued": date(2026, 7, 18),
        "lang": "zh-HK",
        "nonce": 0xC0FFEE42,
    }
    values.update(kw)
    return Claim(**values)


CODE = claimcode.sign(a_claim(), KEY)


def reason(text: str, key: Ed25519PrivateKey = KEY, event: int = 2026) -> str:
    with pytest.raises(CodeRejected) as info:
        claimcode.verify(text, key.public_key(), event)
    return info.value.reason


def test_sign_then_verify_gives_back_every_field() -> None:
    parsed = claimcode.verify(CODE, KEY.public_key(), 2026)
    assert parsed.claim == a_claim()
    assert parsed.claim.ref == "K07-0153"
    assert parsed.text == CODE


def test_code_is_compact_base32_in_the_qr_alphanumeric_set() -> None:
    assert len(CODE) == 141 == claimcode.code_length("K07", "silver")
    assert set(CODE) <= set(B32)
    link = claimcode.claim_link(URL, CODE)
    assert set(link) <= claimcode.QR_ALPHANUMERIC
    assert len(link) == 168


@pytest.mark.parametrize("tier", ["gold", "silver", "thanks"])
def test_the_link_fits_qr_version_7_at_m(tier: str) -> None:
    code = claimcode.sign(a_claim(tier=tier, serial=claimcode.MAX_SERIAL), KEY)
    assert len(code) == claimcode.code_length("K07", tier)
    assert claimcode.qr_version(claimcode.claim_link(URL, code)) == 7


def test_a_too_long_claim_url_is_caught_before_any_visitor() -> None:
    budget = claimcode.max_claim_url_length("K07", ["gold", "silver", "thanks"])
    assert budget == 37
    too_long = "HTTPS://" + "X" * (budget - 10) + ".HK/C/"
    with pytest.raises(ValueError, match="version 8"):
        qr.claim_matrix(too_long + CODE)


def test_signing_is_deterministic_and_the_nonce_makes_codes_unique() -> None:
    assert claimcode.sign(a_claim(), KEY) == CODE
    assert claimcode.sign(a_claim(nonce=1), KEY) != CODE


@pytest.mark.parametrize("position", range(len(CODE)))
def test_changing_any_character_is_a_bad_signature(position: int) -> None:
    for replacement in {B32[(B32.index(CODE[position]) + step) % 32] for step in (1, 13, 31)}:
        tampered = CODE[:position] + replacement + CODE[position + 1 :]
        assert reason(tampered) == "bad_signature", (position, replacement)


def test_dropped_or_extra_characters_are_refused() -> None:
    for tampered in (CODE[:-1], CODE[1:], CODE + "A", "A" + CODE, CODE[:70] + CODE[71:]):
        assert reason(tampered) in ("bad_signature", "malformed")


def test_characters_outside_base32_are_malformed() -> None:
    for bad in ("0", "1", "8", "9", "!", "é"):
        assert reason(CODE[:10] + bad + CODE[11:]) == "malformed"
    assert reason("") == "malformed"
    assert reason("HELLO") == "malformed"
    assert reason("https://claim.example.hk/C/") == "malformed"


def test_a_code_signed_with_another_key_names_the_key() -> None:
    other = claimcode.sign(a_claim(OTHER_KEY), OTHER_KEY)
    with pytest.raises(CodeRejected) as info:
        claimcode.verify(other, KEY.public_key(), 2026)
    assert info.value.reason == "wrong_key"
    assert claimcode.format_key_id(claimcode.key_id(OTHER_KEY.public_key())) in info.value.detail


def test_a_code_of_another_event_is_the_wrong_key() -> None:
    code_2025 = claimcode.sign(a_claim(event=2025), KEY)
    assert reason(code_2025) == "wrong_key"
    assert reason(CODE, event=2027) == "wrong_key"


def test_a_forgery_that_claims_our_key_id_fails_the_signature() -> None:
    """A forger can copy our key id and recompute the check, but not sign."""
    payload = claimcode.pack(a_claim(tier="gold"))
    body = payload + OTHER_KEY.sign(claimcode.SIGNING_CONTEXT + payload)
    forged = base64.b32encode(body + hashlib.sha256(body).digest()[:2]).decode().rstrip("=")
    assert reason(forged) == "bad_signature"


def test_signing_refuses_a_key_id_that_is_not_the_keys() -> None:
    with pytest.raises(ValueError, match="key_id"):
        claimcode.sign(a_claim(), OTHER_KEY)


def test_urls_in_any_case_and_with_noise_verify() -> None:
    for text in (
        URL + CODE,
        (URL + CODE).lower(),
        f"  {URL}{CODE}\n",
        f"{URL}{CODE}?utm=x",
        f"{URL}{CODE}/",
    ):
        assert claimcode.verify(text, KEY.public_key(), 2026).text == CODE


def test_payload_limits_are_enforced() -> None:
    with pytest.raises(ValueError, match="kiosk id"):
        claimcode.pack(a_claim(kiosk="K" * 16))
    with pytest.raises(ValueError, match="kiosk id"):
        claimcode.pack(a_claim(kiosk="K 7"))
    with pytest.raises(ValueError, match="serial"):
        claimcode.pack(a_claim(serial=0))
    with pytest.raises(ValueError, match="language"):
        claimcode.pack(a_claim(lang="fr"))
    assert claimcode.unpack(claimcode.pack(a_claim(kiosk="kiosk-a_1"))).kiosk == "kiosk-a_1"


def test_expiry_is_counted_in_days_including_the_day_of_issue() -> None:
    claim = a_claim()
    assert claim.last_day(1) == date(2026, 7, 18)
    assert claim.last_day(3) == date(2026, 7, 20)


def test_desk_code_is_the_reference_plus_unambiguous_characters() -> None:
    desk = claimcode.desk_code(CODE)
    ref, check = desk.rsplit("-", 1)
    assert ref == "K07-0153"
    assert len(check) == 4 and set(check) <= set(claimcode.DESK_ALPHABET)
    assert not set(claimcode.DESK_ALPHABET) & set("01OI")
    other = claimcode.desk_code(claimcode.sign(replace(a_claim(), nonce=7), KEY))
    assert other != desk and other.startswith("K07-0153-")


def test_typed_desk_codes_fold_case_spaces_and_look_alikes() -> None:
    key = claimcode.desk_key("K07-0153-7E72")
    for typed in ("k07-0153-7e72", "K07 0153 7E72", "KO7-O153-7E72", "k070153 7e72"):
        assert claimcode.desk_key(typed) == key
    assert claimcode.looks_like_desk_code("K07-0153-7E72")
    assert not claimcode.looks_like_desk_code(URL + CODE)
    assert not claimcode.looks_like_desk_code(CODE)
