"""The screens of the visitor journey, by name."""

from kiosk.scenes.attract import AttractScene
from kiosk.scenes.base import Scene
from kiosk.scenes.claim import ClaimScene
from kiosk.scenes.failsafe import FailsafeScene
from kiosk.scenes.howto import HowToScene
from kiosk.scenes.language import LanguageScene
from kiosk.scenes.menu import MenuScene
from kiosk.scenes.paused import PausedScene
from kiosk.scenes.pinpad import PinPadLayer
from kiosk.scenes.play import PlayScene
from kiosk.scenes.result import ResultScene
from kiosk.scenes.staff_panel import StaffPanelLayer
from kiosk.scenes.thanks import ThanksScene

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
JOURNEY = ("attract", "language", "menu", "howto", "play", "result", "claim", "thanks")

__all__ = ["JOURNEY", "SCENES", "Scene"]
