"""Blending numbers and colours: where a moving thing is, and a colour between two.

The games slide cards, fade marks and darken or lighten a base colour for edges and
highlights; they all use these few functions so that motion feels and colours shift the
same way everywhere in the kiosk.
"""

from __future__ import annotations

from kiosk.ui.theme import RGB


def lerp(a: float, b: float, f: float) -> float:
    """The value a fraction ``f`` of the way from ``a`` to ``b``."""
    return a + (b - a) * f


def ease(f: float) -> float:
    """Ease-out cubic on 0–1 (clamped): quick to start, gentle to land, as a finger moves."""
    f = min(1.0, max(0.0, f))
    return 1 - (1 - f) ** 3


def mix(a: RGB, b: RGB, f: float) -> RGB:
    """The colour a fraction ``f`` of the way from ``a`` to ``b``."""
    return (round(lerp(a[0], b[0], f)), round(lerp(a[1], b[1], f)), round(lerp(a[2], b[2], f)))


def shade(c: RGB, f: float) -> RGB:
    """``f`` < 1 darkens towards black, ``f`` > 1 lightens towards white (2 is white)."""
    if f <= 1:
        return (round(c[0] * f), round(c[1] * f), round(c[2] * f))
    return mix(c, (255, 255, 255), min(1.0, f - 1))
