"""Line breaking: every visitor string, wrapped at every width the screens use, keeps the
Chinese punctuation rules and whole Latin words (kiosk/ui/linebreak.py, TextRenderer.wrap)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from kiosk.i18n import GAMES_DIR, STRINGS_DIR, load_toml
from kiosk.ui import linebreak, theme
from kiosk.ui.text import WRAPS_KEPT, TextRenderer

# Widths (px) at size 40 the screens wrap to. Breaks depend on width over size, so one size
# and a sweep covers every call: howto panel 1400 @ 46, result 1300 @ 42, claim and
# bilingual notices 1300–1400 @ 40, menu promises 336–500 @ 30, the games' cards, banners,
# labels and bubbles 200–900 at 24–60 (ratios 4–30 font sizes wide).
SIZE = 40
WIDTHS = sorted({*range(160, 1640, 40), 1400 * SIZE // 46, 1300 * SIZE // 42})


def visitor_strings(value: Any) -> Iterator[str]:
    """Every string in a strings table or a game's data file, however deeply nested."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from visitor_strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from visitor_strings(v)


def all_strings() -> list[str]:
    paths = [*sorted(STRINGS_DIR.glob("*.toml")), *sorted(GAMES_DIR.glob("*.toml"))]
    found = {s for path in paths for s in visitor_strings(load_toml(path))}
    return sorted(s for s in found if " " in s.strip() or any(ord(c) > 0x2E80 for c in s))


@pytest.fixture(scope="module")
def text() -> TextRenderer:
    return TextRenderer()


def test_every_string_wraps_by_the_rules_at_every_width(text: TextRenderer) -> None:
    strings = all_strings()
    assert len(strings) > 300  # both tables and the six games' content were read
    font = text.font(SIZE)
    advance = {ch: font.size(ch)[0] for ch in set("".join(strings))}

    def measure(s: str) -> int:  # the glyphs' advances: the real widths less kerning, fast
        return sum(advance[ch] for ch in s)

    problems = []
    for value in strings:
        for width in WIDTHS:
            lines = linebreak.wrap(value, width, measure)
            assert "".join(lines).replace(" ", "") == value.replace("\n", "").replace(" ", "")
            problems += [f"{width}px {why}: {value[:40]!r}" for why in bad(value, lines)]
    assert not problems, "\n".join(problems[:20])


def bad(value: str, lines: list[str]) -> list[str]:
    return linebreak.bad_breaks(value, lines)


@pytest.mark.parametrize(
    "key,size,width",
    [
        ("howto", 46, 1400),  # the how-to panel
        ("promise", theme.SMALL, 336),  # the narrowest menu card
        ("promise", theme.SMALL, 500),
    ],
)
def test_the_screens_wrap_the_games_texts_by_the_rules(text, key, size, width) -> None:
    from kiosk.i18n import LANGUAGES, Strings, game_files

    strings = Strings()
    for game_id, _ in game_files():
        for lang in LANGUAGES:
            value = strings.get(lang, f"game.{game_id}.{key}")
            lines = text.wrap(value, size, width)
            assert not bad(value, lines), (game_id, lang, lines)
    lessons = [
        (lang, v)
        for lang in LANGUAGES
        for k, v in strings.tables[lang].items()
        if ".lesson" in k and isinstance(v, str)
    ]
    assert lessons
    for lang, value in lessons:
        lines = text.wrap(value, 42, 1300)  # the result screen's panel
        assert not bad(value, lines), (lang, lines)


@pytest.mark.parametrize(
    "value,width,expected",
    [
        # a closing mark never starts a line: the character before it comes along
        ("一步一步嚟：每日伸展一陣，智能提醒", 6, ["一步一步嚟：", "每日伸展一", "陣，智能提醒"]),
        ("食藥。", 2, ["食", "藥。"]),  # a lone full stop never sits on its own line
        ("請按「開始」掣", 3, ["請按", "「開", "始」掣"]),  # an opening mark never ends one
        ("連結同 QR code 係呃人。", 10, ["連結同", "QR code 係呃", "人。"]),  # Latin phrase kept
        ("Spot the scam texts", 10, ["Spot the", "scam texts"]),
    ],
)
def test_breaks_follow_the_punctuation_rules(value: str, width: int, expected: list[str]) -> None:
    # Every character one unit wide (a space too), so the expected lines read off directly.
    assert linebreak.wrap(value, width, len) == expected


def test_a_latin_phrase_too_wide_for_a_line_breaks_at_its_spaces() -> None:
    assert linebreak.wrap("掃 QR code now", 7, len) == ["掃 QR", "code", "now"]


def test_a_word_wider_than_the_line_is_kept_whole() -> None:
    assert linebreak.wrap("a Smartizen Park", 5, len) == ["a", "Smartizen", "Park"]


def test_the_menu_keeps_qr_code_on_one_line(text: TextRenderer) -> None:
    from kiosk.booth.scenes.menu import grid
    from kiosk.i18n import Strings

    promise = Strings().get("zh-HK", "game.phish_or_legit.promise")
    for count in range(1, 9):
        width = grid(count)[0].width - 60
        lines = text.wrap(promise, theme.SMALL, width)
        assert any("QR code" in line for line in lines), (count, lines)


def test_wrapping_is_cached_and_bounded(text: TextRenderer) -> None:
    calls = 0
    font = text.font(SIZE)
    real_size = font.size

    class Counting:
        def size(self, s: str) -> tuple[int, int]:
            nonlocal calls
            calls += 1
            return real_size(s)

    fresh = TextRenderer()
    fresh._fonts[("regular", SIZE)] = Counting()  # count the measurements
    first = fresh.wrap("睇住實時到站，又快又環保咁出行！", SIZE, 300)
    measured = calls
    assert measured > 0
    assert fresh.wrap("睇住實時到站，又快又環保咁出行！", SIZE, 300) == first
    assert calls == measured  # the second wrap measured nothing
    first.append("changed by a caller")
    assert fresh.wrap("睇住實時到站，又快又環保咁出行！", SIZE, 300) != first
    for i in range(WRAPS_KEPT + 50):
        fresh.wrap(f"line {i}", SIZE, 300)
    assert len(fresh._wraps) == WRAPS_KEPT
