"""Language choice: shown in both languages, chosen once per visitor."""

from __future__ import annotations

import pygame

from kiosk.booth.scenes.base import Scene
from kiosk.ui import theme
from kiosk.ui.decor import draw_backdrop
from kiosk.ui.widgets import Button


class LanguageScene(Scene):
    name = "language"

    def enter(self) -> None:
        langs = self.host.config.languages
        width, gap = 640, 80
        left = 960 - (len(langs) * width + (len(langs) - 1) * gap) // 2
        for i, lang in enumerate(langs):
            rect = pygame.Rect(left + i * (width + gap), 470, width, 260)
            label = self.host.tr_for(lang)("language_name")
            self.buttons.append(
                Button(
                    rect, label, lambda lang=lang: self.host.advance("chosen", lang=lang), size=76
                )
            )
        # Labelled in both languages: nobody has chosen one yet.
        self.add_access_bar(large=True, second=langs[-1] if len(langs) > 1 else None)
        self.access.place((960, 1040), anchor="midbottom")
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
        draw_backdrop(surface, self.t)
        text = self.host.text
        en, zh = self.host.tr_for("en"), self.host.tr_for("zh-HK")
        text.draw(
            surface,
            en("language.prompt"),
            theme.HEADING,
            theme.TEXT,
            center=(960, 250),
            weight="bold",
        )
        text.draw(
            surface,
            zh("language.prompt"),
            theme.HEADING,
            theme.TEXT,
            center=(960, 340),
            weight="bold",
        )
        self.draw_buttons(surface)
