"""The organisers' tools: tallies, the visitor funnel, fleet merges and the HTML report, run
after hours.

May import: the shared modules at ``kiosk/`` top level and ``kiosk.playlog`` (opening logs,
the schema, the transaction helper); tabulate (the ``organiser`` extra). The report draws
its charts as inline SVG with the shared ``kiosk.svgchart`` (no plotting library).
Never pygame, speech, the booth or the claim server (checked by ``lint-imports``): an
organiser's laptop has no touchscreen.
"""
