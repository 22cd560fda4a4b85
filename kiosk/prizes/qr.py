"""The one QR builder: a payload's modules as a matrix of booleans, quiet zone included.

pygame-free, so the booth draws its surfaces from it (kiosk/ui/qr.py) and the claim server
its SVG (kiosk/claims/qrsvg.py). Error correction is always M. qrcode's automatic mask
search is its slow part: claim links pass a fixed mask (every mask is valid, and base32
data looks random enough for any of them) and a version budget (DESIGN.md, "qrcode's mask
search").
"""

from __future__ import annotations

import qrcode
from qrcode.constants import ERROR_CORRECT_M

Matrix = list[list[bool]]

QUIET_ZONE = 4  # modules of white border the QR standard requires around the symbol
ALPHANUMERIC = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
ALNUM_CAPACITY_M = (20, 38, 61, 90, 122, 154, 178)  # alphanumeric characters, versions 1–7

# Claim links: at most version 7 (a phone reads it from arm's length), a fixed mask.
CLAIM_MAX_VERSION = 7
CLAIM_MASK = 4


def qr_matrix(data: str, *, mask: int | None = None, max_version: int | None = None) -> Matrix:
    """The modules of ``data`` at error correction M.

    ``mask``: a fixed mask pattern (0–7) instead of qrcode's search. ``max_version``: the
    largest symbol allowed; within the capacity table, an alphanumeric payload (an uppercase
    claim link) then gets its version from the table as one segment, with no trial fits.

    :raises ValueError: the data needs a symbol above ``max_version``
    """
    if (
        max_version is not None
        and max_version <= len(ALNUM_CAPACITY_M)
        and set(data) <= ALPHANUMERIC
    ):
        caps = ALNUM_CAPACITY_M[:max_version]
        version = next((v for v, cap in enumerate(caps, 1) if len(data) <= cap), None)
        if version is None:
            raise ValueError(f"{len(data)} characters need QR version {max_version + 1}+")
        code = qrcode.QRCode(
            version=version,
            error_correction=ERROR_CORRECT_M,
            border=QUIET_ZONE,
            mask_pattern=mask,
        )
        code.add_data(data, optimize=0)  # one alphanumeric segment
        code.make(fit=False)
        return code.get_matrix()
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE, mask_pattern=mask)
    code.add_data(data)
    code.make(fit=True)
    if max_version is not None and code.version > max_version:
        raise ValueError(f"{len(data)} characters need QR version {code.version}")
    return code.get_matrix()


def claim_matrix(link: str) -> Matrix:
    """A claim link's modules: the fixed mask (milliseconds, not the search), version ≤ 7.

    :raises ValueError: the link needs a symbol above :data:`CLAIM_MAX_VERSION`
    """
    return qr_matrix(link, mask=CLAIM_MASK, max_version=CLAIM_MAX_VERSION)


def qr_version(matrix: Matrix) -> int:
    """The symbol version (1–40) a matrix from :func:`qr_matrix` has."""
    return (len(matrix) - 2 * QUIET_ZONE - 17) // 4
