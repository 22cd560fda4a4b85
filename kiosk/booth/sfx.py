"""Short feedback sounds, synthesised at start-up so no audio files need shipping."""

from __future__ import annotations

import array
import logging
import math

import pygame

log = logging.getLogger(__name__)

# (frequency Hz, seconds) notes per cue
_CUES: dict[str, list[tuple[float, float]]] = {
    "tap": [(880, 0.04)],
    "good": [(660, 0.07), (990, 0.11)],
    "bad": [(220, 0.16)],
}


class Sfx:
    def __init__(self, volume: float = 0.5) -> None:
        self.sounds: dict[str, pygame.mixer.Sound] = {}
        self.muted = False
        init = pygame.mixer.get_init()
        if not init:
            return  # no audio device: the speech module has already said so once
        rate, size, channels = init
        if abs(size) != 16:
            return
        for name, notes in _CUES.items():
            samples = array.array("h")
            for freq, secs in notes:
                n = int(rate * secs)
                for i in range(n):
                    fade = min(1.0, (n - i) / (rate * 0.02))  # no click at the end
                    v = int(9000 * fade * math.sin(2 * math.pi * freq * i / rate))
                    samples.extend([v] * channels)
            sound = pygame.mixer.Sound(buffer=samples.tobytes())
            sound.set_volume(volume)
            self.sounds[name] = sound

    def play(self, name: str) -> None:
        sound = self.sounds.get(name)
        if sound is not None and not self.muted:
            sound.play()

    def set_volume(self, volume: float) -> None:
        for sound in self.sounds.values():
            sound.set_volume(volume)
