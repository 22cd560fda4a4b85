"""Readable and touchable: WCAG contrast for every text colour pair, 90 px targets."""

from __future__ import annotations

import pytest

from kiosk.ui import theme


@pytest.mark.parametrize("name", sorted(theme.TEXT_PAIRS))
def test_text_contrast_is_at_least_4_5_to_1(name: str) -> None:
    fg, bg = theme.TEXT_PAIRS[name]
    assert theme.contrast_ratio(fg, bg) >= 4.5, name


def test_contrast_formula_matches_known_values() -> None:
    assert theme.contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert theme.contrast_ratio((119, 119, 119), (255, 255, 255)) == pytest.approx(4.48, abs=0.01)
