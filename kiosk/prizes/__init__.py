"""Prizes: tiers, daily stock, awards, signed claim codes, event keys and the one QR builder.

    awards.py     Prizes: which tier a score earns, today's stock, the award on a PlayLog
    ledger.py     Ledger: stock, serial blocks and "today" in memory, so awards never wait
    statefile.py  scores.db.state.json: serials and stock that outlive the database
    claimcode.py  the signed, compact claim code and its desk code
    eventkey.py   the event's Ed25519 key files
    qr.py         QR module matrices (the booth's surfaces and the claim server's SVG)

May import: the shared modules at ``kiosk/`` top level and ``kiosk.playlog``'s protocol.
Core dependencies only (cryptography, qrcode): never pygame (the booth draws the QR surface
from the matrix built here), the booth, claims, organiser or CLI.
"""
