"""The booth's side of the fleet (docs/fleet-contract.md): its rows on their way to the centre.

    outbox.py     the local outbox in the booth's SQLite: the ``sync_clock`` counter, a
                  ``version`` on every synced row set by triggers, ``sync_state``; reading
                  a batch of the backlog and storing what the centre acknowledged
    pusher.py     Pusher: the sync thread that pushes the backlog over HTTP, with back-off
    heartbeat.py  Heartbeat: the thread that posts the booth's status every ~15 s and keeps
                  the centre's latest answer

May import: the standard library and sqlite-utils only. Never pygame, psycopg, Flask, the
booth, the play log or the centre (checked by ``lint-imports``): the play log's schema
migration calls :func:`kiosk.sync.outbox.install`, so this room sits below it.
"""
