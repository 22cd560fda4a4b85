"""Prizes: tiers, daily stock, awards, signed claim codes, event keys and the QR matrix.

May import: the shared modules at ``kiosk/`` top level and ``kiosk.playlog``. Never pygame
(the booth draws the QR surface from the matrix built here), the booth, claims or organiser.
"""
