"""The screens of the visitor journey, by name."""

from kiosk.booth.scenes.attract import AttractScene
from kiosk.booth.scenes.base import Scene
from kiosk.booth.scenes.claim import ClaimScene
from kiosk.booth.scenes.failsafe import FailsafeScene
from kiosk.booth.scenes.howto import HowToScene
from kiosk.booth.scenes.language import LanguageScene
from kiosk.booth.scenes.menu import MenuScene
from kiosk.booth.scenes.paused import PausedScene
from kiosk.booth.scenes.pinpad import PinPadLayer
from kiosk.booth.scenes.play import PlayScene
from kiosk.booth.scenes.result import ResultScene
from kiosk.booth.scenes.staff_panel import StaffPanelLayer
from kiosk.booth.scenes.thanks import ThanksScene

SCENES: dict[str, type[Scene]] = {
    cls.name: cls
    for cls in (
        AttractScene,
        LanguageScene,
        MenuScene,
        HowToScene,
        PlayScene,
        ResultScene,
        ClaimScene,
        ThanksScene,
        FailsafeScene,
        PausedScene,
        PinPadLayer,
        StaffPanelLayer,
    )
}
# One visitor's screens in order; kiosk/booth/journey.py says how each leads to the next.
JOURNEY = ("attract", "language", "menu", "howto", "play", "result", "claim", "thanks")

__all__ = ["JOURNEY", "SCENES", "Scene"]
