"""The organisers' tools: tallies, fleet merges and the HTML report, run after hours.

May import: the shared modules at ``kiosk/`` top level and ``kiosk.playlog``. Never pygame
or the booth: an organiser's laptop has no touchscreen.
"""
