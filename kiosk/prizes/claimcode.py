"""Claim codes: the signed, compact text behind every prize QR.

A claim code is a bit-packed payload, an Ed25519 signature over it and a two-byte check,
written in RFC 4648 base32 (A–Z, 2–7, no padding). Base32 stays inside the QR code's
alphanumeric character set, so with an uppercase claim URL the whole link is encoded in the
compact alphanumeric mode and the symbol stays at version 7 or below.

Format version 1, most significant bit first::

    version   4 bits   1
    language  4 bits   index into CODE_LANGUAGES (0 en, 1 zh-HK)
    event    16 bits   event id from the config; the claim server accepts only its own
    key id   16 bits   first 16 bits of SHA-256 of the raw public key
    day      16 bits   issue date (event local time) as days since 2024-01-01
    serial   24 bits   per-kiosk serial, allocated by the kiosk's database
    nonce    32 bits   random
    kiosk    4 + 6n    length n (1–15), then n characters of TEXT_ALPHABET
    tier     4 + 6n    the same, for the prize tier id
    zero bits to the next byte
    then the 64-byte signature over SIGNING_CONTEXT + payload,
    then the first 2 bytes of SHA-256 over everything before them.

With kiosk ``K07`` and tier ``silver`` that is 22 + 64 + 2 = 88 bytes, 141 characters.

The check is not a security feature (anyone can recompute it); it lets the desk tell a
mistyped or altered code ("bad signature") from a well-formed code signed with some other
key ("another event's key" or a kiosk still on a development key). Only the signature makes
a code genuine, and only the claim server's UNIQUE redemption record stops a second claim.

This module has no pygame and no database: the kiosk, the claim server and the command line
all use it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from kiosk.prizes import qr

FORMAT_VERSION = 1
EPOCH = date(2024, 1, 1)
CODE_LANGUAGES: tuple[str, ...] = ("en", "zh-HK")  # fixed order: part of the format
TEXT_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
SIGNING_CONTEXT = b"smartizen-park/claim/v1\x00"  # this key signs nothing else by accident
SIGNATURE_BYTES = 64
CHECK_BYTES = 2
MAX_SERIAL = 2**24 - 1
MAX_TEXT = 15

# What a person may type at the desk: no 0/O, no 1/I (DESIGN.md, "Prize codes").
DESK_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
DESK_CHECK_CHARS = 4

# QR: claim links are encoded by kiosk/prizes/qr.py (fixed mask, at most version 7).
QR_MAX_VERSION = qr.CLAIM_MAX_VERSION
QR_ALPHANUMERIC = qr.ALPHANUMERIC

REASONS = ("malformed", "bad_signature", "wrong_key", "expired", "collected")


class CodeRejected(Exception):
    """A code that cannot be honoured; ``reason`` is one of :data:`REASONS`, ``detail`` is
    for staff only (visitors see "not a valid code" and nothing more)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Claim:
    """What a claim code says, once its signature has been checked."""

    event: int
    key_id: int
    kiosk: str
    serial: int
    tier: str
    issued: date
    lang: str
    nonce: int
    version: int = FORMAT_VERSION

    @property
    def ref(self) -> str:
        """The short reference printed under the QR, e.g. ``K07-0153``."""
        return short_ref(self.kiosk, self.serial)

    def last_day(self, claim_days: int) -> date:
        """The last local date on which the prize can be collected."""
        return self.issued + timedelta(days=max(1, claim_days) - 1)


@dataclass(frozen=True)
class Parsed:
    """A code split into its parts; ``claim`` is unverified until :func:`verify` says so."""

    text: str
    claim: Claim
    payload: bytes = field(repr=False)
    signature: bytes = field(repr=False)


def short_ref(kiosk: str, serial: int) -> str:
    return f"{kiosk}-{serial:04d}"


def key_id(public_key: Ed25519PublicKey) -> int:
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return int.from_bytes(hashlib.sha256(raw).digest()[:2], "big")


def format_key_id(kid: int) -> str:
    return f"{kid:04X}"


