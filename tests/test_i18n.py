"""Every visitor-facing string exists in both languages, and the shipped font can draw it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pygame
import pytest
from fontTools.ttLib import TTFont

from games.registry import discover
from kiosk.i18n import GAMES_DIR, LANGUAGES, STRINGS_DIR, Strings
from kiosk.ui.text import FONT_DIR, FONT_FILES, TextRenderer
from tools.subset_fonts import used_characters


def test_no_key_is_missing_in_any_language(strings: Strings) -> None:
    assert strings.missing() == {}


def test_no_string_is_empty(strings: Strings) -> None:
    for lang, table in strings.tables.items():
        empty = [k for k, v in table.items() if not str(v).strip()]
        assert not empty, f"{lang}: empty strings {empty}"


def test_every_game_has_its_required_strings_in_both_languages(strings: Strings) -> None:
    for spec in discover().values():
        for lang in LANGUAGES:
            for key in spec.required_strings + spec.lesson_keys:
                assert f"game.{spec.id}.{key}" in strings.tables[lang], (spec.id, lang, key)


def test_a_missing_translation_is_detected(tmp_path: Path) -> None:
    shutil.copytree(STRINGS_DIR, tmp_path / "strings")
    zh = tmp_path / "strings" / "zh-HK.toml"
    zh.write_text(zh.read_text(encoding="utf-8").replace('done = "完成"\n', ""), encoding="utf-8")
    broken = Strings(tmp_path / "strings", GAMES_DIR)
    assert broken.missing() == {"zh-HK": {"claim.done"}}


def test_a_missing_key_at_run_time_shows_the_key_and_logs_once(
    strings: Strings, caplog: pytest.LogCaptureFixture
) -> None:
    assert strings.get("en", "no.such.key") == "no.such.key"
    assert strings.get("en", "no.such.key") == "no.such.key"
    assert sum("no.such.key" in r.message for r in caplog.records) == 1


def test_language_switch_changes_every_lookup(strings: Strings) -> None:
    assert strings.get("en", "attract.touch") == "Touch to play"
    assert strings.get("zh-HK", "attract.touch") == "輕觸開始"
    assert strings.get("zh-HK", "play.time_left", seconds=5) == "5 秒"


@pytest.mark.parametrize("weight", sorted(FONT_FILES))
def test_shipped_font_has_a_glyph_for_every_character_in_the_tables(weight: str) -> None:
    # Read the font's character map: rendering cannot tell, since a missing glyph still
    # draws (as the .notdef box) and pygame reports metrics for it.
    cmap = TTFont(FONT_DIR / FONT_FILES[weight]).getBestCmap()
    missing = sorted(c for c in used_characters() if not c.isspace() and ord(c) not in cmap)
    assert not missing, f"run `make fonts`: {weight} font lacks {''.join(missing)!r}"


def test_font_licence_ships_beside_the_font() -> None:
    assert "SIL OPEN FONT LICENSE" in (FONT_DIR / "OFL.txt").read_text(encoding="utf-8")


def test_chinese_renders_real_glyphs_not_tofu() -> None:
    text = TextRenderer()
    # A missing glyph renders as the same box for every character; real glyphs differ.
    a = pygame.image.tobytes(text.render("輕", 60, (255, 255, 255)), "RGBA")
    b = pygame.image.tobytes(text.render("觸", 60, (255, 255, 255)), "RGBA")
    assert a != b
