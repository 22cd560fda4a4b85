"""The organisers' tools: tallies, fleet merges and the HTML report, run after hours.

May import: the shared modules at ``kiosk/`` top level and ``kiosk.playlog`` (opening logs,
the schema, the transaction helper); matplotlib and tabulate (the ``organiser`` extra).
Never pygame, speech, the booth or the claim server (checked by ``lint-imports``): an
organiser's laptop has no touchscreen.
"""
