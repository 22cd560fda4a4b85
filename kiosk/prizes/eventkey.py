"""Event keys: the Ed25519 pair that signs claim codes, kept as files.

Kiosks hold the private key (PEM, PKCS#8, file mode 0600) at ``[prizes] key_file``; the claim
server and the staff tools need only the public key, a PEM file beside it with the suffix
``.pub``. Neither key ever goes into a database, a log or the repository.

``smartizen keys new`` makes an event pair. A kiosk that finds no key at its configured path
makes a *development* pair there instead (see :func:`load_or_create`): the private key file
starts with :data:`DEV_MARKER`, so every later start can still say that it is one.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import secrets
import stat
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
    load_pem_private_key,
    load_pem_public_key,
)

from kiosk.prizes.claimcode import format_key_id, key_id

log = logging.getLogger(__name__)

DEV_MARKER = "# SMARTIZEN PARK DEVELOPMENT KEY"


class KeyFileError(Exception):
    """A key file is missing, unreadable or not an Ed25519 key; the message says which."""


def public_path(private_path: str | Path) -> Path:
    """``event.key`` → ``event.pub`` (``event`` → ``event.pub``)."""
    path = Path(private_path)
    return path.with_suffix(".pub") if path.suffix else path.with_name(path.name + ".pub")


def fingerprint(public_key: Ed25519PublicKey) -> str:
    """SHA-256 of the raw public key, first 16 hex digits in groups; the first group is the
    key id that every claim code carries."""
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    digest = hashlib.sha256(raw).hexdigest().upper()[:16]
    return " ".join(digest[i : i + 4] for i in range(0, 16, 4))


@dataclass(frozen=True)
class SigningKey:
    private: Ed25519PrivateKey
    path: Path
    development: bool

    @property
    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()

    @property
    def key_id(self) -> int:
        return key_id(self.public)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public)


def _pem_private(key: Ed25519PrivateKey, development: bool) -> bytes:
    pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    if not development:
        return pem
    made = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    note = (
        f"{DEV_MARKER}, made by a kiosk on {made}.\n"
        "# Claim servers of a real event reject its codes. Replace this file with the\n"
        "# event's key from `smartizen keys new` (keep the mode 0600).\n"
    )
    return note.encode() + pem


def _pem_public(key: Ed25519PublicKey, development: bool = False) -> bytes:
    pem = key.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    if not development:
        return pem
    return f"{DEV_MARKER} (public half): trust it only for testing.\n".encode() + pem


def _write_private(path: Path, data: bytes, replace: bool) -> bool:
    """Write ``data`` to ``path`` with mode 0600 from the first byte; never a partial file.

    Returns False (writing nothing) if the file exists and ``replace`` is false, which is how
    two processes creating a development key at once end up sharing one.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if replace:
            os.replace(tmp, path)
            return True
        try:
            os.link(tmp, path)  # atomic "create if absent"
        except FileExistsError:
            return False
        return True
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _write_public(path: Path, key: Ed25519PublicKey, development: bool = False) -> None:
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    tmp.write_bytes(_pem_public(key, development))
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def generate(path: str | Path, *, development: bool = False, force: bool = False) -> SigningKey:
    """Make a key pair: the private key at ``path`` (0600) and the public key beside it.

    :raises FileExistsError: ``path`` exists and ``force`` is false
    """
    path = Path(path)
    key = Ed25519PrivateKey.generate()
    if not _write_private(path, _pem_private(key, development), replace=force):
        raise FileExistsError(f"{path} exists; not overwriting an event key")
    _write_public(public_path(path), key.public_key(), development)
    return SigningKey(key, path, development)


def _read_key_file(path: Path, what: str) -> bytes:
    """The file's bytes, or a KeyFileError naming the file and why it cannot be read."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise KeyFileError(f"no {what} at {path}") from None
    except OSError as exc:
        raise KeyFileError(f"cannot read {what} {path}: {exc.strerror}") from None


def load_private(path: str | Path) -> SigningKey:
    """Read a private key file; too-open permissions are fixed to 0600 with a warning."""
    path = Path(path)
    data = _read_key_file(path, "key file")
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        log.warning(
            "key file %s had mode %o; setting 0600 (only its owner may read it)", path, mode
        )
        with contextlib.suppress(OSError):
            os.chmod(path, 0o600)
    try:
        key = load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise KeyFileError(f"{path} is not a readable private key ({exc})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{path} is not an Ed25519 private key")
    return SigningKey(key, path, data.startswith(DEV_MARKER.encode()))


def is_development(path: str | Path) -> bool:
    """Whether a key file (either half) is marked as a kiosk-made development key."""
    try:
        with Path(path).open("rb") as f:
            return f.read(len(DEV_MARKER)) == DEV_MARKER.encode()
    except OSError:
        return False


def load_public(path: str | Path) -> Ed25519PublicKey:
    """Read a public key (PEM); a private key file is refused, so it is never copied around."""
    path = Path(path)
    data = _read_key_file(path, "public key file")
    if b"PRIVATE KEY" in data:
        raise KeyFileError(f"{path} holds a private key; give the claim server the .pub file")
    try:
        key = load_pem_public_key(data)
    except ValueError as exc:
        raise KeyFileError(f"{path} is not a readable public key ({exc})") from None
    if not isinstance(key, Ed25519PublicKey):
        raise KeyFileError(f"{path} is not an Ed25519 public key")
    return key


def load_or_create(path: str | Path) -> SigningKey:
    """The kiosk's signing key; a fresh machine without one gets a development pair.

    The decision (docs/claims.md): a kiosk must never keep a visitor from a prize code, so a
    missing key does not stop it. It creates a development pair at the configured path
    (private 0600, marked with :data:`DEV_MARKER`, public key beside it) and says so in the
    log at every start. A real event's claim server trusts only the event's public key, so
    development codes are rejected there with "signed with key XXXX, not this event's key".
    """
    path = Path(path)
    try:
        key = load_private(path)
    except KeyFileError:
        if path.exists():
            raise  # there is a file but it is broken: never overwrite what may be the real key
        try:
            key = generate(path, development=True)
            log.warning(
                "no event key at %s: created a DEVELOPMENT key pair there (key id %s). Claim "
                "codes from this kiosk will be rejected at a real event; install the event's "
                "key (`smartizen keys new` on the organiser's machine) before opening.",
                path,
                format_key_id(key.key_id),
            )
            return key
        except FileExistsError:
            key = load_private(path)  # another process made it a moment ago
    if key.development:
        log.warning(
            "signing prize codes with the DEVELOPMENT key %s (key id %s); not for an event",
            path,
            format_key_id(key.key_id),
        )
    else:
        log.info("signing prize codes with %s (key id %s)", path, format_key_id(key.key_id))
    if not public_path(path).exists():
        with contextlib.suppress(OSError):
            _write_public(public_path(path), key.public, key.development)
    return key
