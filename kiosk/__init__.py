"""Smartizen Park kiosk: the visitor journey around the mini-games in ``games/``."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
DESIGN_SIZE = (1920, 1080)  # every game's canvas, and the landscape screens' (kiosk/ui/frame.py)
