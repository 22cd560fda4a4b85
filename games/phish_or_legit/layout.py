"""Where things sit on Phish or Legit's 1920×1080 canvas, how far a finger must move to
answer, and how long the card's moves take."""

from __future__ import annotations

MARGIN = 40
CARD_TOP = 136
TIMER_GAP = 16  # between the card and its reading-time bar
TIMER_H = 12
BANNER_BOTTOM = 1060
BUTTON_GAP = 56  # between a button and the card

SWIPE_PX = 220  # a drag this far left or right answers
FLICK_PX = 90  # …or this far, if the finger was still moving fast when it lifted
FLICK_SPEED = 1100.0  # px/s
MAX_DRAG = 760
LEAVE_S = 0.32
PULSE_HZ = 1.6
