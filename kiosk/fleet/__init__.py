"""The carnival as one fleet: a central PostgreSQL copy of every booth's play log.

Each booth's SQLite file stays its source of truth; booths push their rows here through an
outbox (``docs/fleet-contract.md``), so organisers, the dashboard and the prize desks read
one store. Nothing in this room imports pygame or the booth.
"""
