-- Ingest and credentials (kiosk/fleet/ingest.py, kiosks.py): a booth's bearer token is found
-- by its SHA-256, so two booths can never share one, and the lookup is an index probe.
CREATE UNIQUE INDEX kiosks_token_hash ON kiosks (token_hash) WHERE token_hash IS NOT NULL;
