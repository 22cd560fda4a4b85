"""The play log: the booth's SQLite database through sqlite-utils.

Schema and migrations, plays, audit, game switches and stock, the resilient wrapper that
moves damaged files aside and buffers refused writes, and the one transaction helper.

May import: the shared modules at ``kiosk/`` top level. Never pygame, the booth, prizes,
claims or organiser tools: everything else reads the log through this room.
"""
