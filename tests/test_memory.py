"""Long runs must not grow: the attract loop for hours, and the caches behind every screen."""

from __future__ import annotations

import tracemalloc

from kiosk.qr import _CACHE_SIZE, _cache, qr_surface
from kiosk.ui.text import TextRenderer
from tests.conftest import run_for


def test_attract_loop_does_not_grow_memory(make_kiosk) -> None:
    app = make_kiosk()
    run_for(app, 20, dt=0.2, draw=True)  # warm up: fonts, backdrop, every game title
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    run_for(app, 300, dt=0.2, draw=True)  # 1500 frames; every game title cycles 15 times
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    growth = sum(s.size_diff for s in after.compare_to(before, "filename"))
    assert growth < 64 * 1024, f"attract loop grew {growth} bytes"


def test_text_cache_is_bounded() -> None:
    text = TextRenderer(cache_size=50)
    for i in range(500):
        text.render(f"{i} s", 40, (255, 255, 255))
    assert len(text._cache) == 50


def test_text_cache_is_bounded_in_bytes_too() -> None:
    text = TextRenderer(cache_bytes=4 << 20)
    for i in range(300):  # big, distinct texts: a score counting up in 240 px digits
        text.render(f"{i}", 240, (255, 200, 40), "bold")
    total = sum(s.get_pitch() * s.get_height() for s in text._cache.values())
    assert total <= 4 << 20 and text._bytes == total


def test_qr_cache_is_bounded() -> None:
    for i in range(3 * _CACHE_SIZE):
        qr_surface(f"HTTPS://EXAMPLE.HK/{i}", 400)
    assert len(_cache) == _CACHE_SIZE
