"""Where a line of visitors' text may break: Unicode line breaking (UAX #14) via ``uniseg``.

UAX #14 carries the Chinese closing/opening punctuation rules (kinsoku): no break before a
closing mark ("，" "。" "、" "」" "！" "：" are classes CL, EX, NS …) and none after an opening
one ("「" "（", class OP), while ideographs break anywhere and Latin words only at spaces and
hyphens. One tailoring on top: inside Chinese text a short Latin phrase ("QR code",
"Octopus App") stays on one line when it fits, as Hong Kong typesetting keeps it.

``wrap`` is pure (it measures through a callback) so it is tested without a screen;
``TextRenderer.wrap`` caches its answers because the games wrap at draw time.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from itertools import pairwise

from uniseg.linebreak import east_asian_width, line_break, line_break_units

Measure = Callable[[str], int]  # text → width in pixels

# Classes a line may not start with / end with (UAX #14 §6.1: LB13, LB14, LB21).
CLOSING_CLASSES = frozenset({"CL", "CP", "EX", "IS", "NS"})
OPENING_CLASSES = frozenset({"OP"})


def _is_wide(ch: str) -> bool:
    """An East Asian wide character (ideograph, kana, full-width punctuation)."""
    return east_asian_width(ch) in ("W", "F")


def _latin(ch: str) -> bool:
    return line_break(ch) in ("AL", "NU", "HL")


# Kept across rounds: every game's paragraphs in both languages (~1,300) fit, so a round
# whose texts were broken ahead (kiosk/booth/textwarm.py) finds them all still here.
@lru_cache(maxsize=4096)
def units(paragraph: str) -> tuple[tuple[str, ...], ...]:
    """The paragraph's break units (each a string ending where a break is allowed), grouped:
    a group is a Latin phrase inside Chinese text, to be kept together when it fits."""
    pieces = list(line_break_units(paragraph))
    if not any(_is_wide(ch) for ch in paragraph):
        return tuple((p,) for p in pieces)
    groups: list[list[str]] = []
    for piece in pieces:
        prev = groups[-1][-1] if groups else ""
        joined = len(prev) >= 2 and prev[-1] == " " and _latin(prev[-2]) and _latin(piece[0])
        if joined:
            groups[-1].append(piece)
        else:
            groups.append([piece])
    return tuple(map(tuple, groups))


def wrap(text: str, width: int, measure: Measure) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` where UAX #14 allows, filling each
    line greedily. Explicit newlines are kept. A unit wider than a whole line (a long word)
    is left on a line of its own rather than cut: callers shrink the size until it fits."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for group in units(paragraph):
            phrase = "".join(group)
            # A phrase too wide for any line is broken at its spaces after all.
            too_wide = len(group) > 1 and measure(phrase.rstrip()) > width
            pieces = group if too_wide else (phrase,)
            for piece in pieces:
                candidate = line + piece
                if line and measure(candidate.rstrip()) > width:
                    lines.append(line.rstrip())
                    line = piece.lstrip()
                else:
                    line = candidate
        lines.append(line.rstrip())
    return lines


def bad_breaks(text: str, lines: list[str]) -> list[str]:
    """What is wrong with breaking ``text`` into ``lines`` (empty: nothing): a line starting
    with closing punctuation, one ending with opening punctuation, or a Latin word cut in
    two (no space or hyphen where the break is). For tests and content checks."""
    problems: list[str] = []
    pos = 0
    for k, (before, after) in enumerate(pairwise(lines)):
        pos = text.index(before, pos) + len(before) if before else pos
        gap = len(text[pos:]) - len(text[pos:].lstrip())
        if after and line_break(after[0]) in CLOSING_CLASSES:
            problems.append(f"line {k + 2} starts with closing punctuation {after[0]!r}")
        if before and line_break(before[-1]) in OPENING_CLASSES:
            problems.append(f"line {k + 1} ends with opening punctuation {before[-1]!r}")
        if not gap and before and after and _latin(before[-1]) and _latin(after[0]):
            problems.append(f"a Latin word is split: {before[-8:]!r} | {after[:8]!r}")
        pos += gap
    return problems
