"""QR codes as inline SVG, built on the server from the module matrix of kiosk/prizes/qr.py
(no JavaScript, no Pillow). One ``<path>`` of horizontal runs keeps a version-7 symbol near
4 KB; results are cached because phones reload the page."""

from __future__ import annotations

from functools import lru_cache
from html import escape

from kiosk.prizes import qr


def _matrix(data: str) -> qr.Matrix:
    try:
        return qr.claim_matrix(data)
    except ValueError:  # longer than version 7: still a code, just a denser one
        return qr.qr_matrix(data)


@lru_cache(maxsize=4096)
def qr_svg(data: str, label: str = "QR code") -> str:
    """Each row's dark runs as strokes one module thick along the row's centre line, moving
    relatively between runs: about half the bytes of one filled rectangle per run, which
    every claim page sends."""
    matrix = _matrix(data)
    n = len(matrix)
    rows = []
    for y, row in enumerate(matrix):
        path, end, x = [], 0, 0
        while x < n:
            if row[x]:
                start = x
                while x < n and row[x]:
                    x += 1
                path.append(
                    f"m{start - end} 0h{x - start}" if path else f"M{start} {y}.5h{x - start}"
                )
                end = x
            else:
                x += 1
        rows.append("".join(path))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {n} {n}" '
        f'shape-rendering="crispEdges" role="img" aria-label="{escape(label)}">'
        f'<rect width="{n}" height="{n}" fill="#fff"/>'
        f'<path fill="none" stroke="#000" d="{"".join(rows)}"/></svg>'
    )
