-- The centre's WAL epoch, for booths that take durable-position acknowledgements
-- (docs/fleet-contract.md, "ack": "durable-lsn"). Such a push is committed without waiting
-- for its log flush and answered with the log position of its commit; the booth forgets
-- the rows only once the centre reports its log flushed past that position. A crash of
-- PostgreSQL loses the log not yet flushed, and the log then continues from the end of what
-- was kept: the same positions are written again with other contents. The epoch tells the
-- booth that happened, so a position from before it is never confirmed by a flush after it.
--
-- An UNLOGGED table is exactly that signal: PostgreSQL empties it whenever it starts after
-- a crash (crash recovery resets unlogged relations), and keeps it over a clean shutdown,
-- which flushes the whole log first (every position handed out is then durable, so the
-- epoch may stay). The first caller after a crash draws a new random epoch.
CREATE UNLOGGED TABLE fleet_wal_epoch (
    one boolean PRIMARY KEY DEFAULT true CHECK (one),
    epoch text NOT NULL
);

CREATE FUNCTION fleet_wal_epoch() RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    e text;
BEGIN
    SELECT epoch INTO e FROM fleet_wal_epoch;
    IF e IS NULL THEN
        -- Two sessions racing here: the second waits for the first's row, then reads it.
        INSERT INTO fleet_wal_epoch (epoch) VALUES (gen_random_uuid()::text)
        ON CONFLICT DO NOTHING;
        SELECT epoch INTO e FROM fleet_wal_epoch;
    END IF;
    RETURN e;
END
$$;
