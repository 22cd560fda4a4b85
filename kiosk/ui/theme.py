"""Colours and sizes of the carnival look, and its high-contrast variant.

Every pair of text colour and background the kiosk draws is listed in ``TEXT_PAIRS`` so a
test can hold each to WCAG's 4.5:1 contrast minimum (7:1 in high contrast).

A visitor may switch on large text and high contrast on the language screen (WCAG 2.2
1.4.6, EN 301 549 8.x/5.1.4): ``use_high_contrast`` rebinds this module's colour names, which
every screen reads when it draws, to a black-ground palette; ``PALETTES`` holds both. The
kiosk switches back for the next visitor.
"""

from __future__ import annotations

RGB = tuple[int, int, int]

NAVY: RGB = (14, 30, 58)
NAVY_LIGHT: RGB = (27, 52, 94)
WHITE: RGB = (255, 255, 255)
MIST: RGB = (206, 219, 238)
SUN: RGB = (255, 200, 40)
MINT: RGB = (64, 214, 170)
CORAL: RGB = (255, 128, 112)
SKY: RGB = (110, 190, 255)
INK: RGB = (14, 30, 58)

BACKGROUND = NAVY
CARD = NAVY_LIGHT
TEXT = WHITE
TEXT_MUTED = MIST
BUTTON = SUN
BUTTON_TEXT = INK
BUTTON_ALT = MINT
BUTTON_ALT_TEXT = INK
BUTTON_QUIET = SKY
GOOD = MINT
BAD = CORAL

# The colour names a palette sets; the semantic ones (BACKGROUND, TEXT …) follow from them.
_BASE = ("NAVY", "NAVY_LIGHT", "WHITE", "MIST", "SUN", "MINT", "CORAL", "SKY", "INK")
PALETTES: dict[str, dict[str, RGB]] = {
    "standard": {name: globals()[name] for name in _BASE},
    # Black ground, near-white text, the same bright accents: every pair ≥ 7:1.
    "high_contrast": {
        "NAVY": (0, 0, 0),
        "NAVY_LIGHT": (26, 26, 26),
        "WHITE": (255, 255, 255),
        "MIST": (235, 235, 235),
        "SUN": (255, 204, 0),
        "MINT": (64, 224, 176),
        "CORAL": (255, 140, 120),
        "SKY": (120, 200, 255),
        "INK": (0, 0, 0),
    },
}


def _semantic(c: dict[str, RGB]) -> dict[str, RGB]:
    return {
        "BACKGROUND": c["NAVY"],
        "CARD": c["NAVY_LIGHT"],
        "TEXT": c["WHITE"],
        "TEXT_MUTED": c["MIST"],
        "BUTTON": c["SUN"],
        "BUTTON_TEXT": c["INK"],
        "BUTTON_ALT": c["MINT"],
        "BUTTON_ALT_TEXT": c["INK"],
        "BUTTON_QUIET": c["SKY"],
        "GOOD": c["MINT"],
        "BAD": c["CORAL"],
    }


def text_pairs(palette: str) -> dict[str, tuple[RGB, RGB]]:
    """The (foreground, background) pairs actually used for text, in ``palette``."""
    c = PALETTES[palette]
    s = _semantic(c)
    return {
        "body on background": (s["TEXT"], s["BACKGROUND"]),
        "muted on background": (s["TEXT_MUTED"], s["BACKGROUND"]),
        "body on card": (s["TEXT"], s["CARD"]),
        "muted on card": (s["TEXT_MUTED"], s["CARD"]),
        "title accent on background": (c["SUN"], s["BACKGROUND"]),
        "good on background": (s["GOOD"], s["BACKGROUND"]),
        "bad on background": (s["BAD"], s["BACKGROUND"]),
        "button": (s["BUTTON_TEXT"], s["BUTTON"]),
        "alt button": (s["BUTTON_ALT_TEXT"], s["BUTTON_ALT"]),
        "quiet button": (c["INK"], s["BUTTON_QUIET"]),
        "accent on card": (c["SUN"], s["CARD"]),
        "warning button": (c["INK"], c["CORAL"]),
        "bad on card": (s["BAD"], s["CARD"]),
        "good on card": (s["GOOD"], s["CARD"]),
    }


TEXT_PAIRS: dict[str, tuple[RGB, RGB]] = text_pairs("standard")
high_contrast = False


def use_high_contrast(on: bool) -> None:
    """Switch every colour name of this module to the high-contrast palette (or back)."""
    global high_contrast, TEXT_PAIRS
    name = "high_contrast" if on else "standard"
    colours = PALETTES[name]
    globals().update(colours)
    globals().update(_semantic(colours))
    TEXT_PAIRS = text_pairs(name)
    high_contrast = on


MIN_TARGET = 90  # px at 1080p: the smallest touch target anywhere
RADIUS = 28
TITLE = 84
HEADING = 60
BODY = 40
SMALL = 30


def relative_luminance(rgb: RGB) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: RGB, b: RGB) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
