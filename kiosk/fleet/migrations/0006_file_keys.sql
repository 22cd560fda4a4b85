-- Audit and stock adjustment ids count from 1 in each booth file, so a booth whose scores.db
-- was replaced (disk swap, restore, a fresh file after damage) re-uses them: keyed by
-- (kiosk_id, id), its new audit row 1 overwrote the old file's audit row 1. Each booth file
-- now has a random identity sent with its batches (docs/fleet-contract.md), and these two
-- tables are keyed by (kiosk_id, file_id, id). Plays and visits keep (kiosk_id, id): their
-- ids are uuids, unique across files and booths; a game switch is one row per kiosk, day
-- and game, whatever file it came from.
--
-- Rows already here came from a file whose identity the centre never saw: they get
-- file_id '' ("before file ids"). The ingest adopts such a row into a file when that file
-- sends the same row again (same id and same `at`), e.g. the after-hours import of the
-- booth's file, so migrating the centre never counts a row twice (kiosk/fleet/ingest.py).

ALTER TABLE audit ADD COLUMN file_id text NOT NULL DEFAULT '';
ALTER TABLE audit DROP CONSTRAINT audit_pkey;
ALTER TABLE audit ADD PRIMARY KEY (kiosk_id, file_id, id);

ALTER TABLE stock_adjustments ADD COLUMN file_id text NOT NULL DEFAULT '';
ALTER TABLE stock_adjustments DROP CONSTRAINT stock_adjustments_pkey;
ALTER TABLE stock_adjustments ADD PRIMARY KEY (kiosk_id, file_id, id);

-- The rows a booth refused to push again after the centre refused them (kiosk/sync/
-- pusher.py quarantines them in the booth's own file), as its heartbeat reports them.
ALTER TABLE booth_status ADD COLUMN quarantined integer NOT NULL DEFAULT 0;

-- The same row under another file id (above) is found by kiosk and id.
CREATE INDEX audit_kiosk_row ON audit (kiosk_id, id);
CREATE INDEX stock_adjustments_kiosk_row ON stock_adjustments (kiosk_id, id);
