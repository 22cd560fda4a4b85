-- The claim server on the central store (kiosk/claims/pgstore.py): every prize desk process,
-- on any machine, keeps its redemptions, staff sessions and PIN back-off here, so all desks
-- agree. The same tables as the single-desk SQLite file (kiosk/claims/redemptions.py), with
-- a `claim_` prefix. Nothing about visitors: a phone is the random id of one cookie.

-- One row per prize handed over; the UNIQUE code makes it once, whichever desk scans first.
CREATE TABLE claim_redemptions (
    id           bigserial PRIMARY KEY,
    code         text NOT NULL UNIQUE,
    ref          text NOT NULL,
    tier         text NOT NULL,
    kiosk        text NOT NULL,          -- the code's kiosk id (as printed in its reference)
    event        integer NOT NULL,
    redeemed_at  timestamptz NOT NULL,
    desk         text NOT NULL
);
CREATE INDEX claim_redemptions_redeemed_at ON claim_redemptions (redeemed_at);
CREATE INDEX claim_redemptions_ref ON claim_redemptions (ref);

-- Genuine codes a phone opened, with their typeable desk code's key.
CREATE TABLE claim_opened (
    code             text PRIMARY KEY,
    desk_key         text NOT NULL,
    first_opened_at  timestamptz NOT NULL
);
CREATE INDEX claim_opened_desk_key ON claim_opened (desk_key);

-- Which phones (random cookie ids) opened each code, at most five per code.
CREATE TABLE claim_opened_by (
    code             text NOT NULL,
    phone            text NOT NULL,
    first_opened_at  timestamptz NOT NULL,
    PRIMARY KEY (code, phone)
);

-- Wrong desk PINs per client address, forgotten a day after the last (wall-clock seconds).
CREATE TABLE claim_login_failures (
    client    text PRIMARY KEY,
    failures  integer NOT NULL,
    last_at   double precision NOT NULL
);
CREATE INDEX claim_login_failures_last_at ON claim_login_failures (last_at);

-- Staff sessions: the SHA-256 of the cookie's token; logging out closes the row for all.
CREATE TABLE claim_desk_sessions (
    token_hash  text PRIMARY KEY,
    desk        text NOT NULL,
    started_at  double precision NOT NULL,
    seen_at     double precision NOT NULL,
    ended_at    double precision,
    ended_why   text                     -- logout | idle | too_long
);

-- Random secrets made once and shared by every desk process (the session cookies' key).
CREATE TABLE claim_secrets (
    name   text PRIMARY KEY,
    value  bytea NOT NULL
);

-- Why a desk refused a genuine code (collected | expired | issued_in_future); NULL for the
-- other events.
ALTER TABLE claim_events ADD COLUMN reason text;
CREATE INDEX claim_events_event_at ON claim_events (event, at);
