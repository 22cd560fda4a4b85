"""The claim server: visitors' prize pages and the prize desk (``smartizen serve-claims``).

A small Flask app served by waitress, with its own SQLite database of redemptions. It needs
only the event's *public* key: a code is genuine if its signature verifies
(kiosk/prizes/claimcode.py), and it is collected at most once because the redemption insert
hits a UNIQUE code column.

    settings.py     claims.toml: public key, host/port, PIN hash, claim window …
    redemptions.py  the redemption database (and which codes phones have opened)
    desk.py         verdicts: ready / collected / expired / not valid, and hand-over
    security.py     PIN lockout and CSRF tokens
    qrsvg.py        QR codes as inline SVG, from kiosk/prizes/qr.py's matrix
    web.py          the Flask app: GET <claim path><code>, the /desk pages
    templates/, static/

May import: the shared modules at ``kiosk/`` top level, ``kiosk.prizes`` (claim codes, QR)
and ``kiosk.playlog``'s transaction helper; Flask and waitress (the ``claims`` extra). Never
pygame, speech, the booth or the organisers' tools (checked by ``lint-imports``).

Nothing about visitors is stored: a redemption row holds the code, its reference and tier,
when and at which desk. No IP addresses, no user agents, no cookies for visitors.
"""
