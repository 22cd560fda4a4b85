"""Long runs must not grow: the attract loop for hours, and the caches behind every screen."""

from __future__ import annotations

import random
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pygame
import pytest

from kiosk.booth import textwarm
from kiosk.booth.autopilot import AutoPilot
from kiosk.booth.memory import malloc_stats
from kiosk.booth.scenes import language, menu
from kiosk.ui import decor
from kiosk.ui.qr import _CACHE_SIZE, _cache, qr_surface
from kiosk.ui.text import TextRenderer
from tests.journeykit import run_for

ROOT = Path(__file__).resolve().parent.parent
GAME_STRINGS = ROOT / "assets" / "games"


def test_attract_loop_does_not_grow_memory(make_kiosk) -> None:
    app = make_kiosk()
    run_for(app, 20, dt=0.2, draw=True)  # warm up: fonts, backdrop, every game title
    # ...and the work done ahead once while the attract screen is up: the journey's line
    # breaks, the language screen's face
    textwarm.wait_for_screens()
    for _ in range(2):
        language.wait_for_face()
        menu.wait_for_faces()
        run_for(app, 1, dt=0.2, draw=True)
    decor.wait_for_ahead()  # the next title's picture: a worker's buffers are not growth
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    run_for(app, 300, dt=0.2, draw=True)  # 1500 frames; every game title cycles 15 times
    decor.wait_for_ahead()
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
    assert total <= 4 << 20 and text.cached_bytes == total


def test_qr_cache_is_bounded() -> None:
    for i in range(3 * _CACHE_SIZE):
        qr_surface(f"HTTPS://EXAMPLE.HK/{i}", 400)
    assert len(_cache) == _CACHE_SIZE


def test_open_fonts_are_bounded_least_recently_used_first() -> None:
    text = TextRenderer(font_limit=4)
    for size in range(20, 60, 2):  # what a shrink-to-fit loop does
        text.font(size)
    assert len(text._fonts) == 4
    text.font(54)  # touched: now the most recent
    text.font(80)
    assert ("regular", 54) in text._fonts and ("regular", 52) not in text._fonts


@pytest.mark.skipif(not malloc_stats(), reason="glibc's mallinfo2 is needed to look inside")
def test_forgotten_glyphs_are_freed_when_the_font_is_next_used() -> None:
    text = TextRenderer()
    chars = sorted({c for p in GAME_STRINGS.glob("*.toml") for c in p.read_text("utf-8")})
    font = text.font(120, "bold")
    before = malloc_stats()["heap_used_mb"]
    for c in chars:  # a day's worth of different characters in one big face
        font.render(c, True, (0, 0, 0))
    filled = malloc_stats()["heap_used_mb"]
    assert filled - before > 2
    title = text.render("智慧城市", 120, (0, 0, 0), "bold")
    text.forget_glyphs()
    assert text.font(120, "bold") is font  # still open: no reopening cost
    assert malloc_stats()["heap_used_mb"] < before + 0.5
    assert text.render("智慧城市", 120, (0, 0, 0), "bold") is title  # rendered text kept
    assert text.render("歡迎", 120, (0, 0, 0), "bold").get_width() > 200


def test_a_finished_visit_forgets_the_glyphs_its_screens_needed(make_kiosk) -> None:
    fresh = make_kiosk()
    fresh.frame(1 / 30, draw=True)
    language.wait_for_face()  # attract draws the language screen's face ahead, each visit
    attract_fonts = set(fresh.text._fonts)
    app = make_kiosk()
    app.autopilot = AutoPilot(app, random.Random(3))
    while app.journeys_completed == 0:
        app.frame(1 / 30, draw=True)
    assert app.scene.name == "attract" and len(app.text._fonts) > 2 * len(attract_fonts)
    used_since = set(app.text._fonts) - app.text._stale
    assert used_since <= attract_fonts  # everything else waits to be emptied


