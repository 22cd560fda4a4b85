"""Language choice: shown in both languages, chosen once per visitor."""

from __future__ import annotations

import pygame

from kiosk.booth.scenes import menu
from kiosk.booth.scenes.base import Scene
from kiosk.ui import theme
from kiosk.ui.decor import draw_backdrop
from kiosk.ui.frame import is_portrait, pick
from kiosk.ui.widgets import Button

PROMPT_Y = ((250, 340), (560, 650))  # English and Chinese prompts: landscape, portrait


def button_rects(size: tuple[int, int], count: int) -> list[pygame.Rect]:
    """One big button per language: side by side on a landscape screen, stacked on a
    portrait one."""
    cx = size[0] // 2
    if is_portrait(size):
        width, height, gap, top = 800, 260, 60, 820
        return [
            pygame.Rect(cx - width // 2, top + i * (height + gap), width, height)
            for i in range(count)
        ]
    width, gap = 640, 80
    left = cx - (count * width + (count - 1) * gap) // 2
    return [pygame.Rect(left + i * (width + gap), 470, width, 260) for i in range(count)]


class LanguageScene(Scene):
    name = "language"

    def enter(self) -> None:
        langs = self.host.config.languages
        for lang, rect in zip(langs, button_rects(self.host.size, len(langs)), strict=True):
            label = self.host.tr_for(lang)("language_name")
            self.buttons.append(
                Button(
                    rect, label, lambda lang=lang: self.host.advance("chosen", lang=lang), size=76
                )
            )
        # Labelled in both languages: nobody has chosen one yet.
        self.add_access_bar(
            large=True, first=langs[0], second=langs[-1] if len(langs) > 1 else None
        )
        self.access.place((self.host.size[0] // 2, self.host.size[1] - 40), anchor="midbottom")
        self.voice = 0  # "Again" reads the prompt in each language in turn

    def _next_voice(self) -> str:
        langs = self.host.config.languages
        return langs[self.voice % len(langs)]

    def speech_text(self) -> str:
        return self.host.tr_for(self._next_voice())("language.prompt")

    def speak_again(self) -> None:
        lang, spoken = self._next_voice(), self.speech_text()
        self.voice += 1
        self.host.say(spoken, lang=lang)

    def draw(self, surface: pygame.Surface) -> None:
        # The menu follows: its face, in either language and this look, drawn meanwhile.
        menu.prepare_faces(self.host, surface)
        draw_backdrop(surface, self.t)
        text = self.host.text
        en, zh = self.host.tr_for("en"), self.host.tr_for("zh-HK")
        cx = surface.get_width() // 2
        y_en, y_zh = pick(surface.get_size(), *PROMPT_Y)
        text.draw(
            surface,
            en("language.prompt"),
            theme.HEADING,
            theme.TEXT,
            center=(cx, y_en),
            weight="bold",
        )
        text.draw(
            surface,
            zh("language.prompt"),
            theme.HEADING,
            theme.TEXT,
            center=(cx, y_zh),
            weight="bold",
        )
        self.draw_buttons(surface)
