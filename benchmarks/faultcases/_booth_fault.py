"""``launch.py`` with one booth fault injected from outside: run as
``python _booth_fault.py FAULT [launch.py arguments]`` (benchmarks/faultcases/booth.py).

The kiosk's code is untouched; this script wraps what the operating system would do to it:

* ``clock-step-back``: the wall clock steps back an hour mid-game (NTP), at simulated
  second ``STEP_AT_S`` of an autoplaying ``--fast`` run;
* ``nan-fingers``: every third frame SDL also delivers a finger down/move/up at NaN, as a
  glitching touch controller does.
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

STEP_AT_S = 40.0  # simulated seconds: the first visitor is mid-game by then
STEP_S = -3600.0


def step_the_clock_back() -> None:
    import kiosk.booth.app as app

    real_init = app.Kiosk.__init__

    def init(self, **kw):
        wall, clock = kw["wall"], kw["clock"]

        def stepped():
            shift = STEP_S if clock.now() >= STEP_AT_S else 0.0
            return wall() + timedelta(seconds=shift)

        kw["wall"] = stepped
        real_init(self, **kw)

    app.Kiosk.__init__ = init


def nan_fingers() -> None:
    import pygame

    real_get = pygame.event.get
    frames = [0]
    kinds = (pygame.FINGERDOWN, pygame.FINGERMOTION, pygame.FINGERUP)

    def get(*args, **kw):
        events = list(real_get(*args, **kw))
        frames[0] += 1
        if frames[0] % 3 == 0:
            kind = kinds[(frames[0] // 3) % 3]
            nan = float("nan")
            events.append(
                pygame.event.Event(kind, x=nan, y=nan, dx=0.0, dy=0.0, finger_id=77, touch_id=1)
            )
        return events

    pygame.event.get = get


FAULTS = {"clock-step-back": step_the_clock_back, "nan-fingers": nan_fingers}


if __name__ == "__main__":
    fault, *argv = sys.argv[1:]
    FAULTS[fault]()
    from kiosk.booth.launcher import main

    sys.exit(main(argv))