# -- bits -------------------------------------------------------------------------------------
class _Bits:
    def __init__(self, data: bytes = b"") -> None:
        self.value = int.from_bytes(data, "big") if data else 0
        self.length = len(data) * 8
        self.pos = 0

    def put(self, value: int, bits: int) -> None:
        if not 0 <= value < (1 << bits):
            raise ValueError(f"{value} does not fit in {bits} bits")
        self.value = (self.value << bits) | value
        self.length += bits

    def put_text(self, text: str, what: str) -> None:
        if not 1 <= len(text) <= MAX_TEXT or any(c not in TEXT_ALPHABET for c in text):
            raise ValueError(f"{what} {text!r} must be 1–{MAX_TEXT} characters of A–Z a–z 0–9 - _")
        self.put(len(text), 4)
        for c in text:
            self.put(TEXT_ALPHABET.index(c), 6)

    def to_bytes(self) -> bytes:
        pad = -self.length % 8
        return (self.value << pad).to_bytes((self.length + pad) // 8, "big")

    def take(self, bits: int) -> int:
        if self.pos + bits > self.length:
            raise ValueError("payload too short")
        shift = self.length - self.pos - bits
        self.pos += bits
        return (self.value >> shift) & ((1 << bits) - 1)

    def take_text(self) -> str:
        n = self.take(4)
        if n == 0:
            raise ValueError("empty text field")
        return "".join(TEXT_ALPHABET[self.take(6)] for _ in range(n))


def pack(claim: Claim) -> bytes:
    """The payload bytes of ``claim`` (what gets signed)."""
    days = (claim.issued - EPOCH).days
    if not 0 <= days < 1 << 16:
        raise ValueError(
            f"issue date {claim.issued} is outside what a claim code can carry "
            f"({EPOCH} to {EPOCH + timedelta(days=(1 << 16) - 1)}): is the kiosk's clock set?"
        )
    if claim.lang not in CODE_LANGUAGES:
        raise ValueError(f"language {claim.lang!r} has no code; known: {CODE_LANGUAGES}")
    if not 0 < claim.serial <= MAX_SERIAL:
        raise ValueError(f"serial {claim.serial} outside 1–{MAX_SERIAL}")
    bits = _Bits()
    bits.put(claim.version, 4)
    bits.put(CODE_LANGUAGES.index(claim.lang), 4)
    bits.put(claim.event, 16)
    bits.put(claim.key_id, 16)
    bits.put(days, 16)
    bits.put(claim.serial, 24)
    bits.put(claim.nonce, 32)
    bits.put_text(claim.kiosk, "kiosk id")
    bits.put_text(claim.tier, "tier id")
    return bits.to_bytes()


def unpack(payload: bytes) -> Claim:
    """Read a payload; ``ValueError`` if it is not a well-formed version-1 payload."""
    bits = _Bits(payload)
    version = bits.take(4)
    if version != FORMAT_VERSION:
        raise ValueError(f"unknown format version {version}")
    lang_index = bits.take(4)
    if lang_index >= len(CODE_LANGUAGES):
        raise ValueError(f"unknown language index {lang_index}")
    event, kid, days, serial, nonce = (bits.take(n) for n in (16, 16, 16, 24, 32))
    kiosk = bits.take_text()
    tier = bits.take_text()
    rest = bits.length - bits.pos
    if rest >= 8 or bits.take(rest) != 0:
        raise ValueError("trailing bits after the payload")
    if serial == 0:
        raise ValueError("serial 0")
    return Claim(
        event=event,
        key_id=kid,
        kiosk=kiosk,
        serial=serial,
        tier=tier,
        issued=EPOCH + timedelta(days=days),
        lang=CODE_LANGUAGES[lang_index],
        nonce=nonce,
        version=version,
    )


def _check(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()[:CHECK_BYTES]


def _b32(data: bytes) -> str:
    return base64.b32encode(data).decode("ascii").rstrip("=")


def sign(claim: Claim, private_key: Ed25519PrivateKey) -> str:
    """The claim code text for ``claim``, signed with ``private_key``."""
    if claim.key_id != key_id(private_key.public_key()):
        raise ValueError("claim.key_id does not belong to this private key")
    payload = pack(claim)
    blob = payload + private_key.sign(SIGNING_CONTEXT + payload)
    return _b32(blob + _check(blob))


# -- reading what a scanner or a person hands us ------------------------------------------------
def extract(text: str) -> str:
    """The code inside a scanned URL or a bare code: last path segment, uppercased."""
    text = text.strip()
    text = text.split("?", 1)[0].split("#", 1)[0].rstrip("/")
    return text.rsplit("/", 1)[-1].strip().upper().rstrip("=")


def parse(text: str) -> Parsed:
    """Split a code (or a URL ending in one) into payload and signature.

    :raises CodeRejected: ``malformed`` (not a claim code at all) or ``bad_signature``
        (well-formed base32 whose check fails: a changed, missing or extra character)
    """
    code = extract(text)
    if not code or not re.fullmatch(r"[A-Z2-7]+", code):
        raise CodeRejected("malformed", "not a claim code (unexpected characters)")
    try:
        blob = base64.b32decode(code + "=" * (-len(code) % 8))
    except (binascii.Error, ValueError):
        raise CodeRejected("malformed", "not a claim code (length)") from None
    if _b32(blob) != code:  # unused low bits set: a changed last character
        raise CodeRejected("bad_signature", "the code was altered (last character)")
    if len(blob) < 16 + SIGNATURE_BYTES + CHECK_BYTES:
        raise CodeRejected("malformed", "not a claim code (too short)")
    body, check = blob[:-CHECK_BYTES], blob[-CHECK_BYTES:]
    if _check(body) != check:
        raise CodeRejected("bad_signature", "signature does not match: altered or forged")
    payload, signature = body[:-SIGNATURE_BYTES], body[-SIGNATURE_BYTES:]
    try:
        claim = unpack(payload)
    except ValueError as exc:
        raise CodeRejected("malformed", f"not a claim code ({exc})") from None
    return Parsed(text=code, claim=claim, payload=payload, signature=signature)


def verify(text: str, public_key: Ed25519PublicKey, event: int) -> Parsed:
    """A genuine code for ``event`` signed with ``public_key``, or :class:`CodeRejected`.

    Reasons, in the order they are decided: ``malformed``, ``bad_signature`` (any changed
    character), ``wrong_key`` (another event, or another key such as a development key),
    ``bad_signature`` (a forgery that kept the format). Expiry and redemption are the claim
    server's business, not the code's.
    """
    parsed = parse(text)
    claim = parsed.claim
    if claim.event != event:
        raise CodeRejected(
            "wrong_key", f"a code of event {claim.event}; this desk serves event {event}"
        )
    ours = key_id(public_key)
    if claim.key_id != ours:
        raise CodeRejected(
            "wrong_key",
            f"signed with key {format_key_id(claim.key_id)}, not this event's key "
            f"{format_key_id(ours)} (is kiosk {claim.kiosk} still on a development key?)",
        )
    try:
        public_key.verify(parsed.signature, SIGNING_CONTEXT + parsed.payload)
    except InvalidSignature:
        raise CodeRejected("bad_signature", "signature does not match: forged") from None
    return parsed


# -- what people type ---------------------------------------------------------------------------
@lru_cache(maxsize=4096)
def desk_code(code: str) -> str:
    """The code a person can type at the desk: ``K07-0153-7KQ4``.

    The reference, plus four characters of a hash of the whole signed code from an alphabet
    without look-alikes. It resolves only to a genuine code the claim server has already
    verified (when the visitor's phone opened the link), so it cannot be forged by guessing:
    the four characters appear on the visitor's phone, never on the kiosk screen.
    """
    parsed = parse(code)
    digest = int.from_bytes(hashlib.sha256(b"desk:" + parsed.text.encode()).digest()[:4], "big")
    check = "".join(DESK_ALPHABET[(digest >> (5 * i)) & 31] for i in range(DESK_CHECK_CHARS))
    return f"{parsed.claim.ref}-{check}"


def desk_key(typed: str) -> str:
    """A typed desk code folded for lookup: case, spaces, dashes and look-alikes ignored."""
    folded = re.sub(r"[\s\-_]", "", typed.upper())
    return folded.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))


