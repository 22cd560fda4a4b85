"""Fitting text to its room (kiosk/ui/typeset.py): measured once per renderer (issue 13)."""

from __future__ import annotations

from kiosk.ui.text import TextRenderer
from kiosk.ui.typeset import fit_size


def test_a_fitted_size_is_measured_once_and_the_same_again() -> None:
    """Measuring opens the font at each size tried: a line fitted again (a screen entered
    again after a visitor's screens pushed its fonts out) opens none, and gets the same
    size; large text is another answer."""
    text = TextRenderer()
    line = "Smartizen Park"  # 904 px wide at 120 px, 226 at 30
    size = fit_size(text, line, 120, 700, 40)
    assert 40 < size < 120
    opened: list[int] = []
    real = text._open
    text._open = lambda path, pt: opened.append(pt) or real(path, pt)  # type: ignore[method-assign]
    text._fonts.clear()
    assert fit_size(text, line, 120, 700, 40) == size
    assert opened == []
    text.large = True  # drawn at 40 px: too wide for 250 px at 30
    assert fit_size(text, line, 30, 250, 20) < fit_size(TextRenderer(), line, 30, 250, 20) == 30


def test_fitted_sizes_go_with_their_renderer() -> None:
    """The answers are the renderer's: a renderer let go is freed with its fonts and
    rendered text (a cache of its own holding every renderer kept a test session's
    kiosks' text, gigabytes of it)."""
    import gc
    import weakref

    text = TextRenderer()
    fit_size(text, "Smartizen Park", 120, 700, 40)
    gone = weakref.ref(text)
    del text
    gc.collect()
    assert gone() is None
