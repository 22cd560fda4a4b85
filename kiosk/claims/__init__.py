"""The claim server: visitors' prize pages and the prize desk (``smartizen serve-claims``).

A small Flask app served by waitress, with its own SQLite database of redemptions (one desk),
or the carnival's central PostgreSQL shared by several desks (``[postgres] dsn``). It needs
only the event's *public* key: a code is genuine if its signature verifies
(kiosk/prizes/claimcode.py), and it is collected at most once because the redemption insert
hits a UNIQUE code column.

    settings.py     claims.toml: public key, host/port, PIN hash, claim window …
    store.py        ClaimStore: what the server keeps (redemptions, which phones opened which
                    codes, the desk's door: PIN failures, staff sessions), as one interface
    redemptions.py  … on a SQLite file (the single-desk default)
    pgstore.py      … on the central PostgreSQL (kiosk/fleet/migrations/0003_claims.sql), for
                    several desks, recording claim events for the dashboard
    backend.py      open_store(settings): which of the two claims.toml names
    desk.py         verdicts: ready / collected / expired / not valid, and hand-over
    security.py     PIN back-off per client, the trusted proxy, CSRF tokens
    sessions.py     staff sessions kept on the server, so logging out revokes them
    phones.py       the visitor's first-opening cookie: a random phone id
    names.py        desk names safe to record and log
    qrsvg.py        QR codes as inline SVG, from kiosk/prizes/qr.py's matrix
    web.py          the Flask app: GET <claim path><code>, the /desk pages
    fastpage.py     reloads of a rendered claim page, answered in front of Flask
    templates/, static/

May import: the shared modules at ``kiosk/`` top level, ``kiosk.prizes`` (claim codes, QR)
and ``kiosk.playlog``'s transaction helper; ``kiosk.fleet.migrate`` (the central schema);
Flask and waitress (the ``claims`` extra), psycopg (the ``fleet`` extra, PostgreSQL only). Never
pygame, speech, the booth or the organisers' tools (checked by ``lint-imports``).

Nothing about visitors is stored: a redemption row holds the code, its reference and tier,
when and at which desk. No IP addresses, no user agents; a phone is known only by the random
id of the one cookie it is given.
"""
