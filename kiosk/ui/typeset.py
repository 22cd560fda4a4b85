"""Text set to fit: shrink-to-fit sizes, names wrapped into two lines, and CO₂.

Visitors' strings come in two languages of very different widths, so the games size text
to its box instead of trusting one size; these helpers are the one way they do it. The
shipped font (a CJK subset) has no subscript two, so "CO2" in a string is typeset here as
CO₂ with a smaller "2" set low: the content files write "CO2", never "₂".
"""

from __future__ import annotations

from collections.abc import Callable

import pygame

from kiosk.ui.text import Color, TextRenderer

CO2 = "CO2"  # in visitor-facing strings; drawn as CO₂

FITS_KEPT = 4000  # fit_size answers a renderer remembers (a hundred bytes or so each)

Wrap = Callable[[str, int, int, str], list[str]]  # (text, size, width, weight) → lines


def fit_size(
    text: TextRenderer,
    label: str,
    size: int,
    max_w: float,
    smallest: int,
    weight: str = "bold",
    step: int = 2,
) -> int:
    """The largest size from ``size`` down (by ``step``, not below ``smallest``) at which
    ``label`` is at most ``max_w`` wide on one line.

    Answers are kept on the renderer (bounded, like its wraps, and gone with it): measuring
    opens the font at each size tried, and a visitor's screens push a screen's sizes out of
    the renderer's open fonts, so a screen entered again (the first attract frame after each
    visitor, a game's feedback line) opened them again in its first frame (about 1 ms
    each)."""
    key = (text.large, label, size, max_w, smallest, weight, step)
    got = text.fits.get(key)
    if got is None:
        got = size
        while got > smallest and text.font(got, weight).size(label)[0] > max_w:
            got -= step
        if len(text.fits) >= FITS_KEPT:
            text.fits.clear()
        text.fits[key] = got
    return got


def fit_lines(
    text: TextRenderer,
    value: str,
    size: int,
    width: int,
    max_lines: int = 2,
    weight: str = "bold",
    floor: int = 18,
    wrap: Wrap | None = None,
) -> tuple[int, list[str]]:
    """The largest size (down to ``floor``) at which ``value`` wraps into ``max_lines``
    lines no wider than ``width``, and those lines. ``wrap`` defaults to the renderer's."""
    wrap = wrap or text.wrap
    while True:
        lines = wrap(value, size, width, weight)
        font = text.font(size, weight)
        fits = len(lines) <= max_lines and all(font.size(ln)[0] <= width for ln in lines)
        if fits or size <= floor:
            return size, lines
        size -= 2


def fit_name(text: TextRenderer, name: str, size: int, width: int) -> tuple[int, list[str]]:
    """The largest bold size (down to 18) at which ``name`` fits ``width`` in two lines."""
    return fit_lines(text, name, size, width, 2, "bold", 18)


def _sub_size(size: int) -> int:
    return max(12, round(size * 0.6 / 4) * 4)  # a multiple of 4: few font sizes to load


def sub2_width(text: TextRenderer, s: str, size: int, weight: str = "regular") -> int:
    """How wide ``s`` is once each "CO2" in it is typeset as CO₂."""
    font = text.font(size, weight)
    if CO2 not in s:
        return font.size(s)[0]
    parts = s.split(CO2)
    sub = text.font(_sub_size(size), weight).size("2")[0]
    return sum(font.size(p)[0] for p in parts) + (len(parts) - 1) * (font.size("CO")[0] + sub)


def render_text(
    text: TextRenderer, s: str, size: int, colour: Color, weight: str = "regular"
) -> pygame.Surface:
    """``s`` rendered, with each "CO2" typeset as CO₂ when it has any."""
    if CO2 not in s:
        return text.render(s, size, colour, weight)
    return render_sub2(text, s, size, colour, weight)


def render_sub2(
    text: TextRenderer, s: str, size: int, colour: Color, weight: str = "regular"
) -> pygame.Surface:
    """Render ``s`` with each "CO2" typeset as CO₂: a smaller "2" sitting below the line."""
    parts = s.split(CO2)
    pieces = [text.render(p, size, colour, weight) for p in parts]
    co = text.render("CO", size, colour, weight)
    two = text.render("2", _sub_size(size), colour, weight)
    h = co.get_height()
    drop = round(h * 0.42)
    surf = pygame.Surface(
        (sub2_width(text, s, size, weight), max(h, drop + two.get_height())), pygame.SRCALPHA
    )
    x = 0
    for k, piece in enumerate(pieces):
        surf.blit(piece, (x, 0))
        x += piece.get_width()
        if k < len(pieces) - 1:
            surf.blit(co, (x, 0))
            x += co.get_width()
            surf.blit(two, (x, drop))
            x += two.get_width()
    return surf


ELLIPSIS = "…"


def shorten(
    text: TextRenderer, value: str, size: int, width: int, max_lines: int, weight: str = "regular"
) -> list[str]:
    """``value`` wrapped into at most ``max_lines`` lines no wider than ``width``; if it
    needs more, the last line ends at a word (or, in Chinese, a character) with "…"."""
    lines = text.wrap(value, size, width, weight)
    if len(lines) <= max_lines:
        return lines
    font = text.font(size, weight)
    kept, last = lines[: max_lines - 1], lines[max_lines - 1]
    while last and font.size(last + ELLIPSIS)[0] > width:
        cut = last.rstrip().rfind(" ")
        last = last[:cut] if cut > len(last) // 2 else last[:-1]  # a word, or a character
    return [*kept, last.rstrip(" ,;:·(") + ELLIPSIS]
