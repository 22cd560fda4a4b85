"""The game kit: what every mini-game repeats, written once.

    timers.py   Timers: callbacks scheduled on the game's own clock (Pygame Zero's
                ``clock.schedule`` / ``schedule_interval``), so nothing hand-rolls ``-= dt``
    hits.py     hit-testing with grab slop, and telling a tap from a drag
    backdrop.py Backdrop: the static picture behind the play, built once per size
    gamebar.py  the top bar (title, timer, score chips) and the feedback line
    redraw.py   Redraw: a frame as keyed pieces over the backdrop, only changed ones painted

May import: ``kiosk.ui``, ``kiosk.input`` and ``kiosk.i18n``; never the booth, the play log
or prizes (a game knows nothing of them).
"""
