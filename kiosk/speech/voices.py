"""Which installed espeak voice speaks a language: the configured one, or the nearest fit.

Imports: the standard library only.
"""

from __future__ import annotations

import logging

log = logging.getLogger("kiosk.speech")

DEFAULT_VOICES: dict[str, str] = {"en": "gmw/en", "zh-HK": "sit/yue"}

# espeak-ng labels its voices with ISO 639-3 codes ("yue" for Cantonese, "cmn" for
# Mandarin), which is not what a BCP 47 tag like "zh-HK" says; these bridge the two when the
# configured voice is missing and a replacement must be found by language.
_LANG_HINTS: dict[str, tuple[str, ...]] = {
    "zh-hk": ("yue",),
    "zh-mo": ("yue",),
    "yue": ("yue",),
    "zh-tw": ("cmn",),
    "zh-cn": ("cmn",),
    "zh": ("cmn", "yue"),
    "en": ("en-gb", "en-us", "en"),
}

Voices = list[tuple[str, tuple[str, ...]]]  # (voice id, its language codes), as installed


def match_voice(lang: str, wanted: str | None, voices: Voices) -> str | None:
    """Pick a voice id for ``lang`` from ``voices`` ((id, language codes) pairs).

    The configured ``wanted`` id wins if installed; otherwise a voice whose language code
    matches (exactly first, then as a prefix: "en" matches "en-gb") the wanted voice's
    name, the language tag, or the hints in ``_LANG_HINTS``. None if nothing fits.
    """
    ids = {vid for vid, _ in voices}
    if wanted and wanted.lower() in ids:
        return wanted.lower()
    tag = lang.lower().replace("_", "-")
    codes: list[str] = []
    if wanted:
        codes.append(wanted.lower().rsplit("/", 1)[-1])
    codes += [*_LANG_HINTS.get(tag, ()), tag]
    primary = tag.split("-", 1)[0]
    codes += [*_LANG_HINTS.get(primary, ()), primary]
    codes = list(dict.fromkeys(codes))  # ordered, without repeats
    for code in codes:
        for vid, langs in voices:
            if code in langs:
                return vid
    for code in codes:
        for vid, langs in voices:
            if any(lc.startswith(code + "-") for lc in langs):
                return vid
    return None


class VoicePicker:
    """The voice for each language tag asked for, remembered; a substitution warned once."""

    def __init__(self, configured: dict[str, str]) -> None:
        self.configured = configured  # language tag -> voice id, as in kiosk.toml
        self.installed: Voices | None = None  # None: no engine, nothing to check against
        self.chosen: dict[str, str | None] = {}  # language tag -> voice id (None: silent)
        self._warned: set[tuple[str | None, str | None]] = set()

    def pick(self, lang: str) -> str | None:
        """The voice id to render ``lang`` with; None if no installed voice fits."""
        if lang in self.chosen:
            return self.chosen[lang]
        wanted = self.configured.get(lang)
        if wanted is None:  # "en-GB" -> "en", "zh-hk" -> "zh-HK"
            lower = {k.lower(): v for k, v in self.configured.items()}
            tag = lang.lower()
            wanted = lower.get(tag) or lower.get(tag.split("-", 1)[0])
        if self.installed is None:
            return wanted
        voice = match_voice(lang, wanted, self.installed)
        substituted = voice is None or wanted is None or voice != wanted.lower()
        if substituted and (wanted, voice) not in self._warned:  # once, not per tag
            self._warned.add((wanted, voice))
            if voice is None:
                log.warning(
                    "no text-to-speech voice for %r (wanted %r); that language will be silent",
                    lang,
                    wanted,
                )
            else:
                log.warning(
                    "voice %r for %r is not installed; using %r instead", wanted, lang, voice
                )
        if len(self.chosen) < 64:  # bounded even if callers invent languages
            self.chosen[lang] = voice
        return voice
