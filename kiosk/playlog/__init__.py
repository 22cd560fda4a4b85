"""The play log: each booth's SQLite database through sqlite-utils.

    api.py          PlayLog: the protocol the booth and the prizes program against
    schema.py       tables, columns, migrations, the timestamp text format
    transaction.py  immediate(conn): the one BEGIN IMMEDIATE helper every writer uses
    store.py        PlayStore: plays, audit, game switches, stock, prize awards
    resilient.py    ResilientStore: moves damaged files aside, buffers refused writes
    sidefile.py     the pending and rejected JSON-lines files beside the database
    moved.py        the database deleted or replaced under a running kiosk
    instance.py     one kiosk per database: the flock on ``scores.db.lock``
    writer.py       Writer: the one thread that calls the store once the booth runs
    queued.py       QueuedLog: the booth's PlayLog, its writes queued on the writer
    maintenance.py  ending plays left in progress (booth start-up, ``smartizen reset``)
    access.py       opening a log from another program: read-only URIs, validation

May import: the shared modules at ``kiosk/`` top level, sqlite-utils. Never pygame, the
booth, prizes, claims, organiser tools or the CLI (checked by ``lint-imports``): they all
read and write the log through this room.
"""
