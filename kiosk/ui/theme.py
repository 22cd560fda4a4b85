"""Colours and sizes of the carnival look.

Every pair of text colour and background the kiosk draws is listed in ``TEXT_PAIRS`` so a
test can hold each to WCAG's 4.5:1 contrast minimum.
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

# (foreground, background) pairs actually used for text.
TEXT_PAIRS: dict[str, tuple[RGB, RGB]] = {
    "body on background": (TEXT, BACKGROUND),
    "muted on background": (TEXT_MUTED, BACKGROUND),
    "body on card": (TEXT, CARD),
    "muted on card": (TEXT_MUTED, CARD),
    "title accent on background": (SUN, BACKGROUND),
    "good on background": (GOOD, BACKGROUND),
    "bad on background": (BAD, BACKGROUND),
    "button": (BUTTON_TEXT, BUTTON),
    "alt button": (BUTTON_ALT_TEXT, BUTTON_ALT),
    "quiet button": (INK, BUTTON_QUIET),
    "accent on card": (SUN, CARD),
    "warning button": (INK, CORAL),
    "bad on card": (BAD, CARD),
    "good on card": (GOOD, CARD),
}

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