def looks_like_desk_code(text: str) -> bool:
    """True for typed short codes (``K07-0153-7KQ4``), false for scanned URLs and codes."""
    text = text.strip()
    return bool(text) and "/" not in text and len(desk_key(text)) <= 2 * MAX_TEXT + 12


# -- links and QR symbols ------------------------------------------------------------------------
def claim_link(claim_url: str, code: str) -> str:
    """The URL in the QR: the claim URL (uppercased, so the symbol stays alphanumeric)."""
    return normalise_claim_url(claim_url) + code


def normalise_claim_url(claim_url: str) -> str:
    url = claim_url.strip().upper()
    return url if url.endswith("/") else url + "/"


def qr_version(link: str) -> int:
    """The QR version a claim link's symbol has (:func:`kiosk.prizes.qr.claim_matrix`)."""
    return qr.qr_version(qr.claim_matrix(link))


def code_length(kiosk: str, tier: str) -> int:
    """Characters in a code for this kiosk id and tier id (nonce, serial and date are fixed
    width), so a configuration can be checked against the QR budget before any visitor."""
    bits = 4 + 4 + 16 + 16 + 16 + 24 + 32 + (4 + 6 * len(kiosk)) + (4 + 6 * len(tier))
    total = (bits + 7) // 8 + SIGNATURE_BYTES + CHECK_BYTES
    return (total * 8 + 4) // 5


def max_claim_url_length(kiosk: str, tiers: list[str]) -> int:
    """The longest claim URL that keeps every code of this kiosk within QR version 7 at M
    in alphanumeric mode (178 characters)."""
    return qr.ALNUM_CAPACITY_M[QR_MAX_VERSION - 1] - max(code_length(kiosk, t) for t in tiers)
