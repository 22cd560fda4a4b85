"""Rebuild the shipped CJK font subsets from Noto Sans CJK HK.

The kiosk ships only the glyphs its string tables and game content use, so a fresh machine
needs no system font and the repo stays small. Run after editing any TOML under assets/
(``make fonts``); needs Debian's ``fonts-noto-cjk`` and ``pip install fonttools``.
"""

from __future__ import annotations

import string
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
OUT = ASSETS / "fonts"
SOURCES = {
    "Regular": Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    "Bold": Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
}
HK_FACE = "Noto Sans CJK HK"
# Dynamic text (scores, timers, references, URLs) is ASCII; these cover what code formats.
ALWAYS = string.printable + "−×–—…•·✓←→↑↓★☆%「」『』、。,!?:;()%+-/ "


def strings_in(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings_in(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings_in(v)]
    return []


def used_characters(assets: Path = ASSETS) -> set[str]:
    chars = set(ALWAYS)
    for path in sorted(assets.rglob("*.toml")):
        with path.open("rb") as f:
            for s in strings_in(tomllib.load(f)):
                chars.update(s)
    return {c for c in chars if c.isprintable() or c == " "}


def hk_face(ttc: Path):
    from fontTools.ttLib import TTCollection

    for font in TTCollection(str(ttc)).fonts:
        if font["name"].getDebugName(1) == HK_FACE:
            return font
    raise SystemExit(f"{HK_FACE} not found in {ttc}")


def main() -> int:
    from fontTools import subset  # a dev tool; the kiosk and its tests don't need it

    chars = used_characters()
    for weight, source in SOURCES.items():
        if not source.exists():
            print(f"missing {source}: apt-get install fonts-noto-cjk", file=sys.stderr)
            return 1
        font = hk_face(source)
        absent = sorted(c for c in chars if not c.isspace() and ord(c) not in font.getBestCmap())
        if absent:
            print(
                f"warning: {HK_FACE} has no glyph for {''.join(absent)!r}; reword those strings",
                file=sys.stderr,
            )
        options = subset.Options()
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(text="".join(sorted(chars)))
        subsetter.subset(font)
        target = OUT / f"NotoSansHK-Subset-{weight}.otf"
        font.save(str(target))
        size = target.stat().st_size
        print(f"{target.relative_to(ROOT)}: {len(chars)} characters, {size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
