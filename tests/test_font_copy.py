"""The kiosk's fonts are read once and opened from a sealed copy (kiosk/ui/text.py): a font
file replaced on disk mid-day cannot change what is drawn, and SDL_ttf reads the copy in C,
not through a Python file object whose every read would wait for the frame thread's GIL."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pygame

from kiosk.ui.text import FONT_DIR, FONT_FILES, TextRenderer

SAMPLE = "Sort the rubbish 智慧城市 回收"


def _own_fonts(folder: Path) -> Path:
    folder.mkdir()
    for name in FONT_FILES.values():
        shutil.copyfile(FONT_DIR / name, folder / name)
    return folder


def _pixels(surface: pygame.Surface) -> bytes:
    return pygame.image.tobytes(surface, "RGBA")


def test_a_font_file_overwritten_on_disk_changes_nothing_drawn(tmp_path) -> None:
    fonts = _own_fonts(tmp_path / "fonts")
    text = TextRenderer(font_dir=fonts)
    before = [_pixels(text.render(SAMPLE, 40, (255, 255, 255), w)) for w in FONT_FILES]
    for name in FONT_FILES.values():  # an update writes the files in place, half done
        (fonts / name).write_bytes(b"OTTO" + bytes(4000))
    fresh = TextRenderer(font_dir=fonts, cache_size=1)  # a new size, new glyphs: read again
    assert [_pixels(fresh.render(SAMPLE, 40, (255, 255, 255), w)) for w in FONT_FILES] == before
    assert fresh.render("新的字 Fresh glyphs", 57, (0, 0, 0), "bold").get_width() > 200
    assert not fresh.broken


def test_fonts_are_opened_by_name_so_a_worker_never_reads_them_through_python(tmp_path) -> None:
    fonts = _own_fonts(tmp_path / "fonts")
    text = TextRenderer(font_dir=fonts)
    copy = text._font_copy(fonts / FONT_FILES["regular"])
    assert isinstance(copy, str)  # a memfd's name, read by SDL in C
    assert Path(copy).read_bytes() == (FONT_DIR / FONT_FILES["regular"]).read_bytes()
    drawn: list[bytes] = []
    worker = threading.Thread(
        target=lambda: drawn.append(_pixels(text.render(SAMPLE, 33, (9, 9, 9)))), name="w"
    )
    worker.start()
    worker.join(30)
    assert drawn == [_pixels(TextRenderer(font_dir=fonts).render(SAMPLE, 33, (9, 9, 9)))]