def test_a_renderer_at_rest_keeps_only_what_the_screen_on_show_draws() -> None:
    """Between visitors the fonts and text of their screens go; what the screen on show
    draws in the frame after (a failsafe notice) stays, so that frame renders nothing."""
    text = TextRenderer()
    white = (255, 255, 255)
    title = text.render("智慧城市", 120, white, "bold")
    text.render("Smart city", 40, white)
    assert len(text._fonts) == 2
    text.rest()
    assert text.render("智慧城市", 120, white, "bold") is title  # the frame after
    text.settle()  # the text stays; its font, not needed to draw it, is closed
    assert not text._fonts and list(text._cache) == [("智慧城市", 120, white, "bold")]
    assert text.cached_bytes == title.get_pitch() * title.get_height()
    text.rest()
    text.settle()  # a screen that drew no text (attract keeps its labels itself)
    assert not text._fonts and not text._cache and text.cached_bytes == 0
    again = text.render("智慧城市", 120, white, "bold")
    assert again is not title  # rendered anew, with the font opened again
    assert pygame.image.tobytes(again, "RGBA") == pygame.image.tobytes(title, "RGBA")
    text.settle()  # not resting: nothing goes
    assert list(text._fonts) == [("bold", 120)] and len(text._cache) == 1


FULL_SCREENS = """
import pygame, sys
from kiosk.booth.memory import malloc_stats, tune_allocator
if sys.argv[1] == "tuned":
    assert tune_allocator()
pygame.init()
def heap():
    m = malloc_stats()
    return m["heap_used_mb"] + m["heap_free_mb"]
grew = []
for _ in range(3):
    before = heap()
    surf = pygame.Surface((1920, 1080))  # 8 MB, as a game's backdrop
    del surf
    grew.append(heap() - before)
print(max(grew))
"""


@pytest.mark.skipif(not malloc_stats(), reason="glibc's mallinfo2 is needed to look inside")
def test_freed_full_screen_surfaces_do_not_stay_in_the_heap() -> None:
    # A fresh process each, as the launcher tunes the allocator before SDL's first surface.
    def heap_growth(mode: str) -> float:
        out = subprocess.run(
            [sys.executable, "-c", FULL_SCREENS, mode],
            capture_output=True, text=True, check=True, cwd=ROOT,
        )  # fmt: skip
        return float(out.stdout.split()[-1])

    assert heap_growth("default") > 7.9  # glibc's default: the heap keeps a freed 8 MB
    assert heap_growth("tuned") < 0.5


def test_a_high_contrast_backdrop_is_not_kept_past_its_visitor() -> None:
    """A visitor who chose high contrast leaves a plain backdrop behind (8 MB at 1080p):
    back in the usual palette it goes; the sky, slow to draw, is the one kept."""
    from kiosk.ui import theme

    size = (1920, 1080)
    sky = decor.static_backdrop(size)
    theme.use_high_contrast(True)
    try:
        assert decor.static_backdrop(size) is not sky
    finally:
        theme.use_high_contrast(False)
    assert decor.static_backdrop(size) is sky
    assert not [key for key in decor._static if key[2]]


def test_the_last_visit_s_fonts_open_again_ahead_of_the_next() -> None:
    """Fonts let go at rest are opened again in a worker as the next visitor arrives (the
    last visit's sizes), so the first frames of their screens open none: 1-2 ms each."""
    text = TextRenderer(font_limit=3)
    for size, weight in ((40, "regular"), (60, "bold"), (72, "bold")):
        text.font(size, weight)
    text.rest()
    text.settle()
    assert not text._fonts and text.visit_fonts == [("regular", 40), ("bold", 60), ("bold", 72)]
    text.font(30)  # a font the attract screen opened meanwhile: the limit still holds
    assert text.open_ahead(text.visit_fonts) == 2
    assert list(text._fonts) == [("regular", 30), ("regular", 40), ("bold", 60)]
    assert text.open_ahead(text.visit_fonts) == 0  # open already, or no room
    assert text.render("Ag", 40, (255, 255, 255)).get_width() > 0


def test_fonts_and_text_let_go_at_rest_are_freed_in_a_worker(monkeypatch) -> None:
    """Closing a visit's fonts and freeing their text cost the quiet point's frame 1-2 ms:
    the frame only takes them out of the renderer; a worker frees them."""
    import threading

    from kiosk.ui import text as text_module

    freed_in: list[str] = []
    real = text_module._let_go

    def let_go(fonts, texts) -> None:
        freed_in.append(threading.current_thread().name)
        real(fonts, texts)

    monkeypatch.setattr(text_module, "_let_go", let_go)
    text = TextRenderer()
    text.render("智慧城市", 120, (255, 255, 255), "bold")
    text.rest()
    job = text.settle()
    assert job is not None and not text._fonts and not text._cache
    job.wait(10)
    assert freed_in and freed_in != [threading.main_thread().name]
    assert text.settle() is None  # not resting
